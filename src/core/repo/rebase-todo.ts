/**
 * Which commits `git rebase <upstream>` replays, and in what order: git builds its todo list
 * with `rev-list --reverse --topo-order --right-only --cherry-mark --no-merges
 * <upstream>...HEAD` and drops the cherry-marked commits. So:
 *
 * - the candidates are the commits reachable from HEAD and not from upstream (right side);
 * - a candidate is skipped when a left-side commit (reachable from upstream, not from HEAD)
 *   has the same patch id (rebase-patch-id.ts): the change is already upstream;
 * - merge commits are never replayed (their changes come with the replayed side commits);
 * - the order is git's graph-order topological sort, reversed: a depth-first walk from HEAD
 *   that emits a commit once all its children in the range are emitted, taking the last-pushed
 *   parent first; reversed, parents come before children.
 *
 * Both sides are found with one walk in generation order that paints commits "from HEAD" and
 * "from upstream" and stops once everything left to visit is reachable from both, so the cost
 * is proportional to the two sides, not to the whole history.
 */
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import type { CommitGraph } from '../walk/commit-graph';
import { PriorityQueue } from '../walk/priority-queue';
import { patchId } from './rebase-patch-id';

export interface RebaseTodo {
  /** Commits to replay, oldest first. */
  readonly picks: readonly Oid[];
  /** Right-side commits skipped because upstream already has their change, oldest first. */
  readonly alreadyUpstream: readonly Oid[];
}

const RIGHT = 1;
const LEFT = 2;
const BOTH = RIGHT | LEFT;

/** Dense indexes of the commits reachable only from `head` (right) and only from `upstream` (left). */
function symmetricDifference(
  graph: CommitGraph,
  head: Oid,
  upstream: Oid,
): { right: Set<number>; left: number[] } {
  const flags = new Map<number, number>();
  const queued = new Set<number>();
  const queue = new PriorityQueue();
  let counter = 0;
  let unsettled = 0;
  const paint = (index: number, flag: number): void => {
    const before = flags.get(index) ?? 0;
    const after = before | flag;
    flags.set(index, after);
    if (queued.has(index)) {
      if (before !== BOTH && after === BOTH) unsettled--;
      return;
    }
    // Parents have lower generations than children, so a commit gets all its flags before it
    // is popped; one seen before and no longer queued cannot be reached again.
    if (before !== 0) return;
    queued.add(index);
    queue.push(index, graph.generationAt(index), counter++);
    if (after !== BOTH) unsettled++;
  };
  paint(graph.indexOf(head), RIGHT);
  paint(graph.indexOf(upstream), LEFT);

  const right = new Set<number>();
  const left: number[] = [];
  while (unsettled > 0) {
    const index = queue.pop();
    queued.delete(index);
    const flag = flags.get(index)!;
    if (flag !== BOTH) unsettled--;
    if (flag === RIGHT) right.add(index);
    else if (flag === LEFT) left.push(index);
    for (const parent of graph.parentsAt(index)) paint(parent, flag);
  }
  return { right, left };
}

/** git's REV_SORT_IN_GRAPH_ORDER over `range` starting at `tip`, reversed (oldest first). */
function graphOrderOldestFirst(graph: CommitGraph, range: Set<number>, tip: number): number[] {
  const children = new Map<number, number>();
  for (const index of range) {
    for (const parent of graph.parentsAt(index))
      if (range.has(parent)) children.set(parent, (children.get(parent) ?? 0) + 1);
  }
  const order: number[] = [];
  const stack = [tip];
  while (stack.length > 0) {
    const index = stack.pop()!;
    order.push(index);
    for (const parent of graph.parentsAt(index)) {
      if (!range.has(parent)) continue;
      const left = children.get(parent)! - 1;
      children.set(parent, left);
      if (left === 0) stack.push(parent);
    }
  }
  return order.reverse();
}

/**
 * The commits `git rebase <upstream>` would replay from `head`. Callers handle the cases where
 * one is an ancestor of the other before asking.
 */
export function rebaseTodo(
  odb: ObjectDatabase,
  graph: CommitGraph,
  head: Oid,
  upstream: Oid,
): RebaseTodo {
  const { right, left } = symmetricDifference(graph, head, upstream);
  if (right.size === 0) return { picks: [], alreadyUpstream: [] };
  const candidates = graphOrderOldestFirst(graph, right, graph.indexOf(head))
    .filter((index) => graph.parentsAt(index).length <= 1)
    .map((index) => graph.oidAt(index));

  const upstreamIds = new Set<string>();
  for (const index of left) {
    const id = patchId(odb, graph.oidAt(index));
    if (id !== undefined) upstreamIds.add(id);
  }
  if (upstreamIds.size === 0) return { picks: candidates, alreadyUpstream: [] };
  const picks: Oid[] = [];
  const alreadyUpstream: Oid[] = [];
  for (const oid of candidates) {
    const id = patchId(odb, oid);
    if (id !== undefined && upstreamIds.has(id)) alreadyUpstream.push(oid);
    else picks.push(oid);
  }
  return { picks, alreadyUpstream };
}
