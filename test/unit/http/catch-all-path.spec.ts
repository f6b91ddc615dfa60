import { joinCatchAll, queryFilePath } from '../../../src/http/catch-all-path';

describe('catch-all paths', () => {
  it('joins the decoded segments Express matched', () => {
    expect(joinCatchAll(['a', 'b/c.txt'])).toBe('a/b/c.txt');
    expect(joinCatchAll(['x'])).toBe('x');
    expect(joinCatchAll('single')).toBe('single');
    expect(joinCatchAll(undefined)).toBe('');
  });

  it('drops one leading and one trailing slash, and no more', () => {
    expect(joinCatchAll(['', 'a'])).toBe('a');
    expect(joinCatchAll(['', '', 'a'])).toBe('/a');
    expect(joinCatchAll(['a', ''])).toBe('a');
    expect(joinCatchAll(['a', '', ''])).toBe('a/');
  });

  it('keeps what the engine must judge: dot segments, NUL, backslashes', () => {
    expect(joinCatchAll(['..', 'x'])).toBe('../x');
    expect(joinCatchAll(['a\u0000b'])).toBe('a\u0000b');
    expect(joinCatchAll(['a\\b'])).toBe('a\\b');
  });

  it('drops one leading slash from query paths', () => {
    expect(queryFilePath('/a.txt')).toBe('a.txt');
    expect(queryFilePath('//a.txt')).toBe('/a.txt');
    expect(queryFilePath('a.txt')).toBe('a.txt');
  });
});
