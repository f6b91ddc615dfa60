/** Search routes (api-contract.md §5.2 basic, §5.3 advanced); handlers delegate to SearchService. */
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { API_V1 } from '../../http/api-version';
import { Endpoint, type EndpointError } from '../../http/endpoint.decorator';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { REPO_READ_ERRORS, REPO_WRITE_ERRORS, REVISION_ERRORS } from '../git-core/route-errors';
import {
  AggregateFilterDto,
  AggregateRequestDto,
  FulltextRequestDto,
  GrepRequestDto,
  RebuildRequestDto,
  SqlRequestDto,
} from './dto/search-bodies.dto';
import {
  CommitSearchQueryDto,
  ContentSearchQueryDto,
  FileSearchQueryDto,
  SuggestionsQueryDto,
} from './dto/search-query.dto';
import {
  AggregateResponseDto,
  CommitSearchResponseDto,
  ContentSearchResponseDto,
  FileSearchResponseDto,
  FulltextResponseDto,
  GrepResponseDto,
  RebuildAcceptedDto,
  RebuildResponseDto,
  SqlResponseDto,
  StatisticsResponseDto,
  SuggestionsResponseDto,
} from './dto/search-responses.dto';
import { SearchService } from './search.service';

const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const PAGING = err(400, 'INVALID_OFFSET');
const TEXT_SEARCH_ERRORS = [
  ...REPO_READ_ERRORS,
  ...REVISION_ERRORS,
  PAGING,
  err(400, 'MISSING_QUERY', 'INVALID_PATTERN'),
  err(500, 'SEARCH_FAILED'),
];

@ApiTags('search')
@ApiExtraModels(AggregateFilterDto)
@Controller(`${API_V1}/repos/:repo_id`)
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('search/commits')
  @Endpoint({
    summary: 'Search commit messages, author names and emails on every branch',
    operationId: 'searchCommits',
    permission: 'repo:read',
    responses: [{ status: 200, type: CommitSearchResponseDto, description: 'Newest first' }],
    errors: [
      ...REPO_READ_ERRORS,
      PAGING,
      err(400, 'MISSING_QUERY', 'INVALID_PATTERN', 'SEARCH_FAILED'),
      err(500, 'SEARCH_FAILED'),
    ],
  })
  commits(
    @Param('repo_id') repoId: string,
    @Query() query: CommitSearchQueryDto,
  ): Promise<CommitSearchResponseDto> {
    return this.search.commits(repoId, query);
  }

  @Get('search/content')
  @Endpoint({
    summary: 'Search file contents of a revision, one result per matching line',
    operationId: 'searchContent',
    permission: 'repo:read',
    responses: [{ status: 200, type: ContentSearchResponseDto, description: 'By path, then line' }],
    errors: TEXT_SEARCH_ERRORS,
  })
  content(
    @Param('repo_id') repoId: string,
    @Query() query: ContentSearchQueryDto,
  ): Promise<ContentSearchResponseDto> {
    return this.search.content(repoId, query);
  }

  @Get('search/files')
  @Endpoint({
    summary: 'Search the paths of a revision',
    operationId: 'searchFiles',
    permission: 'repo:read',
    responses: [{ status: 200, type: FileSearchResponseDto, description: 'By path' }],
    errors: TEXT_SEARCH_ERRORS,
  })
  files(
    @Param('repo_id') repoId: string,
    @Query() query: FileSearchQueryDto,
  ): Promise<FileSearchResponseDto> {
    return this.search.files(repoId, query);
  }

  @Post('grep')
  @Endpoint({
    summary: 'git grep over a revision: invert, word, line, context, max count',
    operationId: 'searchGrep',
    permission: 'repo:read',
    responses: [{ status: 200, type: GrepResponseDto, description: 'By path, then line' }],
    errors: [
      ...REPO_READ_ERRORS,
      ...REVISION_ERRORS,
      PAGING,
      err(400, 'INVALID_PATTERN'),
      err(500, 'GREP_FAILED'),
    ],
  })
  grep(@Param('repo_id') repoId: string, @Body() body: GrepRequestDto): Promise<GrepResponseDto> {
    return this.search.grep(repoId, body);
  }

  @Post('search/fulltext')
  @Endpoint({
    summary: 'Ranked full-text search (BM25) over the index of the current branch',
    operationId: 'searchFulltext',
    permission: 'repo:read',
    responses: [{ status: 200, type: FulltextResponseDto, description: 'Ranked results' }],
    errors: [...REPO_READ_ERRORS, PAGING, err(500, 'SEARCH_FAILED')],
  })
  fulltext(
    @Param('repo_id') repoId: string,
    @Body() body: FulltextRequestDto,
  ): Promise<FulltextResponseDto> {
    return this.search.fulltext(repoId, body);
  }

  @Post('search/sql')
  @Endpoint({
    summary: 'A read-only SQL SELECT over the tables commits, files and refs',
    operationId: 'searchSql',
    permission: 'repo:read',
    responses: [{ status: 200, type: SqlResponseDto, description: 'The rows' }],
    errors: [...REPO_READ_ERRORS, ...REVISION_ERRORS, err(400, 'QUERY_FAILED')],
  })
  sql(@Param('repo_id') repoId: string, @Body() body: SqlRequestDto): Promise<SqlResponseDto> {
    return this.search.sql(repoId, body);
  }

  @Post('search/aggregate')
  @Endpoint({
    summary: 'Commit counts and line changes grouped by author, time or path',
    operationId: 'searchAggregate',
    permission: 'repo:read',
    responses: [{ status: 200, type: AggregateResponseDto, description: 'The buckets' }],
    errors: [
      ...REPO_READ_ERRORS,
      ...REVISION_ERRORS,
      err(400, 'AGGREGATION_FAILED', 'INVALID_PATTERN'),
      err(500, 'AGGREGATION_FAILED'),
    ],
  })
  aggregate(
    @Param('repo_id') repoId: string,
    @Body() body: AggregateRequestDto,
  ): Promise<AggregateResponseDto> {
    return this.search.aggregate(repoId, body);
  }

  @Get('search/statistics')
  @Endpoint({
    summary: 'Repository statistics and the state of its search index',
    operationId: 'searchStatistics',
    permission: 'repo:read',
    responses: [{ status: 200, type: StatisticsResponseDto, description: 'The figures' }],
    errors: [...REPO_READ_ERRORS, err(500, 'STATS_FAILED')],
  })
  statistics(@Param('repo_id') repoId: string): Promise<StatisticsResponseDto> {
    return this.search.statistics(repoId);
  }

  @Get('search/suggestions')
  @Endpoint({
    summary: 'Prefix completion over index terms, paths, authors and refs',
    operationId: 'searchSuggestions',
    permission: 'repo:read',
    responses: [{ status: 200, type: SuggestionsResponseDto, description: 'Best first' }],
    errors: [
      ...REPO_READ_ERRORS,
      err(400, 'MISSING_QUERY', 'INVALID_LIMIT'),
      err(500, 'SUGGESTIONS_FAILED'),
    ],
  })
  suggestions(
    @Param('repo_id') repoId: string,
    @Query() query: SuggestionsQueryDto,
  ): Promise<SuggestionsResponseDto> {
    return this.search.suggestions(repoId, query);
  }

  @Post('search/rebuild')
  @Endpoint({
    summary: 'Rebuild the search index of the repository (now, or as an `index` job)',
    operationId: 'searchRebuild',
    permission: 'repo:write',
    responses: [
      { status: 200, type: RebuildResponseDto, description: 'Rebuilt' },
      { status: 202, type: RebuildAcceptedDto, description: 'async: true — the index job' },
    ],
    errors: [...REPO_WRITE_ERRORS, err(500, 'REBUILD_FAILED')],
  })
  async rebuild(
    @Param('repo_id') repoId: string,
    @Body() body: RebuildRequestDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<RebuildResponseDto | RebuildAcceptedDto> {
    if (body.async !== true) return this.search.rebuild(repoId);
    const job = await this.search.rebuildLater(repoId, principal?.id ?? 'anonymous');
    response.status(202);
    response.setHeader('Location', `/api/v1/jobs/${job.id}`);
    return { status: 'accepted', job_id: job.id };
  }
}
