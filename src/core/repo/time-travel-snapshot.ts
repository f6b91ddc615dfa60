/**
 * Time travel (contract §9) on a Repository: the snapshot commit at a time (walk/time-travel's
 * rule: greatest committer time ≤ t over every commit reachable from the ref, ties to the
 * descendant, then the smallest id), its file count, and reading one file from it.
 *
 * The file count reads trees only, never blobs, and is memoised per tree id (trees are
 * immutable): the snapshots of neighbouring times share most subtrees, so each new one costs
 * about the trees it changed.
 */
import { NoCommitsAtTimeError } from '../errors/transaction-errors';
import { FileNotFoundError, IsADirectoryError } from '../errors/path-errors';
import { FileMode, isTreeMode } from '../objects/file-mode';
import { LruCache } from '../objects/lru-cache';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { validateFilePath } from '../objects/path-safety';
import { HEAD } from '../refs/resolve-ref';
import { commitAtTime } from '../walk/time-travel';
import { readHead } from './head';
import type { Repository } from './repository';
import { TreeView } from './tree-view';
import { readFileFrom, type FileContent } from './working-state';

export interface TimeSnapshot {
  readonly commit: Oid;
  readonly tree: Oid;
  /** Blobs in the whole tree (files, executables, symlinks; not submodules). */
  readonly filesCount: number;
  /** The ref the history was taken from, as given. */
  readonly ref: string;
}

export interface FileAtTime extends FileContent {
  /** The snapshot commit the file was read from. */
  readonly commit: Oid;
}

/** Subtree counts remembered per object database (a bound, not a working-set estimate). */
const COUNTS_PER_DATABASE = 100_000;
const blobCounts = new WeakMap<ObjectDatabase, LruCache<Oid, number>>();

/** Blobs below `tree`, recursively; reads trees only and remembers every subtree's count. */
export function countTreeBlobs(odb: ObjectDatabase, tree: Oid): number {
  let cache = blobCounts.get(odb);
  if (cache === undefined) {
    cache = new LruCache(COUNTS_PER_DATABASE);
    blobCounts.set(odb, cache);
  }
  return countWith(odb, cache, tree);
}

function countWith(odb: ObjectDatabase, cache: LruCache<Oid, number>, tree: Oid): number {
  const known = cache.get(tree);
  if (known !== undefined) return known;
  let count = 0;
  for (const entry of odb.readTree(tree)) {
    if (isTreeMode(entry.mode)) count += countWith(odb, cache, entry.oid);
    else if (entry.mode !== FileMode.Gitlink) count++;
  }
  cache.set(tree, count);
  return count;
}

/**
 * The snapshot at Unix time `t` of the history reachable from `ref` (default HEAD).
 * Throws NoCommitsAtTimeError when every commit is newer or HEAD is unborn, RefNotFoundError /
 * InvalidRefError / AmbiguousRefError when `ref` does not name a commit.
 */
export function snapshotAt(repo: Repository, t: number, ref: string = HEAD): TimeSnapshot {
  if (ref === HEAD && readHead(repo.refs).oid === null) throw new NoCommitsAtTimeError(t, ref);
  const start = repo.resolveCommit(ref);
  const commit = commitAtTime(repo.graph, [start], t);
  if (commit === undefined) throw new NoCommitsAtTimeError(t, ref);
  const tree = repo.graph.tree(commit);
  return { commit, tree, filesCount: countTreeBlobs(repo.odb, tree), ref };
}

/**
 * A file as it was at time `t` on `ref`. Throws what snapshotAt throws, path errors, and
 * FileNotFoundError "file not found at specified time: <path>" (also for a directory).
 */
export function readAtTime(
  repo: Repository,
  t: number,
  path: string,
  ref: string = HEAD,
): FileAtTime {
  validateFilePath(path);
  const { commit, tree } = snapshotAt(repo, t, ref);
  try {
    return { ...readFileFrom(repo.odb, new TreeView(repo.odb, tree), path), commit };
  } catch (error) {
    if (error instanceof FileNotFoundError || error instanceof IsADirectoryError)
      throw new FileNotFoundError(path, `file not found at specified time: ${path}`);
    throw error;
  }
}
