/**
 * How many commits one tip has that another lacks: the size of `git rev-list exclude..tip`.
 *
 * The walk goes down from `tip` and stops at every commit that is an ancestor of `exclude`
 * (CommitGraph.isAncestor, pruned by generation numbers), so it costs the commits ahead plus
 * the ancestry checks at the boundary, not the whole history.
 */
import type { Oid } from '../objects/oid';
import type { CommitGraph } from './commit-graph';

/**
 * Commits reachable from `tip` and not from `exclude` (null: nothing excluded, the whole
 * history counts). Throws ObjectNotFoundError / UnexpectedObjectTypeError for non-commits.
 */
export function countCommitsAhead(graph: CommitGraph, tip: Oid, exclude: Oid | null): number {
  const start = graph.indexOf(tip);
  const boundary = exclude === null ? -1 : graph.indexOf(exclude);
  const excluded = (index: number): boolean =>
    boundary >= 0 && graph.isAncestor(graph.oidAt(index), graph.oidAt(boundary));
  if (excluded(start)) return 0;
  const scratch = graph.acquireScratch();
  try {
    scratch.setFlags(start, 1);
    const stack = [start];
    let count = 0;
    while (stack.length > 0) {
      const current = stack.pop()!;
      count++;
      for (const parent of graph.parentsAt(current)) {
        if (scratch.flags(parent) !== 0) continue;
        scratch.setFlags(parent, 1);
        if (!excluded(parent)) stack.push(parent);
      }
    }
    return count;
  } finally {
    graph.releaseScratch(scratch);
  }
}
