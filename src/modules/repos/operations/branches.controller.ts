/** Branches, checkout and merge, /api/v1 and the /api/v2 aliases (api-contract.md §3.4, §4). */
import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Endpoint, type EndpointError } from '../../../http/endpoint.decorator';
import { REPO_READ_ERRORS, REPO_WRITE_ERRORS } from '../../git-core/route-errors';
import { CatchAllPath } from '../../../http/catch-all-path';
import {
  BranchListResponseDto,
  BranchResponseDto,
  CreateBranchDto,
  toBranchCreated,
  toBranchDeleted,
  toBranchList,
  toBranchResponse,
} from './dto/branch.dto';
import { CheckoutDto, MergeDto, toCheckedOut, toMerged } from './dto/checkout-merge.dto';
import { SuccessDataResponseDto } from './dto/success-data-response.dto';
import { RefsService } from './refs.service';

const V1 = 'api/v1/repos/:repo_id';
const V2 = 'api/v2/repos/:repo_id';

const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const NOT_FOUND = err(404, 'REPO_NOT_FOUND', 'BRANCH_NOT_FOUND');
const CREATE_ERRORS = [
  err(400, 'INVALID_BRANCH_NAME', 'BRANCH_CREATE_FAILED', 'INVALID_REF'),
  err(404, 'REPO_NOT_FOUND', 'BRANCH_NOT_FOUND'),
  err(409, 'BRANCH_EXISTS', 'CONCURRENT_UPDATE'),
];
const DELETE_ERRORS = [
  err(400, 'DELETE_CURRENT_BRANCH', 'PROTECTED_BRANCH'),
  NOT_FOUND,
  err(409, 'CONCURRENT_UPDATE'),
];
const CHECKOUT_ERRORS = [
  err(400, 'INVALID_REQUEST', 'AMBIGUOUS_REF'),
  NOT_FOUND,
  err(409, 'CHECKOUT_FAILED'),
];
const MERGE_ERRORS = [
  err(400, 'INVALID_REQUEST', 'INVALID_REF'),
  err(404, 'REPO_NOT_FOUND', 'BRANCH_NOT_FOUND', 'REF_NOT_FOUND'),
  err(409, 'MERGE_CONFLICT', 'MERGE_FAILED'),
];
const LIST = { status: 200, description: 'Branches by name', type: BranchListResponseDto };
const ONE = { status: 200, description: 'The branch', type: BranchResponseDto };
const created = { status: 201, description: 'Branch created', type: SuccessDataResponseDto };
const ok = (description: string) => ({ status: 200, description, type: SuccessDataResponseDto });

const BRANCH_PARAM = ApiParam({
  name: 'branch',
  required: true,
  description: 'Branch name; the rest of the URL, `/` or `%2F` between segments',
  schema: { type: 'string' },
});

@ApiTags('branches')
@Controller()
export class BranchesController {
  constructor(private readonly refs: RefsService) {}

  @Get(`${V1}/branches`)
  @Endpoint({
    summary: 'List branches',
    operationId: 'branchesList',
    permission: 'repo:read',
    responses: [LIST],
    errors: [...REPO_READ_ERRORS, err(404, 'REPO_NOT_FOUND')],
  })
  async list(@Param('repo_id') repoId: string): Promise<BranchListResponseDto> {
    return toBranchList(await this.refs.listBranches(repoId));
  }

  @Get(`${V1}/branches/*branch`)
  @BRANCH_PARAM
  @Endpoint({
    summary: 'Get a branch',
    operationId: 'branchesGet',
    permission: 'repo:read',
    responses: [ONE],
    errors: [...REPO_READ_ERRORS, NOT_FOUND],
  })
  async get(
    @Param('repo_id') repoId: string,
    @CatchAllPath('branch') name: string,
  ): Promise<BranchResponseDto> {
    return toBranchResponse(await this.refs.getBranch(repoId, name));
  }

  @Post(`${V1}/branches`)
  @Endpoint({
    summary: 'Create a branch',
    operationId: 'branchesCreate',
    permission: 'repo:write',
    responses: [created],
    errors: [...REPO_WRITE_ERRORS, ...CREATE_ERRORS],
  })
  async create(
    @Param('repo_id') repoId: string,
    @Body() body: CreateBranchDto,
  ): Promise<SuccessDataResponseDto> {
    return toBranchCreated('v1', await this.refs.createBranch(repoId, body));
  }

  @Delete(`${V1}/branches/*branch`)
  @BRANCH_PARAM
  @Endpoint({
    summary: 'Delete a branch',
    operationId: 'branchesDelete',
    permission: 'repo:write',
    responses: [ok('Branch deleted')],
    errors: [...REPO_WRITE_ERRORS, ...DELETE_ERRORS],
  })
  async delete(
    @Param('repo_id') repoId: string,
    @CatchAllPath('branch') name: string,
  ): Promise<SuccessDataResponseDto> {
    return toBranchDeleted('v1', await this.refs.deleteBranch(repoId, name));
  }

  @Post(`${V1}/checkout`)
  @Endpoint({
    summary: 'Check out a branch or commit',
    operationId: 'branchesCheckout',
    permission: 'repo:write',
    responses: [ok('Checked out')],
    errors: [...REPO_WRITE_ERRORS, ...CHECKOUT_ERRORS],
  })
  async checkout(
    @Param('repo_id') repoId: string,
    @Body() body: CheckoutDto,
  ): Promise<SuccessDataResponseDto> {
    return toCheckedOut('v1', await this.refs.checkout(repoId, body));
  }

  @Post(`${V1}/merge`)
  @Endpoint({
    summary: 'Merge a ref into a branch',
    operationId: 'branchesMerge',
    permission: 'repo:write',
    responses: [ok('Merged')],
    errors: [...REPO_WRITE_ERRORS, ...MERGE_ERRORS],
  })
  async merge(
    @Param('repo_id') repoId: string,
    @Body() body: MergeDto,
  ): Promise<SuccessDataResponseDto> {
    return toMerged('v1', await this.refs.merge(repoId, body));
  }

  // ---- /api/v2 ----

  @Get(`${V2}/branches`)
  @Endpoint({
    summary: 'List branches (v2)',
    operationId: 'v2BranchesList',
    permission: 'repo:read',
    responses: [LIST],
    errors: [...REPO_READ_ERRORS, err(404, 'REPO_NOT_FOUND')],
  })
  async listV2(@Param('repo_id') repoId: string): Promise<BranchListResponseDto> {
    return toBranchList(await this.refs.listBranches(repoId));
  }

  @Get(`${V2}/branches/*branch`)
  @BRANCH_PARAM
  @Endpoint({
    summary: 'Get a branch (v2)',
    operationId: 'v2BranchesGet',
    permission: 'repo:read',
    responses: [ONE],
    errors: [...REPO_READ_ERRORS, NOT_FOUND],
  })
  async getV2(
    @Param('repo_id') repoId: string,
    @CatchAllPath('branch') name: string,
  ): Promise<BranchResponseDto> {
    return toBranchResponse(await this.refs.getBranch(repoId, name));
  }

  @Post(`${V2}/branches`)
  @Endpoint({
    summary: 'Create a branch (v2)',
    operationId: 'v2BranchesCreate',
    permission: 'repo:write',
    responses: [created],
    errors: [...REPO_WRITE_ERRORS, ...CREATE_ERRORS],
  })
  async createV2(
    @Param('repo_id') repoId: string,
    @Body() body: CreateBranchDto,
  ): Promise<SuccessDataResponseDto> {
    return toBranchCreated('v2', await this.refs.createBranch(repoId, body));
  }

  @Delete(`${V2}/branches/*branch`)
  @BRANCH_PARAM
  @Endpoint({
    summary: 'Delete a branch (v2)',
    operationId: 'v2BranchesDelete',
    permission: 'repo:write',
    responses: [ok('Branch deleted')],
    errors: [...REPO_WRITE_ERRORS, ...DELETE_ERRORS],
  })
  async deleteV2(
    @Param('repo_id') repoId: string,
    @CatchAllPath('branch') name: string,
  ): Promise<SuccessDataResponseDto> {
    return toBranchDeleted('v2', await this.refs.deleteBranch(repoId, name));
  }

  @Post(`${V2}/checkout`)
  @Endpoint({
    summary: 'Check out a branch or commit (v2)',
    operationId: 'v2BranchesCheckout',
    permission: 'repo:write',
    responses: [ok('Checked out')],
    errors: [...REPO_WRITE_ERRORS, ...CHECKOUT_ERRORS],
  })
  async checkoutV2(
    @Param('repo_id') repoId: string,
    @Body() body: CheckoutDto,
  ): Promise<SuccessDataResponseDto> {
    return toCheckedOut('v2', await this.refs.checkout(repoId, body));
  }

  @Post(`${V2}/merge`)
  @Endpoint({
    summary: 'Merge a ref into a branch (v2)',
    operationId: 'v2BranchesMerge',
    permission: 'repo:write',
    responses: [ok('Merged')],
    errors: [...REPO_WRITE_ERRORS, ...MERGE_ERRORS],
  })
  async mergeV2(
    @Param('repo_id') repoId: string,
    @Body() body: MergeDto,
  ): Promise<SuccessDataResponseDto> {
    return toMerged('v2', await this.refs.merge(repoId, body));
  }
}
