/** Blame on /api/v2 (api-contract.md §4): the v1 body. */
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V2 } from '../../http/api-version';
import { ApiCatchAllPath, CatchAllPath } from '../../http/catch-all-path';
import { Endpoint } from '../../http/endpoint.decorator';
import { BLAME_ENDPOINT } from './blame.controller';
import { DiffService } from './diff.service';
import { BlameQueryDto } from './dto/blame-query.dto';
import type { BlameResponseDto } from './dto/blame-response.dto';

@ApiTags('v2-blame')
@Controller(`${API_V2}/repos/:repo_id`)
export class V2BlameController {
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
