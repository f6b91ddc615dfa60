/** Tags, /api/v1 and the /api/v2 aliases (api-contract.md §3.4, §4). */
import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Endpoint, type EndpointError } from '../../../http/endpoint.decorator';
import { REPO_READ_ERRORS, REPO_WRITE_ERRORS } from '../../git-core/route-errors';
import { CatchAllPath } from '../../../http/catch-all-path';
import { SuccessDataResponseDto } from './dto/success-data-response.dto';
import {
  CreateTagDto,
  TagCreatedV2Dto,
  TagListResponseDto,
  TagResponseDto,
  toTagCreatedV2,
  toTagDeleted,
  toTagList,
  toTagResponse,
} from './dto/tag.dto';
import { RefsService } from './refs.service';

const V1 = 'api/v1/repos/:repo_id';
const V2 = 'api/v2/repos/:repo_id';

const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const NOT_FOUND = err(404, 'REPO_NOT_FOUND', 'TAG_NOT_FOUND');
const CREATE_ERRORS = [
  err(400, 'INVALID_TAG_NAME', 'TAG_CREATE_FAILED', 'INVALID_REF', 'INVALID_EMAIL'),
  err(404, 'REPO_NOT_FOUND', 'REF_NOT_FOUND'),
  err(409, 'TAG_EXISTS'),
];
const LIST = { status: 200, description: 'Tags by name', type: TagListResponseDto };
const ONE = { status: 200, description: 'The tag', type: TagResponseDto };
const DELETED = { status: 200, description: 'Tag deleted', type: SuccessDataResponseDto };

const TAG_PARAM = ApiParam({
  name: 'tag',
  required: true,
  description: 'Tag name; the rest of the URL, `/` or `%2F` between segments',
  schema: { type: 'string' },
});

@ApiTags('tags')
@Controller()
export class TagsController {
  constructor(private readonly refs: RefsService) {}

  @Get(`${V1}/tags`)
  @Endpoint({
    summary: 'List tags',
    operationId: 'tagsList',
    permission: 'repo:read',
    responses: [LIST],
    errors: [...REPO_READ_ERRORS, err(404, 'REPO_NOT_FOUND')],
  })
  async list(@Param('repo_id') repoId: string): Promise<TagListResponseDto> {
    return toTagList(await this.refs.listTags(repoId));
  }

  @Get(`${V1}/tags/*tag`)
  @TAG_PARAM
  @Endpoint({
    summary: 'Get a tag',
    operationId: 'tagsGet',
    permission: 'repo:read',
    responses: [ONE],
    errors: [...REPO_READ_ERRORS, NOT_FOUND],
  })
  async get(
    @Param('repo_id') repoId: string,
    @CatchAllPath('tag') name: string,
  ): Promise<TagResponseDto> {
    return toTagResponse(await this.refs.getTag(repoId, name));
  }

  @Post(`${V1}/tags`)
  @Endpoint({
    summary: 'Create a tag (annotated when message is given)',
    operationId: 'tagsCreate',
    permission: 'repo:write',
    responses: [{ status: 201, description: 'The tag', type: TagResponseDto }],
    errors: [...REPO_WRITE_ERRORS, ...CREATE_ERRORS],
  })
  async create(
    @Param('repo_id') repoId: string,
    @Body() body: CreateTagDto,
  ): Promise<TagResponseDto> {
    return toTagResponse(await this.refs.createTag(repoId, body));
  }

  @Delete(`${V1}/tags/*tag`)
  @TAG_PARAM
  @Endpoint({
    summary: 'Delete a tag',
    operationId: 'tagsDelete',
    permission: 'repo:write',
    responses: [DELETED],
    errors: [...REPO_WRITE_ERRORS, NOT_FOUND],
  })
  async delete(
    @Param('repo_id') repoId: string,
    @CatchAllPath('tag') name: string,
  ): Promise<SuccessDataResponseDto> {
    return toTagDeleted('v1', await this.refs.deleteTag(repoId, name));
  }

  // ---- /api/v2 ----

  @Get(`${V2}/tags`)
  @Endpoint({
    summary: 'List tags (v2)',
    operationId: 'v2TagsList',
    permission: 'repo:read',
    responses: [LIST],
    errors: [...REPO_READ_ERRORS, err(404, 'REPO_NOT_FOUND')],
  })
  async listV2(@Param('repo_id') repoId: string): Promise<TagListResponseDto> {
    return toTagList(await this.refs.listTags(repoId));
  }

  @Get(`${V2}/tags/*tag`)
  @TAG_PARAM
  @Endpoint({
    summary: 'Get a tag (v2)',
    operationId: 'v2TagsGet',
    permission: 'repo:read',
    responses: [ONE],
    errors: [...REPO_READ_ERRORS, NOT_FOUND],
  })
  async getV2(
    @Param('repo_id') repoId: string,
    @CatchAllPath('tag') name: string,
  ): Promise<TagResponseDto> {
    return toTagResponse(await this.refs.getTag(repoId, name));
  }

  @Post(`${V2}/tags`)
  @Endpoint({
    summary: 'Create a tag (v2)',
    operationId: 'v2TagsCreate',
    permission: 'repo:write',
    responses: [{ status: 201, description: 'The tag', type: TagCreatedV2Dto }],
    errors: [...REPO_WRITE_ERRORS, ...CREATE_ERRORS],
  })
  async createV2(
    @Param('repo_id') repoId: string,
    @Body() body: CreateTagDto,
  ): Promise<TagCreatedV2Dto> {
    return toTagCreatedV2(await this.refs.createTag(repoId, body));
  }

  @Delete(`${V2}/tags/*tag`)
  @TAG_PARAM
  @Endpoint({
    summary: 'Delete a tag (v2)',
    operationId: 'v2TagsDelete',
    permission: 'repo:write',
    responses: [DELETED],
    errors: [...REPO_WRITE_ERRORS, NOT_FOUND],
  })
  async deleteV2(
    @Param('repo_id') repoId: string,
    @CatchAllPath('tag') name: string,
  ): Promise<SuccessDataResponseDto> {
    return toTagDeleted('v2', await this.refs.deleteTag(repoId, name));
  }
}
