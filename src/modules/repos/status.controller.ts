/** The working-state status on /api/v1 (api-contract.md §3.2). */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { Endpoint } from '../../http/endpoint.decorator';
import { REPO_READ_ERRORS } from '../git-core/route-errors';
import { CommitsService } from './commits.service';
import { StatusResponseDto } from './dto/status-response.dto';

export const STATUS_ENDPOINT = {
  summary: 'Staged, modified and untracked paths (like git status)',
  permission: 'repo:read',
  responses: [{ status: 200, type: StatusResponseDto, description: 'The status' }],
  errors: REPO_READ_ERRORS,
};

@ApiTags('status')
@Controller(`${API_V1}/repos/:repo_id/status`)
export class StatusController {
  constructor(private readonly commits: CommitsService) {}

  @Get()
  @Endpoint(STATUS_ENDPOINT)
  get(@Param('repo_id') repoId: string): Promise<StatusResponseDto> {
    return this.commits.status(repoId);
  }
}
