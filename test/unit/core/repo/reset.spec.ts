/**
 * Repository.reset (contract §3.6): soft / mixed / hard on the overlay working state, the
 * current branch (or detached HEAD) moving with git's reflog line, RESET_FAILED and
 * REF_NOT_FOUND, and round-trip properties.
 */
import fc from 'fast-check';
import { isGitError } from '../../../../src/core/errors/git-error';
import type { Repository } from '../../../../src/core/repo/repository';
import { fcParams } from '../../../support/fast-check';
import { contentArb, fileChangesArb, repoPathArb } from '../../../support/repo-arbitraries';
import { TEST_AUTHOR, TestRepo } from '../../../support/test-repo';

function text(repo: Repository, path: string): string {
  return Buffer.from(repo.readWorking(path).content).toString('utf8');
}

function worktreeFiles(repo: Repository): string[] {
  return repo.listTree('', { recursive: true }).map((e) => `${e.path} ${e.mode} ${e.oid}`);
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (isGitError(error)) return error.code;
    throw error;
  }
  return undefined;
}

/** c1: a=1, b=1; c2: a=2, c=new. Local: a staged, b edited, u untracked. */
function twoCommitsWithLocalChanges(): { t: TestRepo; c1: string; c2: string } {
  const t = TestRepo.create();
  const c1 = t.commit({ files: { a: '1', b: '1' } });
  const c2 = t.commit({ files: { a: '2', c: 'new' } });
  t.repo.add('a', 'staged');
  t.repo.write('b', 'edited');
  t.repo.write('u', 'untracked');
  return { t, c1, c2 };
}

describe('reset', () => {
  it('soft: moves the branch and keeps index and working tree (the difference shows as staged)', () => {
    const { t, c1, c2 } = twoCommitsWithLocalChanges();
    expect(t.repo.reset(c1, 'soft')).toEqual({ oldHead: c2, newHead: c1, mode: 'soft' });
    expect(t.repo.head()).toEqual({ branch: 'main', oid: c1 });
    expect(t.repo.status()).toMatchObject({
      staged: ['a', 'c'],
      modified: ['b'],
      untracked: ['u'],
    });
    expect(text(t.repo, 'a')).toBe('staged');
  });

  it('mixed: the index becomes the target, every working file keeps its content', () => {
    const { t, c1 } = twoCommitsWithLocalChanges();
    const before = worktreeFiles(t.repo);
    t.repo.reset(c1, 'mixed');
    expect(worktreeFiles(t.repo)).toEqual(before);
    expect(t.repo.status()).toMatchObject({
      staged: [],
      modified: ['a', 'b'],
      untracked: ['c', 'u'],
    });
  });

  it('hard: index and tracked files become the target, untracked files stay', () => {
    const { t, c1 } = twoCommitsWithLocalChanges();
    t.repo.reset(c1, 'hard');
    expect(t.repo.status()).toMatchObject({ staged: [], modified: [], untracked: ['u'] });
    expect(text(t.repo, 'a')).toBe('1');
    expect(text(t.repo, 'b')).toBe('1');
    expect(() => t.repo.readWorking('c')).toThrow("file 'c' not found");
  });

  it('hard: drops an untracked file the target needs the place of', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'd/x': 'x' } });
    t.commit({ files: { 'd/x': null, keep: 'k' } });
    t.repo.write('d', 'untracked file where the target has a directory');
    t.repo.reset(c1, 'hard');
    expect(text(t.repo, 'd/x')).toBe('x');
    expect(t.repo.status().clean).toBe(true);
  });

  it('defaults to mixed and logs "reset: moving to <target>" on branch and HEAD', () => {
    const { t, c1, c2 } = twoCommitsWithLocalChanges();
    expect(t.repo.reset('HEAD~1').mode).toBe('mixed');
    for (const name of ['refs/heads/main', 'HEAD']) {
      expect(t.repo.refs.reflog(name).at(-1)).toMatchObject({
        oldOid: c2,
        newOid: c1,
        message: 'reset: moving to HEAD~1',
      });
    }
  });

  it('moves a detached HEAD and leaves the branches alone', () => {
    const { t, c1, c2 } = twoCommitsWithLocalChanges();
    t.repo.reset('HEAD', 'hard');
    t.repo.checkout(c2);
    t.repo.reset(c1, 'hard');
    expect(t.repo.refs.read('HEAD')).toEqual({ name: 'HEAD', kind: 'direct', oid: c1 });
    expect(t.repo.refs.read('refs/heads/main')).toMatchObject({ oid: c2 });
  });

  it('fails with RESET_FAILED without commits and REF_NOT_FOUND for an unknown target', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    expect(codeOf(() => t.repo.reset('HEAD', 'hard'))).toBe('RESET_FAILED');
    expect(t.repo.status().staged).toEqual(['a']);
    t.repo.commit({ message: 'one', author: TEST_AUTHOR });
    expect(codeOf(() => t.repo.reset('nope', 'hard'))).toBe('REF_NOT_FOUND');
  });

  it('round-trips: hard reset away and back restores HEAD, index and working tree (property)', () => {
    const local = fc.array(
      fc.record({ path: repoPathArb, content: contentArb, stage: fc.boolean() }),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(fileChangesArb, fileChangesArb, local, (first, second, edits) => {
        const t = TestRepo.create();
        const c1 = t.commit({ files: { base: 'b', ...first } });
        const c2 = t.commit({ files: second });
        const snapshot = (): unknown => [t.repo.head(), t.repo.status(), worktreeFiles(t.repo)];
        const clean = snapshot();
        t.repo.reset(c1, 'hard');
        t.repo.reset(c2, 'hard');
        expect(snapshot()).toEqual(clean);

        for (const edit of edits) {
          try {
            if (edit.stage) t.repo.add(edit.path, edit.content);
            else t.repo.write(edit.path, edit.content);
          } catch {
            // layout clashes are refused; not this test's subject
          }
        }
        // soft there and back changes nothing observable
        const dirty = snapshot();
        t.repo.reset(c1, 'soft');
        t.repo.reset(c2, 'soft');
        expect(snapshot()).toEqual(dirty);
        // mixed never touches a working file
        const files = worktreeFiles(t.repo);
        t.repo.reset(c1, 'mixed');
        expect(worktreeFiles(t.repo)).toEqual(files);
        t.repo.reset(c2, 'mixed');
        expect(worktreeFiles(t.repo)).toEqual(files);
        expect(t.repo.status().staged).toEqual([]);
      }),
      fcParams(60),
    );
  });

  it('soft reset then commit squashes: the new commit has the old tip’s tree (property)', () => {
    fc.assert(
      fc.property(fc.array(fileChangesArb, { minLength: 1, maxLength: 4 }), (steps) => {
        const t = TestRepo.create();
        const base = t.commit({ files: { base: 'b' } });
        for (const files of steps) t.commit({ files });
        const tipTree = t.repo.headTree();
        t.repo.reset(base, 'soft');
        if (tipTree === t.repo.headTree()) return;
        const { commit } = t.repo.commit({ message: 'squash', author: TEST_AUTHOR });
        expect(commit.tree).toBe(tipTree);
        expect(commit.parents).toEqual([base]);
      }),
      fcParams(40),
    );
  });
});
