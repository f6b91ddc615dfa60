/**
 * The search routes (api-contract.md §5): resolves the repository and revision, compiles the
 * pattern, runs the engine's search (src/core/search) within the request's budgets and maps the
 * results to the wire shapes. Reads never wait for writes; the index is synced with HEAD first.
 */
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Histogram } from 'prom-client';
import {
  AggregationFailedError,
  InvalidSearchRequestError,
  InvalidTimeBoundError,
  SearchBudget,
  aggregateCommits,
  branchTips,
  compileGlob,
  compileMatcher,
  highlights,
  parseFulltextQuery,
  parseTime,
  reachableCommits,
  repositoryStatistics,
  runSql,
  searchCommits,
  searchFulltext,
  searchLines,
  searchPaths,
  signatureTimeIso,
  treeFiles,
  type Oid,
  type Repository,
  type LineSearchOptions,
  type LineSearchResult,
  type SearchIndexStatus,
  type TextMatcher,
  type TreeFile,
} from '../../core';
import { SearchConfig } from '../../config/config.schema';
import { RepositoryRegistry } from '../git-core/repository-registry';
import type { Job } from '../importexport/jobs/job';
import { JobsService } from '../importexport/jobs/jobs.service';
import { toCommitResponse } from '../repos/dto/commit-response.dto';
import type {
  AggregateRequestDto,
  FulltextRequestDto,
  GrepRequestDto,
  SqlRequestDto,
} from './dto/search-bodies.dto';
import type {
  CommitSearchQueryDto,
  ContentSearchQueryDto,
  FileSearchQueryDto,
  SuggestionsQueryDto,
} from './dto/search-query.dto';
import type {
  AggregateResponseDto,
  CommitSearchResponseDto,
  ContentSearchResponseDto,
  FileSearchResponseDto,
  FulltextResponseDto,
  GrepResponseDto,
  IndexInfoDto,
  RebuildResponseDto,
  SqlResponseDto,
  StatisticsResponseDto,
  SuggestionDto,
  SuggestionsResponseDto,
} from './dto/search-responses.dto';
import { MissingQueryError, asFault } from './search-errors';
import { SearchIndexRegistry } from './search-index.registry';

export const SEARCH_DURATION = 'govc_search_duration_seconds';

const PREVIEW_LENGTH = 200;
const DEFAULT_LIMIT = 50;
const FULLTEXT_DEFAULT_LIMIT = 20;
const FULLTEXT_MAX_LIMIT = 100;
const SUGGESTIONS_DEFAULT_LIMIT = 10;
const SUGGESTIONS_MAX_LIMIT = 100;

/** §5.1: a limit ≤ 0 or non-numeric is the default; above the maximum it is capped. */
export function lenientLimit(raw: unknown, fallback: number, max: number): number {
  const value = typeof raw === 'string' && /^-?\d{1,16}$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) return fallback;
  return Math.min(value, max);
}

function unixSeconds(param: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseTime(value);
  if (Number.isNaN(seconds)) throw new InvalidTimeBoundError(param, value);
  return seconds;
}

function isoTime(seconds: number | null): string | null {
  return seconds === null
    ? null
    : signatureTimeIso({ name: '', email: '', timestamp: seconds, timezone: '+0000' });
}

function requireQuery(value: string | undefined, message?: string): string {
  if (value === undefined || value === '') throw new MissingQueryError(message);
  return value;
}

function indexInfo(status: SearchIndexStatus): IndexInfoDto {
  return {
    commit: status.commit,
    documents: status.documents,
    terms: status.terms,
    built_at: status.builtAt.toISOString(),
    stale: status.stale,
  };
}

@Injectable()
export class SearchService {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly indexes: SearchIndexRegistry,
    private readonly config: SearchConfig,
    private readonly jobs: JobsService,
    @InjectMetric(SEARCH_DURATION) private readonly duration: Histogram<string>,
  ) {}

  private budget(): SearchBudget {
    return new SearchBudget({ maxBytes: this.config.max_bytes, timeout: this.config.timeout });
  }

  /** The route's pattern with its `regex`/`case_sensitive` flags (§5.1), length-checked. */
  private matcher(
    pattern: string,
    flags: { readonly regex?: boolean; readonly case_sensitive?: boolean },
    grep: { readonly wordRegexp?: boolean; readonly lineRegexp?: boolean } = {},
  ): TextMatcher {
    return compileMatcher({
      pattern,
      regex: flags.regex === true,
      caseSensitive: flags.case_sensitive === true,
      ...grep,
      maxPatternLength: this.config.max_pattern_length,
    });
  }

  /** §5.1 paging: a lenient limit (default 50, at most search.max_results), offset ≥ 0. */
  private page(limit: unknown, offset: number | undefined): { limit: number; offset: number } {
    return {
      limit: lenientLimit(limit, DEFAULT_LIMIT, this.config.max_results),
      offset: offset ?? 0,
    };
  }

  /** Line search over the files of `ref` with the synced index (content search and grep). */
  private searchRefLines(
    repoId: string,
    repository: Repository,
    ref: string | undefined,
    matcher: TextMatcher,
    options: Omit<LineSearchOptions, 'pathFilter'> & { readonly path: string | undefined },
  ): LineSearchResult & { truncated: boolean } {
    const { path, ...rest } = options;
    const pathFilter = compileGlob(path, this.config.max_pattern_length);
    const files = this.filesAt(repository, ref);
    const index = this.indexes.synced(repoId, repository);
    const budget = this.budget();
    const result = searchLines(
      repository.odb,
      files,
      matcher,
      { ...rest, pathFilter },
      budget,
      index.blobIndex,
    );
    return { ...result, truncated: budget.truncated };
  }

  /** Times one search for govc_search_duration_seconds{kind}. */
  private async timed<T>(kind: string, code: string, work: () => T | Promise<T>): Promise<T> {
    const end = this.duration.startTimer({ kind });
    try {
      return await asFault(code, work);
    } finally {
      end();
    }
  }

  /** The files of `ref` (default HEAD; an unborn HEAD has none). */
  private filesAt(repository: Repository, ref: string | undefined): TreeFile[] {
    let commit: Oid | null;
    if (ref === undefined || ref === 'HEAD') commit = repository.head().oid;
    else commit = repository.resolveCommit(ref);
    if (commit === null) return [];
    return treeFiles(repository.odb, repository.odb.readCommit(commit).tree);
  }

  async commits(repoId: string, query: CommitSearchQueryDto): Promise<CommitSearchResponseDto> {
    const text = requireQuery(query.query);
    const since = unixSeconds('since', query.since);
    const until = unixSeconds('until', query.until);
    const { repository } = await this.registry.open(repoId);
    const { limit, offset } = this.page(query.limit, query.offset);
    return this.timed('commits', 'SEARCH_FAILED', () => {
      const matcher = this.matcher(text, query);
      const budget = this.budget();
      const { hits, total } = searchCommits(
        repository,
        matcher,
        {
          ...(query.author === undefined || query.author === '' ? {} : { author: query.author }),
          ...(since === undefined ? {} : { since }),
          ...(until === undefined ? {} : { until }),
          offset,
          limit,
        },
        budget,
      );
      return {
        query: text,
        results: hits.map((hit) => toCommitResponse(hit.oid, hit.commit)),
        total,
        limit,
        offset,
        matches: hits.map((hit) => ({
          hash: hit.oid,
          field: hit.field,
          line: hit.line,
          column: hit.column,
          preview: hit.preview,
        })),
        truncated: budget.truncated,
      };
    });
  }

  async content(repoId: string, query: ContentSearchQueryDto): Promise<ContentSearchResponseDto> {
    const text = requireQuery(query.query);
    const { repository } = await this.registry.open(repoId);
    const { limit, offset } = this.page(query.limit, query.offset);
    const ref = query.ref ?? 'HEAD';
    return this.timed('content', 'SEARCH_FAILED', () => {
      const matcher = this.matcher(text, query);
      const { hits, total, truncated } = this.searchRefLines(
        repoId,
        repository,
        query.ref,
        matcher,
        {
          path: query.path,
          offset,
          limit,
        },
      );
      return {
        query: text,
        results: hits.map((hit) => ({
          path: hit.path,
          ref,
          line: hit.line,
          column: hit.column,
          content: hit.content,
          preview: hit.content.slice(0, PREVIEW_LENGTH),
          matches: hit.matches,
        })),
        total,
        limit,
        offset,
        truncated,
      };
    });
  }

  async files(repoId: string, query: FileSearchQueryDto): Promise<FileSearchResponseDto> {
    const text = requireQuery(query.query);
    const { repository } = await this.registry.open(repoId);
    const { limit, offset } = this.page(query.limit, query.offset);
    const ref = query.ref ?? 'HEAD';
    return this.timed('files', 'SEARCH_FAILED', () => {
      const matcher = this.matcher(text, query);
      const budget = this.budget();
      const { hits, total } = searchPaths(
        repository.odb,
        this.filesAt(repository, query.ref),
        matcher,
        { offset, limit },
        budget,
      );
      return {
        query: text,
        results: hits.map((hit) => ({ ...hit, ref })),
        total,
        limit,
        offset,
        truncated: budget.truncated,
      };
    });
  }

  async grep(repoId: string, body: GrepRequestDto): Promise<GrepResponseDto> {
    const { repository } = await this.registry.open(repoId);
    const { limit, offset } = this.page(body.limit, body.offset);
    const ref = body.ref ?? 'HEAD';
    const contextBefore = body.context ?? body.context_before;
    const contextAfter = body.context ?? body.context_after;
    const withContext =
      body.context !== undefined ||
      body.context_before !== undefined ||
      body.context_after !== undefined;
    return this.timed('grep', 'GREP_FAILED', () => {
      const matcher = this.matcher(body.pattern, body, {
        wordRegexp: body.word_regexp === true,
        lineRegexp: body.line_regexp === true,
      });
      const { hits, total, truncated } = this.searchRefLines(
        repoId,
        repository,
        body.ref,
        matcher,
        {
          path: body.path,
          invert: body.invert_match === true,
          ...(body.max_count === undefined ? {} : { maxCount: body.max_count }),
          ...(withContext
            ? { contextBefore: contextBefore ?? 0, contextAfter: contextAfter ?? 0 }
            : {}),
          offset,
          limit,
        },
      );
      return {
        pattern: body.pattern,
        results: hits.map((hit) => ({
          path: hit.path,
          ref,
          line: hit.line,
          column: hit.column,
          content: hit.content,
          ...(hit.before === undefined ? {} : { before: hit.before }),
          ...(hit.after === undefined ? {} : { after: hit.after }),
          matches: hit.matches,
        })),
        total,
        limit,
        offset,
        truncated,
      };
    });
  }

  async fulltext(repoId: string, body: FulltextRequestDto): Promise<FulltextResponseDto> {
    const started = performance.now();
    const { repository } = await this.registry.open(repoId);
    const limit = lenientLimit(body.limit, FULLTEXT_DEFAULT_LIMIT, FULLTEXT_MAX_LIMIT);
    const offset = body.offset ?? 0;
    const highlightLength = body.highlight_length ?? 150;
    return this.timed('fulltext', 'SEARCH_FAILED', () => {
      if (body.query.length > this.config.max_pattern_length) {
        throw new InvalidSearchRequestError(
          'query',
          `longer than ${this.config.max_pattern_length} characters`,
        );
      }
      const query = parseFulltextQuery(body.query);
      const index = this.indexes.synced(repoId, repository);
      const { hits, total } = searchFulltext(
        repository.odb,
        index.blobIndex,
        index.indexedFiles(),
        query,
        {
          ...(body.file_types === undefined ? {} : { fileTypes: body.file_types }),
          ...(body.max_size === undefined ? {} : { maxSize: body.max_size }),
          ...(body.min_score === undefined ? {} : { minScore: body.min_score }),
          ...(body.sort_by === undefined ? {} : { sortBy: body.sort_by }),
          offset,
          limit,
        },
      );
      const ref = repository.head().branch ?? 'HEAD';
      return {
        query: body.query,
        results: hits.map((hit) => {
          const text = Buffer.from(repository.odb.readBlob(hit.oid)).toString('utf8');
          return {
            path: hit.path,
            ref,
            score: hit.score,
            size: hit.size,
            highlights: highlights(text, query, highlightLength),
            ...(body.include_content === true ? { content: text } : {}),
          };
        }),
        total,
        limit,
        offset,
        took_ms: elapsed(started),
        index: indexInfo(index.status(repository)),
      };
    });
  }

  async sql(repoId: string, body: SqlRequestDto): Promise<SqlResponseDto> {
    const started = performance.now();
    const { repository } = await this.registry.open(repoId);
    return this.timed('sql', 'QUERY_FAILED', () => {
      const result = runSql(repository, body.query, {
        maxRows: this.config.sql.max_rows,
        timeout: this.config.sql.timeout,
      });
      return { query: body.query, ...result, took_ms: elapsed(started) };
    });
  }

  async aggregate(repoId: string, body: AggregateRequestDto): Promise<AggregateResponseDto> {
    const started = performance.now();
    const filter = aggregateFilter(body.query);
    const from = aggregateTime('time_range.from', body.time_range?.from);
    const to = aggregateTime('time_range.to', body.time_range?.to);
    const { repository } = await this.registry.open(repoId);
    return this.timed('aggregate', 'AGGREGATION_FAILED', () => {
      const starts =
        body.ref === undefined ? branchTips(repository) : [repository.resolveCommit(body.ref)];
      const result = aggregateCommits(repository, this.indexes.stats(repoId, repository), {
        groupBy: body.group_by,
        ...(body.path_depth === undefined ? {} : { pathDepth: body.path_depth }),
        ...(body.aggregations === undefined ? {} : { aggregations: body.aggregations }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(filter.message === undefined ? {} : { message: filter.message }),
        ...(filter.author === undefined ? {} : { author: filter.author }),
        ...(filter.path === undefined
          ? {}
          : { path: compileGlob(filter.path, this.config.max_pattern_length) }),
        starts,
      });
      return {
        group_by: body.group_by,
        time_range: {
          from: isoTime(from ?? result.first),
          to: isoTime(to ?? result.last),
        },
        buckets: result.buckets,
        total_commits: result.totalCommits,
        took_ms: elapsed(started),
      };
    });
  }

  async statistics(repoId: string): Promise<StatisticsResponseDto> {
    const { repository } = await this.registry.open(repoId);
    return this.timed('statistics', 'STATS_FAILED', () => {
      const stats = repositoryStatistics(repository);
      const index = this.indexes.current(repoId, repository);
      return {
        repository: repoId,
        commits: stats.commits,
        branches: stats.branches,
        tags: stats.tags,
        files: stats.files,
        total_size: stats.totalSize,
        objects: {
          blobs: stats.objects.blob,
          trees: stats.objects.tree,
          commits: stats.objects.commit,
          tags: stats.objects.tag,
          total: stats.objects.total,
        },
        authors: stats.authors,
        first_commit: isoTime(stats.firstCommit),
        last_commit: isoTime(stats.lastCommit),
        extensions: stats.extensions,
        index: indexInfo(index.status(repository)),
      };
    });
  }

  async suggestions(repoId: string, query: SuggestionsQueryDto): Promise<SuggestionsResponseDto> {
    const prefix = requireQuery(query.q, "query parameter 'q' is required");
    const limit = Math.min(query.limit ?? SUGGESTIONS_DEFAULT_LIMIT, SUGGESTIONS_MAX_LIMIT);
    const { repository } = await this.registry.open(repoId);
    return this.timed('suggestions', 'SUGGESTIONS_FAILED', () => {
      const index = this.indexes.synced(repoId, repository);
      const folded = prefix.toLowerCase();
      const suggestions: SuggestionDto[] = [];
      for (const [text, documents] of index.blobIndex.termsWithPrefix(folded, limit)) {
        suggestions.push({ text, type: 'term', score: documents });
      }
      for (const path of index.indexedFiles().keys()) {
        const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
        if (path.toLowerCase().startsWith(folded) || name.startsWith(folded)) {
          suggestions.push({ text: path, type: 'path', score: 1 });
        }
      }
      const authors = new Map<string, number>();
      for (const name of searchAuthors(repository)) {
        authors.set(name, (authors.get(name) ?? 0) + 1);
      }
      for (const [name, commits] of authors) {
        if (name.toLowerCase().startsWith(folded)) {
          suggestions.push({ text: name, type: 'author', score: commits });
        }
      }
      const refs = [
        ...repository.listBranches().map((branch) => branch.name),
        ...repository.listTags().map((tag) => tag.name),
      ];
      for (const name of new Set(refs)) {
        if (name.toLowerCase().startsWith(folded)) {
          suggestions.push({ text: name, type: 'ref', score: 1 });
        }
      }
      suggestions.sort(
        (a, b) =>
          b.score - a.score ||
          (a.text < b.text ? -1 : a.text > b.text ? 1 : a.type < b.type ? -1 : 1),
      );
      const page = suggestions.slice(0, limit);
      return { query: prefix, suggestions: page, count: page.length };
    });
  }

  /** Rebuilds the index now, answering with its figures. */
  async rebuild(repoId: string): Promise<RebuildResponseDto> {
    const started = performance.now();
    const { repository } = await this.registry.open(repoId);
    return this.timed('rebuild', 'REBUILD_FAILED', () => {
      const index = this.indexes.rebuild(repoId, repository);
      const status = index.status(repository);
      return {
        status: 'success',
        message: 'search index rebuilt',
        documents: status.documents,
        terms: status.terms,
        took_ms: elapsed(started),
      };
    });
  }

  /** Queues the rebuild as a job of type `index` (§11.2); the job's result is rebuild's body. */
  async rebuildLater(repoId: string, createdBy: string): Promise<Job> {
    await this.registry.open(repoId);
    return this.jobs.submit({
      type: 'index',
      repoId,
      createdBy,
      failureCode: 'REBUILD_FAILED',
      work: async (context) => {
        context.progress('indexing', 0, 1, 'rebuilding the search index');
        const { status, message, documents, terms, took_ms } = await this.rebuild(repoId);
        context.progress('indexing', 1, 1, message);
        return { status, message, documents, terms, took_ms };
      },
    });
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

/** Author names of every commit reachable from a branch (one entry per commit). */
function searchAuthors(repository: Repository): string[] {
  return reachableCommits(repository, branchTips(repository)).map(
    (oid) => repository.odb.readCommit(oid).author.name,
  );
}

function aggregateTime(param: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseTime(value);
  if (Number.isNaN(seconds)) {
    throw new AggregationFailedError(`${param} '${value}' is not an RFC3339 time`);
  }
  return seconds;
}

interface AggregateFilter {
  readonly message?: string;
  readonly author?: string;
  readonly path?: string;
}

/** `query` of an aggregate request: a message substring, or {message?, author?, path?}. */
function aggregateFilter(query: unknown): AggregateFilter {
  if (query === undefined || query === null || query === '') return {};
  if (typeof query === 'string') return { message: query };
  if (typeof query !== 'object' || Array.isArray(query)) {
    throw new InvalidSearchRequestError('query', 'must be a string or an object');
  }
  const filter: Record<string, string> = {};
  for (const key of ['message', 'author', 'path'] as const) {
    const value = (query as Record<string, unknown>)[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') {
      throw new InvalidSearchRequestError(`query.${key}`, 'must be a string');
    }
    filter[key] = value;
  }
  return filter;
}
