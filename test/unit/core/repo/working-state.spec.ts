/**
 * The working-state operations of the contract (§3.2 add, §3.3 write/remove/move/read): what
 * each does to the working tree and the index, their error codes, and that a failure changes
 * nothing. A property test drives random operation sequences against a naive model.
 */
import fc from 'fast-check';
import { isGitError } from '../../../../src/core/errors/git-error';
import { FileMode } from '../../../../src/core/objects/file-mode';
import type { Repository } from '../../../../src/core/repo/repository';
import { fcParams } from '../../../support/fast-check';
import { contentArb, repoPathArb, writableModeArb } from '../../../support/repo-arbitraries';
import { TEST_AUTHOR, TestRepo } from '../../../support/test-repo';
import { WorkingModel, type ModelOutcome } from '../../../support/working-model';

function text(repo: Repository, path: string): string {
  return Buffer.from(repo.readWorking(path).content).toString('utf8');
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (isGitError(error)) return error.code;
    throw error;
  }
}

function committed(files: Record<string, string>): Repository {
  const t = TestRepo.create();
  t.commit({ files });
  return t.repo;
}

describe('WorkingState via Repository', () => {
  describe('add', () => {
    it('writes the working tree and stages the file', () => {
      const repo = TestRepo.create().repo;
      repo.add('dir/a.txt', 'hello');
      expect(text(repo, 'dir/a.txt')).toBe('hello');
      expect(repo.status()).toMatchObject({ staged: ['dir/a.txt'], modified: [], untracked: [] });
    });

    it('defaults to the current mode of the path, else 100644', () => {
      const repo = committed({});
      repo.add('run.sh', '#!/bin/sh', FileMode.Executable);
      repo.add('run.sh', 'echo hi');
      repo.add('plain', 'x');
      expect(repo.readWorking('run.sh').mode).toBe(FileMode.Executable);
      expect(repo.readWorking('plain').mode).toBe(FileMode.Regular);
    });

    it('stores a symlink with its target as content', () => {
      const repo = committed({});
      const entry = repo.add('link', 'target/file', FileMode.Symlink);
      expect(entry.mode).toBe(FileMode.Symlink);
      expect(text(repo, 'link')).toBe('target/file');
    });

    it('accepts empty content for a regular file', () => {
      const repo = committed({});
      repo.add('empty', '');
      expect(repo.readWorking('empty').content).toHaveLength(0);
      expect(repo.readWorking('empty').oid).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    });

    it('rejects an unsupported mode or an empty symlink target with INVALID_FILE_CONTENT', () => {
      const repo = committed({});
      expect(codeOf(() => repo.add('x', 'y', '100600'))).toBe('INVALID_FILE_CONTENT');
      expect(codeOf(() => repo.add('x', '', FileMode.Symlink))).toBe('INVALID_FILE_CONTENT');
      expect(repo.status().clean).toBe(true);
    });

    it('rejects a file below a file and a file in place of a directory', () => {
      const repo = committed({ a: '1', 'd/x': '2' });
      expect(codeOf(() => repo.add('a/b', 'z'))).toBe('INVALID_FILE_CONTENT');
      expect(codeOf(() => repo.add('d', 'z'))).toBe('INVALID_FILE_CONTENT');
      expect(repo.status().clean).toBe(true);
    });

    it('rejects unsafe paths with INVALID_FILE_PATH and an empty one with INVALID_PATH', () => {
      const repo = committed({});
      for (const path of ['/abs', 'a//b', '../x', 'a/.git/config', '.GIT', 'a\\b', 'x/']) {
        expect(codeOf(() => repo.add(path, 'x'))).toBe('INVALID_FILE_PATH');
      }
      expect(codeOf(() => repo.add('', 'x'))).toBe('INVALID_PATH');
    });

    it('allows a file where a directory was once every file below it is removed', () => {
      const repo = committed({ 'd/x': '1', 'd/y': '2' });
      repo.remove('d/x');
      repo.remove('d/y');
      repo.add('d', 'now a file');
      expect(text(repo, 'd')).toBe('now a file');
      expect(repo.status().staged).toEqual(['d', 'd/x', 'd/y']);
    });

    it('unstages itself when the content goes back to HEAD', () => {
      const repo = committed({ a: '1' });
      repo.add('a', '2');
      repo.add('a', '1');
      expect(repo.status().clean).toBe(true);
    });
  });

  describe('write', () => {
    it('changes the working tree only: a tracked file shows as modified, a new one as untracked', () => {
      const repo = committed({ a: '1' });
      repo.write('a', '2');
      repo.write('new', 'n');
      expect(text(repo, 'a')).toBe('2');
      expect(repo.status()).toMatchObject({ staged: [], modified: ['a'], untracked: ['new'] });
    });

    it('keeps the mode of the file it overwrites', () => {
      const repo = committed({});
      repo.add('run.sh', 'a', FileMode.Executable);
      repo.write('run.sh', 'b');
      expect(repo.readWorking('run.sh').mode).toBe(FileMode.Executable);
    });

    it('checks the layout against the working tree only', () => {
      const repo = committed({ a: '1' });
      expect(codeOf(() => repo.write('a/b', 'x'))).toBe('INVALID_FILE_CONTENT');
    });
  });

  describe('remove', () => {
    it('removes a file from working tree and index and returns it', () => {
      const repo = committed({ a: '1', b: '2' });
      expect(repo.remove('a')).toEqual(['a']);
      expect(codeOf(() => repo.readWorking('a'))).toBe('FILE_NOT_FOUND');
      expect(repo.status()).toMatchObject({ staged: ['a'], removed: ['a'] });
    });

    it('removes a directory with everything below it, sorted by path', () => {
      const repo = committed({ 'd/x': '1', 'd/sub/y': '2', 'd.txt': '3' });
      repo.write('d/untracked', 'u');
      expect(repo.remove('d')).toEqual(['d/sub/y', 'd/untracked', 'd/x']);
      expect(repo.listTree('', { recursive: true }).map((e) => e.path)).toEqual(['d.txt']);
    });

    it('fails with FILE_NOT_FOUND for a missing path', () => {
      const repo = committed({ a: '1' });
      expect(codeOf(() => repo.remove('nope'))).toBe('FILE_NOT_FOUND');
    });
  });

  describe('move', () => {
    it('moves a file, staging both sides', () => {
      const repo = committed({ a: '1' });
      expect(repo.move('a', 'dir/b')).toEqual(['dir/b']);
      expect(text(repo, 'dir/b')).toBe('1');
      expect(repo.status()).toMatchObject({
        staged: ['a', 'dir/b'],
        removed: ['a'],
        modified: [],
        untracked: [],
      });
    });

    it('moves the working copy, including unstaged edits', () => {
      const repo = committed({ a: '1' });
      repo.write('a', 'edited');
      repo.move('a', 'b');
      expect(text(repo, 'b')).toBe('edited');
      expect(repo.status()).toMatchObject({ staged: ['a', 'b'], modified: [] });
    });

    it('moves a directory with its contents', () => {
      const repo = committed({ 'src/a': '1', 'src/sub/b': '2', other: '3' });
      expect(repo.move('src', 'lib')).toEqual(['lib/a', 'lib/sub/b']);
      expect(repo.listTree('', { recursive: true }).map((e) => e.path)).toEqual([
        'lib/a',
        'lib/sub/b',
        'other',
      ]);
    });

    it('overwrites an existing file at the destination', () => {
      const repo = committed({ a: '1', b: '2' });
      repo.move('a', 'b');
      expect(text(repo, 'b')).toBe('1');
      expect(repo.status().staged).toEqual(['a', 'b']);
    });

    it('may move a file onto the directory that only it occupied', () => {
      const repo = committed({ 'a/b': '1' });
      repo.move('a/b', 'a');
      expect(text(repo, 'a')).toBe('1');
    });

    it('rejects a destination inside the source with INVALID_FILE_PATH', () => {
      const repo = committed({ 'd/x': '1' });
      expect(codeOf(() => repo.move('d', 'd/sub'))).toBe('INVALID_FILE_PATH');
      expect(codeOf(() => repo.move('d', 'd'))).toBe('INVALID_FILE_PATH');
    });

    it('fails with FILE_NOT_FOUND "source file ... not found" for a missing source', () => {
      const repo = committed({});
      expect(() => repo.move('nope', 'x')).toThrow("source file 'nope' not found");
    });

    it('changes nothing when the destination is an existing directory', () => {
      const repo = committed({ a: '1', 'd/x': '2' });
      const before = repo.status();
      expect(codeOf(() => repo.move('a', 'd'))).toBe('INVALID_FILE_CONTENT');
      expect(repo.status()).toEqual(before);
      expect(text(repo, 'a')).toBe('1');
    });

    it('changes nothing when a later file of a directory move clashes', () => {
      const repo = committed({ 'src/a': '1', 'src/b/c': '2', 'lib/b': 'file' });
      expect(codeOf(() => repo.move('src', 'lib'))).toBe('INVALID_FILE_CONTENT');
      expect(repo.status().clean).toBe(true);
      expect(repo.listTree('', { recursive: true }).map((e) => e.path)).toEqual([
        'lib/b',
        'src/a',
        'src/b/c',
      ]);
    });
  });

  describe('readWorking', () => {
    it('returns content, mode and blob id', () => {
      const repo = committed({ 'a.txt': 'hello\n' });
      expect(repo.readWorking('a.txt')).toEqual({
        path: 'a.txt',
        mode: FileMode.Regular,
        oid: 'ce013625030ba8dba906f756967f9e9ca394464a',
        content: Buffer.from('hello\n'),
      });
    });

    it('fails with IS_A_DIRECTORY for a directory and FILE_NOT_FOUND for a missing path', () => {
      const repo = committed({ 'd/x': '1' });
      expect(codeOf(() => repo.readWorking('d'))).toBe('IS_A_DIRECTORY');
      expect(codeOf(() => repo.readWorking('d/y'))).toBe('FILE_NOT_FOUND');
      expect(codeOf(() => repo.readWorking('d/x/z'))).toBe('FILE_NOT_FOUND');
    });
  });

  it('agrees with a naive model for random operation sequences (property)', () => {
    const opArb = fc.oneof(
      fc.record({
        op: fc.constant('add' as const),
        path: repoPathArb,
        content: contentArb,
        mode: writableModeArb,
      }),
      fc.record({ op: fc.constant('write' as const), path: repoPathArb, content: contentArb }),
      fc.record({ op: fc.constant('remove' as const), path: repoPathArb }),
      fc.record({ op: fc.constant('move' as const), from: repoPathArb, to: repoPathArb }),
      fc.record({ op: fc.constant('commit' as const) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const t = TestRepo.create();
        const repo = t.repo;
        const model = new WorkingModel();
        for (const step of ops) {
          let expected: ModelOutcome;
          let actual: string | undefined;
          switch (step.op) {
            case 'add':
              expected = model.add(step.path, step.content, step.mode);
              actual = codeOf(() => repo.add(step.path, step.content, step.mode));
              break;
            case 'write':
              expected = model.write(step.path, step.content);
              actual = codeOf(() => repo.write(step.path, step.content));
              break;
            case 'remove':
              expected = model.remove(step.path);
              actual = codeOf(() => repo.remove(step.path));
              break;
            case 'move':
              expected = model.move(step.from, step.to);
              actual = codeOf(() => repo.move(step.from, step.to));
              break;
            case 'commit':
              t.clock.tick();
              expected = model.commit();
              actual = codeOf(() => repo.commit({ message: 'm', author: TEST_AUTHOR }));
              break;
          }
          expect({ step, code: actual }).toEqual({ step, code: expected });
          const { branch, ...status } = repo.status();
          expect(branch).toBe('main');
          expect(status).toEqual(model.status());
        }
        // Every working-tree file reads back as the model has it, and nothing else exists.
        const listed = repo.listTree('', { recursive: true });
        expect(listed.map((e) => e.path).sort()).toEqual([...model.worktree.keys()].sort());
        for (const [path, file] of model.worktree) {
          expect({ path, mode: repo.readWorking(path).mode, content: text(repo, path) }).toEqual({
            path,
            ...file,
          });
        }
        // Immediate children of every directory: files as files, the rest as directories.
        const dirs = new Set(['']);
        for (const path of model.worktree.keys()) {
          const parts = path.split('/');
          for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
        }
        for (const dir of dirs) {
          const expected = new Map<string, string>();
          for (const path of model.worktree.keys()) {
            if (dir !== '' && !path.startsWith(`${dir}/`)) continue;
            const rest = dir === '' ? path : path.slice(dir.length + 1);
            const slash = rest.indexOf('/');
            expected.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'leaf' : 'directory');
          }
          const listed = repo
            .listTree(dir)
            .map((e) => [e.name, e.type === 'directory' ? 'directory' : 'leaf']);
          expect({ dir, listed: listed.sort() }).toEqual({ dir, listed: [...expected].sort() });
        }
      }),
      fcParams(300),
    );
  });
});
