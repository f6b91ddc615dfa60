/**
 * Ref name rules: git's check-ref-format for full names, and the contract's (§0.7) stricter
 * branch and tag names. Agreement with the real git is checked in test/interop.
 */
import fc from 'fast-check';
import {
  InvalidBranchNameError,
  InvalidTagNameError,
} from '../../../../src/core/errors/ref-errors';
import {
  isValidRefName,
  shortRefNameProblem,
  validateBranchName,
  validateTagName,
} from '../../../../src/core/refs/ref-name';
import { fcParams } from '../../../support/fast-check';

describe('isValidRefName', () => {
  it.each([
    'refs/heads/main',
    'refs/heads/feature/x',
    'refs/tags/v1.0',
    'refs/heads/-dash',
    'refs/heads/a./b',
    'refs/heads/ünï',
  ])('accepts %s', (name) => {
    expect(isValidRefName(name)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['main', 'one level'],
    ['@', 'the single @'],
    ['refs/heads/a b', 'space'],
    ['refs/heads/a\tb', 'tab'],
    ['refs/heads/a\x7fb', 'DEL'],
    ['refs/heads/a~1', 'tilde'],
    ['refs/heads/a^', 'caret'],
    ['refs/heads/a:b', 'colon'],
    ['refs/heads/a?', 'question mark'],
    ['refs/heads/a*', 'star'],
    ['refs/heads/a[b', 'bracket'],
    ['refs/heads/a\\b', 'backslash'],
    ['refs/heads/a..b', 'double dot'],
    ['refs/heads/a@{b', 'at-brace'],
    ['refs/heads/a.', 'trailing dot'],
    ['refs/heads/', 'trailing slash'],
    ['/refs/heads/a', 'leading slash'],
    ['refs//heads/a', 'double slash'],
    ['refs/heads/.hidden', 'component starting with a dot'],
    ['refs/heads/x.lock', 'component ending with .lock'],
    ['refs/heads/x.lock/y', 'inner component ending with .lock'],
  ])('rejects %j (%s)', (name) => {
    expect(isValidRefName(name)).toBe(false);
  });

  it('accepts one-level names only when asked to', () => {
    expect(isValidRefName('HEAD')).toBe(false);
    expect(isValidRefName('HEAD', { allowOneLevel: true })).toBe(true);
  });
});

describe('validateBranchName', () => {
  it.each([
    'main',
    'feature/x',
    'release-1.2',
    'a/b/c',
    'ünïcødé',
    'x'.repeat(255),
    'a@b',
    'refs/heads/odd-but-legal',
  ])('accepts %j', (name) => {
    expect(() => validateBranchName(name)).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['x'.repeat(256), 'over 255 bytes'],
    ['é'.repeat(128), 'over 255 bytes in UTF-8 though 128 characters'],
    ['a b', 'space'],
    ['a\u00a0b', 'no-break space'],
    ['a\nb', 'newline'],
    ['a\u0085b', 'C1 control'],
    ['a~b', 'tilde'],
    ['a^b', 'caret'],
    ['a:b', 'colon'],
    ['a?b', 'question mark'],
    ['a*b', 'star'],
    ['a[b', 'bracket'],
    ['a\\b', 'backslash'],
    ['a..b', 'double dot'],
    ['a//b', 'double slash'],
    ['a@{1}', 'at-brace'],
    ['@', 'the single @'],
    ['HEAD', 'HEAD'],
    ['-x', 'leading dash'],
    ['/x', 'leading slash'],
    ['x/', 'trailing slash'],
    ['x.', 'trailing dot'],
    ['.x', 'leading dot'],
    ['a/.x', 'component with a leading dot'],
    ['x.lock', '.lock suffix'],
    ['a.lock/b', 'component with a .lock suffix'],
  ])('rejects %j (%s) with INVALID_BRANCH_NAME and a reason', (name) => {
    let caught: unknown;
    try {
      validateBranchName(name);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidBranchNameError);
    const error = caught as InvalidBranchNameError;
    expect(error.code).toBe('INVALID_BRANCH_NAME');
    expect(error.details).toEqual({ name, reason: expect.any(String) });
  });

  it('never accepts a name whose full ref git would reject', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            'a',
            'b',
            '/',
            '.',
            '-',
            '@',
            '{',
            '}',
            ' ',
            '~',
            'l',
            'o',
            'c',
            'k',
            '\x01',
          ),
        }),
        (name) => {
          if (shortRefNameProblem(name) === undefined)
            expect(isValidRefName(`refs/heads/${name}`)).toBe(true);
        },
      ),
      fcParams(500),
    );
  });
});

describe('validateTagName', () => {
  it('accepts the names branches accept', () => {
    expect(() => validateTagName('v1.0.0')).not.toThrow();
    expect(() => validateTagName('releases/2024')).not.toThrow();
  });

  it('rejects with INVALID_TAG_NAME', () => {
    expect(() => validateTagName('v1..0')).toThrow(InvalidTagNameError);
    expect(() => validateTagName('HEAD')).toThrow(InvalidTagNameError);
  });
});
