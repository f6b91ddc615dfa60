/**
 * Branch routes' engine side (contract §3.4): create from any revision, delete with the
 * current/protected rules, list (unborn current branch included) and get.
 */
import { isGitError } from '../../../../src/core/errors/git-error';
import { TestRepo } from '../../../support/test-repo';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (isGitError(error)) return error.code;
    throw error;
  }
}

describe('branches', () => {
  describe('createBranch', () => {
    it('creates a branch at HEAD without switching to it', () => {
      const t = TestRepo.create();
      const c1 = t.commit({ files: { a: '1' } });
      expect(t.repo.createBranch('feature/x')).toEqual({
        name: 'feature/x',
        commit: c1,
        current: false,
      });
      expect(t.repo.head().branch).toBe('main');
      expect(t.repo.refs.reflog('refs/heads/feature/x').map((e) => e.message)).toEqual([
        'branch: Created from HEAD',
      ]);
    });

    it('creates a branch from any revision', () => {
      const t = TestRepo.create();
      const c1 = t.commit({ files: { a: '1' } });
      t.commit({ files: { a: '2' } });
      t.tag('v1', c1, { message: 'annotated' });
      expect(t.repo.createBranch('from-parent', 'main~1').commit).toBe(c1);
      expect(t.repo.createBranch('from-tag', 'v1').commit).toBe(c1);
      expect(t.repo.createBranch('from-id', c1.slice(0, 8)).commit).toBe(c1);
    });

    it('fails with BRANCH_EXISTS for an existing name', () => {
      const t = TestRepo.create();
      t.commit({ files: { a: '1' } });
      expect(codeOf(() => t.repo.createBranch('main'))).toBe('BRANCH_EXISTS');
    });

    it('fails with INVALID_BRANCH_NAME for a bad name', () => {
      const t = TestRepo.create();
      t.commit({ files: { a: '1' } });
      for (const name of ['a..b', 'has space', '-x', 'x.lock', 'HEAD', 'a/', '']) {
        expect(codeOf(() => t.repo.createBranch(name))).toBe('INVALID_BRANCH_NAME');
      }
    });

    it('fails with BRANCH_CREATE_FAILED while the repository has no commits', () => {
      const t = TestRepo.create();
      expect(codeOf(() => t.repo.createBranch('x'))).toBe('BRANCH_CREATE_FAILED');
      expect(codeOf(() => t.repo.createBranch('x', 'main'))).toBe('BRANCH_CREATE_FAILED');
    });

    it('fails with BRANCH_NOT_FOUND "source branch \'<f>\' not found" for an unknown source', () => {
      const t = TestRepo.create();
      t.commit({ files: { a: '1' } });
      expect(codeOf(() => t.repo.createBranch('x', 'nope'))).toBe('BRANCH_NOT_FOUND');
      expect(() => t.repo.createBranch('x', 'nope')).toThrow("source branch 'nope' not found");
      expect(t.repo.listBranches().map((b) => b.name)).toEqual(['main']);
    });
  });

  describe('deleteBranch', () => {
    it('deletes a branch and returns the commit it pointed at', () => {
      const t = TestRepo.create();
      const c1 = t.commit({ files: { a: '1' } });
      t.branch('topic', c1);
      t.commit({ branch: 'topic', files: { b: 'unmerged' } });
      const tip = t.repo.getBranch('topic').commit;
      expect(t.repo.deleteBranch('topic')).toBe(tip);
      expect(codeOf(() => t.repo.getBranch('topic'))).toBe('BRANCH_NOT_FOUND');
    });

    it('refuses the current branch with DELETE_CURRENT_BRANCH', () => {
      const t = TestRepo.create();
      t.commit({ files: { a: '1' } });
      t.branch('topic');
      t.repo.checkout('topic');
      expect(codeOf(() => t.repo.deleteBranch('topic'))).toBe('DELETE_CURRENT_BRANCH');
    });

    it('refuses main and master with PROTECTED_BRANCH', () => {
      const t = TestRepo.create();
      t.commit({ files: { a: '1' } });
      t.branch('master');
      t.branch('other');
      t.repo.checkout('other');
      expect(codeOf(() => t.repo.deleteBranch('main'))).toBe('PROTECTED_BRANCH');
      expect(codeOf(() => t.repo.deleteBranch('master'))).toBe('PROTECTED_BRANCH');
      expect(t.repo.listBranches().map((b) => b.name)).toEqual(['main', 'master', 'other']);
    });

    it('fails with BRANCH_NOT_FOUND for a missing branch', () => {
      const t = TestRepo.create();
      t.commit({ files: { a: '1' } });
      expect(codeOf(() => t.repo.deleteBranch('nope'))).toBe('BRANCH_NOT_FOUND');
    });
  });

  describe('listBranches / getBranch', () => {
    it('lists the unborn current branch with commit null', () => {
      const t = TestRepo.create();
      expect(t.repo.listBranches()).toEqual([{ name: 'main', commit: null, current: true }]);
      expect(t.repo.getBranch('main')).toEqual({ name: 'main', commit: null, current: true });
    });

    it('lists branches by name (bytewise), flagging the current one', () => {
      const t = TestRepo.create();
      const c1 = t.commit({ files: { a: '1' } });
      for (const name of ['zeta', 'feature/b', 'feature-a', 'Alpha']) t.branch(name, c1);
      expect(t.repo.listBranches()).toEqual([
        { name: 'Alpha', commit: c1, current: false },
        { name: 'feature-a', commit: c1, current: false },
        { name: 'feature/b', commit: c1, current: false },
        { name: 'main', commit: c1, current: true },
        { name: 'zeta', commit: c1, current: false },
      ]);
    });

    it('places an unborn current branch in name order among existing ones', () => {
      const t = TestRepo.create({ defaultBranch: 'b' });
      const c1 = t.commit({ branch: 'c', files: { a: '1' } });
      t.branch('a', c1);
      expect(t.repo.listBranches().map((b) => [b.name, b.commit])).toEqual([
        ['a', c1],
        ['b', null],
        ['c', c1],
      ]);
    });

    it('fails getBranch with BRANCH_NOT_FOUND for a missing branch', () => {
      const t = TestRepo.create();
      expect(codeOf(() => t.repo.getBranch('nope'))).toBe('BRANCH_NOT_FOUND');
    });
  });
});
