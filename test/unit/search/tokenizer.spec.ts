/** Full-text tokens (src/core/search/tokenizer.ts). */
import { MAX_TOKEN_LENGTH, terms, tokenize } from '../../../src/core';

describe('tokenize', () => {
  it.each([
    ['parseHTTPRequest', ['parse', 'http', 'request']],
    ['snake_case-and-kebab', ['snake', 'case', 'and', 'kebab']],
    ['getURL2Fast', ['get', 'url2', 'fast']],
    ['Hello, World! 42', ['hello', 'world', '42']],
    ['ÉcoleNormale Straße', ['école', 'normale', 'straße']],
    ['ABC', ['abc']],
    ['', []],
  ])('%s → %j', (text, expected) => {
    expect(terms(text)).toEqual(expected);
  });

  it('gives the UTF-16 offsets of each token', () => {
    expect(tokenize('a fooBar')).toEqual([
      { term: 'a', start: 0, end: 1 },
      { term: 'foo', start: 2, end: 5 },
      { term: 'bar', start: 5, end: 8 },
    ]);
  });

  it('drops tokens longer than the limit', () => {
    expect(terms(`x ${'a'.repeat(MAX_TOKEN_LENGTH + 1)} y`)).toEqual(['x', 'y']);
  });
});
