/**
 * Server-side hook scripts (api-contract.md §6.6): configure them per repository and run one
 * for real. The /api/v2 `hooks/execute` route is the webhooks' (it runs nothing) and is not
 * served here.
 */
import { Body, Controller, Delete, Get, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Endpoint, type EndpointError } from '../../../http/endpoint.decorator';
import { SuccessResponseDto } from '../../../http/success-response.dto';
import { AccessPolicy } from '../../auth/access-policy';
import { ForbiddenError } from '../../auth/auth-errors';
import { CurrentPrincipal, type Principal } from '../../auth/principal';
import { REPO_READ_ERRORS, REPO_WRITE_ERRORS } from '../../git-core/route-errors';
import {
  ExecuteServerHookDto,
  HookExecutionDto,
  PutServerHookDto,
  ServerHookDto,
  ServerHookListDto,
  toHookExecutionResponse,
  toServerHookResponse,
} from './dto/server-hook.dto';
import { ServerHookService } from './server-hook.service';
import { SERVER_HOOK_TYPES } from './server-hook-types';

const BASE = 'api/v1/repos/:repo_id/server-hooks';
const ONE = `${BASE}/:hook_type`;
const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const WARNING =
  'Hook scripts run code on the server, as the operating-system user of the server process, ' +
  'with a clean environment and a temporary checkout as working directory; that is why ' +
  'configuring them (and running an ad-hoc script) is reserved to system:admin. Types: ' +
  `${SERVER_HOOK_TYPES.join(', ')}.`;
const TYPE_ERRORS = [err(400, 'INVALID_HOOK_TYPE')];

@ApiTags('server-hooks')
@Controller()
export class ServerHooksController {
  constructor(
    private readonly hooks: ServerHookService,
    private readonly access: AccessPolicy,
  ) {}

  @Put(ONE)
  @ApiBody({ type: PutServerHookDto })
  @Endpoint({
    summary: 'Configure a server-side hook script (admin only: runs code on the server)',
    description: WARNING,
    operationId: 'serverHooksPut',
    permission: 'system:admin',
    responses: [
      { status: 201, description: 'Created', type: ServerHookDto },
      { status: 200, description: 'Replaced', type: ServerHookDto },
    ],
    errors: [
      ...REPO_WRITE_ERRORS,
      ...TYPE_ERRORS,
      err(400, 'INVALID_ENVIRONMENT'),
      err(403, 'SERVER_HOOKS_DISABLED'),
    ],
  })
  async put(
    @Param('repo_id') repoId: string,
    @Param('hook_type') hookType: string,
    @Body() body: PutServerHookDto,
    @CurrentPrincipal() principal: Principal | null,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ServerHookDto> {
    const { created, type, hook } = await this.hooks.put(repoId, hookType, body, principal);
    response.status(created ? 201 : 200);
    return toServerHookResponse(type, hook);
  }

  @Get(BASE)
  @Endpoint({
    summary: 'List the server-side hook scripts of a repository',
    description: WARNING,
    operationId: 'serverHooksList',
    permission: 'repo:admin',
    responses: [{ status: 200, description: 'Configured hooks', type: ServerHookListDto }],
    errors: REPO_READ_ERRORS,
  })
  list(@Param('repo_id') repoId: string): ServerHookListDto {
    const hooks = this.hooks.list(repoId).map(([type, hook]) => toServerHookResponse(type, hook));
    return { hooks, count: hooks.length };
  }

  @Get(ONE)
  @Endpoint({
    summary: 'Get a server-side hook script',
    description: WARNING,
    operationId: 'serverHooksGet',
    permission: 'repo:admin',
    responses: [{ status: 200, description: 'The hook', type: ServerHookDto }],
    errors: [...REPO_READ_ERRORS, ...TYPE_ERRORS, err(404, 'HOOK_NOT_CONFIGURED')],
  })
  get(@Param('repo_id') repoId: string, @Param('hook_type') hookType: string): ServerHookDto {
    const [type, hook] = this.hooks.get(repoId, hookType);
    return toServerHookResponse(type, hook);
  }

  @Delete(ONE)
  @Endpoint({
    summary: 'Delete a server-side hook script',
    description: WARNING,
    operationId: 'serverHooksDelete',
    permission: 'system:admin',
    responses: [{ status: 200, description: 'Deleted', type: SuccessResponseDto }],
    errors: [...REPO_WRITE_ERRORS, ...TYPE_ERRORS, err(404, 'HOOK_NOT_CONFIGURED')],
  })
  async delete(
    @Param('repo_id') repoId: string,
    @Param('hook_type') hookType: string,
  ): Promise<SuccessResponseDto> {
    const type = await this.hooks.delete(repoId, hookType);
    return { status: 'success', message: `server hook ${type} deleted` };
  }

  @Post('api/v1/repos/:repo_id/hooks/execute/:hook_type')
  @ApiBody({ type: ExecuteServerHookDto, required: false })
  @Endpoint({
    summary: 'Run a server-side hook script now (runs code on the server)',
    description:
      `${WARNING} Without \`script\` the configured hook runs (repo:admin); an ad-hoc ` +
      '`script` needs system:admin. A non-zero exit is still 200, with `success: false`. ' +
      'Bounded by its own timeout (not server.request_timeout).',
    operationId: 'serverHooksExecute',
    permission: 'repo:admin',
    requestTimeout: false,
    responses: [{ status: 200, description: 'The run', type: HookExecutionDto }],
    errors: [
      ...REPO_WRITE_ERRORS,
      ...TYPE_ERRORS,
      err(400, 'INVALID_ENVIRONMENT', 'INVALID_REF', 'AMBIGUOUS_REF'),
      err(403, 'FORBIDDEN', 'SERVER_HOOKS_DISABLED'),
      err(404, 'HOOK_NOT_CONFIGURED', 'BRANCH_NOT_FOUND', 'REF_NOT_FOUND'),
      err(500, 'HOOK_EXECUTION_FAILED'),
      err(503, 'HOOK_BUSY'),
    ],
  })
  async execute(
    @Param('repo_id') repoId: string,
    @Param('hook_type') hookType: string,
    @CurrentPrincipal() principal: Principal | null,
    @Body() body?: ExecuteServerHookDto,
  ): Promise<HookExecutionDto> {
    const input = body ?? {};
    if (input.script !== undefined) this.requireSystemAdmin(principal);
    return toHookExecutionResponse(await this.hooks.execute(repoId, hookType, input));
  }

  /** An ad-hoc script is arbitrary code: system:admin only (anyone while auth is disabled). */
  private requireSystemAdmin(principal: Principal | null): void {
    if (this.access.check(principal, 'system:admin') !== 'allowed')
      throw new ForbiddenError('Insufficient permissions', { required: 'system:admin' });
  }
}
