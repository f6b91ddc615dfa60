/**
 * Diffs on /api/v1 (api-contract.md §3.3). Route order matters: `diff/working` and
 * `diff/file/*path` are declared before `diff/:from/:to`, which would otherwise match them.
 */
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { ApiCatchAllPath, CatchAllPath } from '../../http/catch-all-path';
import { Endpoint, type EndpointOptions } from '../../http/endpoint.decorator';
import { REPO_READ_ERRORS } from '../git-core/route-errors';
import { DiffService } from './diff.service';
import { DiffFormatQueryDto, DiffQueryDto } from './dto/diff-query.dto';
import { DiffResponseDto } from './dto/diff-response.dto';
import { FileDiffQueryDto } from './dto/file-diff-query.dto';
import { SingleFileDiffResponseDto } from './dto/file-diff-response.dto';
import { WorkingDiffResponseDto } from './dto/working-diff-response.dto';
import { DIFF_ERRORS, FILE_DIFF_ERRORS } from './files-route-errors';

/** Shared by v1 and v2, whose diff bodies are identical. */
export const DIFF_ENDPOINTS = {
  working: {
    summary: 'Staged (index vs HEAD) and unstaged (working tree vs index) changes',
    permission: 'repo:read',
    responses: [{ status: 200, type: WorkingDiffResponseDto, description: 'The changes' }],
    errors: REPO_READ_ERRORS,
  },
  file: {
    summary: 'Diff one file between two revisions (default HEAD~1 → HEAD)',
    permission: 'repo:read',
    responses: [{ status: 200, type: SingleFileDiffResponseDto, description: 'The file diff' }],
    errors: FILE_DIFF_ERRORS,
  },
  query: {
    summary: 'Diff two revisions (?from=, ?to= default HEAD) as unified, raw or name-only',
    permission: 'repo:read',
    responses: [{ status: 200, type: DiffResponseDto, description: 'The diff' }],
    errors: DIFF_ERRORS,
  },
  refs: {
    summary: 'Diff two revisions as unified, raw or name-only',
    permission: 'repo:read',
    responses: [{ status: 200, type: DiffResponseDto, description: 'The diff' }],
    errors: DIFF_ERRORS,
  },
} satisfies Record<string, EndpointOptions>;

@ApiTags('diff')
@Controller(`${API_V1}/repos/:repo_id/diff`)
export class DiffController {
  constructor(private readonly diffs: DiffService) {}

  @Get('working')
  @Endpoint(DIFF_ENDPOINTS.working)
  working(@Param('repo_id') repoId: string): Promise<WorkingDiffResponseDto> {
    return this.diffs.working(repoId);
  }

  @Get('file{/*path}')
  @ApiCatchAllPath('File path')
  @Endpoint(DIFF_ENDPOINTS.file)
  file(
    @Param('repo_id') repoId: string,
    @CatchAllPath() path: string,
    @Query() query: FileDiffQueryDto,
  ): Promise<SingleFileDiffResponseDto> {
    return this.diffs.file(repoId, path, query);
  }

  @Get()
  @Endpoint(DIFF_ENDPOINTS.query)
  query(@Param('repo_id') repoId: string, @Query() query: DiffQueryDto): Promise<DiffResponseDto> {
    return this.diffs.diff(repoId, query.from, query.to, query);
  }

  @Get(':from/:to')
  @Endpoint(DIFF_ENDPOINTS.refs)
  refs(
    @Param('repo_id') repoId: string,
    @Param('from') from: string,
    @Param('to') to: string,
    @Query() query: DiffFormatQueryDto,
  ): Promise<DiffResponseDto> {
    return this.diffs.diff(repoId, from, to, query);
  }
}
