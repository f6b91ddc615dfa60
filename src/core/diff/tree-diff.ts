/**
 * Which files differ between two trees (or tree-like listings), sorted by path, as git's
 * tree diff finds them: directories with the same id on both sides are skipped without being
 * read, a path that is a file on one side and a directory on the other is a deletion plus
 * additions, and a file whose type changes (file, symlink, submodule) stays one `modified`
 * change (the patch prints it as delete + add, like git).
 *
 * Sides are `TreeSource`s, so the same walk serves stored trees (`treeSource`) and listings
 * that exist only in memory, such as a staging index or a working tree (`pathMapSource`,
 * `overlaySource`). Renames are found afterwards (rename-detection.ts); `diffTrees` does both.
 */
import { isTreeMode } from '../objects/file-mode';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { compareTreeEntryNames } from '../objects/tree-entry-order';
import { detectRenames, type RenameOptions } from './rename-detection';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

/** One changed file. The side a file is missing from has null mode and id. */
export interface TreeChange {
  readonly status: ChangeStatus;
  /** The path after the change (the new path of a rename, the old path of a deletion). */
  readonly path: string;
  /** Renames only: the path before. */
  readonly oldPath?: string;
  readonly oldMode: string | null;
  readonly newMode: string | null;
  readonly oldOid: Oid | null;
  readonly newOid: Oid | null;
  /** Renames only: how similar the contents are, 0-100 (100 for an exact rename). */
  readonly similarity?: number;
}

/** An entry of a directory listing. `oid` may be undefined for a directory whose id is unknown. */
export interface SourceEntry {
  readonly name: string;
  readonly mode: string;
  readonly oid: Oid | undefined;
}

/**
 * A tree-like listing of files: a stored tree, a staging index, a working tree, an overlay.
 *
 * Contract for implementers:
 * - `list(dir)` returns the entries of directory `dir` (`''` is the root, otherwise a path
 *   without leading or trailing `/`), sorted in git's tree-entry order (`compareSourceEntries`);
 *   it is only called for the root and for directories the previous `list` calls returned.
 * - directories have mode `40000`; their `oid` is the tree id when known. When both sides give
 *   the same id for a directory the walk skips it; give `undefined` whenever the content may
 *   differ from a stored tree, and the walk descends.
 * - files carry the blob id (a submodule, mode `160000`, the commit id); the blob must be in
 *   the object database when patches or rename similarity are computed.
 */
export interface TreeSource {
  list(dir: string): readonly SourceEntry[];
}

function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** A stored tree as a source; `null` (or the empty tree) lists nothing. */
export function treeSource(db: ObjectDatabase, tree: Oid | null): TreeSource {
  const dirs = new Map<string, Oid>();
  if (tree !== null) dirs.set('', tree);
  return {
    list(dir: string): readonly SourceEntry[] {
      const oid = dirs.get(dir);
      if (oid === undefined) return [];
      const entries = db.readTree(oid);
      for (const entry of entries) {
        if (isTreeMode(entry.mode)) dirs.set(joinPath(dir, entry.name), entry.oid);
      }
      return entries;
    },
  };
}

/** A file entry for `pathMapSource` and `overlaySource`. */
export interface PathEntry {
  readonly mode: string;
  readonly oid: Oid;
}

/** git's tree-entry order (a directory sorts as if its name ended in `/`). */
export function compareSourceEntries(a: SourceEntry, b: SourceEntry): number {
  return compareTreeEntryNames(a.name, isTreeMode(a.mode), b.name, isTreeMode(b.mode));
}

function sortEntries(entries: SourceEntry[]): SourceEntry[] {
  return entries.sort(compareSourceEntries);
}

/**
 * A flat `path -> {mode, oid}` map (like git's index) as a source. Directories are implied by
 * the paths and have no id, so a diff against it reads every tree of the other side that has a
 * counterpart here; prefer `overlaySource` when the map is a small change over a tree.
 */
export function pathMapSource(files: ReadonlyMap<string, PathEntry>): TreeSource {
  const dirs = new Map<string, Map<string, SourceEntry>>();
  const dirOf = (dir: string): Map<string, SourceEntry> => {
    let listing = dirs.get(dir);
    if (listing === undefined) {
      listing = new Map();
      dirs.set(dir, listing);
    }
    return listing;
  };
  for (const [path, file] of files) {
    const parts = path.split('/');
    let dir = '';
    for (let i = 0; i < parts.length - 1; i++) {
      const listing = dirOf(dir);
      const name = parts[i]!;
      if (!listing.has(`${name}/`))
        listing.set(`${name}/`, { name, mode: '40000', oid: undefined });
      dir = joinPath(dir, name);
    }
    dirOf(dir).set(parts[parts.length - 1]!, {
      name: parts[parts.length - 1]!,
      mode: file.mode,
      oid: file.oid,
    });
  }
  const sorted = new Map<string, readonly SourceEntry[]>();
  return {
    list(dir: string): readonly SourceEntry[] {
      let listing = sorted.get(dir);
      if (listing === undefined) {
        listing = sortEntries([...(dirs.get(dir)?.values() ?? [])]);
        sorted.set(dir, listing);
      }
      return listing;
    },
  };
}

/**
 * A stored tree with some files changed: `changes` maps a path to its new entry, or to null
 * when the file is removed. Directories without a changed path below them keep their stored
 * id, so a diff against the base (or against another overlay of it) skips them unread. A path
 * set to a file replaces any directory of the same name in the base, and a file under a path
 * whose prefix is a file in the base replaces that file, as in a git index.
 */
export function overlaySource(
  db: ObjectDatabase,
  base: Oid | null,
  changes: ReadonlyMap<string, PathEntry | null>,
): TreeSource {
  const baseSource = treeSource(db, base);
  // For every directory: the names directly changed in it, and the subdirectories touched.
  const direct = new Map<string, Map<string, PathEntry | null>>();
  const touched = new Map<string, Set<string>>();
  for (const [path, entry] of changes) {
    const parts = path.split('/');
    let dir = '';
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i]!;
      let set = touched.get(dir);
      if (set === undefined) touched.set(dir, (set = new Set()));
      set.add(name);
      dir = joinPath(dir, name);
    }
    let map = direct.get(dir);
    if (map === undefined) direct.set(dir, (map = new Map<string, PathEntry | null>()));
    map.set(parts[parts.length - 1]!, entry);
  }
  return {
    list(dir: string): readonly SourceEntry[] {
      const baseEntries = baseSource.list(dir); // [] for a directory the base lacks
      const changed = direct.get(dir);
      const subdirs = touched.get(dir);
      if (changed === undefined && subdirs === undefined) return baseEntries;
      const out = new Map<string, SourceEntry>();
      for (const e of baseEntries) {
        const isTree = isTreeMode(e.mode);
        if (changed?.has(e.name) === true) continue; // replaced or removed
        if (!isTree && subdirs?.has(e.name) === true) continue; // a file replaced by a directory
        const keep =
          isTree && subdirs?.has(e.name) === true
            ? { name: e.name, mode: e.mode, oid: undefined }
            : e;
        out.set(isTree ? `${e.name}/` : e.name, keep);
      }
      for (const name of subdirs ?? []) {
        if (changed?.get(name)) continue; // a file set at this name wins
        if (!out.has(`${name}/`)) out.set(`${name}/`, { name, mode: '40000', oid: undefined });
      }
      for (const [name, entry] of changed ?? []) {
        if (entry !== null) out.set(name, { name, mode: entry.mode, oid: entry.oid });
      }
      return sortEntries([...out.values()]);
    },
  };
}

function added(path: string, e: SourceEntry): TreeChange {
  return {
    status: 'added',
    path,
    oldMode: null,
    newMode: e.mode,
    oldOid: null,
    newOid: e.oid ?? null,
  };
}

function deleted(path: string, e: SourceEntry): TreeChange {
  return {
    status: 'deleted',
    path,
    oldMode: e.mode,
    newMode: null,
    oldOid: e.oid ?? null,
    newOid: null,
  };
}

/**
 * The files that differ between two sources, sorted by path (git's order), without rename
 * detection. Equal directory ids are skipped unread.
 */
export function diffSources(oldSource: TreeSource, newSource: TreeSource): TreeChange[] {
  const out: TreeChange[] = [];
  const walkOneSide = (
    source: TreeSource,
    dir: string,
    make: (path: string, e: SourceEntry) => TreeChange,
  ): void => {
    for (const e of source.list(dir)) {
      const path = joinPath(dir, e.name);
      if (isTreeMode(e.mode)) walkOneSide(source, path, make);
      else out.push(make(path, e));
    }
  };
  const walk = (dir: string): void => {
    const as = oldSource.list(dir);
    const bs = newSource.list(dir);
    let i = 0;
    let j = 0;
    while (i < as.length || j < bs.length) {
      const a = as[i];
      const b = bs[j];
      const order = a === undefined ? 1 : b === undefined ? -1 : compareSourceEntries(a, b);
      if (order < 0) {
        const path = joinPath(dir, a!.name);
        if (isTreeMode(a!.mode)) walkOneSide(oldSource, path, deleted);
        else out.push(deleted(path, a!));
        i++;
      } else if (order > 0) {
        const path = joinPath(dir, b!.name);
        if (isTreeMode(b!.mode)) walkOneSide(newSource, path, added);
        else out.push(added(path, b!));
        j++;
      } else {
        const path = joinPath(dir, a!.name);
        if (isTreeMode(a!.mode)) {
          if (a!.oid === undefined || a!.oid !== b!.oid) walk(path);
        } else if (a!.oid !== b!.oid || a!.mode !== b!.mode) {
          out.push({
            status: 'modified',
            path,
            oldMode: a!.mode,
            newMode: b!.mode,
            oldOid: a!.oid ?? null,
            newOid: b!.oid ?? null,
          });
        }
        i++;
        j++;
      }
    }
  };
  walk('');
  return out;
}

export interface TreeDiffOptions {
  /** Rename detection: on by default (git's `diff.renames=true`); `false` turns it off. */
  readonly renames?: boolean | RenameOptions;
}

/**
 * The changes from tree `oldTree` to tree `newTree` (null = empty), sorted by path, with
 * renames detected like `git diff -M` unless `renames: false`.
 */
export function diffTrees(
  db: ObjectDatabase,
  oldTree: Oid | null,
  newTree: Oid | null,
  options: TreeDiffOptions = {},
): TreeChange[] {
  return diffTreeSources(db, treeSource(db, oldTree), treeSource(db, newTree), options);
}

/** `diffTrees` for any two sources (index vs HEAD, working tree vs index...). */
export function diffTreeSources(
  db: ObjectDatabase,
  oldSource: TreeSource,
  newSource: TreeSource,
  options: TreeDiffOptions = {},
): TreeChange[] {
  const changes = diffSources(oldSource, newSource);
  if (options.renames === false) return changes;
  return detectRenames(
    db,
    changes,
    options.renames === true || options.renames === undefined ? {} : options.renames,
  );
}
