/**
 * Repository.merge (contract §3.4 "Merge"): up-to-date, fast-forward and three-way merge
 * commits with git's messages and reflogs; switching to a non-current target in the same
 * atomic step; MERGE_FAILED for staged changes or local changes in the way; MERGE_CONFLICT with
 * the paths; nothing changes on any refusal.
 */
import fc from 'fast-check';
import { isGitError } from '../../../../src/core/errors/git-error';
import { MergeConflictError } from '../../../../src/core/errors/operation-errors';
import { mergeBranchMessage } from '../../../../src/core/repo/merge-branch-message';
import type { Repository } from '../../../../src/core/repo/repository';
import { fcParams } from '../../../support/fast-check';
import { TestRepo } from '../../../support/test-repo';

const ME = { name: 'Merger', email: 'merger@example.com' };

function text(repo: Repository, path: string): string {
  return Buffer.from(repo.readWorking(path).content).toString('utf8');
}

/** Everything a caller can observe: refs, reflogs, HEAD, index and working tree. */
function observe(repo: Repository): unknown {
  return {
    head: repo.head(),
    symbolic: repo.refs.read('HEAD'),
    refs: repo.refs.list('refs/'),
    reflogs: ['HEAD', ...repo.refs.list('refs/heads/').map((r) => r.name)].map((name) => [
      name,
      repo.refs.reflog(name),
    ]),
    status: repo.status(),
    files: repo.listTree('', { recursive: true }).map((e) => [e.path, e.mode, e.oid]),
  };
}

function codeOf(action: () => unknown): { code?: string; details?: unknown } {
  try {
    action();
  } catch (error) {
    if (isGitError(error)) return { code: error.code, details: error.details };
    throw error;
  }
  return {};
}

/** main: a=1..5 lines, b; feature (from base): edits line 5 of a, adds f. */
function diverged(): { t: TestRepo; base: string; main: string; feature: string } {
  const t = TestRepo.create();
  const base = t.commit({ files: { a: '1\n2\n3\n4\n5\n', b: 'b\n' } });
  t.branch('feature', base);
  const feature = t.commit({ branch: 'feature', files: { a: '1\n2\n3\n4\nfive\n', f: 'f\n' } });
  const main = t.commit({ files: { a: 'one\n2\n3\n4\n5\n' } });
  return { t, base, main, feature };
}

describe('merge', () => {
  it('fast-forwards the current branch when it is an ancestor of `from`', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { a: '1' } });
    t.branch('feature', base);
    const tip = t.commit({ branch: 'feature', files: { a: '2', n: 'new' } });
    t.clock.tick();
    const result = t.repo.merge('feature', 'main', { identity: ME });
    expect(result).toEqual({
      type: 'fast-forward',
      commit: tip,
      previous: base,
      theirs: tip,
      bases: [],
      branch: 'main',
    });
    expect(t.repo.head()).toEqual({ branch: 'main', oid: tip });
    expect(text(t.repo, 'n')).toBe('new');
    expect(t.repo.status().clean).toBe(true);
    expect(t.repo.refs.reflog('refs/heads/main').at(-1)).toMatchObject({
      oldOid: base,
      newOid: tip,
      message: 'merge feature: Fast-forward',
    });
    expect(t.repo.refs.reflog('HEAD').at(-1)?.message).toBe('merge feature: Fast-forward');
  });

  it('writes a merge commit with parents [to, from], the merged tree and git’s message', () => {
    const { t, base, main, feature } = diverged();
    t.clock.tick();
    const result = t.repo.merge('feature', 'main', { identity: ME });
    expect(result).toMatchObject({ type: 'merge', previous: main, theirs: feature, bases: [base] });
    const commit = t.repo.odb.readCommit(result.commit);
    expect(commit.parents).toEqual([main, feature]);
    expect(commit.message).toBe("Merge branch 'feature'\n");
    expect(commit.author).toEqual({ ...ME, timestamp: t.clock.time, timezone: '+0000' });
    expect(commit.committer).toEqual(commit.author);
    expect(t.files(result.commit)).toEqual({ a: 'one\n2\n3\n4\nfive\n', b: 'b\n', f: 'f\n' });
    expect(t.repo.head().oid).toBe(result.commit);
    expect(text(t.repo, 'a')).toBe('one\n2\n3\n4\nfive\n');
    expect(t.repo.status().clean).toBe(true);
    expect(t.repo.refs.reflog('refs/heads/main').at(-1)?.message).toBe(
      "merge feature: Merge made by the 'ort' strategy.",
    );
  });

  it('names the target branch in the message unless it is main or master, and takes a custom message', () => {
    const { t, feature } = diverged();
    t.branch('topic', 'main');
    t.repo.checkout('topic');
    const into = t.repo.merge('feature', 'topic', { identity: ME });
    expect(t.repo.odb.readCommit(into.commit).message).toBe("Merge branch 'feature' into topic\n");
    t.repo.reset('main', 'hard');
    const custom = t.repo.merge(feature, 'topic', { identity: ME, message: 'joined  \n\n' });
    expect(t.repo.odb.readCommit(custom.commit).message).toBe('joined\n');
  });

  it('creates a merge commit with noFf even when a fast-forward is possible', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { a: '1' } });
    t.branch('feature', base);
    const tip = t.commit({ branch: 'feature', files: { b: '2' } });
    const result = t.repo.merge('feature', 'main', { identity: ME, noFf: true });
    expect(result.type).toBe('merge');
    expect(t.repo.odb.readCommit(result.commit).parents).toEqual([base, tip]);
    expect(t.repo.odb.readCommit(result.commit).tree).toBe(t.repo.odb.readCommit(tip).tree);
  });

  it('reports up-to-date and changes nothing when `to` already contains `from`', () => {
    const { t, base } = diverged();
    t.repo.add('staged', 'even with staged changes');
    const before = observe(t.repo);
    const result = t.repo.merge(base, 'main', { identity: ME });
    expect(result.type).toBe('up-to-date');
    expect(result.commit).toBe(t.repo.head().oid);
    expect(observe(t.repo)).toEqual(before);
  });

  it('switches to a non-current target as part of the merge, logging the checkout first', () => {
    const { t, main, feature } = diverged();
    t.repo.checkout('feature');
    const result = t.repo.merge('feature', 'main', { identity: ME });
    expect(result.type).toBe('merge');
    expect(t.repo.head()).toEqual({ branch: 'main', oid: result.commit });
    expect(t.repo.refs.read('HEAD')).toMatchObject({ kind: 'symbolic', target: 'refs/heads/main' });
    expect(t.repo.status().clean).toBe(true);
    expect(t.repo.refs.reflog('HEAD').slice(-2)).toMatchObject([
      { oldOid: feature, newOid: main, message: 'checkout: moving from feature to main' },
      { oldOid: main, newOid: result.commit },
    ]);
  });

  it('fast-forwards an unborn current branch (git logs "initial pull")', () => {
    const t = TestRepo.create();
    const other = t.commit({ branch: 'other', files: { a: '1' } });
    const result = t.repo.merge('other', 'main', { identity: ME });
    expect(result).toMatchObject({ type: 'fast-forward', commit: other, previous: null });
    expect(t.repo.head()).toEqual({ branch: 'main', oid: other });
    expect(text(t.repo, 'a')).toBe('1');
    expect(t.repo.refs.reflog('refs/heads/main').at(-1)?.message).toBe('initial pull');
  });

  it('refuses conflicts with MERGE_CONFLICT and the paths, and changes nothing', () => {
    const { t } = diverged();
    t.commit({ files: { a: 'one\n2\n3\n4\nFIVE\n', f: 'other f\n' } });
    t.repo.checkout('feature');
    const before = observe(t.repo);
    const failure = codeOf(() => t.repo.merge('feature', 'main', { identity: ME }));
    expect(failure).toEqual({ code: 'MERGE_CONFLICT', details: { conflicts: ['a', 'f'] } });
    expect(observe(t.repo)).toEqual(before);
    expect(() => t.repo.merge('feature', 'main', { identity: ME })).toThrow(MergeConflictError);
    expect(() => t.repo.merge('feature', 'main', { identity: ME })).toThrow(
      'merge conflict in 2 files',
    );
  });

  it('refuses with MERGE_FAILED when the index has staged changes', () => {
    const { t } = diverged();
    t.repo.add('b', 'staged');
    const before = observe(t.repo);
    expect(codeOf(() => t.repo.merge('feature', 'main', { identity: ME }))).toEqual({
      code: 'MERGE_FAILED',
      details: { paths: ['b'] },
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('carries unstaged changes to untouched files and refuses those the merge would overwrite', () => {
    const { t } = diverged();
    t.repo.write('b', 'local edit\n');
    t.repo.write('loose', 'untracked\n');
    const result = t.repo.merge('feature', 'main', { identity: ME });
    expect(text(t.repo, 'b')).toBe('local edit\n');
    expect(t.repo.status()).toMatchObject({ modified: ['b'], untracked: ['loose'], staged: [] });

    t.repo.reset('HEAD~1', 'hard');
    expect(t.repo.head().oid).not.toBe(result.commit);
    t.repo.write('a', 'dirty\n');
    t.repo.write('f', 'untracked in the way\n');
    const before = observe(t.repo);
    expect(codeOf(() => t.repo.merge('feature', 'main', { identity: ME }))).toEqual({
      code: 'MERGE_FAILED',
      details: { paths: ['a', 'f'] },
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('leaves the old branch current when a merge into another branch is refused', () => {
    const { t } = diverged();
    t.commit({ files: { a: 'one\n2\n3\n4\nFIVE\n' } });
    t.repo.checkout('feature');
    const before = observe(t.repo);
    expect(codeOf(() => t.repo.merge('feature', 'main', { identity: ME })).code).toBe(
      'MERGE_CONFLICT',
    );
    expect(t.repo.head().branch).toBe('feature');
    expect(observe(t.repo)).toEqual(before);
  });

  it('answers BRANCH_NOT_FOUND for an unknown target and REF_NOT_FOUND for an unknown source', () => {
    const { t } = diverged();
    expect(codeOf(() => t.repo.merge('feature', 'nope', { identity: ME })).code).toBe(
      'BRANCH_NOT_FOUND',
    );
    expect(codeOf(() => t.repo.merge('nope', 'main', { identity: ME })).code).toBe('REF_NOT_FOUND');
  });

  it('merges criss-cross histories over a virtual merge base', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { a: '1\n2\n3\n', b: 'b\n' } });
    t.branch('x', base);
    const m1 = t.commit({ files: { a: '1\n2\nthree\n' } });
    const x1 = t.commit({ branch: 'x', files: { b: 'bee\n' } });
    const m2 = t.commit({ parents: [m1, x1], files: { b: 'bee\n', c: 'main\n' } });
    const x2 = t.commit({
      branch: 'x',
      parents: [x1, m1],
      files: { a: '1\n2\nthree\n', d: 'x\n' },
    });
    t.repo.reset(m2, 'hard');
    const result = t.repo.merge('x', 'main', { identity: ME });
    expect(result).toMatchObject({ type: 'merge', previous: m2, theirs: x2 });
    expect([...result.bases].sort()).toEqual([m1, x1].sort());
    expect(t.files(result.commit)).toEqual({
      a: '1\n2\nthree\n',
      b: 'bee\n',
      c: 'main\n',
      d: 'x\n',
    });
  });

  it('treats merging a branch with itself or any ancestor as up-to-date (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), (length, pick) => {
        const t = TestRepo.create();
        const chain: string[] = [];
        for (let i = 0; i < length; i++) chain.push(t.commit({ files: { [`f${i}`]: `${i}` } }));
        const ancestor = chain[pick % chain.length]!;
        const before = observe(t.repo);
        expect(t.repo.merge(ancestor, 'main', { identity: ME }).type).toBe('up-to-date');
        expect(observe(t.repo)).toEqual(before);
        // and the reverse direction fast-forwards back to the tip
        t.branch('old', ancestor);
        t.repo.checkout('old');
        const forward = t.repo.merge('main', 'old', { identity: ME });
        expect(forward.type).toBe(ancestor === chain.at(-1) ? 'up-to-date' : 'fast-forward');
        expect(t.repo.head()).toEqual({ branch: 'old', oid: chain.at(-1) });
      }),
      fcParams(30),
    );
  });

  it('merges disjoint file changes of two branches into their union (property)', () => {
    const names = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), {
      minLength: 2,
      maxLength: 8,
    });
    fc.assert(
      fc.property(names, fc.nat(), (paths, split) => {
        const cut = 1 + (split % (paths.length - 1));
        const ours = paths.slice(0, cut);
        const theirs = paths.slice(cut);
        const t = TestRepo.create();
        const base = t.commit({ files: { shared: 's' } });
        t.branch('side', base);
        for (const p of theirs) t.commit({ branch: 'side', files: { [p]: `side ${p}` } });
        for (const p of ours) t.commit({ files: { [p]: `main ${p}` } });
        const result = t.repo.merge('side', 'main', { identity: ME });
        const expected: Record<string, string> = { shared: 's' };
        for (const p of ours) expected[p] = `main ${p}`;
        for (const p of theirs) expected[p] = `side ${p}`;
        expect(result.type).toBe('merge');
        expect(t.files(result.commit)).toEqual(expected);
        expect(t.repo.status().clean).toBe(true);
      }),
      fcParams(40),
    );
  });
});

describe('mergeBranchMessage', () => {
  it("follows git's fmt-merge-msg for branches, tags, early parts and commits", () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    const c2 = t.commit({ files: { a: '2' } });
    t.branch('feature', c2);
    t.tag('v1', c1);
    t.tag('v2', c2, { message: 'release two\n\nnotes' });
    const msg = (from: string, into = 'topic'): string =>
      mergeBranchMessage(t.repo.odb, t.repo.refs, from, into);
    expect(msg('feature')).toBe("Merge branch 'feature' into topic\n");
    expect(msg('feature', 'main')).toBe("Merge branch 'feature'\n");
    expect(msg('feature', 'master')).toBe("Merge branch 'feature'\n");
    expect(msg('refs/heads/feature')).toBe("Merge branch 'refs/heads/feature' into topic\n");
    expect(msg('feature~1')).toBe("Merge branch 'feature' (early part) into topic\n");
    expect(msg('feature^')).toBe("Merge branch 'feature' (early part) into topic\n");
    expect(msg('feature~0')).toBe("Merge branch 'feature' into topic\n");
    expect(msg('feature^2')).toBe("Merge commit 'feature^2' into topic\n");
    expect(msg('v1')).toBe("Merge tag 'v1' into topic\n");
    expect(msg('v2')).toBe("Merge tag 'v2' into topic\n\nrelease two\n\nnotes\n");
    expect(msg(c1)).toBe(`Merge commit '${c1}' into topic\n`);
    expect(msg('HEAD')).toBe("Merge commit 'HEAD' into topic\n");
  });
});
