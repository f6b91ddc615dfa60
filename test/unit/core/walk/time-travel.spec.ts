/**
 * commitAtTime (§9): greatest committer time ≤ t over all reachable commits; ties go to the
 * descendant, then the smallest id; repeated lookups hit a cached index.
 */
import fc from 'fast-check';
import type { Oid } from '../../../../src/core/objects/oid';
import type { CommitGraph } from '../../../../src/core/walk/commit-graph';
import { commitAtTime, timeTravelIndex } from '../../../../src/core/walk/time-travel';
import { fcParams } from '../../../support/fast-check';
import { buildHistory, historyArbitrary } from '../../../support/history-arbitrary';
import { BASE_TIME, HistoryBuilder } from '../../../support/history-builder';

/** §9 by brute force over every reachable commit. */
function bruteForce(
  graph: CommitGraph,
  all: readonly Oid[],
  starts: readonly Oid[],
  t: number,
): Oid | undefined {
  const reachable = all.filter((oid) => starts.some((start) => graph.isAncestor(oid, start)));
  const eligible = reachable.filter((oid) => graph.commitTime(oid) <= t);
  if (eligible.length === 0) return undefined;
  const best = Math.max(...eligible.map((oid) => graph.commitTime(oid)));
  const tied = eligible.filter((oid) => graph.commitTime(oid) === best);
  const maximal = tied.filter(
    (oid) => !tied.some((other) => other !== oid && graph.isAncestor(oid, other)),
  );
  return maximal.sort()[0];
}

describe('commitAtTime', () => {
  it('picks the newest commit at or before the target, across both sides of a merge', () => {
    const h = new HistoryBuilder();
    const root = h.commit({ time: 100 });
    const side = h.commit({ parents: [root], time: 250 });
    const main = h.commit({ parents: [root], time: 200 });
    const merge = h.commit({ parents: [main, side], time: 300 });
    expect(commitAtTime(h.graph, [merge], 99)).toBeUndefined();
    expect(commitAtTime(h.graph, [merge], 100)).toBe(root);
    expect(commitAtTime(h.graph, [merge], 249)).toBe(main);
    expect(commitAtTime(h.graph, [merge], 250)).toBe(side);
    expect(commitAtTime(h.graph, [merge], 10_000)).toBe(merge);
  });

  it('prefers the descendant among equal times, then the smallest id', () => {
    const h = new HistoryBuilder();
    const root = h.commit({ time: 100 });
    const child = h.commit({ parents: [root], time: 100 });
    expect(commitAtTime(h.graph, [child], 100)).toBe(child);
    const x = h.commit({ parents: [root], time: 200, message: 'x' });
    const y = h.commit({ parents: [root], time: 200, message: 'y' });
    const merge = h.commit({ parents: [x, y], time: 300 });
    expect(commitAtTime(h.graph, [merge], 250)).toBe([x, y].sort()[0]);
  });

  it('returns undefined without starts', () => {
    const h = new HistoryBuilder();
    expect(commitAtTime(h.graph, [], BASE_TIME)).toBeUndefined();
  });

  it('reuses one index per start set, whatever the order of the starts', () => {
    const h = new HistoryBuilder();
    const [a] = h.chain(1);
    const [b] = h.chain(1);
    expect(timeTravelIndex(h.graph, [a!, b!])).toBe(timeTravelIndex(h.graph, [b!, a!, a!]));
    expect(timeTravelIndex(h.graph, [a!])).not.toBe(timeTravelIndex(h.graph, [a!, b!]));
  });

  it('agrees with a brute-force scan on random histories', () => {
    fc.assert(
      fc.property(
        historyArbitrary(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: -400, max: 8000 }),
        (drafts, picks, offset) => {
          const h = new HistoryBuilder();
          const oids = buildHistory(h, drafts);
          const starts = picks.map((pick) => oids[pick % oids.length]!);
          const t = BASE_TIME + offset;
          expect(commitAtTime(h.graph, starts, t)).toBe(bruteForce(h.graph, oids, starts, t));
        },
      ),
      fcParams(300),
    );
  });

  // Speed is reported by `npm run bench` (engine.timetravel_us); here only the answers are checked.
  it('answers lookups across a 10,000-commit chain from its index', () => {
    const h = new HistoryBuilder();
    const chain = [h.commit({ time: BASE_TIME, files: {} })];
    for (let i = 1; i < 10_000; i++)
      chain.push(h.commit({ parents: [chain[i - 1]!], time: BASE_TIME + i * 10, files: {} }));
    const tip = chain[chain.length - 1]!;
    expect(commitAtTime(h.graph, [tip], BASE_TIME + 55)).toBe(chain[5]);
    for (let i = 0; i < 2_000; i++) {
      const target = BASE_TIME + ((i * 7919) % 100_000);
      const expected = Math.min(chain.length - 1, Math.floor((target - BASE_TIME) / 10));
      expect(commitAtTime(h.graph, [tip], target)).toBe(chain[expected]);
    }
    expect(commitAtTime(h.graph, [tip], BASE_TIME - 1)).toBeUndefined();
  });
});
