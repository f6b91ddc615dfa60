/**
 * A read-only view of a repository snapshot by path: a committed tree, the staging index or
 * the working tree. The index and working tree are overlays stacked on a tree (path-overlay.ts),
 * so every question here is answered without materialising the whole snapshot.
 *
 * Leaves are what git stores as non-tree entries: files, executables, symlinks and gitlinks.
 * Directories exist only through the leaves below them, as in git (no empty directories).
 */
import type { Oid } from '../objects/oid';

export interface FileEntry {
  readonly mode: string;
  readonly oid: Oid;
}

/** Marks a directory among the children of a directory. */
export const DIRECTORY = 'directory' as const;
export type ChildEntry = FileEntry | typeof DIRECTORY;

export interface PathView {
  /** The leaf at exactly `path`, or undefined (also when `path` is a directory). */
  file(path: string): FileEntry | undefined;

  /** True when at least one leaf lies below `dir`; the root (`''`) always exists. */
  hasDirectory(dir: string): boolean;

  /** The immediate children of `dir` by name (an empty map when `dir` is not a directory). */
  children(dir: string): Map<string, ChildEntry>;

  /** Calls `visit` for every leaf below `dir` (`''` = all), in no particular order. */
  forEachFile(dir: string, visit: (path: string, entry: FileEntry) => void): void;
}

export function sameEntry(
  a: FileEntry | null | undefined,
  b: FileEntry | null | undefined,
): boolean {
  if (a === b) return true;
  if (!a || !b) return !a && !b;
  return a.oid === b.oid && a.mode === b.mode;
}

/** `dir/name`, or `name` at the root. */
export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** True when `path` is `dir` itself or lies below it (`''` contains everything). */
export function isSameOrBelow(path: string, dir: string): boolean {
  return (
    dir === '' ||
    path === dir ||
    (path.length > dir.length && path.startsWith(dir) && path.charCodeAt(dir.length) === 0x2f)
  );
}

/** True when `path` lies strictly below `dir`. */
export function isBelow(path: string, dir: string): boolean {
  return dir === ''
    ? path !== ''
    : path.length > dir.length && path.startsWith(dir) && path.charCodeAt(dir.length) === 0x2f;
}

/** Every proper ancestor directory of a path, nearest last: `a/b/c` → `a`, `a/b`. */
export function ancestorsOf(path: string): string[] {
  const dirs: string[] = [];
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1))
    dirs.push(path.slice(0, slash));
  return dirs;
}
