/**
 * Path quoting decides how every diff header and name list spells a path; git's default
 * (core.quotePath=true) octal-escapes non-ASCII bytes, and clients that parse patches expect it.
 */
import { quotePath, quotePrefixedPath } from '../../../../src/core/diff/path-quoting';

describe('quotePath', () => {
  it('leaves plain ASCII paths, spaces included, unquoted', () => {
    expect(quotePath('dir/a b.txt')).toBe('dir/a b.txt');
  });

  it('escapes non-ASCII bytes in octal and wraps the path in quotes', () => {
    expect(quotePath('café')).toBe('"caf\\303\\251"');
    expect(quotePath('😀')).toBe('"\\360\\237\\230\\200"');
  });

  it('uses C escapes for tab, newline, quote and backslash, octal for other controls', () => {
    expect(quotePath('a\tb\nc"d\\e\x01\x7f')).toBe('"a\\tb\\nc\\"d\\\\e\\001\\177"');
  });
});

describe('quotePrefixedPath', () => {
  it('quotes prefix and path as one string when the path needs it', () => {
    expect(quotePrefixedPath('a/', 'x.txt')).toBe('a/x.txt');
    expect(quotePrefixedPath('b/', 'é')).toBe('"b/\\303\\251"');
  });
});
