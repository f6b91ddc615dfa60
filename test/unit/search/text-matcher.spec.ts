/** Text matching (src/core/search/text-matcher.ts, regex-literals.ts, case-fold.ts). */
import fc from 'fast-check';
import {
  InvalidPatternError,
  compileMatcher,
  foldCase,
  requiredLiterals,
  toByteRanges,
} from '../../../src/core';
import { fcParams } from '../../support/fast-check';

const MAX = 1000;
const ranges = (
  pattern: string,
  line: string,
  options: object = {},
): Array<readonly [number, number]> =>
  compileMatcher({ pattern, maxPatternLength: MAX, ...options }).matchLine(line);

function patternError(pattern: string): InvalidPatternError {
  try {
    compileMatcher({ pattern, regex: true, maxPatternLength: MAX });
  } catch (error) {
    if (error instanceof InvalidPatternError) return error;
    throw error;
  }
  throw new Error(`${pattern} compiled`);
}

describe('compileMatcher', () => {
  it('finds every non-overlapping substring, case-insensitively by default', () => {
    expect(ranges('ab', 'xAbab aB')).toEqual([
      [1, 3],
      [3, 5],
      [6, 8],
    ]);
    expect(ranges('ab', 'xAbab aB', { caseSensitive: true })).toEqual([[3, 5]]);
    expect(ranges('aa', 'aaa')).toEqual([[0, 2]]);
  });

  it('folds non-ASCII letters and reports UTF-8 byte ranges', () => {
    const line = 'Ça, ÉCOLE 😀 école';
    const found = ranges('école', line);
    expect(found).toHaveLength(2);
    expect(toByteRanges(line, found)).toEqual([
      { start: 5, end: 11 },
      { start: 17, end: 23 },
    ]);
  });

  it('runs RE2 regexes, case-insensitive unless asked', () => {
    expect(ranges('b+', 'aBbb', { regex: true })).toEqual([[1, 4]]);
    expect(ranges('b+', 'aBbb', { regex: true, caseSensitive: true })).toEqual([[2, 4]]);
    expect(ranges('x*', 'ab', { regex: true })).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
  });

  it('applies whole-word and whole-line rules like git grep', () => {
    expect(ranges('foo', 'foobar foo_x foo', { wordRegexp: true })).toEqual([[13, 16]]);
    expect(ranges('fo+', 'fooo foox', { regex: true, wordRegexp: true })).toEqual([[0, 4]]);
    expect(ranges('ab', 'AB', { lineRegexp: true })).toEqual([[0, 2]]);
    expect(ranges('ab', 'abc', { lineRegexp: true })).toEqual([]);
    expect(ranges('a|abc', 'abc', { regex: true, lineRegexp: true })).toEqual([[0, 3]]);
  });

  it('returns, correctly, for the ReDoS pattern (a+)+$ on a long line', () => {
    const matcher = compileMatcher({ pattern: '(a+)+$', regex: true, maxPatternLength: MAX });
    expect(matcher.matchLine(`${'a'.repeat(100_000)}!`)).toEqual([]);
    expect(matcher.matchLine(`b${'a'.repeat(100_000)}`)).toEqual([[1, 100_001]]);
  });

  it.each([
    ['(a)\\1', /backreferences are not supported/, 3],
    ['(?=a)b', /lookahead and lookbehind are not supported/, 0],
    ['(?<!a)b', /lookahead and lookbehind are not supported/, 0],
    ['ab++', /possessive quantifiers are not supported/, 2],
    ['é(', /missing closing \)/, undefined],
    ['[a', /missing closing ]/, 0],
  ])('refuses %s with INVALID_PATTERN', (pattern, reason, position) => {
    const error = patternError(pattern);
    expect(error.code).toBe('INVALID_PATTERN');
    expect(error.message).toMatch(reason);
    if (position !== undefined) expect(error.details).toEqual({ position });
  });

  it('refuses patterns over the length limit, literal or regex', () => {
    expect(() => compileMatcher({ pattern: 'xx', maxPatternLength: 1 })).toThrow(/longer than 1/);
  });
});

describe('requiredLiterals', () => {
  it.each([
    ['hello world', ['hello world']],
    ['foo.*barbaz', ['foo', 'barbaz']],
    ['abcd?ef', ['abc']],
    ['ab(cd)efg', ['efg']],
    ['needle\\w+x', ['needle']],
    ['a\\.bcd', ['a.bcd']],
    ['foo|barbaz', []],
    ['x{0,2}yzw', ['yzw']],
    ['[abc]def', ['def']],
  ])('%s → %j', (pattern, expected) => {
    expect(requiredLiterals(pattern)).toEqual(expected);
  });

  it('never names a literal a matching line lacks (property)', () => {
    const atoms = [
      'a',
      'b',
      'ab',
      'abc',
      '.',
      'a*',
      'b+',
      '(ab|c)',
      '[ab]',
      '\\w',
      'c?',
      'x{2}',
      '\\.',
      '|',
      'é',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...atoms), { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom('a', 'b', 'c', 'x', '.', 'é', 'A'), { maxLength: 12 }),
        (parts, chars) => {
          const pattern = parts.join('');
          const line = chars.join('');
          const matcher = compileMatcher({ pattern, regex: true, maxPatternLength: MAX });
          if (matcher.matchLine(line).length === 0) return;
          for (const literal of matcher.literals) expect(foldCase(line)).toContain(literal);
          expect(matcher.mayMatch(line)).toBe(true);
        },
      ),
      fcParams(300),
    );
  });
});
