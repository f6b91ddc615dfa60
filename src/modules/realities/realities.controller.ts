/** Parallel realities (api-contract.md §8). */
import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Endpoint, type EndpointError } from '../../http/endpoint.decorator';
import { REPO_READ_ERRORS, REPO_WRITE_ERRORS } from '../git-core/route-errors';
import { SCORING_HOOK_ERRORS } from '../hooks/server-hooks/server-hook-route-errors';
import {
  ApplyRealityDto,
  BenchmarkResponseDto,
  CreateRealitiesDto,
  MergeRealityDto,
  RealityAppliedDto,
  RealityDeletedDto,
  RealityListResponseDto,
  RealityMergedDto,
  toBenchmarkResponse,
  toRealityApplied,
  toRealityDeleted,
  toRealityList,
  toRealityMerged,
} from './dto/reality.dto';
import { RealitiesService } from './realities.service';

const BASE = 'api/v1/repos/:repo_id/parallel-realities';
const ONE = `${BASE}/:reality`;
const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const NOT_FOUND = err(404, 'REALITY_NOT_FOUND');
const BENCHMARK = {
  status: 200,
  description: 'Measurements of the reality and its base',
  type: BenchmarkResponseDto,
};
const BENCHMARK_ERRORS = [
  ...REPO_READ_ERRORS,
  NOT_FOUND,
  err(500, 'INTERNAL_ERROR'),
  ...SCORING_HOOK_ERRORS,
];

@ApiTags('realities')
@Controller()
export class RealitiesController {
  constructor(private readonly realities: RealitiesService) {}

  @Post(BASE)
  @Endpoint({
    summary: 'Create parallel realities (all or none)',
    operationId: 'realitiesCreate',
    permission: 'repo:write',
    responses: [{ status: 201, description: 'The new realities', type: RealityListResponseDto }],
    errors: [
      ...REPO_WRITE_ERRORS,
      err(400, 'INVALID_BRANCH_NAME', 'TOO_MANY_REALITIES', 'INVALID_REF', 'AMBIGUOUS_REF'),
      err(404, 'REF_NOT_FOUND'),
      err(409, 'REALITY_EXISTS'),
    ],
  })
  async create(
    @Param('repo_id') repoId: string,
    @Body() body: CreateRealitiesDto,
  ): Promise<RealityListResponseDto> {
    return toRealityList(await this.realities.create(repoId, body));
  }

  @Get(BASE)
  @Endpoint({
    summary: 'List parallel realities',
    operationId: 'realitiesList',
    permission: 'repo:read',
    responses: [{ status: 200, description: 'Realities by name', type: RealityListResponseDto }],
    errors: [...REPO_READ_ERRORS, err(500, 'LIST_FAILED')],
  })
  async list(@Param('repo_id') repoId: string): Promise<RealityListResponseDto> {
    return toRealityList(await this.realities.list(repoId));
  }

  @Post(`${ONE}/apply`)
  @Endpoint({
    summary: 'Apply changes to a reality (one commit)',
    operationId: 'realitiesApply',
    permission: 'repo:write',
    responses: [{ status: 200, description: 'Applied', type: RealityAppliedDto }],
    errors: [
      ...REPO_WRITE_ERRORS,
      err(
        400,
        'INVALID_FILE_PATH',
        'INVALID_FILE_CONTENT',
        'INVALID_COMMIT_MESSAGE',
        'INVALID_EMAIL',
      ),
      NOT_FOUND,
      err(500, 'APPLY_FAILED'),
    ],
  })
  async apply(
    @Param('repo_id') repoId: string,
    @Param('reality') reality: string,
    @Body() body: ApplyRealityDto,
  ): Promise<RealityAppliedDto> {
    return toRealityApplied(await this.realities.apply(repoId, reality, body));
  }

  @Get(`${ONE}/benchmark`)
  @Endpoint({
    summary: 'Benchmark a reality against its base',
    operationId: 'realitiesBenchmark',
    permission: 'repo:read',
    responses: [BENCHMARK],
    errors: BENCHMARK_ERRORS,
  })
  async benchmark(
    @Param('repo_id') repoId: string,
    @Param('reality') reality: string,
  ): Promise<BenchmarkResponseDto> {
    return toBenchmarkResponse(await this.realities.benchmark(repoId, reality));
  }

  @Post(`${ONE}/benchmark`)
  @Endpoint({
    summary: 'Benchmark a reality against its base (POST alias)',
    operationId: 'realitiesBenchmarkPost',
    permission: 'repo:read',
    responses: [BENCHMARK],
    errors: BENCHMARK_ERRORS,
  })
  async benchmarkPost(
    @Param('repo_id') repoId: string,
    @Param('reality') reality: string,
  ): Promise<BenchmarkResponseDto> {
    return toBenchmarkResponse(await this.realities.benchmark(repoId, reality));
  }

  @Post(`${ONE}/merge`)
  @ApiBody({ type: MergeRealityDto, required: false })
  @Endpoint({
    summary: 'Merge a reality into a branch',
    operationId: 'realitiesMerge',
    permission: 'repo:write',
    responses: [{ status: 200, description: 'Merged', type: RealityMergedDto }],
    errors: [
      ...REPO_WRITE_ERRORS,
      err(400, 'DELETE_CURRENT_BRANCH'),
      err(404, 'REALITY_NOT_FOUND', 'BRANCH_NOT_FOUND'),
      err(409, 'MERGE_CONFLICT', 'MERGE_FAILED'),
    ],
  })
  async merge(
    @Param('repo_id') repoId: string,
    @Param('reality') reality: string,
    @Body() body?: MergeRealityDto,
  ): Promise<RealityMergedDto> {
    return toRealityMerged(await this.realities.merge(repoId, reality, body));
  }

  @Delete(ONE)
  @Endpoint({
    summary: 'Delete a reality',
    operationId: 'realitiesDelete',
    permission: 'repo:write',
    responses: [{ status: 200, description: 'Deleted', type: RealityDeletedDto }],
    errors: [...REPO_WRITE_ERRORS, err(400, 'DELETE_CURRENT_BRANCH'), NOT_FOUND],
  })
  async delete(
    @Param('repo_id') repoId: string,
    @Param('reality') reality: string,
  ): Promise<RealityDeletedDto> {
    return toRealityDeleted(await this.realities.delete(repoId, reality));
  }
}
