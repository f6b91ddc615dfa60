/** Blame on /api/v1 (api-contract.md §3.3). */
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { ApiCatchAllPath, CatchAllPath } from '../../http/catch-all-path';
import { Endpoint, type EndpointOptions } from '../../http/endpoint.decorator';
import { DiffService } from './diff.service';
import { BlameQueryDto } from './dto/blame-query.dto';
import { BlameResponseDto } from './dto/blame-response.dto';
import { BLAME_ERRORS } from './files-route-errors';

/** Shared by v1 and v2, whose blame bodies are identical. */
export const BLAME_ENDPOINT: EndpointOptions = {
  summary: 'Each line of a file at a revision with the commit that introduced it',
  permission: 'repo:read',
  responses: [{ status: 200, type: BlameResponseDto, description: 'The blamed lines' }],
  errors: BLAME_ERRORS,
};

@ApiTags('blame')
@Controller(`${API_V1}/repos/:repo_id`)
export class BlameController {
  constructor(private readonly diffs: DiffService) {}

  @Get('blame{/*path}')
  @ApiCatchAllPath('File path')
  @Endpoint(BLAME_ENDPOINT)
  get(
    @Param('repo_id') repoId: string,
    @CatchAllPath() path: string,
    @Query() query: BlameQueryDto,
  ): Promise<BlameResponseDto> {
    return this.diffs.blame(repoId, path, query);
  }
}
