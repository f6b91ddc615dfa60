/**
 * History listing in the contract's order (§3.2), which is `git log --date-order`: newest
 * committer time first, a commit never before any of its children, equal times first-in
 * first-out in the order git's topological sort enqueues them.
 *
 * The walk is git's incremental topological walk: an indegree pass ordered by generation
 * number runs only as deep as needed, and a commit enters the output queue when its last child
 * has been emitted. So `limit` bounds the work (a first page does not walk the whole history)
 * and the output equals git's sort of the full list commit for commit.
 *
 * Filters and how they compare with git (interop-tested where they agree):
 * - `firstParent`: follow only first parents, like `--first-parent`. With several starts the
 *   indegrees count first-parent edges only (git's incremental walk; its older walk counts all).
 * - `path`: git's default history simplification for `git log -- <path>`: a commit is shown
 *   when the entry at `path` (file or directory, compared by mode and id, never by diffing
 *   trees) differs from its parent's; a root when it has the path; a merge when it differs
 *   from every parent, and a merge equal to some parent is followed through the first such
 *   parent only (the other sides are not walked). The path is literal (no globs, no magic).
 *   Differs from git only for empty subtrees, which git's tree diff does not see.
 * - `since` / `until` (inclusive, committer time): plain filters on the ordered list, the walk
 *   does not stop early. git's `--since` instead stops at the first older commit (its
 *   ancestors are dropped even when clock skew makes them newer), and git removes `--until`
 *   commits before sorting, which can reorder equal-time commits; both agree with ours on
 *   histories whose committer times never decrease from parent to child and are distinct.
 * - `offset` / `limit`: pagination over the matching commits; `hasMore` says whether a match
 *   follows the page.
 * Several starts: equal-time start commits come out in the order given.
 */
import { isTreeMode } from '../objects/file-mode';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import type { TreeEntry } from '../objects/tree';
import { compareTreeEntryNames } from '../objects/tree-entry-order';
import type { CommitGraph } from './commit-graph';
import { PriorityQueue } from './priority-queue';

export interface LogOptions {
  firstParent?: boolean;
  path?: string;
  /** Unix seconds; commits with committer time < since are skipped. */
  since?: number;
  /** Unix seconds; commits with committer time > until are skipped. */
  until?: number;
  /** Matching commits to skip before the page (default 0). */
  offset?: number;
  /** Page size (default: everything). */
  limit?: number;
}

export interface LogResult {
  commits: Oid[];
  hasMore: boolean;
}

/** What the path filter decided for one commit: the parents the walk follows, and whether to hide it. */
interface Simplified {
  readonly parents: readonly number[];
  readonly treesame: boolean;
}

const NO_PARENTS: readonly number[] = [];

/**
 * Commits reachable from `starts` (ids of commits; duplicates ignored) in contract order,
 * filtered and paged by `options`. Throws ObjectNotFoundError / UnexpectedObjectTypeError when
 * a start or an ancestor is not a readable commit.
 */
export function log(
  odb: ObjectDatabase,
  graph: CommitGraph,
  starts: readonly Oid[],
  options: LogOptions = {},
): LogResult {
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const limit = options.limit === undefined ? Infinity : Math.max(0, Math.floor(options.limit));
  const since = options.since ?? -Infinity;
  const until = options.until ?? Infinity;
  const firstParent = options.firstParent === true;
  const pathParts = (options.path ?? '').split('/').filter((part) => part !== '');

  const startIndexes: number[] = [];
  for (const oid of starts) {
    const index = graph.indexOf(oid);
    if (!startIndexes.includes(index)) startIndexes.push(index);
  }

  const simplify =
    pathParts.length > 0 ? pathSimplifier(odb, graph, pathParts, firstParent) : undefined;
  const walkParents = (index: number): readonly number[] => {
    if (simplify) return simplify(index).parents;
    const parents = graph.parentsAt(index);
    return firstParent && parents.length > 1 ? parents.slice(0, 1) : parents;
  };

  const commits: Oid[] = [];
  let hasMore = false;
  let skipped = 0;
  // The count slot holds git's indegree: 0 unseen, 1 seen with no pending child, 1 + k with k.
  const scratch = graph.acquireScratch();
  try {
    const indegreeQueue = new PriorityQueue();
    let indegreeSeq = 0;
    let minGeneration = Infinity;
    for (const start of startIndexes) {
      scratch.setCount(start, 1);
      indegreeQueue.push(start, graph.generationAt(start), indegreeSeq++);
      minGeneration = Math.min(minGeneration, graph.generationAt(start));
    }
    // Counts every child at or above `depth`; afterwards any commit at `depth` has a final indegree.
    const computeIndegreesTo = (depth: number): void => {
      while (indegreeQueue.size > 0 && indegreeQueue.peekPrimary() >= depth) {
        const current = indegreeQueue.pop();
        for (const parent of walkParents(current)) {
          const count = scratch.count(parent);
          if (count === 0) {
            scratch.setCount(parent, 2);
            indegreeQueue.push(parent, graph.generationAt(parent), indegreeSeq++);
          } else {
            scratch.setCount(parent, count + 1);
          }
        }
      }
    };
    computeIndegreesTo(minGeneration);

    const topoQueue = new PriorityQueue();
    let topoSeq = 0;
    for (const start of startIndexes) {
      if (scratch.count(start) === 1) topoQueue.push(start, graph.timeAt(start), topoSeq++);
    }

    while (topoQueue.size > 0) {
      const current = topoQueue.pop();
      const time = graph.timeAt(current);
      if (time >= since && time <= until && !(simplify && simplify(current).treesame)) {
        if (skipped < offset) skipped++;
        else if (commits.length < limit) commits.push(graph.oidAt(current));
        else {
          hasMore = true;
          break;
        }
      }
      for (const parent of walkParents(current)) {
        const generation = graph.generationAt(parent);
        if (generation < minGeneration) {
          minGeneration = generation;
          computeIndegreesTo(generation);
        }
        const count = scratch.count(parent) - 1;
        scratch.setCount(parent, count);
        if (count === 1) topoQueue.push(parent, graph.timeAt(parent), topoSeq++);
      }
    }
  } finally {
    graph.releaseScratch(scratch);
  }
  return { commits, hasMore };
}

/**
 * git's try_to_simplify_commit for one literal path, memoized per commit for this walk. The
 * entry at the path is looked up once per root tree, walking subtrees along the path only.
 */
function pathSimplifier(
  odb: ObjectDatabase,
  graph: CommitGraph,
  parts: readonly string[],
  firstParent: boolean,
): (index: number) => Simplified {
  const entries = new Map<Oid, string | null>();
  const entryAt = (rootTree: Oid): string | null => {
    let entry = entries.get(rootTree);
    if (entry === undefined) {
      entry = lookupPath(odb, rootTree, parts);
      entries.set(rootTree, entry);
    }
    return entry;
  };
  const memo = new Map<number, Simplified>();
  return (index) => {
    const known = memo.get(index);
    if (known) return known;
    const parents = graph.parentsAt(index);
    const mine = entryAt(graph.treeAt(index));
    let result: Simplified | undefined;
    if (parents.length === 0) {
      result = { parents: NO_PARENTS, treesame: mine === null };
    } else {
      for (let n = 0; n < parents.length; n++) {
        // With --first-parent git compares a merge with its first parent only.
        if (n === 1 && firstParent) break;
        const parent = parents[n]!;
        if (entryAt(graph.treeAt(parent)) === mine) {
          result = { parents: [parent], treesame: true };
          break;
        }
      }
      result ??= { parents: firstParent ? parents.slice(0, 1) : parents, treesame: false };
    }
    memo.set(index, result);
    return result;
  };
}

/** `"<mode> <id>"` of the entry at `parts` below `treeOid`, or null when there is none. */
function lookupPath(odb: ObjectDatabase, treeOid: Oid, parts: readonly string[]): string | null {
  let tree = treeOid;
  for (let i = 0; i < parts.length; i++) {
    const entry = findEntry(odb.readTree(tree), parts[i]!);
    if (entry === undefined) return null;
    if (i === parts.length - 1) return `${entry.mode} ${entry.oid}`;
    if (!isTreeMode(entry.mode)) return null;
    tree = entry.oid;
  }
  return null;
}

/** Binary search in git's entry order; the name is tried as a tree and as a non-tree. */
function findEntry(entries: readonly TreeEntry[], name: string): TreeEntry | undefined {
  return searchEntry(entries, name, true) ?? searchEntry(entries, name, false);
}

function searchEntry(
  entries: readonly TreeEntry[],
  name: string,
  asTree: boolean,
): TreeEntry | undefined {
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const entry = entries[mid]!;
    const cmp = compareTreeEntryNames(entry.name, isTreeMode(entry.mode), name, asTree);
    if (cmp === 0) return entry;
    if (cmp < 0) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}
