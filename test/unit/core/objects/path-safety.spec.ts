/**
 * Path safety is the engine's last line against checkouts that escape the work tree or write
 * into `.git` on case-insensitive or name-mangling file systems (RELIABILITY P9, D1). The table
 * pins each rule to the error class and code clients see.
 */
import fc from 'fast-check';
import type { GitError } from '../../../../src/core/errors/git-error';
import { EmptyPathError, InvalidFilePathError } from '../../../../src/core/errors/path-errors';
import {
  basename,
  dirname,
  isDotGitComponent,
  MAX_PATH_BYTES,
  validateFilePath,
} from '../../../../src/core/objects/path-safety';
import { fcParams } from '../../../support/fast-check';
import { fsckCleanNameArb } from '../../../support/object-arbitraries';

type ErrorClass = new (...args: never[]) => GitError;

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error: unknown) {
    return error;
  }
  return undefined;
}

describe('validateFilePath', () => {
  it.each([
    ['a/b.txt'],
    ['.env'],
    ['.gitignore'],
    ['.gitattributes'],
    ['.github/workflows/ci.yml'],
    ['dir/ünïcödé/😀.md'],
    ['中文/文件.txt'],
    ['a.b/a0/a-'],
    ['git~2'],
    ['x'.repeat(MAX_PATH_BYTES)],
  ])('accepts %j unchanged', (path) => {
    expect(validateFilePath(path)).toBe(path);
  });

  const rejected: Array<[string, string, string, ErrorClass]> = [
    ['the empty path', 'INVALID_PATH', '', EmptyPathError],
    ['an absolute path', 'INVALID_FILE_PATH', '/abs', InvalidFilePathError],
    ['a drive path with a backslash', 'INVALID_FILE_PATH', 'C:\\x', InvalidFilePathError],
    ['a drive-relative path', 'INVALID_FILE_PATH', 'C:x', InvalidFilePathError],
    ['an empty component', 'INVALID_FILE_PATH', 'a//b', InvalidFilePathError],
    ['a trailing slash', 'INVALID_FILE_PATH', 'a/', InvalidFilePathError],
    ['a lone dot', 'INVALID_FILE_PATH', '.', InvalidFilePathError],
    ['a lone dot-dot', 'INVALID_FILE_PATH', '..', InvalidFilePathError],
    ['a dot-dot component', 'INVALID_FILE_PATH', 'a/../b', InvalidFilePathError],
    ['a dot component', 'INVALID_FILE_PATH', 'a/./b', InvalidFilePathError],
    ['a NUL byte', 'INVALID_FILE_PATH', 'a\0b', InvalidFilePathError],
    ['a newline', 'INVALID_FILE_PATH', 'a\nb', InvalidFilePathError],
    ['an escape character', 'INVALID_FILE_PATH', 'a\u001bb', InvalidFilePathError],
    ['a DEL character', 'INVALID_FILE_PATH', 'a\u007f', InvalidFilePathError],
    ['a backslash', 'INVALID_FILE_PATH', 'a\\b', InvalidFilePathError],
    ['a backslash traversal', 'INVALID_FILE_PATH', 'a\\..\\b', InvalidFilePathError],
    ['.git', 'INVALID_FILE_PATH', '.git', InvalidFilePathError],
    ['.git below a directory', 'INVALID_FILE_PATH', 'sub/.git/config', InvalidFilePathError],
    ['.GIT in upper case', 'INVALID_FILE_PATH', '.GIT', InvalidFilePathError],
    ['.Git in mixed case', 'INVALID_FILE_PATH', 'a/.Git/hooks/pre-commit', InvalidFilePathError],
    ['.git with a trailing dot', 'INVALID_FILE_PATH', '.git.', InvalidFilePathError],
    ['.git with a trailing space', 'INVALID_FILE_PATH', '.git ', InvalidFilePathError],
    ['.git with trailing dots and spaces', 'INVALID_FILE_PATH', '.git . .', InvalidFilePathError],
    [
      'an NTFS stream of .git',
      'INVALID_FILE_PATH',
      '.git::$INDEX_ALLOCATION',
      InvalidFilePathError,
    ],
    ['.git with a zero-width non-joiner', 'INVALID_FILE_PATH', '.g\u200cit', InvalidFilePathError],
    ['.git with a byte-order mark', 'INVALID_FILE_PATH', '\ufeff.git', InvalidFilePathError],
    ['.git with a right-to-left mark', 'INVALID_FILE_PATH', '.gi\u200ft', InvalidFilePathError],
    ['the 8.3 short name git~1', 'INVALID_FILE_PATH', 'git~1', InvalidFilePathError],
    ['the 8.3 short name GIT~1', 'INVALID_FILE_PATH', 'GIT~1', InvalidFilePathError],
    ['a 4097-byte path', 'INVALID_FILE_PATH', 'a'.repeat(MAX_PATH_BYTES + 1), InvalidFilePathError],
    [
      'a path of 4097 UTF-8 bytes in fewer characters',
      'INVALID_FILE_PATH',
      `${'é'.repeat(2048)}a`,
      InvalidFilePathError,
    ],
    ['a lone high surrogate', 'INVALID_FILE_PATH', 'a\ud800b', InvalidFilePathError],
    ['a lone low surrogate', 'INVALID_FILE_PATH', 'a\udc00', InvalidFilePathError],
  ];

  it.each(rejected)('rejects %s with %s', (_label, code, path, errorClass) => {
    const error = thrownBy(() => validateFilePath(path));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ code, kind: 'invalid-argument' });
  });

  it('names the offending path and the rule in the error details', () => {
    const error = thrownBy(() => validateFilePath('a/../b'));
    expect(error).toBeInstanceOf(InvalidFilePathError);
    expect((error as InvalidFilePathError).details).toEqual({
      path: 'a/../b',
      reason: "'..' component",
    });
  });

  it('accepts every slash-joined path of fsck-clean names', () => {
    fc.assert(
      fc.property(fc.array(fsckCleanNameArb, { minLength: 1, maxLength: 5 }), (components) => {
        const path = components.join('/');
        fc.pre(Buffer.byteLength(path) <= MAX_PATH_BYTES && !/^[A-Za-z]:/.test(path));
        expect(validateFilePath(path)).toBe(path);
      }),
      fcParams(300),
    );
  });

  it('rejects any path with a .git component spelled in any case', () => {
    const dotGitArb = fc
      .array(fc.boolean(), { minLength: 3, maxLength: 3 })
      .map(
        (upper) => `.${['g', 'i', 't'].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')}`,
      );
    fc.assert(
      fc.property(
        fc.array(fsckCleanNameArb, { maxLength: 3 }),
        dotGitArb,
        fc.array(fsckCleanNameArb, { maxLength: 3 }),
        (before, dotGit, after) => {
          expect(() => validateFilePath([...before, dotGit, ...after].join('/'))).toThrow(
            InvalidFilePathError,
          );
        },
      ),
      fcParams(200),
    );
  });
});

describe('isDotGitComponent', () => {
  it.each([
    '.git',
    '.GIT',
    '.git.',
    '.git  ',
    '.git::$INDEX_ALLOCATION',
    '.g\u200cit',
    'git~1',
    'Git~1',
  ])('treats %j as the git directory', (name) => {
    expect(isDotGitComponent(name)).toBe(true);
  });

  it.each(['.gitignore', '.gitmodules', 'git', '.gi', 'git~10', 'x.git', '.git-foo'])(
    'treats %j as an ordinary name',
    (name) => {
      expect(isDotGitComponent(name)).toBe(false);
    },
  );
});

describe('dirname and basename', () => {
  it.each([
    ['a/b/c.txt', 'a/b', 'c.txt'],
    ['top.txt', '', 'top.txt'],
    ['dir/😀', 'dir', '😀'],
  ])('splits %j into %j and %j', (path, dir, base) => {
    expect(dirname(path)).toBe(dir);
    expect(basename(path)).toBe(base);
  });
});
