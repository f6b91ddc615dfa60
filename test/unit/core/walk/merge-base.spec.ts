/**
 * mergeBases: `git merge-base --all` semantics (every best common ancestor), on hand-built
 * shapes and as properties against a brute-force definition.
 */
import fc from 'fast-check';
import type { CommitGraph } from '../../../../src/core/walk/commit-graph';
import { mergeBases } from '../../../../src/core/walk/merge-base';
import { fcParams } from '../../../support/fast-check';
import { buildHistory, historyArbitrary } from '../../../support/history-arbitrary';
import { HistoryBuilder } from '../../../support/history-builder';

/** The definition: common ancestors that are not ancestors of another common ancestor. */
function bruteForceBases(
  graph: CommitGraph,
  all: readonly string[],
  a: string,
  b: string,
): string[] {
  const common = all.filter((c) => graph.isAncestor(c, a) && graph.isAncestor(c, b));
  return common
    .filter((c) => !common.some((other) => other !== c && graph.isAncestor(c, other)))
    .sort();
}

describe('mergeBases', () => {
  it('returns the fork point of two branches', () => {
    const h = new HistoryBuilder();
    const [, fork] = h.chain(2);
    const [left] = h.chain(2, fork);
    const [right] = h.chain(1, fork);
    expect(mergeBases(h.graph, left!, right!)).toEqual([fork]);
  });

  it('returns the older commit when one is an ancestor of the other', () => {
    const h = new HistoryBuilder();
    const [a, , c] = h.chain(3);
    expect(mergeBases(h.graph, a!, c!)).toEqual([a]);
    expect(mergeBases(h.graph, c!, a!)).toEqual([a]);
  });

  it('returns both bases of a criss-cross merge, sorted', () => {
    const h = new HistoryBuilder();
    const [root] = h.chain(1);
    const [x] = h.chain(1, root);
    const [y] = h.chain(1, root);
    const m1 = h.commit({ parents: [x!, y!] });
    const m2 = h.commit({ parents: [y!, x!] });
    expect(mergeBases(h.graph, m1, m2)).toEqual([x!, y!].sort());
  });

  it('returns nothing for unrelated histories', () => {
    const h = new HistoryBuilder();
    const [a] = h.chain(2);
    const [b] = h.chain(2);
    expect(mergeBases(h.graph, a!, b!)).toEqual([]);
  });

  it('ignores clock skew (a base newer than the tips)', () => {
    const h = new HistoryBuilder();
    const root = h.commit({ time: 1000 });
    const base = h.commit({ parents: [root], time: 9000 });
    const left = h.commit({ parents: [base], time: 10 });
    const right = h.commit({ parents: [root], time: 20 });
    const right2 = h.commit({ parents: [right, base], time: 30 });
    expect(mergeBases(h.graph, left, right2)).toEqual([base]);
  });

  it('satisfies mergeBases(x, x) = [x], symmetry and the brute-force definition', () => {
    fc.assert(
      fc.property(historyArbitrary({ maxCommits: 30 }), fc.nat(), fc.nat(), (drafts, i, j) => {
        const h = new HistoryBuilder();
        const oids = buildHistory(h, drafts);
        const a = oids[i % oids.length]!;
        const b = oids[j % oids.length]!;
        expect(mergeBases(h.graph, a, a)).toEqual([a]);
        const bases = mergeBases(h.graph, a, b);
        expect(mergeBases(h.graph, b, a)).toEqual(bases);
        for (const base of bases) {
          expect(h.graph.isAncestor(base, a) && h.graph.isAncestor(base, b)).toBe(true);
        }
        expect(bases).toEqual(bruteForceBases(h.graph, oids, a, b));
      }),
      fcParams(300),
    );
  });
});
