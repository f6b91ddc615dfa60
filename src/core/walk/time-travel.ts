/**
 * Time travel (contract §9): the commit with the greatest committer time ≤ t among all commits
 * reachable from the starts. Equal times: a descendant wins over its ancestors, then the
 * smallest id among what remains.
 *
 * Each start set gets an index, built once and cached per graph (commits are immutable, so a
 * tip's history never changes): the distinct committer times in ascending order, each with its
 * precomputed winner. A lookup is one binary search.
 */
import { LruCache } from '../objects/lru-cache';
import type { Oid } from '../objects/oid';
import type { CommitGraph } from './commit-graph';

/** Index of one start set's history by committer time. */
export class TimeTravelIndex {
  private readonly times: Float64Array;
  private readonly winners: Oid[];

  /** Throws ObjectNotFoundError / UnexpectedObjectTypeError when a start is not a readable commit. */
  constructor(graph: CommitGraph, starts: readonly Oid[]) {
    const reachable = collectReachable(graph, starts);
    reachable.sort((a, b) => graph.timeAt(a) - graph.timeAt(b));
    const times: number[] = [];
    this.winners = [];
    let from = 0;
    while (from < reachable.length) {
      const time = graph.timeAt(reachable[from]!);
      let to = from + 1;
      while (to < reachable.length && graph.timeAt(reachable[to]!) === time) to++;
      times.push(time);
      this.winners.push(pickWinner(graph, reachable.slice(from, to)));
      from = to;
    }
    this.times = Float64Array.from(times);
  }

  /** Number of distinct committer times. */
  get size(): number {
    return this.times.length;
  }

  /** The snapshot commit for Unix time `t`, or undefined when every commit is newer. */
  at(t: number): Oid | undefined {
    const times = this.times;
    let low = 0;
    let high = times.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (times[mid]! <= t) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found < 0 ? undefined : this.winners[found];
  }
}

function collectReachable(graph: CommitGraph, starts: readonly Oid[]): number[] {
  const scratch = graph.acquireScratch();
  try {
    const found: number[] = [];
    for (const oid of starts) {
      const start = graph.indexOf(oid);
      if (scratch.flags(start) !== 0) continue;
      scratch.setFlags(start, 1);
      const stack = [start];
      while (stack.length > 0) {
        const current = stack.pop()!;
        found.push(current);
        for (const parent of graph.parentsAt(current)) {
          if (scratch.flags(parent) !== 0) continue;
          scratch.setFlags(parent, 1);
          stack.push(parent);
        }
      }
    }
    return found;
  } finally {
    graph.releaseScratch(scratch);
  }
}

/**
 * Among commits with one committer time: drop every one that is an ancestor of another (one
 * search down from all of them, pruned below the lowest generation), keep the smallest id.
 */
function pickWinner(graph: CommitGraph, members: readonly number[]): Oid {
  if (members.length === 1) return graph.oidAt(members[0]!);
  let floor = Infinity;
  for (const member of members) floor = Math.min(floor, graph.generationAt(member));
  const below = new Set<number>();
  const stack: number[] = [];
  for (const member of members) stack.push(member);
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const parent of graph.parentsAt(current)) {
      if (below.has(parent) || graph.generationAt(parent) < floor) continue;
      below.add(parent);
      stack.push(parent);
    }
  }
  let best: Oid | undefined;
  for (const member of members) {
    if (below.has(member)) continue;
    const oid = graph.oidAt(member);
    if (best === undefined || oid < best) best = oid;
  }
  return best!;
}

const INDEXES_PER_GRAPH = 64;
const indexCaches = new WeakMap<CommitGraph, LruCache<string, TimeTravelIndex>>();

/** The cached index for a start set (order and duplicates of `starts` do not matter). */
export function timeTravelIndex(graph: CommitGraph, starts: readonly Oid[]): TimeTravelIndex {
  let cache = indexCaches.get(graph);
  if (!cache) {
    cache = new LruCache(INDEXES_PER_GRAPH);
    indexCaches.set(graph, cache);
  }
  const key = [...new Set(starts)].sort().join(',');
  let index = cache.get(key);
  if (!index) {
    index = new TimeTravelIndex(graph, starts);
    cache.set(key, index);
  }
  return index;
}

/**
 * The commit with the greatest committer time ≤ `t` (Unix seconds) reachable from `starts`,
 * ties broken by the descendant, then by smallest id; undefined when there is none (no starts,
 * or all commits newer). The first call for a start set builds its index; later calls cost a
 * binary search.
 */
export function commitAtTime(
  graph: CommitGraph,
  starts: readonly Oid[],
  t: number,
): Oid | undefined {
  if (starts.length === 0) return undefined;
  return timeTravelIndex(graph, starts).at(t);
}
