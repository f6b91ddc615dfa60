/** Time travel: the repository as it was at a time (api-contract.md §9). */
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint, type EndpointError } from '../../http/endpoint.decorator';
import { REPO_READ_ERRORS } from '../git-core/route-errors';
import { ApiCatchAllPath, CatchAllPath } from '../../http/catch-all-path';
import {
  TimeTravelAliasQueryDto,
  TimeTravelFileDto,
  TimeTravelRefQueryDto,
  TimeTravelResponseDto,
  toTimeTravelFile,
  toTimeTravelResponse,
} from './dto/time-travel.dto';
import { TimeTravelService } from './time-travel.service';

const BASE = 'api/v1/repos/:repo_id/time-travel';
const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const SNAPSHOT = { status: 200, description: 'The snapshot', type: TimeTravelResponseDto };
const SNAPSHOT_ERRORS = [
  err(400, 'INVALID_TIMESTAMP', 'INVALID_REF', 'AMBIGUOUS_REF'),
  err(404, 'REPO_NOT_FOUND', 'NO_COMMITS_AT_TIME', 'REF_NOT_FOUND'),
];

@ApiTags('time-travel')
@Controller()
export class TimeTravelController {
  constructor(private readonly timeTravel: TimeTravelService) {}

  @Get(BASE)
  @Endpoint({
    summary: 'Snapshot at ?time= (alias)',
    operationId: 'timeTravelSnapshotByQuery',
    permission: 'repo:read',
    responses: [SNAPSHOT],
    errors: [...REPO_READ_ERRORS, ...SNAPSHOT_ERRORS],
  })
  async byQuery(
    @Param('repo_id') repoId: string,
    @Query() query: TimeTravelAliasQueryDto,
  ): Promise<TimeTravelResponseDto> {
    return toTimeTravelResponse(await this.timeTravel.snapshot(repoId, query.time, query.ref));
  }

  @Get(`${BASE}/:timestamp`)
  @Endpoint({
    summary: 'Snapshot at a time',
    operationId: 'timeTravelSnapshot',
    permission: 'repo:read',
    responses: [SNAPSHOT],
    errors: [...REPO_READ_ERRORS, ...SNAPSHOT_ERRORS],
  })
  async snapshot(
    @Param('repo_id') repoId: string,
    @Param('timestamp') timestamp: string,
    @Query() query: TimeTravelRefQueryDto,
  ): Promise<TimeTravelResponseDto> {
    return toTimeTravelResponse(await this.timeTravel.snapshot(repoId, timestamp, query.ref));
  }

  @Get(`${BASE}/:timestamp/read/*path`)
  @ApiCatchAllPath('File path')
  @Endpoint({
    summary: 'Read a file as it was at a time',
    operationId: 'timeTravelRead',
    permission: 'repo:read',
    responses: [{ status: 200, description: 'The file', type: TimeTravelFileDto }],
    errors: [
      ...REPO_READ_ERRORS,
      err(400, 'INVALID_TIMESTAMP', 'INVALID_FILE_PATH'),
      err(404, 'REPO_NOT_FOUND', 'FILE_NOT_FOUND', 'NO_COMMITS_AT_TIME', 'REF_NOT_FOUND'),
    ],
  })
  async read(
    @Param('repo_id') repoId: string,
    @Param('timestamp') timestamp: string,
    @CatchAllPath('path') path: string,
    @Query() query: TimeTravelRefQueryDto,
  ): Promise<TimeTravelFileDto> {
    return toTimeTravelFile(await this.timeTravel.read(repoId, timestamp, path, query.ref));
  }
}
