/**
 * The Repository facade: set-up of HEAD, HEAD/revision helpers, log delegation, listTree and
 * readAt over commits and the working tree, and following a HEAD moved by someone else.
 */
import fc from 'fast-check';
import { isGitError } from '../../../../src/core/errors/git-error';
import { FileMode } from '../../../../src/core/objects/file-mode';
import { Repository } from '../../../../src/core/repo/repository';
import { MemoryObjectStore } from '../../../../src/core/storage/memory/memory-object-store';
import { MemoryRefStore } from '../../../../src/core/storage/memory/memory-ref-store';
import { fcParams } from '../../../support/fast-check';
import { contentArb, fileChangesArb, repoPathArb } from '../../../support/repo-arbitraries';
import { TEST_AUTHOR, TestRepo } from '../../../support/test-repo';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (isGitError(error)) return error.code;
    throw error;
  }
}

describe('Repository', () => {
  describe('construction', () => {
    it('gives a new repository HEAD → refs/heads/main, unborn', () => {
      const repo = new Repository();
      expect(repo.refs.read('HEAD')).toEqual({
        name: 'HEAD',
        kind: 'symbolic',
        target: 'refs/heads/main',
      });
      expect(repo.head()).toEqual({ branch: 'main', oid: null });
    });

    it('honours another default branch', () => {
      expect(new Repository({ defaultBranch: 'trunk' }).head()).toEqual({
        branch: 'trunk',
        oid: null,
      });
    });

    it('opens existing stores as they are, with a clean working state at HEAD', () => {
      const t = TestRepo.create();
      const c1 = t.commit({ files: { a: '1' } });
      t.branch('dev', c1);
      t.repo.checkout('dev');
      const reopened = new Repository({ objects: t.repo.odb.store, refs: t.repo.refs });
      expect(reopened.head()).toEqual({ branch: 'dev', oid: c1 });
      expect(reopened.status().clean).toBe(true);
      expect(reopened.readWorking('a').content).toEqual(Buffer.from('1'));
    });

    it('uses the stores it is given', () => {
      const objects = new MemoryObjectStore();
      const refs = new MemoryRefStore();
      const repo = new Repository({ objects, refs });
      repo.add('a', '1');
      repo.commit({ message: 'm', author: TEST_AUTHOR });
      expect(objects.size).toBe(3);
      expect(refs.read('refs/heads/main')).toMatchObject({ kind: 'direct' });
    });
  });

  describe('resolve / resolveCommit / log', () => {
    it('resolves revisions and peels tags to commits', () => {
      const t = TestRepo.create();
      const c1 = t.commit({ files: { a: '1' } });
      const tag = t.tag('v1', c1, { message: 'annotated' });
      expect(t.repo.resolve('v1')).toBe(tag);
      expect(t.repo.resolveCommit('v1')).toBe(c1);
      expect(codeOf(() => t.repo.resolve('nope'))).toBe('REF_NOT_FOUND');
    });

    it('logs from HEAD by default, newest first, and lists nothing on an unborn branch', () => {
      const t = TestRepo.create();
      expect(t.repo.log()).toEqual({ commits: [], hasMore: false });
      const c1 = t.commit({ files: { a: '1' } });
      const c2 = t.commit({ files: { a: '2' } });
      const c3 = t.commit({ files: { b: '3' } });
      expect(t.repo.log().commits).toEqual([c3, c2, c1]);
      expect(t.repo.log({ limit: 2 })).toEqual({ commits: [c3, c2], hasMore: true });
      expect(t.repo.log({ from: 'main~1' }).commits).toEqual([c2, c1]);
      expect(t.repo.log({ path: 'b' }).commits).toEqual([c3]);
      expect(codeOf(() => t.repo.log({ from: 'nope' }))).toBe('REF_NOT_FOUND');
    });
  });

  describe('listTree', () => {
    function sample(): TestRepo {
      const t = TestRepo.create();
      t.commit({
        files: {
          'README.md': 'hello\n',
          'bin/run': { content: '#!/bin/sh\n', mode: FileMode.Executable },
          link: { content: 'README.md', mode: FileMode.Symlink },
          'src/a.ts': 'a',
          'src/lib/b.ts': 'bb',
        },
      });
      return t;
    }

    it('lists the immediate children of the root, sorted by path, with types, sizes, modes and ids', () => {
      const t = sample();
      const entries = t.repo.listTree('');
      expect(entries.map((e) => [e.name, e.path, e.type, e.size, e.mode])).toEqual([
        ['README.md', 'README.md', 'file', 6, '100644'],
        ['bin', 'bin', 'directory', 0, '40000'],
        ['link', 'link', 'symlink', 9, '120000'],
        ['src', 'src', 'directory', 0, '40000'],
      ]);
      const root = t.repo.odb.readTree(t.repo.headTree());
      for (const entry of entries)
        expect(entry.oid).toBe(root.find((e) => e.name === entry.name)?.oid);
    });

    it('lists every file below a directory when recursive, without directory entries', () => {
      const t = sample();
      expect(t.repo.listTree('src', { recursive: true }).map((e) => e.path)).toEqual([
        'src/a.ts',
        'src/lib/b.ts',
      ]);
      expect(t.repo.listTree('src').map((e) => [e.path, e.type])).toEqual([
        ['src/a.ts', 'file'],
        ['src/lib', 'directory'],
      ]);
    });

    it('yields the one entry for a file path', () => {
      const t = sample();
      expect(t.repo.listTree('bin/run').map((e) => [e.name, e.path, e.type, e.mode])).toEqual([
        ['run', 'bin/run', 'file', '100755'],
      ]);
    });

    it('fails with FILE_NOT_FOUND "path \'<p>\' not found" for a missing path, and lists an empty root', () => {
      const t = sample();
      expect(() => t.repo.listTree('nope')).toThrow("path 'nope' not found");
      expect(codeOf(() => t.repo.listTree('README.md/x'))).toBe('FILE_NOT_FOUND');
      expect(TestRepo.create().repo.listTree('')).toEqual([]);
    });

    it('shows the working tree by default and a commit on request', () => {
      const t = sample();
      t.repo.write('src/new.ts', 'n');
      t.repo.remove('README.md');
      expect(t.repo.listTree('').map((e) => e.name)).toEqual(['bin', 'link', 'src']);
      expect(t.repo.listTree('src').map((e) => e.name)).toEqual(['a.ts', 'lib', 'new.ts']);
      expect(t.repo.listTree('', { commit: 'HEAD' }).map((e) => e.name)).toEqual([
        'README.md',
        'bin',
        'link',
        'src',
      ]);
      expect(codeOf(() => t.repo.listTree('', { commit: 'nope' }))).toBe('REF_NOT_FOUND');
    });

    it('gives working-tree directories the id they get when committed (property)', () => {
      fc.assert(
        fc.property(
          fileChangesArb,
          fc.array(fc.tuple(repoPathArb, contentArb), { maxLength: 8 }),
          fc.array(repoPathArb, { maxLength: 3 }),
          (files, writes, removes) => {
            const t = TestRepo.create();
            t.commit({ files });
            for (const [path, content] of writes) {
              try {
                t.repo.write(path, content);
              } catch {
                // layout clashes are covered elsewhere
              }
            }
            for (const path of removes) {
              try {
                t.repo.remove(path);
              } catch {
                // missing paths are covered elsewhere
              }
            }
            const listings = new Map<string, string>();
            const dirs = [''];
            while (dirs.length > 0) {
              const dir = dirs.pop()!;
              for (const entry of t.repo.listTree(dir)) {
                if (entry.type === 'directory') {
                  listings.set(entry.path, entry.oid);
                  dirs.push(entry.path);
                }
              }
            }
            // Stage the whole working tree and commit it: each directory must keep its id.
            for (const change of t.repo.unstagedChanges()) {
              if (change.newOid === null) t.repo.remove(change.path);
              else t.repo.add(change.path, t.repo.readWorking(change.path).content);
            }
            for (const path of t.repo.status().untracked)
              t.repo.add(path, t.repo.readWorking(path).content);
            t.repo.commit({ message: 'all', author: TEST_AUTHOR, allowEmpty: true });
            for (const [dir, oid] of listings) {
              const committed = t.repo.listTree(dir.slice(0, Math.max(0, dir.lastIndexOf('/'))), {
                commit: 'HEAD',
              });
              expect({ dir, oid }).toEqual({
                dir,
                oid: committed.find((e) => e.path === dir)?.oid,
              });
            }
          },
        ),
        fcParams(200),
      );
    });
  });

  describe('readAt', () => {
    it('reads a file as committed at a revision, whatever the working tree holds', () => {
      const t = TestRepo.create();
      const c1 = t.commit({ files: { a: 'one' } });
      t.commit({ files: { a: 'two' } });
      t.repo.write('a', 'local');
      expect(t.repo.readAt(c1, 'a')).toMatchObject({
        path: 'a',
        mode: '100644',
        content: Buffer.from('one'),
      });
      expect(t.repo.readAt('HEAD', 'a').content).toEqual(Buffer.from('two'));
    });

    it('fails with FILE_NOT_FOUND, IS_A_DIRECTORY, REF_NOT_FOUND and path errors', () => {
      const t = TestRepo.create();
      t.commit({ files: { 'd/a': '1' } });
      expect(codeOf(() => t.repo.readAt('HEAD', 'nope'))).toBe('FILE_NOT_FOUND');
      expect(codeOf(() => t.repo.readAt('HEAD', 'd'))).toBe('IS_A_DIRECTORY');
      expect(codeOf(() => t.repo.readAt('HEAD~1', 'd/a'))).toBe('REF_NOT_FOUND');
      expect(codeOf(() => t.repo.readAt('HEAD', '../x'))).toBe('INVALID_FILE_PATH');
      expect(codeOf(() => TestRepo.create().repo.readAt('HEAD', 'a'))).toBe('REF_NOT_FOUND');
    });
  });

  describe('syncToHead', () => {
    it('follows a HEAD moved by someone else, carrying local changes that do not collide', () => {
      const t = TestRepo.create();
      t.commit({ files: { a: '1', b: '1' } });
      t.repo.write('b', 'local');
      const pushed = t.commit({ files: { a: '2' } });
      expect(t.repo.status().staged).toEqual(['a']);
      expect(t.repo.syncToHead()).toBe(true);
      expect(t.repo.working.baseTree).toBe(t.repo.odb.readCommit(pushed).tree);
      expect(t.repo.status()).toMatchObject({ staged: [], modified: ['b'] });
    });

    it('changes nothing and returns false when local changes collide with the move', () => {
      const t = TestRepo.create();
      t.commit({ files: { a: '1' } });
      t.repo.write('a', 'local');
      t.commit({ files: { a: '2' } });
      const before = t.repo.status();
      expect(t.repo.syncToHead()).toBe(false);
      expect(t.repo.status()).toEqual(before);
    });
  });
});
