/**
 * Checkout (contract §3.4): attaching to a branch or detaching at a revision, git's rule for
 * carrying local changes over, CHECKOUT_FAILED with the paths (nothing changed), and force.
 */
import fc from 'fast-check';
import { isGitError } from '../../../../src/core/errors/git-error';
import { CheckoutConflictError } from '../../../../src/core/errors/repo-errors';
import { leafChanges } from '../../../../src/core/repo/tree-changes';
import type { Repository } from '../../../../src/core/repo/repository';
import { fcParams } from '../../../support/fast-check';
import { contentArb, fileChangesArb, repoPathArb } from '../../../support/repo-arbitraries';
import { TestRepo } from '../../../support/test-repo';

function text(repo: Repository, path: string): string {
  return Buffer.from(repo.readWorking(path).content).toString('utf8');
}

function conflictPaths(action: () => unknown): readonly string[] | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof CheckoutConflictError) {
      expect(error.code).toBe('CHECKOUT_FAILED');
      expect(error.kind).toBe('conflict');
      expect(error.details).toEqual({ paths: error.paths });
      return error.paths;
    }
    throw error;
  }
}

/** main: a=1, shared=s; feature: a=2, f=new (shared unchanged). */
function twoBranches(): { t: TestRepo; main: string; feature: string } {
  const t = TestRepo.create();
  const main = t.commit({ files: { a: '1', shared: 's', 'dir/x': 'x' } });
  t.branch('feature', main);
  const feature = t.commit({ branch: 'feature', files: { a: '2', f: 'new', 'dir/x': null } });
  return { t, main, feature };
}

/** Everything a caller can observe about the working state and HEAD. */
function observe(repo: Repository): unknown {
  return {
    head: repo.head(),
    status: repo.status(),
    files: repo.listTree('', { recursive: true }).map((e) => [e.path, e.mode, e.oid]),
  };
}

describe('checkout', () => {
  it('switches to a branch: HEAD attaches, index and working tree become its tree', () => {
    const { t, feature } = twoBranches();
    expect(t.repo.checkout('feature')).toEqual({ branch: 'feature', oid: feature });
    expect(t.repo.head()).toEqual({ branch: 'feature', oid: feature });
    expect(text(t.repo, 'a')).toBe('2');
    expect(text(t.repo, 'f')).toBe('new');
    expect(() => t.repo.readWorking('dir/x')).toThrow("file 'dir/x' not found");
    expect(t.repo.status().clean).toBe(true);
  });

  it('detaches HEAD at any other revision', () => {
    const { t, main } = twoBranches();
    t.commit({ files: { a: '3' } });
    expect(t.repo.checkout('main~1')).toEqual({ branch: null, oid: main });
    expect(t.repo.head()).toEqual({ branch: null, oid: main });
    expect(t.repo.refs.read('HEAD')).toEqual({ name: 'HEAD', kind: 'direct', oid: main });
    expect(text(t.repo, 'a')).toBe('1');
    expect(t.repo.checkout('main').branch).toBe('main');
    expect(t.repo.refs.read('HEAD')).toMatchObject({ kind: 'symbolic', target: 'refs/heads/main' });
  });

  it('detaches even at the commit the current branch points to', () => {
    const { t, main } = twoBranches();
    t.repo.checkout(main);
    expect(t.repo.head()).toEqual({ branch: null, oid: main });
  });

  it('writes a HEAD reflog entry like git', () => {
    const { t, main, feature } = twoBranches();
    t.repo.checkout('feature');
    const entry = t.repo.refs.reflog('HEAD').at(-1);
    expect(entry).toMatchObject({
      oldOid: main,
      newOid: feature,
      message: 'checkout: moving from main to feature',
    });
  });

  it('fails with BRANCH_NOT_FOUND for an unknown target', () => {
    const { t } = twoBranches();
    for (const target of ['nope', 'main~9', 'bad..ref']) {
      let code: string | undefined;
      try {
        t.repo.checkout(target);
      } catch (error) {
        code = isGitError(error) ? error.code : 'other';
      }
      expect(code).toBe('BRANCH_NOT_FOUND');
    }
  });

  it('is a no-op for the unborn current branch', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    expect(t.repo.checkout('main')).toEqual({ branch: 'main', oid: null });
    expect(t.repo.status().staged).toEqual(['a']);
  });

  it('carries staged, unstaged and untracked changes to paths the switch does not touch', () => {
    const { t } = twoBranches();
    t.repo.add('shared', 'staged edit');
    t.repo.write('shared', 'worktree edit');
    t.repo.add('brand-new', 'n');
    t.repo.write('untracked', 'u');
    t.repo.checkout('feature');
    expect(t.repo.status()).toMatchObject({
      staged: ['brand-new', 'shared'],
      modified: ['shared'],
      untracked: ['untracked'],
    });
    expect(text(t.repo, 'shared')).toBe('worktree edit');
    expect(t.repo.readAt('HEAD', 'a').content).toEqual(Buffer.from('2'));
  });

  it('keeps a local change that already equals the target', () => {
    const { t } = twoBranches();
    t.repo.add('a', '2');
    t.repo.checkout('feature');
    expect(t.repo.status().clean).toBe(true);
  });

  it('refuses with CHECKOUT_FAILED and the paths when local changes would be overwritten; nothing changes', () => {
    const { t } = twoBranches();
    t.repo.add('a', 'staged');
    t.repo.write('dir/x', 'edited');
    t.repo.write('f', 'untracked in the way');
    const before = observe(t.repo);
    expect(conflictPaths(() => t.repo.checkout('feature'))).toEqual(['a', 'dir/x', 'f']);
    expect(observe(t.repo)).toEqual(before);
    expect(t.repo.refs.reflog('HEAD')).toEqual([]);
  });

  it('refuses when a carried file would sit below a file of the target', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { keep: 'k' } });
    t.branch('other', base);
    t.commit({ branch: 'other', files: { d: 'now a file' } });
    t.repo.write('d/untracked', 'u');
    expect(conflictPaths(() => t.repo.checkout('other'))).toEqual(['d/untracked']);
  });

  it('with force discards local changes but keeps untracked files out of the way', () => {
    const { t, feature } = twoBranches();
    t.repo.add('a', 'staged');
    t.repo.write('shared', 'edited');
    t.repo.write('f', 'untracked in the way');
    t.repo.write('keep-me', 'untracked');
    t.repo.checkout('feature', { force: true });
    expect(t.repo.head().oid).toBe(feature);
    expect(t.repo.status()).toMatchObject({ staged: [], modified: [], untracked: ['keep-me'] });
    expect(text(t.repo, 'f')).toBe('new');
    expect(text(t.repo, 'shared')).toBe('s');
  });

  it('returns to the original state after a round trip when local changes avoid touched paths (property)', () => {
    const localOp = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), path: repoPathArb, content: contentArb }),
      fc.record({ kind: fc.constant('write' as const), path: repoPathArb, content: contentArb }),
      fc.record({ kind: fc.constant('remove' as const), path: repoPathArb }),
    );
    const filesArb = fileChangesArb;
    fc.assert(
      fc.property(
        filesArb,
        filesArb,
        fc.array(localOp, { maxLength: 8 }),
        (mainFiles, otherFiles, ops) => {
          const t = TestRepo.create();
          const base = t.commit({ files: mainFiles });
          t.branch('other', base);
          const other = t.commit({ branch: 'other', files: otherFiles });
          for (const op of ops) {
            try {
              if (op.kind === 'add') t.repo.add(op.path, op.content);
              else if (op.kind === 'write') t.repo.write(op.path, op.content);
              else t.repo.remove(op.path);
            } catch {
              // invalid local operations are covered elsewhere
            }
          }
          const before = observe(t.repo);
          const working = (path: string): string => {
            const entry = t.repo.working.worktree.file(path);
            return entry ? `${entry.mode} ${entry.oid}` : 'absent';
          };
          const touched = leafChanges(
            t.repo.odb,
            t.repo.odb.readCommit(base).tree,
            t.repo.odb.readCommit(other).tree,
          ).map((c) => c.path);
          const local = t.repo.status().changes;
          const localBefore = new Map(local.map((path) => [path, working(path)]));
          const overlap = touched.some((p) =>
            local.some((l) => l === p || l.startsWith(`${p}/`) || p.startsWith(`${l}/`)),
          );
          const conflict = conflictPaths(() => t.repo.checkout('other'));
          if (conflict !== undefined) {
            expect(overlap).toBe(true);
            expect(observe(t.repo)).toEqual(before);
            return;
          }
          expect(t.repo.head().oid).toBe(other);
          // No local change is lost: every locally changed path reads as it did before.
          for (const [path, value] of localBefore)
            expect({ path, value: working(path) }).toEqual({ path, value });
          if (!overlap) {
            t.repo.checkout('main');
            expect(observe(t.repo)).toEqual(before);
          }
        },
      ),
      fcParams(300),
    );
  });

  it('a clean checkout shows exactly the target tree (property)', () => {
    const filesArb = fileChangesArb;
    fc.assert(
      fc.property(filesArb, filesArb, (mainFiles, otherFiles) => {
        const t = TestRepo.create();
        const base = t.commit({ files: mainFiles });
        t.branch('other', base);
        t.commit({ branch: 'other', files: otherFiles });
        t.repo.checkout('other');
        expect(t.repo.status().clean).toBe(true);
        expect(t.repo.listTree('', { recursive: true })).toEqual(
          t.repo.listTree('', { recursive: true, commit: 'other' }),
        );
      }),
      fcParams(200),
    );
  });
});
