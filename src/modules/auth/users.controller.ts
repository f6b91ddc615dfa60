/**
 * Users (api-contract.md §2): list, create, get, update, delete, activate/deactivate, password,
 * roles, and their API keys. Permissions the route table states as "user:x or self" are
 * declared as any-authenticated here and decided by AccountsService.
 */
import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { ANY_AUTHENTICATED, Endpoint, type EndpointError } from '../../http/endpoint.decorator';
import { PageQueryDto, toPage } from '../../http/page-query.dto';
import { AccountsService } from './accounts.service';
import { AuditAction } from './audit-context';
import { UnauthorizedError } from './auth-errors';
import { AuthFeatureRoute } from './auth.guard';
import {
  ApiKeyListDto,
  AssignRoleDto,
  ChangePasswordDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  CreateUserDto,
  StatusMessageDto,
  UpdateUserDto,
  UserDto,
  UserListDto,
} from './dto/auth.dto';
import { CurrentPrincipal, type Principal } from './principal';

const err = (status: number, ...codes: string[]): EndpointError => ({ status, codes });
const NOT_FOUND = err(404, 'USER_NOT_FOUND');
const FORBIDDEN = err(403, 'FORBIDDEN');
const ok = (description: string) => ({ status: 200, type: StatusMessageDto, description });
const user = (status: number, description: string) => ({ status, type: UserDto, description });

function caller(principal: Principal | null): Principal {
  if (principal === null) throw new UnauthorizedError();
  return principal;
}

@ApiTags('users')
@AuthFeatureRoute()
@Controller(`${API_V1}/users`)
export class UsersController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Endpoint({
    summary: 'List users by username (paged)',
    operationId: 'usersList',
    permission: 'user:read',
    responses: [{ status: 200, type: UserListDto, description: 'One page' }],
    errors: [err(400, 'INVALID_LIMIT', 'INVALID_OFFSET')],
  })
  list(@Query() query: PageQueryDto): UserListDto {
    const { limit, offset } = toPage(query);
    return this.accounts.listUsers(limit, offset);
  }

  @Post()
  @Endpoint({
    summary: 'Create a user',
    operationId: 'usersCreate',
    permission: 'user:write',
    responses: [user(201, 'Created')],
    errors: [
      err(400, 'INVALID_USERNAME', 'INVALID_EMAIL', 'INVALID_PASSWORD', 'ROLE_ASSIGNMENT_FAILED'),
      FORBIDDEN,
      err(409, 'USER_CREATION_FAILED'),
    ],
  })
  create(
    @CurrentPrincipal() principal: Principal | null,
    @Body() body: CreateUserDto,
  ): Promise<UserDto> {
    return this.accounts.createUser(caller(principal), body);
  }

  @Get(':user_id')
  @Endpoint({
    summary: 'Get a user (user:read or self)',
    operationId: 'usersGet',
    permission: ANY_AUTHENTICATED,
    responses: [user(200, 'The user')],
    errors: [FORBIDDEN, NOT_FOUND],
  })
  get(@CurrentPrincipal() principal: Principal | null, @Param('user_id') userId: string): UserDto {
    return this.accounts.toUser(
      this.accounts.requireSelfOr(caller(principal), userId, 'user:read'),
    );
  }

  @Patch(':user_id')
  @Endpoint({
    summary: 'Change username or email (user:write; self: email only)',
    operationId: 'usersUpdate',
    permission: ANY_AUTHENTICATED,
    responses: [user(200, 'The user')],
    errors: [
      err(400, 'INVALID_USERNAME', 'INVALID_EMAIL'),
      FORBIDDEN,
      NOT_FOUND,
      err(409, 'USER_CREATION_FAILED'),
    ],
  })
  update(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserDto> {
    return this.accounts.updateUser(caller(principal), userId, body);
  }

  @Delete(':user_id')
  @Endpoint({
    summary: 'Delete a user with their keys, tokens and grants',
    operationId: 'usersDelete',
    permission: 'user:delete',
    responses: [ok('Deleted')],
    errors: [err(400, 'CANNOT_DELETE_SELF'), NOT_FOUND, err(409, 'LAST_ADMIN')],
  })
  async delete(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
  ): Promise<StatusMessageDto> {
    await this.accounts.deleteUser(caller(principal), userId);
    return { status: 'deleted', message: `user ${userId} deleted` };
  }

  @Post(':user_id/activate')
  @Endpoint({
    summary: 'Activate a user; idempotent',
    operationId: 'usersActivate',
    permission: 'user:write',
    responses: [user(200, 'The user')],
    errors: [NOT_FOUND],
  })
  activate(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
  ): Promise<UserDto> {
    return this.accounts.setActive(caller(principal), userId, true);
  }

  @Post(':user_id/deactivate')
  @Endpoint({
    summary: 'Deactivate a user: their tokens and keys stop working at once; idempotent',
    operationId: 'usersDeactivate',
    permission: 'user:write',
    responses: [user(200, 'The user')],
    errors: [err(400, 'CANNOT_DEACTIVATE_SELF'), NOT_FOUND, err(409, 'LAST_ADMIN')],
  })
  deactivate(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
  ): Promise<UserDto> {
    return this.accounts.setActive(caller(principal), userId, false);
  }

  @Put(':user_id/password')
  @AuditAction('user.password')
  @Endpoint({
    summary: "Set a user's password (self with current_password, or user:write)",
    operationId: 'usersSetPassword',
    permission: ANY_AUTHENTICATED,
    responses: [ok('Password updated')],
    errors: [err(400, 'INVALID_PASSWORD'), err(401, 'INVALID_CREDENTIALS'), FORBIDDEN, NOT_FOUND],
  })
  setPassword(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
    @Body() body: ChangePasswordDto,
  ): Promise<StatusMessageDto> {
    return this.password(principal, userId, body);
  }

  @Post(':user_id/password')
  @AuditAction('user.password')
  @Endpoint({
    summary: "Set a user's password (POST spelling)",
    operationId: 'usersSetPasswordPost',
    permission: ANY_AUTHENTICATED,
    responses: [ok('Password updated')],
    errors: [err(400, 'INVALID_PASSWORD'), err(401, 'INVALID_CREDENTIALS'), FORBIDDEN, NOT_FOUND],
  })
  setPasswordPost(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
    @Body() body: ChangePasswordDto,
  ): Promise<StatusMessageDto> {
    return this.password(principal, userId, body);
  }

  @Post(':user_id/roles/:role_name')
  @AuditAction('role.assign')
  @Endpoint({
    summary: 'Assign a role to a user; idempotent',
    operationId: 'usersAssignRole',
    permission: 'user:write',
    responses: [ok('Assigned')],
    errors: [err(400, 'ROLE_ASSIGNMENT_FAILED'), FORBIDDEN, NOT_FOUND],
  })
  async assignRole(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
    @Param('role_name') roleName: string,
  ): Promise<StatusMessageDto> {
    return {
      status: 'success',
      message: await this.accounts.assignRole(caller(principal), userId, roleName),
    };
  }

  @Post(':user_id/roles')
  @AuditAction('role.assign')
  @Endpoint({
    summary: 'Assign a role to a user (role in the body); idempotent',
    operationId: 'usersAssignRoleBody',
    permission: 'user:write',
    responses: [ok('Assigned')],
    errors: [err(400, 'ROLE_ASSIGNMENT_FAILED'), FORBIDDEN, NOT_FOUND],
  })
  async assignRoleBody(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
    @Body() body: AssignRoleDto,
  ): Promise<StatusMessageDto> {
    return {
      status: 'success',
      message: await this.accounts.assignRole(caller(principal), userId, body.role),
    };
  }

  @Delete(':user_id/roles/:role_name')
  @AuditAction('role.remove')
  @Endpoint({
    summary: 'Remove a role from a user; idempotent',
    operationId: 'usersRemoveRole',
    permission: 'user:write',
    responses: [ok('Removed')],
    errors: [err(400, 'ROLE_ASSIGNMENT_FAILED'), NOT_FOUND, err(409, 'LAST_ADMIN')],
  })
  async removeRole(
    @Param('user_id') userId: string,
    @Param('role_name') roleName: string,
  ): Promise<StatusMessageDto> {
    return { status: 'success', message: await this.accounts.removeRole(userId, roleName) };
  }

  @Get(':user_id/apikeys')
  @Endpoint({
    summary: "A user's API keys (user:read or self)",
    operationId: 'usersListApiKeys',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, type: ApiKeyListDto, description: 'The keys' }],
    errors: [FORBIDDEN, NOT_FOUND],
  })
  listKeys(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
  ): ApiKeyListDto {
    this.accounts.requireSelfOr(caller(principal), userId, 'user:read');
    return this.accounts.listKeys(userId);
  }

  @Post(':user_id/apikeys')
  @AuditAction('apikey.create')
  @Endpoint({
    summary: 'Create an API key owned by a user (e.g. a service account)',
    operationId: 'usersCreateApiKey',
    permission: 'user:write',
    responses: [{ status: 201, type: CreatedApiKeyDto, description: 'The key and its info' }],
    errors: [err(400, 'INVALID_REQUEST'), FORBIDDEN, NOT_FOUND],
  })
  createKey(
    @CurrentPrincipal() principal: Principal | null,
    @Param('user_id') userId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    return this.accounts.createKey(caller(principal), userId, body);
  }

  private async password(
    principal: Principal | null,
    userId: string,
    body: ChangePasswordDto,
  ): Promise<StatusMessageDto> {
    await this.accounts.changePassword(
      caller(principal),
      userId,
      body.password,
      body.current_password,
    );
    return { status: 'success', message: 'password updated' };
  }
}
