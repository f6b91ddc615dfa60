/**
 * Per-repository grants (api-contract.md §2): the repository's view (`/repos/:repo_id/permissions`)
 * and the user's (`/users/:user_id/repos/:repo_id/permissions/:permission`). Both need
 * repo:admin on the repository, which the guard checks on `:repo_id` (non-readers get 404).
 */
import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { Endpoint, type EndpointError } from '../../http/endpoint.decorator';
import { AccountsService } from '../auth/accounts.service';
import { AuditAction } from '../auth/audit-context';
import { UnauthorizedError } from '../auth/auth-errors';
import { AuthFeatureRoute } from '../auth/auth.guard';
import { StatusMessageDto } from '../auth/dto/auth.dto';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { RepoGrantDto, RepoGrantListDto, SetGrantDto } from './dto/rbac.dto';

const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const ok = (description: string) => ({ status: 200, type: StatusMessageDto, description });

function caller(principal: Principal | null): Principal {
  if (principal === null) throw new UnauthorizedError();
  return principal;
}

@ApiTags('permissions')
@AuthFeatureRoute()
@Controller(API_V1)
export class GrantsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get('repos/:repo_id/permissions')
  @Endpoint({
    summary: 'Grants on a repository, by user id',
    operationId: 'permissionsList',
    permission: 'repo:admin',
    responses: [{ status: 200, type: RepoGrantListDto, description: 'The grants' }],
    errors: [err(404, 'REPO_NOT_FOUND')],
  })
  list(@Param('repo_id') repoId: string): RepoGrantListDto {
    return this.accounts.listGrants(repoId) as unknown as RepoGrantListDto;
  }

  @Put('repos/:repo_id/permissions/:user_id')
  @AuditAction('grant.set')
  @Endpoint({
    summary: "Replace a user's grant on a repository ([] removes it)",
    operationId: 'permissionsSet',
    permission: 'repo:admin',
    responses: [{ status: 200, type: RepoGrantDto, description: 'The grant' }],
    errors: [
      err(400, 'PERMISSION_GRANT_FAILED'),
      err(403, 'FORBIDDEN'),
      err(404, 'USER_NOT_FOUND', 'REPO_NOT_FOUND'),
    ],
  })
  set(
    @CurrentPrincipal() principal: Principal | null,
    @Param('repo_id') repoId: string,
    @Param('user_id') userId: string,
    @Body() body: SetGrantDto,
  ): Promise<RepoGrantDto> {
    return this.accounts.setGrant(caller(principal), repoId, userId, body.permissions);
  }

  @Delete('repos/:repo_id/permissions/:user_id')
  @AuditAction('grant.delete')
  @Endpoint({
    summary: "Remove a user's grant on a repository; idempotent",
    operationId: 'permissionsDelete',
    permission: 'repo:admin',
    responses: [ok('Removed')],
    errors: [err(404, 'USER_NOT_FOUND', 'REPO_NOT_FOUND')],
  })
  async remove(
    @Param('repo_id') repoId: string,
    @Param('user_id') userId: string,
  ): Promise<StatusMessageDto> {
    return { status: 'deleted', message: await this.accounts.removeGrant(userId, repoId) };
  }

  @Post('users/:user_id/repos/:repo_id/permissions/:permission')
  @AuditAction('grant.add')
  @Endpoint({
    summary: 'Grant a user one permission on a repository',
    operationId: 'permissionsGrant',
    permission: 'repo:admin',
    responses: [ok('Granted')],
    errors: [
      err(400, 'PERMISSION_GRANT_FAILED'),
      err(403, 'FORBIDDEN'),
      err(404, 'USER_NOT_FOUND', 'REPO_NOT_FOUND'),
    ],
  })
  async grant(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
    @Param('repo_id') repoId: string,
    @Param('permission') permission: string,
  ): Promise<StatusMessageDto> {
    return {
      status: 'success',
      message: await this.accounts.addGrant(caller(principal), userId, repoId, permission),
    };
  }

  @Delete('users/:user_id/repos/:repo_id/permissions/:permission')
  @AuditAction('grant.revoke')
  @Endpoint({
    summary: 'Take one permission on a repository from a user; idempotent',
    operationId: 'permissionsRevoke',
    permission: 'repo:admin',
    responses: [ok('Revoked')],
    errors: [err(404, 'USER_NOT_FOUND', 'REPO_NOT_FOUND')],
  })
  async revoke(
    @Param('user_id') userId: string,
    @Param('repo_id') repoId: string,
    @Param('permission') permission: string,
  ): Promise<StatusMessageDto> {
    return {
      status: 'success',
      message: await this.accounts.removeGrant(userId, repoId, permission),
    };
  }
}
