/**
 * countCommitsAhead: the size of `git rev-list exclude..tip`, checked against a brute-force
 * count of reachable sets over random histories.
 */
import fc from 'fast-check';
import type { Oid } from '../../../../src/core/objects/oid';
import { countCommitsAhead } from '../../../../src/core/walk/commits-ahead';
import { fcParams } from '../../../support/fast-check';
import { buildHistory, historyArbitrary } from '../../../support/history-arbitrary';
import { HistoryBuilder } from '../../../support/history-builder';

describe('countCommitsAhead', () => {
  it('counts the commits on one side of a fork', () => {
    const h = new HistoryBuilder();
    const [root, a1, a2] = h.chain(3);
    const b1 = h.commit({ parents: [a1!] });
    const merge = h.commit({ parents: [a2!, b1] });
    expect(countCommitsAhead(h.graph, a2!, b1)).toBe(1);
    expect(countCommitsAhead(h.graph, b1, a2!)).toBe(1);
    expect(countCommitsAhead(h.graph, merge, root!)).toBe(4);
    expect(countCommitsAhead(h.graph, root!, merge)).toBe(0);
    expect(countCommitsAhead(h.graph, merge, null)).toBe(5);
  });

  it('equals |reachable(tip) \\ reachable(exclude)| on random histories', () => {
    fc.assert(
      fc.property(historyArbitrary({ maxCommits: 30 }), fc.nat(), fc.nat(), (drafts, i, j) => {
        const h = new HistoryBuilder();
        const oids = buildHistory(h, drafts);
        const tip = oids[i % oids.length]!;
        const exclude = oids[j % oids.length]!;
        const reachable = (from: Oid): Set<Oid> =>
          new Set(oids.filter((oid) => h.graph.isAncestor(oid, from)));
        const excluded = reachable(exclude);
        const expected = [...reachable(tip)].filter((oid) => !excluded.has(oid)).length;
        expect(countCommitsAhead(h.graph, tip, exclude)).toBe(expected);
      }),
      fcParams(200),
    );
  });
});
