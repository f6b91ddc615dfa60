/**
 * Status (contract §1 StatusResponse) and the change lists behind `GET /diff/working`:
 * index vs HEAD (staged) and working tree vs index (unstaged, tracked files only).
 */
import { FileMode } from '../../../../src/core/objects/file-mode';
import { TEST_AUTHOR, TestRepo } from '../../../support/test-repo';

describe('status', () => {
  it('reports a clean unborn repository on main', () => {
    const repo = TestRepo.create().repo;
    expect(repo.status()).toEqual({
      branch: 'main',
      staged: [],
      removed: [],
      modified: [],
      untracked: [],
      clean: true,
      changes: [],
    });
  });

  it('separates staged, removed, modified and untracked paths, each sorted by path', () => {
    const t = TestRepo.create();
    t.commit({ files: { keep: 'k', gone: 'g', edit: 'e', 'both.txt': 'b' } });
    const repo = t.repo;
    repo.add('new/b', 'n');
    repo.add('new/a', 'n');
    repo.remove('gone');
    repo.write('edit', 'changed');
    repo.add('both.txt', 'staged');
    repo.write('both.txt', 'and then edited');
    repo.write('zz-untracked', 'u');
    repo.write('a-untracked', 'u');
    expect(repo.status()).toEqual({
      branch: 'main',
      staged: ['both.txt', 'gone', 'new/a', 'new/b'],
      removed: ['gone'],
      modified: ['both.txt', 'edit'],
      untracked: ['a-untracked', 'zz-untracked'],
      clean: false,
      changes: ['a-untracked', 'both.txt', 'edit', 'gone', 'new/a', 'new/b', 'zz-untracked'],
    });
  });

  it('counts a mode change as a change', () => {
    const t = TestRepo.create();
    t.commit({ files: { 'run.sh': 'x' } });
    t.repo.add('run.sh', 'x', FileMode.Executable);
    expect(t.repo.status().staged).toEqual(['run.sh']);
  });

  it('shows a tracked file deleted only in the working tree as modified', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1' } });
    t.repo.working.worktree.set('a', null);
    expect(t.repo.status()).toMatchObject({ staged: [], modified: ['a'], untracked: [] });
    expect(t.repo.unstagedChanges()).toEqual([
      {
        path: 'a',
        oldMode: FileMode.Regular,
        oldOid: expect.any(String),
        newMode: null,
        newOid: null,
      },
    ]);
  });

  it('says HEAD as the branch when detached', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    t.repo.checkout(c1);
    expect(t.repo.status().branch).toBe('HEAD');
  });

  it('is clean again after committing everything staged, keeping unstaged edits', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1', b: '2' } });
    t.repo.add('a', 'staged');
    t.repo.write('b', 'unstaged');
    t.repo.commit({ message: 'm', author: TEST_AUTHOR });
    expect(t.repo.status()).toMatchObject({ staged: [], modified: ['b'], untracked: [] });
  });

  it('compares the index with the new HEAD when the branch moved underneath it', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1' } });
    t.repo.add('b', 'local');
    // Someone else moves main (e.g. a push): the index is a snapshot, as in git.
    t.commit({ files: { a: '2', c: '3' } });
    expect(t.repo.status()).toMatchObject({ staged: ['a', 'b', 'c'], removed: ['c'] });
  });
});

describe('stagedChanges / unstagedChanges', () => {
  it('lists index-vs-HEAD changes with both sides, null for the absent side', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1', gone: 'g' } });
    const repo = t.repo;
    const added = repo.add('new', 'n');
    const modified = repo.add('a', '2');
    repo.remove('gone');
    const head = repo.listTree('', { commit: 'HEAD' });
    const oldA = head.find((e) => e.path === 'a')!;
    const oldGone = head.find((e) => e.path === 'gone')!;
    expect(repo.stagedChanges()).toEqual([
      { path: 'a', oldMode: '100644', oldOid: oldA.oid, newMode: '100644', newOid: modified.oid },
      { path: 'gone', oldMode: '100644', oldOid: oldGone.oid, newMode: null, newOid: null },
      { path: 'new', oldMode: null, oldOid: null, newMode: '100644', newOid: added.oid },
    ]);
  });

  it('compares against the empty tree on an unborn branch', () => {
    const repo = TestRepo.create().repo;
    repo.add('a', '1');
    expect(repo.stagedChanges().map((c) => [c.path, c.oldOid])).toEqual([['a', null]]);
  });

  it('lists working-tree-vs-index changes for tracked files only', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1' } });
    const repo = t.repo;
    const staged = repo.add('s', 'staged');
    const edited = repo.write('s', 'edited');
    repo.write('untracked', 'u');
    expect(repo.unstagedChanges()).toEqual([
      { path: 's', oldMode: '100644', oldOid: staged.oid, newMode: '100644', newOid: edited.oid },
    ]);
  });
});
