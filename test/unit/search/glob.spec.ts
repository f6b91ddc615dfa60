/** Path globs (src/core/search/glob.ts). */
import { compileGlob, InvalidPatternError } from '../../../src/core';

describe('compileGlob', () => {
  it.each([
    ['*.ts', 'a.ts', true],
    ['*.ts', 'src/a.ts', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/x/a.ts', false],
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'src/x/a.ts', true],
    ['src/**', 'src', true],
    ['src/**', 'src/a/b.txt', true],
    ['src/**', 'srcx/a', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['[ab].txt', 'b.txt', true],
    ['[!ab].txt', 'a.txt', false],
    ['[^ab].txt', 'c.txt', true],
    ['[a-c]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['a.b', 'axb', false],
    ['a+b(c)', 'a+b(c)', true],
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['e*', 'école', false],
    ['é*', 'éa', true],
  ])('%s against %s is %s', (glob, path, expected) => {
    expect(compileGlob(glob)(path)).toBe(expected);
  });

  it('matches everything when empty or absent', () => {
    expect(compileGlob(undefined)('any/path')).toBe(true);
    expect(compileGlob('')('any/path')).toBe(true);
  });

  it('refuses an unclosed class', () => {
    expect(() => compileGlob('a[b')).toThrow(InvalidPatternError);
  });

  it('stays linear on many stars (RE2): a pathological glob answers', () => {
    const glob = `${'*a'.repeat(30)}b`;
    expect(compileGlob(glob)('a'.repeat(4000))).toBe(false);
  });
});
