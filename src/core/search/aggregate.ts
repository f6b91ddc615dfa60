/**
 * Commit aggregation (api-contract.md §5.3 search/aggregate): the commits of a ref (default every
 * branch) in a time range, optionally filtered by message, author and touched path, grouped by
 * author, email, day, ISO week or month (UTC, committer time), path prefix or file extension.
 * For path_prefix and extension a commit counts once in every bucket whose files it touched and
 * brings only those files' line counts there.
 */
import type { Oid } from '../objects/oid';
import type { Repository } from '../repo/repository';
import { foldCase } from './case-fold';
import { reachableCommits } from './commit-search';
import type { ChangedFile, CommitStatsCache } from './commit-stats';
import { extensionOf } from './fulltext-search';
import type { PathPredicate } from './glob';
import { AggregationFailedError } from './search-errors';

export const GROUP_BYS = [
  'author',
  'email',
  'day',
  'week',
  'month',
  'path_prefix',
  'extension',
] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const AGGREGATIONS = [
  'count',
  'additions',
  'deletions',
  'files_changed',
  'authors',
] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface AggregateOptions {
  readonly groupBy: string;
  readonly pathDepth?: number;
  readonly aggregations?: readonly string[];
  /** Unix seconds, inclusive. */
  readonly from?: number;
  readonly to?: number;
  readonly message?: string;
  readonly author?: string;
  readonly path?: PathPredicate;
  readonly starts: readonly Oid[];
}

export interface Bucket {
  readonly key: string;
  count?: number;
  additions?: number;
  deletions?: number;
  files_changed?: number;
  authors?: number;
}

export interface AggregateResult {
  readonly buckets: Bucket[];
  readonly totalCommits: number;
  /** Committer times of the first and last commit counted (null when none). */
  readonly first: number | null;
  readonly last: number | null;
}

/** Checks the request's names before any work; AggregationFailedError when one is unknown. */
export function checkAggregateOptions(options: AggregateOptions): {
  groupBy: GroupBy;
  aggregations: Set<Aggregation>;
} {
  if (!(GROUP_BYS as readonly string[]).includes(options.groupBy)) {
    throw new AggregationFailedError(
      `unknown group_by '${options.groupBy}' (one of ${GROUP_BYS.join(', ')})`,
    );
  }
  const aggregations = options.aggregations ?? AGGREGATIONS;
  for (const name of aggregations) {
    if (!(AGGREGATIONS as readonly string[]).includes(name)) {
      throw new AggregationFailedError(
        `unknown aggregation '${name}' (one of ${AGGREGATIONS.join(', ')})`,
      );
    }
  }
  if (options.from !== undefined && options.to !== undefined && options.from > options.to) {
    throw new AggregationFailedError('time_range.from is after time_range.to');
  }
  return {
    groupBy: options.groupBy as GroupBy,
    aggregations: new Set(aggregations as Aggregation[]),
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2025-W33`: the ISO 8601 week (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(date: Date): string {
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  // Move to the Thursday of the same Monday-based week: its year is the ISO week-year.
  thursday.setUTCDate(thursday.getUTCDate() + 4 - (thursday.getUTCDay() || 7));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${pad(week)}`;
}

function timeKey(groupBy: 'day' | 'week' | 'month', seconds: number): string {
  const date = new Date(seconds * 1000);
  const month = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;
  if (groupBy === 'month') return month;
  if (groupBy === 'day') return `${month}-${pad(date.getUTCDate())}`;
  return isoWeek(date);
}

/** The first `depth` directory components of a path (`''` for a file at the root). */
export function pathPrefix(path: string, depth: number): string {
  const parts = path.split('/').slice(0, -1);
  return parts.slice(0, Math.max(1, depth)).join('/');
}

interface Accumulator {
  count: number;
  additions: number;
  deletions: number;
  files: number;
  authors: Set<string>;
}

export function aggregateCommits(
  repository: Repository,
  stats: CommitStatsCache,
  options: AggregateOptions,
): AggregateResult {
  const { groupBy, aggregations } = checkAggregateOptions(options);
  const message = options.message === undefined ? undefined : foldCase(options.message);
  const author = options.author === undefined ? undefined : foldCase(options.author);
  const depth = options.pathDepth ?? 1;
  const groups = new Map<string, Accumulator>();
  const add = (key: string, email: string, files: readonly ChangedFile[]): void => {
    let group = groups.get(key);
    if (group === undefined) {
      group = { count: 0, additions: 0, deletions: 0, files: 0, authors: new Set() };
      groups.set(key, group);
    }
    group.count++;
    group.authors.add(email);
    for (const file of files) {
      group.additions += file.additions;
      group.deletions += file.deletions;
    }
    group.files += files.length;
  };

  let total = 0;
  let first: number | null = null;
  let last: number | null = null;
  for (const oid of reachableCommits(repository, options.starts)) {
    const commit = repository.odb.readCommit(oid);
    const time = commit.committer.timestamp;
    if (options.from !== undefined && time < options.from) continue;
    if (options.to !== undefined && time > options.to) continue;
    if (message !== undefined && !foldCase(commit.message).includes(message)) continue;
    if (
      author !== undefined &&
      !foldCase(commit.author.name).includes(author) &&
      !foldCase(commit.author.email).includes(author)
    ) {
      continue;
    }
    let files = stats.changes(repository, oid);
    if (options.path !== undefined) {
      const matches = options.path;
      files = files.filter((file) => matches(file.path));
      if (files.length === 0) continue;
    }
    total++;
    first = first === null ? time : Math.min(first, time);
    last = last === null ? time : Math.max(last, time);
    const email = commit.author.email.toLowerCase();
    switch (groupBy) {
      case 'author':
        add(commit.author.name, email, files);
        break;
      case 'email':
        add(commit.author.email, email, files);
        break;
      case 'day':
      case 'week':
      case 'month':
        add(timeKey(groupBy, time), email, files);
        break;
      case 'path_prefix':
      case 'extension': {
        const byKey = new Map<string, ChangedFile[]>();
        for (const file of files) {
          const key =
            groupBy === 'extension' ? extensionOf(file.path) : pathPrefix(file.path, depth);
          const list = byKey.get(key) ?? [];
          list.push(file);
          byKey.set(key, list);
        }
        for (const [key, list] of byKey) add(key, email, list);
        break;
      }
    }
  }

  const buckets: Bucket[] = [...groups].map(([key, group]) => {
    const bucket: Bucket = { key };
    if (aggregations.has('count')) bucket.count = group.count;
    if (aggregations.has('additions')) bucket.additions = group.additions;
    if (aggregations.has('deletions')) bucket.deletions = group.deletions;
    if (aggregations.has('files_changed')) bucket.files_changed = group.files;
    if (aggregations.has('authors')) bucket.authors = group.authors.size;
    return bucket;
  });
  const counts = new Map([...groups].map(([key, group]) => [key, group.count]));
  const byKey = (a: Bucket, b: Bucket): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  if (groupBy === 'day' || groupBy === 'week' || groupBy === 'month') buckets.sort(byKey);
  else {
    buckets.sort((a, b) => (counts.get(b.key) ?? 0) - (counts.get(a.key) ?? 0) || byKey(a, b));
  }
  return { buckets, totalCommits: total, first, last };
}
