/**
 * A committed tree seen as a PathView: the bottom layer under the index and working tree.
 * Lookups walk one tree per path component through the ObjectDatabase's parsed-tree cache.
 */
import { isTreeMode } from '../objects/file-mode';
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import type { TreeEntry } from '../objects/tree';
import { DIRECTORY, joinPath, type ChildEntry, type FileEntry, type PathView } from './path-view';
import { findTreeEntry } from './tree-lookup';

/** How many directories a view remembers before starting over (bounds its memory). */
const MAX_REMEMBERED_DIRS = 8192;

export class TreeView implements PathView {
  /**
   * Directory path → its parsed entries (null: not a directory). Trees are immutable, so this
   * never goes stale; it turns the repeated lookups of one operation (a path, its ancestors,
   * the same path again) into a Map hit each instead of a walk from the root.
   */
  private readonly dirs = new Map<string, readonly TreeEntry[] | null>();

  constructor(
    private readonly odb: ObjectDatabase,
    readonly treeOid: Oid,
  ) {}

  get isEmpty(): boolean {
    return this.treeOid === EMPTY_TREE_OID;
  }

  /** The parsed entries of directory `dir` (`''` = root), or undefined when it is not one. */
  private entriesAt(dir: string): readonly TreeEntry[] | undefined {
    const known = this.dirs.get(dir);
    if (known !== undefined) return known ?? undefined;
    let entries: readonly TreeEntry[] | undefined;
    if (dir === '') {
      entries = this.odb.readTree(this.treeOid);
    } else {
      const slash = dir.lastIndexOf('/');
      const parent = this.entriesAt(slash < 0 ? '' : dir.slice(0, slash));
      const found = parent && findTreeEntry(parent, dir.slice(slash + 1));
      entries = found && isTreeMode(found.mode) ? this.odb.readTree(found.oid) : undefined;
    }
    if (this.dirs.size >= MAX_REMEMBERED_DIRS) this.dirs.clear();
    this.dirs.set(dir, entries ?? null);
    return entries;
  }

  /** The entry (leaf or tree) at `path`, or undefined; `''` has no entry (it is the root). */
  entry(path: string): TreeEntry | undefined {
    if (path === '') return undefined;
    const slash = path.lastIndexOf('/');
    const parent = this.entriesAt(slash < 0 ? '' : path.slice(0, slash));
    return parent && findTreeEntry(parent, path.slice(slash + 1));
  }

  /** The tree id at `dir` (`''` = the root), or undefined when `dir` is not a directory. */
  treeAt(dir: string): Oid | undefined {
    if (dir === '') return this.treeOid;
    const found = this.entry(dir);
    return found && isTreeMode(found.mode) ? found.oid : undefined;
  }

  /** A directory's tree id, for listings (the empty tree when `dir` is not a directory). */
  directoryOid(dir: string): Oid {
    return this.treeAt(dir) ?? EMPTY_TREE_OID;
  }

  file(path: string): FileEntry | undefined {
    const found = this.entry(path);
    return found && !isTreeMode(found.mode) ? found : undefined;
  }

  hasDirectory(dir: string): boolean {
    if (dir === '') return true;
    // Git never stores an empty subtree, but a pushed one may exist: it holds no leaves.
    const entries = this.entriesAt(dir);
    return entries !== undefined && entries.length > 0;
  }

  children(dir: string): Map<string, ChildEntry> {
    const result = new Map<string, ChildEntry>();
    const entries = this.entriesAt(dir);
    if (entries === undefined) return result;
    for (const entry of entries) {
      if (!isTreeMode(entry.mode)) result.set(entry.name, entry);
      else if (this.odb.readTree(entry.oid).length > 0) result.set(entry.name, DIRECTORY);
    }
    return result;
  }

  forEachFile(dir: string, visit: (path: string, entry: FileEntry) => void): void {
    const tree = this.treeAt(dir);
    if (tree !== undefined) walkTreeFiles(this.odb, tree, dir, visit);
  }
}

/** Calls `visit` for every leaf of a tree, depth first in git's entry order. */
export function walkTreeFiles(
  odb: ObjectDatabase,
  tree: Oid,
  prefix: string,
  visit: (path: string, entry: FileEntry) => void,
): void {
  for (const entry of odb.readTree(tree)) {
    const path = joinPath(prefix, entry.name);
    if (isTreeMode(entry.mode)) walkTreeFiles(odb, entry.oid, path, visit);
    else visit(path, entry);
  }
}
