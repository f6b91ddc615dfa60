/**
 * CommitGraph: parents, generations, committer times and ancestry from a lazily filled cache
 * that parses each commit once.
 */
import fc from 'fast-check';
import {
  ObjectNotFoundError,
  UnexpectedObjectTypeError,
} from '../../../../src/core/errors/object-errors';
import { CommitGraph } from '../../../../src/core/walk/commit-graph';
import { fcParams } from '../../../support/fast-check';
import { buildHistory, historyArbitrary } from '../../../support/history-arbitrary';
import { HistoryBuilder } from '../../../support/history-builder';

/** Ancestry by brute force: everything reachable from `descendant`. */
function reachable(graph: CommitGraph, from: string): Set<string> {
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    for (const parent of graph.parents(stack.pop()!)) {
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return seen;
}

describe('CommitGraph', () => {
  it('reports parents in commit order, committer time and generation', () => {
    const h = new HistoryBuilder();
    const root = h.commit({ time: 100 });
    const left = h.commit({ parents: [root], time: 200 });
    const right = h.commit({ parents: [root], time: 150 });
    const merge = h.commit({ parents: [right, left], time: 300 });
    expect(h.graph.parents(merge)).toEqual([right, left]);
    expect(h.graph.commitTime(right)).toBe(150);
    expect(h.graph.generation(root)).toBe(1);
    expect(h.graph.generation(left)).toBe(2);
    expect(h.graph.generation(merge)).toBe(3);
    expect(h.graph.tree(merge)).toBe(h.odb.readCommit(merge).tree);
  });

  it('parses each commit once, however many walks read it', () => {
    const h = new HistoryBuilder();
    const [, , tip] = h.chain(3);
    const graph = new CommitGraph(h.odb);
    const spy = jest.spyOn(h.odb, 'readCommit');
    graph.generation(tip!);
    graph.isAncestor(h.odb.readCommit(tip!).parents[0]!, tip!);
    graph.parents(tip!);
    // 3 reads by the graph load + 1 by the test itself above.
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it('loads a 20,000-commit chain without overflowing the stack', () => {
    const h = new HistoryBuilder();
    let tip = h.commit({ time: 1 });
    for (let i = 2; i <= 20_000; i++) tip = h.commit({ parents: [tip], time: i, files: {} });
    expect(h.graph.generation(tip)).toBe(20_000);
  });

  it('treats a commit as its own ancestor and rejects the reverse direction', () => {
    const h = new HistoryBuilder();
    const [a, b] = h.chain(2);
    expect(h.graph.isAncestor(a!, a!)).toBe(true);
    expect(h.graph.isAncestor(a!, b!)).toBe(true);
    expect(h.graph.isAncestor(b!, a!)).toBe(false);
  });

  it('finds an ancestor through the second parent of a merge', () => {
    const h = new HistoryBuilder();
    const [root] = h.chain(1);
    const side = h.chain(3, root);
    const main = h.chain(5, root);
    const merge = h.commit({ parents: [main[4]!, side[2]!] });
    expect(h.graph.isAncestor(side[0]!, merge)).toBe(true);
    expect(h.graph.isAncestor(side[0]!, main[4]!)).toBe(false);
  });

  it('throws ObjectNotFoundError for a missing commit and UnexpectedObjectTypeError for a blob', () => {
    const h = new HistoryBuilder();
    expect(() => h.graph.generation('1'.repeat(40))).toThrow(ObjectNotFoundError);
    expect(() => h.graph.generation(h.odb.writeBlob('x'))).toThrow(UnexpectedObjectTypeError);
    expect(h.graph.isCommit('1'.repeat(40))).toBe(false);
  });

  it('agrees with brute-force reachability on random histories', () => {
    fc.assert(
      fc.property(historyArbitrary({ maxCommits: 25 }), fc.nat(), fc.nat(), (drafts, x, y) => {
        const h = new HistoryBuilder();
        const oids = buildHistory(h, drafts);
        const a = oids[x % oids.length]!;
        const d = oids[y % oids.length]!;
        expect(h.graph.isAncestor(a, d)).toBe(reachable(h.graph, d).has(a));
        for (const oid of oids) {
          const parents = h.graph.parents(oid);
          const expected =
            parents.length === 0 ? 1 : 1 + Math.max(...parents.map((p) => h.graph.generation(p)));
          expect(h.graph.generation(oid)).toBe(expected);
        }
      }),
      fcParams(200),
    );
  });
});
