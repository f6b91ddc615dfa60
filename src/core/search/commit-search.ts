/**
 * Commit search (api-contract.md §5.2 search/commits): every commit reachable from any branch,
 * newest first (log order), each once; the pattern is matched against the message, the author
 * name and the author email, in that order, and the first hit is located by line and byte column.
 */
import type { Commit } from '../objects/commit';
import type { Oid } from '../objects/oid';
import type { Repository } from '../repo/repository';
import { log } from '../walk/log';
import { foldCase } from './case-fold';
import { splitLines } from './content-search';
import type { SearchBudget } from './search-budget';
import { utf8Offset, type TextMatcher } from './text-matcher';

export type CommitField = 'message' | 'author' | 'email';

export interface CommitHit {
  readonly oid: Oid;
  readonly commit: Commit;
  readonly field: CommitField;
  readonly line: number;
  readonly column: number;
  /** The matching line, at most PREVIEW_LENGTH characters. */
  readonly preview: string;
}

export interface CommitSearchOptions {
  /** Substring (case-insensitive) of the author's name or email. */
  readonly author?: string;
  /** Unix seconds, inclusive, on committer time. */
  readonly since?: number;
  readonly until?: number;
  readonly offset: number;
  readonly limit: number;
}

export const PREVIEW_LENGTH = 200;

/** Tips of every branch (the commits a commit search or the `commits` table starts from). */
export function branchTips(repository: Repository, includeTags = false): Oid[] {
  const tips: Oid[] = [];
  const prefixes = includeTags ? ['refs/heads/', 'refs/tags/'] : ['refs/heads/'];
  for (const prefix of prefixes) {
    for (const ref of repository.refs.list(prefix)) {
      if (ref.kind !== 'direct') continue;
      try {
        tips.push(repository.resolveCommit(ref.oid));
      } catch {
        // A tag of a tree or blob names no commit; skip it.
      }
    }
  }
  return tips;
}

/** Reachable commits from `starts`, newest first, each once. */
export function reachableCommits(repository: Repository, starts: readonly Oid[]): Oid[] {
  if (starts.length === 0) return [];
  return log(repository.odb, repository.graph, starts).commits;
}

function firstHit(
  commit: Commit,
  matcher: TextMatcher,
): Omit<CommitHit, 'oid' | 'commit'> | undefined {
  const message = commit.message.endsWith('\n') ? commit.message.slice(0, -1) : commit.message;
  const lines = splitLines(message);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const [range] = matcher.matchLine(line);
    if (range !== undefined) {
      return {
        field: 'message',
        line: i + 1,
        column: utf8Offset(line, range[0]) + 1,
        preview: line.slice(0, PREVIEW_LENGTH),
      };
    }
  }
  for (const field of ['author', 'email'] as const) {
    const value = field === 'author' ? commit.author.name : commit.author.email;
    const [range] = matcher.matchLine(value);
    if (range !== undefined) {
      return {
        field,
        line: 1,
        column: utf8Offset(value, range[0]) + 1,
        preview: value.slice(0, PREVIEW_LENGTH),
      };
    }
  }
  return undefined;
}

export function searchCommits(
  repository: Repository,
  matcher: TextMatcher,
  options: CommitSearchOptions,
  budget: SearchBudget,
): { hits: CommitHit[]; total: number } {
  const author = options.author === undefined ? undefined : foldCase(options.author);
  const hits: CommitHit[] = [];
  let total = 0;
  for (const oid of reachableCommits(repository, branchTips(repository))) {
    if (!budget.inTime()) break;
    const commit = repository.odb.readCommit(oid);
    const time = commit.committer.timestamp;
    if (options.since !== undefined && time < options.since) continue;
    if (options.until !== undefined && time > options.until) continue;
    if (
      author !== undefined &&
      !foldCase(commit.author.name).includes(author) &&
      !foldCase(commit.author.email).includes(author)
    ) {
      continue;
    }
    const hit = firstHit(commit, matcher);
    if (hit === undefined) continue;
    total++;
    if (total <= options.offset || total > options.offset + options.limit) continue;
    hits.push({ oid, commit, ...hit });
  }
  return { hits, total };
}
