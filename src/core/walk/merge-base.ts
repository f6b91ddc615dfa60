/**
 * Merge bases of two commits, as `git merge-base --all`: every common ancestor that is not an
 * ancestor of another common ancestor.
 *
 * Git's paint-down-to-common walk, ordered by generation number instead of date: a commit is
 * popped only after every commit of higher generation, so its flags (reached from a, from b,
 * stale) are final when it is popped, results need no redundancy pass, and clock skew cannot
 * produce a wrong answer. Relies on CommitGraph for parents and generations.
 */
import type { Oid } from '../objects/oid';
import type { CommitGraph } from './commit-graph';
import { PriorityQueue } from './priority-queue';

const FROM_A = 1;
const FROM_B = 2;
const BOTH = FROM_A | FROM_B;
/** Below a merge base already found: an ancestor of a common ancestor, so never a result. */
const STALE = 4;
const QUEUED = 8;
const PAINT = BOTH | STALE;

/**
 * All merge bases of `a` and `b`, sorted by id; [] for unrelated histories; [x] for x and x.
 * Throws ObjectNotFoundError / UnexpectedObjectTypeError when either id is not a readable commit.
 */
export function mergeBases(graph: CommitGraph, a: Oid, b: Oid): Oid[] {
  const ai = graph.indexOf(a);
  const bi = graph.indexOf(b);
  if (ai === bi) return [a];

  const scratch = graph.acquireScratch();
  try {
    const queue = new PriorityQueue();
    let seq = 0;
    let nonStale = 2;
    scratch.setFlags(ai, FROM_A | QUEUED);
    scratch.setFlags(bi, FROM_B | QUEUED);
    queue.push(ai, graph.generationAt(ai), seq++);
    queue.push(bi, graph.generationAt(bi), seq++);
    const results: Oid[] = [];

    while (nonStale > 0) {
      const current = queue.pop();
      const flags = scratch.flags(current);
      scratch.setFlags(current, flags & ~QUEUED);
      if ((flags & STALE) === 0) nonStale--;
      let paint = flags & PAINT;
      if ((flags & BOTH) === BOTH && (flags & STALE) === 0) {
        results.push(graph.oidAt(current));
        paint |= STALE;
      }
      for (const parent of graph.parentsAt(current)) {
        const before = scratch.flags(parent);
        const after = before | paint;
        if (after === before) continue;
        scratch.setFlags(parent, after | QUEUED);
        if ((before & QUEUED) !== 0) {
          if ((before & STALE) === 0 && (after & STALE) !== 0) nonStale--;
        } else {
          queue.push(parent, graph.generationAt(parent), seq++);
          if ((after & STALE) === 0) nonStale++;
        }
      }
    }
    return results.sort();
  } finally {
    graph.releaseScratch(scratch);
  }
}
