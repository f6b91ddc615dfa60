/** The working-state status on /api/v2 (api-contract.md §4): the v1 body. */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V2 } from '../../http/api-version';
import { Endpoint } from '../../http/endpoint.decorator';
import { CommitsService } from './commits.service';
import type { StatusResponseDto } from './dto/status-response.dto';
import { STATUS_ENDPOINT } from './status.controller';

@ApiTags('v2-status')
@Controller(`${API_V2}/repos/:repo_id/status`)
export class V2StatusController {
  constructor(private readonly commits: CommitsService) {}

  @Get()
  @Endpoint(STATUS_ENDPOINT)
  get(@Param('repo_id') repoId: string): Promise<StatusResponseDto> {
    return this.commits.status(repoId);
  }
}
