/**
 * log: git's --date-order (checked against a plain, whole-list version of git's topological
 * sort), first-parent and path-limited walks, time filters and pagination.
 */
import fc from 'fast-check';
import type { Oid } from '../../../../src/core/objects/oid';
import type { CommitGraph } from '../../../../src/core/walk/commit-graph';
import { log } from '../../../../src/core/walk/log';
import { fcParams } from '../../../support/fast-check';
import { buildHistory, historyArbitrary } from '../../../support/history-arbitrary';
import { HistoryBuilder } from '../../../support/history-builder';

/**
 * git's sort_in_topological_order (date order) on the whole reachable list, written the slow
 * obvious way: indegrees first, then repeatedly emit the newest ready commit, ties first-in.
 */
function referenceDateOrder(
  graph: CommitGraph,
  starts: readonly Oid[],
  firstParent = false,
): Oid[] {
  const parentsOf = (oid: Oid): readonly Oid[] =>
    firstParent ? graph.parents(oid).slice(0, 1) : graph.parents(oid);
  const members: Oid[] = [];
  const seen = new Set<Oid>();
  const stack = [...starts];
  while (stack.length > 0) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    members.push(oid);
    stack.push(...parentsOf(oid));
  }
  const indegree = new Map<Oid, number>(members.map((oid) => [oid, 0]));
  for (const oid of members)
    for (const parent of parentsOf(oid)) indegree.set(parent, indegree.get(parent)! + 1);
  let counter = 0;
  const ready: Array<{ oid: Oid; seq: number }> = [];
  for (const oid of [...new Set(starts)])
    if (indegree.get(oid) === 0) ready.push({ oid, seq: counter++ });
  const out: Oid[] = [];
  while (ready.length > 0) {
    let best = 0;
    for (let i = 1; i < ready.length; i++) {
      const ti = graph.commitTime(ready[i]!.oid);
      const tb = graph.commitTime(ready[best]!.oid);
      if (ti > tb || (ti === tb && ready[i]!.seq < ready[best]!.seq)) best = i;
    }
    const { oid } = ready.splice(best, 1)[0]!;
    out.push(oid);
    for (const parent of parentsOf(oid)) {
      const left = indegree.get(parent)! - 1;
      indegree.set(parent, left);
      if (left === 0) ready.push({ oid: parent, seq: counter++ });
    }
  }
  return out;
}

describe('log', () => {
  it('lists newest first and never a parent before its child, even with clock skew', () => {
    const h = new HistoryBuilder();
    const root = h.commit({ time: 100 });
    const skewed = h.commit({ parents: [root], time: 900 }); // newer than its own child: clock skew
    const child = h.commit({ parents: [skewed], time: 200 });
    const side = h.commit({ parents: [root], time: 500 });
    const merge = h.commit({ parents: [child, side], time: 600 });
    expect(log(h.odb, h.graph, [merge]).commits).toEqual([merge, side, child, skewed, root]);
  });

  it('follows only first parents with firstParent', () => {
    const h = new HistoryBuilder();
    const [root] = h.chain(1);
    const [side] = h.chain(1, root);
    const [main] = h.chain(1, root);
    const merge = h.commit({ parents: [main!, side!] });
    expect(log(h.odb, h.graph, [merge], { firstParent: true }).commits).toEqual([
      merge,
      main,
      root,
    ]);
  });

  it('lists the union of several starts once each, equal-time starts in the given order', () => {
    const h = new HistoryBuilder();
    const root = h.commit({ time: 10 });
    const x = h.commit({ parents: [root], time: 50 });
    const y = h.commit({ parents: [root], time: 50 });
    expect(log(h.odb, h.graph, [y, x, y]).commits).toEqual([y, x, root]);
    expect(log(h.odb, h.graph, [x, y]).commits).toEqual([x, y, root]);
  });

  it('pages with offset and limit and says whether more follow', () => {
    const h = new HistoryBuilder();
    const chain = h.chain(5).reverse();
    expect(log(h.odb, h.graph, [chain[0]!], { offset: 1, limit: 2 })).toEqual({
      commits: chain.slice(1, 3),
      hasMore: true,
    });
    expect(log(h.odb, h.graph, [chain[0]!], { offset: 3, limit: 2 })).toEqual({
      commits: chain.slice(3, 5),
      hasMore: false,
    });
    expect(log(h.odb, h.graph, [chain[0]!], { offset: 9 })).toEqual({
      commits: [],
      hasMore: false,
    });
  });

  it('filters by committer time, inclusive at both ends, without stopping at an old commit', () => {
    const h = new HistoryBuilder();
    const a = h.commit({ time: 300 });
    const b = h.commit({ parents: [a], time: 100 });
    const c = h.commit({ parents: [b], time: 200 });
    expect(log(h.odb, h.graph, [c], { since: 200 }).commits).toEqual([c, a]);
    expect(log(h.odb, h.graph, [c], { until: 200 }).commits).toEqual([c, b]);
    expect(log(h.odb, h.graph, [c], { since: 150, until: 250 }).commits).toEqual([c]);
  });

  describe('with a path', () => {
    it('lists commits that change the file, including its creation and deletion', () => {
      const h = new HistoryBuilder();
      const c1 = h.commit({ files: { 'a.txt': '1', 'b.txt': '1' } });
      const c2 = h.commit({ parents: [c1], files: { 'a.txt': '1', 'b.txt': '2' } });
      const c3 = h.commit({ parents: [c2], files: { 'a.txt': '2', 'b.txt': '2' } });
      const c4 = h.commit({ parents: [c3], files: { 'b.txt': '2' } });
      expect(log(h.odb, h.graph, [c4], { path: 'a.txt' }).commits).toEqual([c4, c3, c1]);
      expect(log(h.odb, h.graph, [c4], { path: 'b.txt' }).commits).toEqual([c2, c1]);
    });

    it('matches a directory by anything below it, not by a name prefix', () => {
      const h = new HistoryBuilder();
      const c1 = h.commit({ files: { 'dir/x/y.txt': '1', 'dirt.txt': '1' } });
      const c2 = h.commit({ parents: [c1], files: { 'dir/x/y.txt': '2', 'dirt.txt': '1' } });
      const c3 = h.commit({ parents: [c2], files: { 'dir/x/y.txt': '2', 'dirt.txt': '2' } });
      expect(log(h.odb, h.graph, [c3], { path: 'dir' }).commits).toEqual([c2, c1]);
      expect(log(h.odb, h.graph, [c3], { path: '/dir/x/' }).commits).toEqual([c2, c1]);
      expect(log(h.odb, h.graph, [c3], { path: 'dir/x/y.txt/z' }).commits).toEqual([]);
    });

    it('follows only the parent a merge is identical to, hiding the merge (git simplification)', () => {
      const h = new HistoryBuilder();
      const root = h.commit({ files: { 'a.txt': '0' } });
      const sideChange = h.commit({ parents: [root], files: { 'a.txt': 'side' } });
      const mainOther = h.commit({ parents: [root], files: { 'a.txt': '0', 'b.txt': 'x' } });
      // Merge keeps main's a.txt: identical to its first parent at a.txt, so the side is never walked.
      const merge = h.commit({
        parents: [mainOther, sideChange],
        files: { 'a.txt': '0', 'b.txt': 'x' },
      });
      expect(log(h.odb, h.graph, [merge], { path: 'a.txt' }).commits).toEqual([root]);
    });

    it('shows a merge that differs from every parent and walks all its parents', () => {
      const h = new HistoryBuilder();
      const root = h.commit({ files: { 'a.txt': '0' } });
      const left = h.commit({ parents: [root], files: { 'a.txt': 'L' } });
      const right = h.commit({ parents: [root], files: { 'a.txt': 'R' } });
      const merge = h.commit({ parents: [left, right], files: { 'a.txt': 'LR' } });
      expect(new Set(log(h.odb, h.graph, [merge], { path: 'a.txt' }).commits)).toEqual(
        new Set([merge, left, right, root]),
      );
    });

    it('compares a merge with its first parent only under firstParent', () => {
      const h = new HistoryBuilder();
      const root = h.commit({ files: { 'a.txt': '0' } });
      const side = h.commit({ parents: [root], files: { 'a.txt': 'side' } });
      const main = h.commit({ parents: [root], files: { 'a.txt': '0', 'b.txt': '1' } });
      const merge = h.commit({ parents: [main, side], files: { 'a.txt': 'side', 'b.txt': '1' } });
      expect(log(h.odb, h.graph, [merge], { path: 'a.txt', firstParent: true }).commits).toEqual([
        merge,
        root,
      ]);
    });
  });

  it('equals the whole-list topological sort on random histories (all parents and first parents)', () => {
    fc.assert(
      fc.property(
        historyArbitrary(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (drafts, picks, firstParent) => {
          const h = new HistoryBuilder();
          const oids = buildHistory(h, drafts);
          const starts = picks.map((pick) => oids[pick % oids.length]!);
          const { commits, hasMore } = log(h.odb, h.graph, starts, { firstParent });
          expect(hasMore).toBe(false);
          expect(commits).toEqual(referenceDateOrder(h.graph, starts, firstParent));
        },
      ),
      fcParams(300),
    );
  });

  it('contains each reachable commit once with every parent after its children', () => {
    fc.assert(
      fc.property(historyArbitrary(), (drafts) => {
        const h = new HistoryBuilder();
        const oids = buildHistory(h, drafts);
        const tip = oids[oids.length - 1]!;
        const { commits } = log(h.odb, h.graph, [tip]);
        const position = new Map(commits.map((oid, i) => [oid, i]));
        expect(position.size).toBe(commits.length);
        expect(position.size).toBe(oids.filter((oid) => h.graph.isAncestor(oid, tip)).length);
        for (const oid of commits)
          for (const parent of h.graph.parents(oid))
            expect(position.get(parent)!).toBeGreaterThan(position.get(oid)!);
      }),
      fcParams(200),
    );
  });

  it('returns pages that concatenate to the full list, with and without filters', () => {
    fc.assert(
      fc.property(
        historyArbitrary(),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(undefined, 'dir', 'a.txt'),
        (drafts, size, path) => {
          const h = new HistoryBuilder();
          const oids = buildHistory(h, drafts);
          const tip = oids[oids.length - 1]!;
          const all = log(h.odb, h.graph, [tip], { path }).commits;
          const pages: Oid[] = [];
          for (let offset = 0; ; offset += size) {
            const page = log(h.odb, h.graph, [tip], { path, offset, limit: size });
            pages.push(...page.commits);
            expect(page.hasMore).toBe(offset + size < all.length);
            if (!page.hasMore) break;
          }
          expect(pages).toEqual(all);
        },
      ),
      fcParams(150),
    );
  });

  // Speed is reported by `npm run bench` (engine.log10k_ms); here only the result is checked.
  it('walks a 10,000-commit history with merges, every commit once, children first', () => {
    const h = new HistoryBuilder();
    let tip = h.commit({ time: 1, files: {} });
    const parents = [tip];
    for (let i = 2; i <= 10_000; i++) {
      // Mostly a chain, with a merge of an older commit every 10 commits.
      const commitParents = i % 10 === 0 ? [tip, parents[i - 9]!] : [tip];
      tip = h.commit({ parents: commitParents, time: i, files: {} });
      parents.push(tip);
    }
    const { commits } = log(h.odb, h.graph, [tip]);
    expect(commits).toHaveLength(10_000);
    expect(new Set(commits).size).toBe(10_000);
    const position = new Map(commits.map((oid, index) => [oid, index]));
    for (const oid of commits) {
      for (const parent of h.graph.parents(oid))
        expect(position.get(parent)!).toBeGreaterThan(position.get(oid)!);
    }
  });
});
