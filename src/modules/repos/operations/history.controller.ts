/** Cherry-pick, revert, reset and rebase, /api/v1 and /api/v2 (api-contract.md §3.6, §4). */
import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint, type EndpointError } from '../../../http/endpoint.decorator';
import { REPO_WRITE_ERRORS } from '../../git-core/route-errors';
import {
  CherryPickResponseDto,
  PickCommitDto,
  RebaseDto,
  RebaseResponseDto,
  ResetDto,
  ResetResponseDto,
  RevertResponseDto,
  toCherryPickResponse,
  toRebaseResponse,
  toResetResponse,
  toRevertResponse,
} from './dto/history.dto';
import { HistoryService } from './history.service';

const V1 = 'api/v1/repos/:repo_id';
const V2 = 'api/v2/repos/:repo_id';

const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const PICK_ERRORS = (code: string) => [
  err(
    400,
    `INVALID_REQUEST / INVALID_REF / AMBIGUOUS_REF / ${code} (merge commit without mainline)`,
  ),
  err(404, 'REPO_NOT_FOUND', 'COMMIT_NOT_FOUND'),
  err(409, 'MERGE_CONFLICT', `${code}`, 'CONCURRENT_UPDATE'),
];
const RESET_ERRORS = [
  err(400, 'INVALID_REQUEST', 'RESET_FAILED', 'INVALID_REF'),
  err(404, 'REPO_NOT_FOUND', 'REF_NOT_FOUND'),
  err(409, 'CONCURRENT_UPDATE'),
];
const REBASE_ERRORS = [
  err(400, 'INVALID_REQUEST', 'REBASE_FAILED', 'INVALID_REF'),
  err(404, 'REPO_NOT_FOUND', 'REF_NOT_FOUND'),
  err(409, 'REBASE_FAILED', 'MERGE_CONFLICT'),
];
const PICKED = { status: 201, description: 'The new commit', type: CherryPickResponseDto };
const REVERTED = { status: 201, description: 'The new commit', type: RevertResponseDto };
const RESET = { status: 200, description: 'Heads before and after', type: ResetResponseDto };
const REBASED = { status: 200, description: 'The replayed commits', type: RebaseResponseDto };

@ApiTags('operations')
@Controller()
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Post(`${V1}/cherry-pick`)
  @Endpoint({
    summary: 'Cherry-pick a commit onto the current branch',
    operationId: 'operationsCherryPick',
    permission: 'repo:write',
    responses: [PICKED],
    errors: [...REPO_WRITE_ERRORS, ...PICK_ERRORS('CHERRY_PICK_FAILED')],
  })
  async cherryPick(
    @Param('repo_id') repoId: string,
    @Body() body: PickCommitDto,
  ): Promise<CherryPickResponseDto> {
    return toCherryPickResponse(await this.history.cherryPick(repoId, body));
  }

  @Post(`${V1}/revert`)
  @Endpoint({
    summary: 'Revert a commit on the current branch',
    operationId: 'operationsRevert',
    permission: 'repo:write',
    responses: [REVERTED],
    errors: [...REPO_WRITE_ERRORS, ...PICK_ERRORS('REVERT_FAILED')],
  })
  async revert(
    @Param('repo_id') repoId: string,
    @Body() body: PickCommitDto,
  ): Promise<RevertResponseDto> {
    return toRevertResponse(await this.history.revert(repoId, body));
  }

  @Post(`${V1}/reset`)
  @Endpoint({
    summary: 'Reset the current branch',
    operationId: 'operationsReset',
    permission: 'repo:write',
    responses: [RESET],
    errors: [...REPO_WRITE_ERRORS, ...RESET_ERRORS],
  })
  async reset(@Param('repo_id') repoId: string, @Body() body: ResetDto): Promise<ResetResponseDto> {
    return toResetResponse(await this.history.reset(repoId, body));
  }

  @Post(`${V1}/rebase`)
  @Endpoint({
    summary: 'Rebase the current branch',
    operationId: 'operationsRebase',
    permission: 'repo:write',
    responses: [REBASED],
    errors: [...REPO_WRITE_ERRORS, ...REBASE_ERRORS],
  })
  async rebase(
    @Param('repo_id') repoId: string,
    @Body() body: RebaseDto,
  ): Promise<RebaseResponseDto> {
    return toRebaseResponse(await this.history.rebase(repoId, body));
  }

  // ---- /api/v2 (identical bodies) ----

  @Post(`${V2}/cherry-pick`)
  @Endpoint({
    summary: 'Cherry-pick a commit (v2)',
    operationId: 'v2OperationsCherryPick',
    permission: 'repo:write',
    responses: [PICKED],
    errors: [...REPO_WRITE_ERRORS, ...PICK_ERRORS('CHERRY_PICK_FAILED')],
  })
  async cherryPickV2(
    @Param('repo_id') repoId: string,
    @Body() body: PickCommitDto,
  ): Promise<CherryPickResponseDto> {
    return toCherryPickResponse(await this.history.cherryPick(repoId, body));
  }

  @Post(`${V2}/revert`)
  @Endpoint({
    summary: 'Revert a commit (v2)',
    operationId: 'v2OperationsRevert',
    permission: 'repo:write',
    responses: [REVERTED],
    errors: [...REPO_WRITE_ERRORS, ...PICK_ERRORS('REVERT_FAILED')],
  })
  async revertV2(
    @Param('repo_id') repoId: string,
    @Body() body: PickCommitDto,
  ): Promise<RevertResponseDto> {
    return toRevertResponse(await this.history.revert(repoId, body));
  }

  @Post(`${V2}/reset`)
  @Endpoint({
    summary: 'Reset the current branch (v2)',
    operationId: 'v2OperationsReset',
    permission: 'repo:write',
    responses: [RESET],
    errors: [...REPO_WRITE_ERRORS, ...RESET_ERRORS],
  })
  async resetV2(
    @Param('repo_id') repoId: string,
    @Body() body: ResetDto,
  ): Promise<ResetResponseDto> {
    return toResetResponse(await this.history.reset(repoId, body));
  }

  @Post(`${V2}/rebase`)
  @Endpoint({
    summary: 'Rebase the current branch (v2)',
    operationId: 'v2OperationsRebase',
    permission: 'repo:write',
    responses: [REBASED],
    errors: [...REPO_WRITE_ERRORS, ...REBASE_ERRORS],
  })
  async rebaseV2(
    @Param('repo_id') repoId: string,
    @Body() body: RebaseDto,
  ): Promise<RebaseResponseDto> {
    return toRebaseResponse(await this.history.rebase(repoId, body));
  }
}
