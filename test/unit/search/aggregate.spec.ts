/** Commit aggregation (src/core/search/aggregate.ts). */
import {
  AggregationFailedError,
  CommitStatsCache,
  aggregateCommits,
  branchTips,
  compileGlob,
  isoWeek,
  pathPrefix,
} from '../../../src/core';
import { TestRepo } from '../../support/test-repo';

describe('isoWeek', () => {
  it.each([
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2024-12-30', '2025-W01'],
    ['2025-08-08', '2025-W32'],
    ['2025-08-11', '2025-W33'],
    ['2026-01-01', '2026-W01'],
    ['2027-01-01', '2026-W53'],
  ])('%s is in %s', (day, week) => {
    expect(isoWeek(new Date(`${day}T12:00:00Z`))).toBe(week);
  });
});

describe('pathPrefix', () => {
  it('keeps the first directories, root files under ""', () => {
    expect(pathPrefix('a/b/c.txt', 1)).toBe('a');
    expect(pathPrefix('a/b/c.txt', 2)).toBe('a/b');
    expect(pathPrefix('a/b/c.txt', 5)).toBe('a/b');
    expect(pathPrefix('c.txt', 1)).toBe('');
  });
});

describe('aggregateCommits', () => {
  function repo(): TestRepo {
    const test = TestRepo.create();
    test.commit({
      files: { 'a.ts': 'x\ny\n', 'docs/r.md': 'r\n' },
      author: { name: 'A', email: 'a@x' },
    });
    test.commit({ files: { 'a.ts': 'x\nz\n' }, author: { name: 'B', email: 'b@x' } });
    test.commit({ files: { 'docs/r.md': null }, author: { name: 'A', email: 'a@x' } });
    return test;
  }

  it('counts commits, line changes and files per author from first-parent diffs', () => {
    const test = repo();
    const result = aggregateCommits(test.repo, new CommitStatsCache(), {
      groupBy: 'author',
      starts: branchTips(test.repo),
    });
    expect(result.totalCommits).toBe(3);
    expect(result.buckets).toEqual([
      { key: 'A', count: 2, additions: 3, deletions: 1, files_changed: 3, authors: 1 },
      { key: 'B', count: 1, additions: 1, deletions: 1, files_changed: 1, authors: 1 },
    ]);
  });

  it('puts a commit once in each extension bucket it touched, and filters by path', () => {
    const test = repo();
    const byExtension = aggregateCommits(test.repo, new CommitStatsCache(), {
      groupBy: 'extension',
      aggregations: ['count', 'files_changed'],
      starts: branchTips(test.repo),
    });
    expect(byExtension.buckets).toEqual([
      { key: 'md', count: 2, files_changed: 2 },
      { key: 'ts', count: 2, files_changed: 2 },
    ]);
    const docs = aggregateCommits(test.repo, new CommitStatsCache(), {
      groupBy: 'email',
      aggregations: ['count'],
      path: compileGlob('docs/**'),
      starts: branchTips(test.repo),
    });
    expect(docs.buckets).toEqual([{ key: 'a@x', count: 2 }]);
  });

  it('refuses unknown names and a reversed range', () => {
    const test = repo();
    const run = (options: object): unknown =>
      aggregateCommits(test.repo, new CommitStatsCache(), {
        groupBy: 'author',
        starts: branchTips(test.repo),
        ...options,
      });
    expect(() => run({ groupBy: 'planet' })).toThrow(AggregationFailedError);
    expect(() => run({ aggregations: ['median'] })).toThrow(/unknown aggregation 'median'/);
    expect(() => run({ from: 10, to: 5 })).toThrow(/after/);
  });
});
