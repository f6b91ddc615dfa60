/**
 * Listing a directory of a snapshot (a commit's tree or the working tree) as the REST contract's
 * TreeEntry list: immediate children, or every leaf below when recursive; sorted by path.
 * Modes are git's (`40000` for directories; the REST edge shows `040000` via apiMode).
 */
import { FileNotFoundError } from '../errors/path-errors';
import { FileMode, isTreeMode } from '../objects/file-mode';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { validateFilePath } from '../objects/path-safety';
import { comparePaths } from '../objects/tree-entry-order';
import { DIRECTORY, joinPath, type FileEntry, type PathView } from './path-view';

export type ListedEntryType = 'file' | 'directory' | 'symlink' | 'submodule';

export interface ListedEntry {
  readonly name: string;
  readonly path: string;
  readonly type: ListedEntryType;
  /** Content length for files and symlinks (the target's length); 0 for directories and submodules. */
  readonly size: number;
  readonly mode: string;
  readonly oid: Oid;
}

export interface ListTreeOptions {
  readonly recursive?: boolean;
}

/** A snapshot to list: a path view that can also name the tree id of any of its directories. */
export interface ListingSource extends PathView {
  directoryOid(dir: string): Oid;
}

export function entryType(mode: string): ListedEntryType {
  if (isTreeMode(mode)) return 'directory';
  if (mode === FileMode.Symlink) return 'symlink';
  if (mode === FileMode.Gitlink) return 'submodule';
  return 'file';
}

/**
 * Lists `path` (`''` = the root). A file path yields that one entry; a missing path throws
 * FileNotFoundError "path '<p>' not found"; the root of an empty snapshot lists nothing.
 */
export function listTree(
  odb: ObjectDatabase,
  view: ListingSource,
  path: string,
  options: ListTreeOptions = {},
): ListedEntry[] {
  if (path !== '') validateFilePath(path);
  const file = path === '' ? undefined : view.file(path);
  if (file) return [leafEntry(odb, path, file)];
  if (!view.hasDirectory(path)) throw new FileNotFoundError(path, `path '${path}' not found`);

  const entries: ListedEntry[] = [];
  if (options.recursive === true) {
    view.forEachFile(path, (leaf, entry) => entries.push(leafEntry(odb, leaf, entry)));
  } else {
    for (const [name, child] of view.children(path)) {
      const childPath = joinPath(path, name);
      entries.push(
        child === DIRECTORY
          ? {
              name,
              path: childPath,
              type: 'directory',
              size: 0,
              mode: FileMode.Tree,
              oid: view.directoryOid(childPath),
            }
          : leafEntry(odb, childPath, child),
      );
    }
  }
  return entries.sort((a, b) => comparePaths(a.path, b.path));
}

function leafEntry(odb: ObjectDatabase, path: string, entry: FileEntry): ListedEntry {
  const type = entryType(entry.mode);
  const size = type === 'submodule' ? 0 : odb.readObject(entry.oid).body.length;
  return {
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    type,
    size,
    mode: entry.mode,
    oid: entry.oid,
  };
}
