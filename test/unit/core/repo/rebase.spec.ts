/**
 * Repository.rebase (contract §3.6): replaying the branch's own commits onto another revision,
 * oldest first, with git's skipping rules (patch already upstream, became empty; merges not
 * replayed), fast-forward and no-op cases, reflogs, and all-or-nothing refusals
 * (REBASE_FAILED 400/409, MERGE_CONFLICT with the replayed commit).
 */
import fc from 'fast-check';
import { isGitError } from '../../../../src/core/errors/git-error';
import type { Repository } from '../../../../src/core/repo/repository';
import { fcParams } from '../../../support/fast-check';
import { TestRepo } from '../../../support/test-repo';

const ME = { name: 'Rebaser', email: 'rebaser@example.com' };

function observe(repo: Repository): unknown {
  return {
    head: repo.head(),
    refs: repo.refs.list('refs/'),
    reflogs: [repo.refs.reflog('HEAD'), repo.refs.reflog('refs/heads/topic')],
    status: repo.status(),
    files: repo.listTree('', { recursive: true }).map((e) => [e.path, e.mode, e.oid]),
  };
}

function failure(action: () => unknown): { code?: string; kind?: string; details?: unknown } {
  try {
    action();
  } catch (error) {
    if (isGitError(error)) return { code: error.code, kind: error.kind, details: error.details };
    throw error;
  }
  return {};
}

const LINES = '1\n2\n3\n4\n5\n6\n7\n8\n9\n';

/** main: base → m1 (line 2) → m2 (adds m); topic (checked out): base → t1 (line 8) → t2 (adds t). */
function forked(): { t: TestRepo; base: string; m2: string; t1: string; t2: string } {
  const t = TestRepo.create();
  const base = t.commit({ files: { a: LINES } });
  t.branch('topic', base);
  t.commit({ files: { a: LINES.replace('2\n', 'two\n') }, message: 'main two' });
  const m2 = t.commit({ files: { m: 'm\n' }, message: 'main adds m' });
  t.repo.checkout('topic');
  const author = { name: 'Topic Author', email: 'topic@example.com' };
  const t1 = t.commit({
    files: { a: LINES.replace('8\n', 'eight\n') },
    message: 'topic eight',
    author,
  });
  const t2 = t.commit({ files: { t: 't\n' }, message: 'topic adds t\n\nwith a body', author });
  return { t, base, m2, t1, t2 };
}

describe('rebase', () => {
  it('replays the branch’s commits onto the target, keeping authors and messages', () => {
    const { t, m2, t1, t2 } = forked();
    t.clock.tick();
    const result = t.repo.rebase('main', { identity: ME });
    expect(result).toMatchObject({ oldHead: t2, rebasedCount: 2, skipped: [] });
    const [n1, n2] = result.commits;
    expect(result.newHead).toBe(n2);
    const c1 = t.repo.odb.readCommit(n1!);
    const c2 = t.repo.odb.readCommit(n2!);
    expect(c1.parents).toEqual([m2]);
    expect(c2.parents).toEqual([n1]);
    for (const [made, original] of [
      [c1, t1],
      [c2, t2],
    ] as const) {
      const old = t.repo.odb.readCommit(original);
      expect(made.author).toEqual(old.author);
      expect(made.message).toBe(old.message);
      expect(made.committer).toEqual({ ...ME, timestamp: t.clock.time, timezone: '+0000' });
    }
    expect(t.files(n2)).toEqual({
      a: LINES.replace('2\n', 'two\n').replace('8\n', 'eight\n'),
      m: 'm\n',
      t: 't\n',
    });
    expect(t.repo.head()).toEqual({ branch: 'topic', oid: n2 });
    expect(t.repo.status().clean).toBe(true);
  });

  it('writes git’s reflog lines on the branch and on HEAD', () => {
    const { t, m2, t2 } = forked();
    const { commits } = t.repo.rebase('main', { identity: ME });
    expect(t.repo.refs.reflog('refs/heads/topic').at(-1)).toMatchObject({
      oldOid: t2,
      newOid: commits[1],
      message: `rebase (finish): refs/heads/topic onto ${m2}`,
    });
    expect(
      t.repo.refs
        .reflog('HEAD')
        .slice(-4)
        .map((e) => [e.oldOid, e.newOid, e.message]),
    ).toEqual([
      [t2, m2, 'rebase (start): checkout main'],
      [m2, commits[0], 'rebase (pick): topic eight'],
      [commits[0], commits[1], 'rebase (pick): topic adds t'],
      [commits[1], commits[1], 'rebase (finish): returning to refs/heads/topic'],
    ]);
  });

  it('fast-forwards when the branch is an ancestor of the target', () => {
    const { t, base, m2 } = forked();
    t.repo.reset(base, 'hard');
    expect(t.repo.rebase('main', { identity: ME })).toEqual({
      oldHead: base,
      newHead: m2,
      rebasedCount: 0,
      commits: [],
      skipped: [],
    });
    expect(t.repo.head()).toEqual({ branch: 'topic', oid: m2 });
    expect(t.repo.readWorking('m').content).toEqual(Buffer.from('m\n'));
  });

  it('changes nothing when the branch already contains the target', () => {
    const { t, base, t2 } = forked();
    const before = observe(t.repo);
    expect(t.repo.rebase(base, { identity: ME })).toMatchObject({
      oldHead: t2,
      newHead: t2,
      rebasedCount: 0,
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('skips commits whose patch is upstream, drops ones that become empty, keeps empty ones', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { a: LINES } });
    t.branch('topic', base);
    t.commit({ files: { a: LINES.replace('5\n', 'five\n') }, message: 'main five' });
    t.commit({
      files: { a: LINES.replace('5\n', 'five\n').replace('2\n', 'two\n') },
      message: 'main two',
    });
    t.commit({ files: { b: 'same patch\n' }, message: 'main adds b' });
    t.repo.checkout('topic');
    const samePatch = t.commit({ files: { b: 'same patch\n' }, message: 'topic adds b' });
    const becomesEmpty = t.commit({
      files: { a: LINES.replace('2\n', 'two\n') },
      message: 'topic two',
    });
    const empty = t.commit({ message: 'empty on purpose' });
    t.commit({ files: { c: 'c\n' }, message: 'topic adds c' });
    const result = t.repo.rebase('main', { identity: ME });
    expect(result.skipped).toEqual([samePatch, becomesEmpty]);
    expect(result.commits.map((c) => t.repo.odb.readCommit(c).message)).toEqual([
      'empty on purpose\n',
      'topic adds c\n',
    ]);
    const kept = t.repo.odb.readCommit(result.commits[0]!);
    expect(kept.tree).toBe(t.repo.odb.readCommit(kept.parents[0]!).tree);
    expect(kept.author).toEqual(t.repo.odb.readCommit(empty).author);
  });

  it('replays the side commits of a merge inside the range, not the merge itself', () => {
    const { t, t2 } = forked();
    const side = t.commit({ branch: 'side', parents: [t2], files: { s: 's\n' }, message: 'side' });
    t.commit({ parents: [t2, side], files: { s: 's\n' }, message: 'merge side' });
    t.commit({ files: { z: 'z\n' }, message: 'after merge' });
    const result = t.repo.rebase('main', { identity: ME });
    expect(result.commits.map((c) => t.repo.odb.readCommit(c).message.split('\n')[0])).toEqual([
      'topic eight',
      'topic adds t',
      'side',
      'after merge',
    ]);
    expect(result.commits.every((c) => t.repo.odb.readCommit(c).parents.length === 1)).toBe(true);
  });

  it('refuses a detached or unborn HEAD with REBASE_FAILED 400', () => {
    const { t, t1 } = forked();
    t.repo.checkout(t1);
    expect(failure(() => t.repo.rebase('main', { identity: ME }))).toMatchObject({
      code: 'REBASE_FAILED',
      kind: 'invalid-argument',
      details: { reason: 'not on a branch' },
    });
    const empty = TestRepo.create();
    expect(failure(() => empty.repo.rebase('HEAD', { identity: ME }))).toMatchObject({
      code: 'REBASE_FAILED',
      kind: 'invalid-argument',
    });
  });

  it('refuses uncommitted changes to tracked files with REBASE_FAILED 409; untracked files are fine', () => {
    const { t } = forked();
    t.repo.add('a', 'staged\n');
    t.repo.write('t', 'edited\n');
    const before = observe(t.repo);
    expect(failure(() => t.repo.rebase('main', { identity: ME }))).toEqual({
      code: 'REBASE_FAILED',
      kind: 'conflict',
      details: { paths: ['a', 't'] },
    });
    expect(observe(t.repo)).toEqual(before);
    t.repo.reset('HEAD', 'hard');
    t.repo.write('untracked', 'u\n');
    t.repo.rebase('main', { identity: ME });
    expect(t.repo.status().untracked).toEqual(['untracked']);
  });

  it('refuses with MERGE_CONFLICT naming the commit being replayed; nothing changes', () => {
    const { t, t1 } = forked();
    t.commit({ branch: 'main', files: { a: LINES.replace('8\n', 'EIGHT\n') } });
    const before = observe(t.repo);
    expect(failure(() => t.repo.rebase('main', { identity: ME }))).toEqual({
      code: 'MERGE_CONFLICT',
      kind: 'conflict',
      details: { conflicts: ['a'], commit: t1 },
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('answers REF_NOT_FOUND for an unknown target', () => {
    const { t } = forked();
    expect(failure(() => t.repo.rebase('nope', { identity: ME })).code).toBe('REF_NOT_FOUND');
  });

  it('puts the target under the replayed commits and keeps every change (property)', () => {
    const names = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), {
      minLength: 2,
      maxLength: 7,
    });
    fc.assert(
      fc.property(names, fc.nat(), (paths, split) => {
        const cut = 1 + (split % (paths.length - 1));
        const upstream = paths.slice(0, cut);
        const mine = paths.slice(cut);
        const t = TestRepo.create();
        const base = t.commit({ files: { shared: 's' } });
        t.branch('topic', base);
        for (const p of upstream) t.commit({ files: { [p]: `up ${p}` } });
        t.repo.checkout('topic');
        const originals = mine.map((p) =>
          t.commit({ files: { [p]: `mine ${p}` }, message: `add ${p}` }),
        );
        const result = t.repo.rebase('main', { identity: ME });
        expect(result.rebasedCount).toBe(originals.length);
        expect(t.repo.graph.isAncestor(t.repo.resolveCommit('main'), result.newHead)).toBe(true);
        expect(result.commits.map((c) => t.repo.odb.readCommit(c).message)).toEqual(
          originals.map((c) => t.repo.odb.readCommit(c).message),
        );
        const expected: Record<string, string> = { shared: 's' };
        for (const p of upstream) expected[p] = `up ${p}`;
        for (const p of mine) expected[p] = `mine ${p}`;
        expect(t.files(result.newHead)).toEqual(expected);
      }),
      fcParams(40),
    );
  });
});
