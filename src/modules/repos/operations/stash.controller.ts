/** Stash, /api/v1 (`stash@{N}` ids) and /api/v2 (uuid ids) (api-contract.md §3.5, §4). */
import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Endpoint, type EndpointError } from '../../../http/endpoint.decorator';
import { REPO_READ_ERRORS, REPO_WRITE_ERRORS } from '../../git-core/route-errors';
import {
  StashApplyDto,
  StashListResponseDto,
  StashPushDto,
  StashResponseDto,
  toStashApplied,
  toStashDropped,
  toStashList,
  toStashResponse,
} from './dto/stash.dto';
import { SuccessDataResponseDto } from './dto/success-data-response.dto';
import { HistoryService } from './history.service';

const V1 = 'api/v1/repos/:repo_id/stash';
const V2 = 'api/v2/repos/:repo_id/stashes';

const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const NOT_FOUND = err(404, 'REPO_NOT_FOUND', 'STASH_NOT_FOUND');
const PUSH_ERRORS = [
  err(400, 'STASH_FAILED', 'INVALID_REQUEST', 'INVALID_EMAIL'),
  err(404, 'REPO_NOT_FOUND'),
];
const APPLY_ERRORS = [NOT_FOUND, err(409, 'STASH_APPLY_FAILED', 'MERGE_CONFLICT')];
const CREATED = { status: 201, description: 'The new entry', type: StashResponseDto };
const LIST = { status: 200, description: 'Entries, newest first', type: StashListResponseDto };
const ONE = { status: 200, description: 'The entry', type: StashResponseDto };
const ok = (description: string) => ({ status: 200, description, type: SuccessDataResponseDto });
const STASH_ID = 'N, stash@{N} or the uuid';

@ApiTags('stash')
@Controller()
export class StashController {
  constructor(private readonly history: HistoryService) {}

  @Post(V1)
  @ApiBody({ type: StashPushDto, required: false })
  @Endpoint({
    summary: 'Stash local changes',
    operationId: 'stashCreate',
    permission: 'repo:write',
    responses: [CREATED],
    errors: [...REPO_WRITE_ERRORS, ...PUSH_ERRORS],
  })
  async create(
    @Param('repo_id') repoId: string,
    @Body() body?: StashPushDto,
  ): Promise<StashResponseDto> {
    return toStashResponse('v1', await this.history.stashPush(repoId, body));
  }

  @Get(V1)
  @Endpoint({
    summary: 'List stash entries',
    operationId: 'stashList',
    permission: 'repo:read',
    responses: [LIST],
    errors: [...REPO_READ_ERRORS, err(404, 'REPO_NOT_FOUND')],
  })
  async list(@Param('repo_id') repoId: string): Promise<StashListResponseDto> {
    return toStashList('v1', await this.history.listStashes(repoId));
  }

  @Get(`${V1}/:stash_id`)
  @Endpoint({
    summary: 'Get a stash entry',
    description: STASH_ID,
    operationId: 'stashGet',
    permission: 'repo:read',
    responses: [ONE],
    errors: [...REPO_READ_ERRORS, NOT_FOUND],
  })
  async get(
    @Param('repo_id') repoId: string,
    @Param('stash_id') stashId: string,
  ): Promise<StashResponseDto> {
    return toStashResponse('v1', await this.history.getStash(repoId, stashId));
  }

  @Post(`${V1}/:stash_id/apply`)
  @ApiBody({ type: StashApplyDto, required: false })
  @Endpoint({
    summary: 'Apply (or pop) a stash entry',
    description: STASH_ID,
    operationId: 'stashApply',
    permission: 'repo:write',
    responses: [ok('Applied')],
    errors: [...REPO_WRITE_ERRORS, ...APPLY_ERRORS],
  })
  async apply(
    @Param('repo_id') repoId: string,
    @Param('stash_id') stashId: string,
    @Body() body?: StashApplyDto,
  ): Promise<SuccessDataResponseDto> {
    return toStashApplied('v1', await this.history.applyStash(repoId, stashId, body));
  }

  @Delete(`${V1}/:stash_id`)
  @Endpoint({
    summary: 'Drop a stash entry',
    description: STASH_ID,
    operationId: 'stashDrop',
    permission: 'repo:write',
    responses: [ok('Dropped')],
    errors: [...REPO_WRITE_ERRORS, NOT_FOUND],
  })
  async drop(
    @Param('repo_id') repoId: string,
    @Param('stash_id') stashId: string,
  ): Promise<SuccessDataResponseDto> {
    return toStashDropped('v1', await this.history.dropStash(repoId, stashId));
  }

  // ---- /api/v2 ----

  @Post(V2)
  @ApiBody({ type: StashPushDto, required: false })
  @Endpoint({
    summary: 'Stash local changes (v2)',
    operationId: 'v2StashCreate',
    permission: 'repo:write',
    responses: [CREATED],
    errors: [...REPO_WRITE_ERRORS, ...PUSH_ERRORS],
  })
  async createV2(
    @Param('repo_id') repoId: string,
    @Body() body?: StashPushDto,
  ): Promise<StashResponseDto> {
    return toStashResponse('v2', await this.history.stashPush(repoId, body));
  }

  @Get(V2)
  @Endpoint({
    summary: 'List stash entries (v2)',
    operationId: 'v2StashList',
    permission: 'repo:read',
    responses: [LIST],
    errors: [...REPO_READ_ERRORS, err(404, 'REPO_NOT_FOUND')],
  })
  async listV2(@Param('repo_id') repoId: string): Promise<StashListResponseDto> {
    return toStashList('v2', await this.history.listStashes(repoId));
  }

  @Get(`${V2}/:stash_id`)
  @Endpoint({
    summary: 'Get a stash entry (v2)',
    description: STASH_ID,
    operationId: 'v2StashGet',
    permission: 'repo:read',
    responses: [ONE],
    errors: [...REPO_READ_ERRORS, NOT_FOUND],
  })
  async getV2(
    @Param('repo_id') repoId: string,
    @Param('stash_id') stashId: string,
  ): Promise<StashResponseDto> {
    return toStashResponse('v2', await this.history.getStash(repoId, stashId));
  }

  @Post(`${V2}/:stash_id/apply`)
  @ApiBody({ type: StashApplyDto, required: false })
  @Endpoint({
    summary: 'Apply (or pop) a stash entry (v2)',
    description: STASH_ID,
    operationId: 'v2StashApply',
    permission: 'repo:write',
    responses: [ok('Applied')],
    errors: [...REPO_WRITE_ERRORS, ...APPLY_ERRORS],
  })
  async applyV2(
    @Param('repo_id') repoId: string,
    @Param('stash_id') stashId: string,
    @Body() body?: StashApplyDto,
  ): Promise<SuccessDataResponseDto> {
    return toStashApplied('v2', await this.history.applyStash(repoId, stashId, body));
  }

  @Delete(`${V2}/:stash_id`)
  @Endpoint({
    summary: 'Drop a stash entry (v2)',
    description: STASH_ID,
    operationId: 'v2StashDrop',
    permission: 'repo:write',
    responses: [ok('Dropped')],
    errors: [...REPO_WRITE_ERRORS, NOT_FOUND],
  })
  async dropV2(
    @Param('repo_id') repoId: string,
    @Param('stash_id') stashId: string,
  ): Promise<SuccessDataResponseDto> {
    return toStashDropped('v2', await this.history.dropStash(repoId, stashId));
  }
}
