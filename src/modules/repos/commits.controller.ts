/** Commits and history on /api/v1 (api-contract.md §3.2). */
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { Endpoint } from '../../http/endpoint.decorator';
import { CommitsService } from './commits.service';
import { CommitRequestDto } from './dto/commit-request.dto';
import { CommitResponseDto } from './dto/commit-response.dto';
import { LogQueryDto } from './dto/log-query.dto';
import { LogResponseDto } from './dto/log-response.dto';
import { ShowQueryDto } from './dto/show-query.dto';
import { ShowResponseDto } from './dto/show-response.dto';
import { COMMIT_ERRORS, LOG_ERRORS, SHOW_ERRORS } from './repos-route-errors';

@ApiTags('commits')
@Controller(`${API_V1}/repos/:repo_id`)
export class CommitsController {
  constructor(private readonly commits: CommitsService) {}

  @Post('commit')
  @Endpoint({
    summary: 'Commit the index on the current branch',
    permission: 'repo:write',
    responses: [{ status: 201, type: CommitResponseDto, description: 'The new commit' }],
    errors: COMMIT_ERRORS,
  })
  create(
    @Param('repo_id') repoId: string,
    @Body() body: CommitRequestDto,
  ): Promise<CommitResponseDto> {
    return this.commits.commit(repoId, body);
  }

  @Get('log')
  @Endpoint({
    summary: 'History, newest first (like git log)',
    permission: 'repo:read',
    responses: [{ status: 200, type: LogResponseDto, description: 'One page of commits' }],
    errors: LOG_ERRORS,
  })
  list(@Param('repo_id') repoId: string, @Query() query: LogQueryDto): Promise<LogResponseDto> {
    return this.commits.log(repoId, query);
  }

  @Get('show/:commit')
  @Endpoint({
    summary: 'A commit with its changed files and patches',
    permission: 'repo:read',
    responses: [{ status: 200, type: ShowResponseDto, description: 'The commit' }],
    errors: SHOW_ERRORS,
  })
  show(
    @Param('repo_id') repoId: string,
    @Param('commit') commit: string,
    @Query() query: ShowQueryDto,
  ): Promise<ShowResponseDto> {
    return this.commits.show(repoId, commit, query);
  }

  @Get('commits/:commit')
  @Endpoint({
    summary: 'A commit with its changed files and patches (alias of show)',
    permission: 'repo:read',
    responses: [{ status: 200, type: ShowResponseDto, description: 'The commit' }],
    errors: SHOW_ERRORS,
  })
  get(
    @Param('repo_id') repoId: string,
    @Param('commit') commit: string,
    @Query() query: ShowQueryDto,
  ): Promise<ShowResponseDto> {
    return this.commits.show(repoId, commit, query);
  }
}
