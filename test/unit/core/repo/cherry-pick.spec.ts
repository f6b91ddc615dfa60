/**
 * Repository.cherryPick and Repository.revert (contract §3.6): the replayed change advances
 * the current branch (or detached HEAD) with git's messages, authors and reflogs; refusals
 * (COMMIT_NOT_FOUND, CHERRY_PICK_FAILED / REVERT_FAILED 400 and 409, MERGE_CONFLICT) change
 * nothing; cherry-pick followed by revert restores the tree.
 */
import fc from 'fast-check';
import { isGitError } from '../../../../src/core/errors/git-error';
import type { PickCommitResult } from '../../../../src/core/repo/cherry-pick-commit';
import type { Repository } from '../../../../src/core/repo/repository';
import { fcParams } from '../../../support/fast-check';
import { TEST_AUTHOR, TestRepo } from '../../../support/test-repo';

const ME = { name: 'Picker', email: 'picker@example.com' };

function text(repo: Repository, path: string): string {
  return Buffer.from(repo.readWorking(path).content).toString('utf8');
}

function observe(repo: Repository): unknown {
  return {
    head: repo.head(),
    refs: repo.refs.list('refs/'),
    reflogs: [repo.refs.reflog('HEAD'), repo.refs.reflog('refs/heads/main')],
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

/** main: base → m1 (edits a line 1); side: base → fix (edits a line 5, adds s). */
function history(): { t: TestRepo; base: string; m1: string; fix: string } {
  const t = TestRepo.create();
  const base = t.commit({ files: { a: '1\n2\n3\n4\n5\n', keep: 'k\n' } });
  t.branch('side', base);
  const fix = t.commit({
    branch: 'side',
    files: { a: '1\n2\n3\n4\nfive\n', s: 's\n' },
    message: 'fix five',
    author: { name: 'Original', email: 'orig@example.com' },
  });
  const m1 = t.commit({ files: { a: 'one\n2\n3\n4\n5\n' } });
  return { t, base, m1, fix };
}

describe('cherryPick', () => {
  it('replays the change on the current branch, keeping the author and adding the -x line', () => {
    const { t, m1, fix } = history();
    t.clock.tick();
    const result = t.repo.cherryPick('side', { identity: ME });
    const commit = t.repo.odb.readCommit(result.newCommit);
    expect(result).toMatchObject({ original: fix, branch: 'main', filesChanged: ['a', 's'] });
    expect(commit.parents).toEqual([m1]);
    expect(commit.author).toEqual(t.repo.odb.readCommit(fix).author);
    expect(commit.committer).toEqual({ ...ME, timestamp: t.clock.time, timezone: '+0000' });
    expect(commit.message).toBe(`fix five\n\n(cherry picked from commit ${fix})\n`);
    expect(t.files(result.newCommit)).toEqual({ a: 'one\n2\n3\n4\nfive\n', keep: 'k\n', s: 's\n' });
    expect(t.repo.head()).toEqual({ branch: 'main', oid: result.newCommit });
    expect(text(t.repo, 's')).toBe('s\n');
    expect(t.repo.status().clean).toBe(true);
    expect(t.repo.refs.reflog('refs/heads/main').at(-1)).toMatchObject({
      oldOid: m1,
      newOid: result.newCommit,
      message: 'cherry-pick: fix five',
    });
    expect(t.repo.refs.reflog('HEAD').at(-1)?.message).toBe('cherry-pick: fix five');
  });

  it('picks a root commit, and onto an unborn branch makes a new root', () => {
    const t = TestRepo.create();
    const root = t.commit({ branch: 'other', files: { r: 'root\n' }, message: 'root' });
    const onto = t.repo.cherryPick(root, { identity: ME });
    expect(t.repo.odb.readCommit(onto.newCommit).parents).toEqual([]);
    expect(t.repo.head()).toEqual({ branch: 'main', oid: onto.newCommit });
    t.commit({ files: { r: null, x: 'x\n' } });
    const again = t.repo.cherryPick(root, { identity: ME });
    expect(t.files(again.newCommit)).toEqual({ r: 'root\n', x: 'x\n' });
  });

  it('moves a detached HEAD itself', () => {
    const { t, m1, fix } = history();
    t.repo.checkout(m1);
    const result = t.repo.cherryPick(fix, { identity: ME });
    expect(result.branch).toBeNull();
    expect(t.repo.refs.read('HEAD')).toEqual({
      name: 'HEAD',
      kind: 'direct',
      oid: result.newCommit,
    });
    expect(t.repo.refs.read('refs/heads/main')).toMatchObject({ oid: m1 });
  });

  it('needs a mainline for a merge commit (400) and replays against that parent', () => {
    const { t, m1, fix } = history();
    const merge = t.repo.merge('side', 'main', { identity: ME }).commit;
    t.repo.reset(m1, 'hard');
    t.commit({ files: { other: 'o\n' } });
    const before = observe(t.repo);
    expect(failure(() => t.repo.cherryPick(merge, { identity: ME }))).toMatchObject({
      code: 'CHERRY_PICK_FAILED',
      kind: 'invalid-argument',
    });
    expect(failure(() => t.repo.cherryPick(merge, { identity: ME, mainline: 3 })).kind).toBe(
      'invalid-argument',
    );
    expect(failure(() => t.repo.cherryPick(fix, { identity: ME, mainline: 2 })).kind).toBe(
      'invalid-argument',
    );
    expect(observe(t.repo)).toEqual(before);
    const picked = t.repo.cherryPick(merge, { identity: ME, mainline: 1 });
    expect(picked.filesChanged).toEqual(['a', 's']);
  });

  it('accepts mainline 1 for a commit with one parent, as git does', () => {
    const { t, fix } = history();
    expect(t.repo.cherryPick(fix, { identity: ME, mainline: 1 }).filesChanged).toEqual(['a', 's']);
  });

  it('refuses staged changes with CHERRY_PICK_FAILED and the paths; nothing changes', () => {
    const { t } = history();
    t.repo.add('keep', 'staged\n');
    const before = observe(t.repo);
    expect(failure(() => t.repo.cherryPick('side', { identity: ME }))).toEqual({
      code: 'CHERRY_PICK_FAILED',
      kind: 'conflict',
      details: { paths: ['keep'] },
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('refuses unstaged or untracked files the pick would overwrite, and carries the others', () => {
    const { t } = history();
    t.repo.write('a', 'dirty\n');
    t.repo.write('s', 'untracked in the way\n');
    const before = observe(t.repo);
    expect(failure(() => t.repo.cherryPick('side', { identity: ME })).details).toEqual({
      paths: ['a', 's'],
    });
    expect(observe(t.repo)).toEqual(before);
    t.repo.reset('HEAD', 'hard');
    t.repo.remove('s');
    t.repo.write('keep', 'local\n');
    t.repo.cherryPick('side', { identity: ME });
    expect(text(t.repo, 'keep')).toBe('local\n');
    expect(t.repo.status().modified).toEqual(['keep']);
  });

  it('refuses an untracked file where the result has a directory', () => {
    const { t } = history();
    const adds = t.commit({ branch: 'side', files: { 'd/x': 'x\n' } });
    t.repo.write('d', 'untracked file\n');
    const before = observe(t.repo);
    expect(failure(() => t.repo.cherryPick(adds, { identity: ME })).details).toEqual({
      paths: ['d'],
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('refuses a change that is already present', () => {
    const { t, fix } = history();
    t.repo.cherryPick(fix, { identity: ME });
    const before = observe(t.repo);
    expect(failure(() => t.repo.cherryPick(fix, { identity: ME }))).toEqual({
      code: 'CHERRY_PICK_FAILED',
      kind: 'conflict',
      details: { commit: fix },
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('refuses conflicts with MERGE_CONFLICT; nothing changes', () => {
    const { t } = history();
    t.commit({ files: { a: 'one\n2\n3\n4\nFIVE\n' } });
    const before = observe(t.repo);
    expect(failure(() => t.repo.cherryPick('side', { identity: ME }))).toEqual({
      code: 'MERGE_CONFLICT',
      kind: 'conflict',
      details: { conflicts: ['a'] },
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('answers COMMIT_NOT_FOUND for a revision that names nothing', () => {
    const { t } = history();
    expect(failure(() => t.repo.cherryPick('nope', { identity: ME })).code).toBe(
      'COMMIT_NOT_FOUND',
    );
    expect(failure(() => t.repo.revert('main~9', { identity: ME })).code).toBe('COMMIT_NOT_FOUND');
  });
});

describe('revert', () => {
  it("applies the inverse change with git's message; author and committer are the caller", () => {
    const { t, fix } = history();
    t.repo.merge('side', 'main', { identity: ME });
    t.clock.tick();
    const result = t.repo.revert(fix, { identity: ME });
    const commit = t.repo.odb.readCommit(result.newCommit);
    expect(commit.message).toBe(`Revert "fix five"\n\nThis reverts commit ${fix}.\n`);
    expect(commit.author).toEqual({ ...ME, timestamp: t.clock.time, timezone: '+0000' });
    expect(commit.committer).toEqual(commit.author);
    expect(t.files(result.newCommit)).toEqual({ a: 'one\n2\n3\n4\n5\n', keep: 'k\n' });
    expect(result.filesChanged).toEqual(['a', 's']);
    expect(t.repo.refs.reflog('HEAD').at(-1)?.message).toBe('revert: Revert "fix five"');
  });

  it('reverts a merge against its mainline, naming the parent in the message', () => {
    const { t, m1 } = history();
    const merge = t.repo.merge('side', 'main', { identity: ME }).commit;
    const result = t.repo.revert(merge, { identity: ME, mainline: 1 });
    expect(t.repo.odb.readCommit(result.newCommit).message).toBe(
      `Revert "Merge branch 'side'"\n\nThis reverts commit ${merge}, reversing\nchanges made to ${m1}.\n`,
    );
    expect(t.repo.odb.readCommit(result.newCommit).tree).toBe(t.repo.odb.readCommit(m1).tree);
  });

  it('uses REVERT_FAILED codes for its refusals', () => {
    const { t, m1, fix } = history();
    expect(failure(() => t.repo.revert(fix, { identity: ME }))).toMatchObject({
      code: 'REVERT_FAILED',
      kind: 'conflict',
    });
    t.repo.add('keep', 'staged\n');
    expect(failure(() => t.repo.revert(m1, { identity: ME }))).toEqual({
      code: 'REVERT_FAILED',
      kind: 'conflict',
      details: { paths: ['keep'] },
    });
    const merge = t.commit({ parents: [m1, fix] });
    expect(failure(() => t.repo.revert(merge, { identity: ME }))).toMatchObject({
      code: 'REVERT_FAILED',
      kind: 'invalid-argument',
    });
  });

  it('restores the tree when a cherry-pick is reverted (property)', () => {
    const files = fc.dictionary(
      fc.constantFrom('a', 'b', 'd/x', 'd/y', 'e'),
      fc.option(fc.constantFrom('1\n', '2\n', 'three\nlines\nhere\n'), { nil: null }),
      { minKeys: 1, maxKeys: 5 },
    );
    fc.assert(
      fc.property(files, files, (mainFiles, sideFiles) => {
        const t = TestRepo.create();
        const base = t.commit({ files: { root: 'r\n' } });
        t.branch('side', base);
        const picked = t.commit({ branch: 'side', files: sideFiles });
        t.commit({ files: mainFiles });
        const before = t.repo.headTree();
        let result: PickCommitResult;
        try {
          result = t.repo.cherryPick(picked, { identity: TEST_AUTHOR });
        } catch (error) {
          // Conflicting or empty picks are refused; those refusals change nothing.
          expect(
            isGitError(error) && ['MERGE_CONFLICT', 'CHERRY_PICK_FAILED'].includes(error.code),
          ).toBe(true);
          expect(t.repo.headTree()).toBe(before);
          return;
        }
        t.repo.revert(result.newCommit, { identity: TEST_AUTHOR });
        expect(t.repo.headTree()).toBe(before);
        expect(t.repo.status().clean).toBe(true);
      }),
      fcParams(60),
    );
  });
});
