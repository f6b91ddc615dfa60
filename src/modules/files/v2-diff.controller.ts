/**
 * Diffs on /api/v2 (api-contract.md §4): the v1 bodies. Route order matters: `diff/working` and
 * `diff/file/*path` are declared before `diff/:from/:to`, which would otherwise match them.
 */
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V2 } from '../../http/api-version';
import { ApiCatchAllPath, CatchAllPath } from '../../http/catch-all-path';
import { Endpoint } from '../../http/endpoint.decorator';
import { DIFF_ENDPOINTS } from './diff.controller';
import { DiffService } from './diff.service';
import { DiffFormatQueryDto, DiffQueryDto } from './dto/diff-query.dto';
import { DiffResponseDto } from './dto/diff-response.dto';
import { FileDiffQueryDto } from './dto/file-diff-query.dto';
import { SingleFileDiffResponseDto } from './dto/file-diff-response.dto';
import { WorkingDiffResponseDto } from './dto/working-diff-response.dto';

@ApiTags('v2-diff')
@Controller(`${API_V2}/repos/:repo_id/diff`)
export class V2DiffController {
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
