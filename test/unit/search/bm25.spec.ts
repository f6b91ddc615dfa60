/** BM25 ranking (src/core/search/bm25.ts, fulltext-search.ts) on a hand-checked example. */
import {
  RepositorySearchIndex,
  bm25TermScore,
  parseFulltextQuery,
  searchFulltext,
} from '../../../src/core';
import { TestRepo } from '../../support/test-repo';

// Three documents, average length 3 tokens:
//   d1 "apple banana apple" (3)   d2 "banana cherry" (2)   d3 "cherry cherry cherry date" (4)
// apple:  df 1, idf = ln(1 + 2.5/1.5) = 0.980829; d1: tf 2, norm 1    → 0.980829·4.4/3.2 = 1.3486
// cherry: df 2, idf = ln(1 + 1.5/2.5) = 0.470004; d2: tf 1, norm 0.75 → 0.470004·2.2/1.9 = 0.5442
//                                                d3: tf 3, norm 1.25 → 0.470004·6.6/4.5 = 0.6893
function example(): { repo: TestRepo; index: RepositorySearchIndex } {
  const repo = TestRepo.create();
  repo.commit({
    files: {
      'd1.txt': 'apple banana apple\n',
      'd2.txt': 'banana cherry\n',
      'd3.txt': 'cherry cherry cherry date\n',
    },
  });
  const index = new RepositorySearchIndex({ maxFileSize: 1 << 20 });
  index.sync(repo.repo);
  return { repo, index };
}

function run(query: string): Array<[string, number]> {
  const { repo, index } = example();
  const { hits } = searchFulltext(
    repo.repo.odb,
    index.blobIndex,
    index.indexedFiles(),
    parseFulltextQuery(query),
    { offset: 0, limit: 10 },
  );
  return hits.map((hit) => [hit.path, hit.score]);
}

describe('BM25', () => {
  it('scores a single term by the formula', () => {
    const stats = { documents: 3, averageLength: 3 };
    expect(bm25TermScore(stats, 1, 2, 3)).toBeCloseTo(1.34864, 5);
    expect(bm25TermScore(stats, 2, 1, 2)).toBeCloseTo(0.544215, 5);
    expect(bm25TermScore(stats, 2, 3, 4)).toBeCloseTo(0.689339, 5);
    expect(bm25TermScore(stats, 2, 0, 4)).toBe(0);
  });

  it('ranks the hand-checked example, scores rounded to 4 decimals', () => {
    expect(run('apple')).toEqual([['d1.txt', 1.3486]]);
    expect(run('cherry')).toEqual([
      ['d3.txt', 0.6893],
      ['d2.txt', 0.5442],
    ]);
  });

  it('sums over query terms and applies +, - and phrases', () => {
    expect(run('apple cherry').map(([path]) => path)).toEqual(['d1.txt', 'd3.txt', 'd2.txt']);
    expect(run('+banana cherry').map(([path]) => path)).toEqual(['d2.txt', 'd1.txt']);
    expect(run('banana -apple').map(([path]) => path)).toEqual(['d2.txt']);
    expect(run('"cherry date"').map(([path]) => path)).toEqual(['d3.txt']);
    expect(run('"date cherry"')).toEqual([]);
    expect(run('cherry path:d2.*').map(([path]) => path)).toEqual(['d2.txt']);
  });

  it('refuses a query with no searchable term', () => {
    expect(() => parseFulltextQuery('-apple path:*.txt')).toThrow(/no searchable term/);
  });
});
