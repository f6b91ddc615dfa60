/** Roles (api-contract.md §2): built-in ones are fixed; custom ones are managed by system:admin. */
import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../../http/api-version';
import { ANY_AUTHENTICATED, Endpoint } from '../../http/endpoint.decorator';
import { AccountsService, type RoleResponse } from '../auth/accounts.service';
import { AuthFeatureRoute } from '../auth/auth.guard';
import { StatusMessageDto } from '../auth/dto/auth.dto';
import { CreateRoleDto, RoleDto, RoleListDto, UpdateRoleDto } from './dto/rbac.dto';

const ROLE_NOT_FOUND = { status: 404, codes: ['ROLE_NOT_FOUND'] };

@ApiTags('roles')
@AuthFeatureRoute()
@Controller(`${API_V1}/roles`)
export class RolesController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Endpoint({
    summary: 'Roles by name',
    operationId: 'rolesList',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, type: RoleListDto, description: 'The roles' }],
  })
  list(): RoleListDto {
    const roles = this.accounts.listRoles();
    return { roles, count: roles.length };
  }

  @Get(':role_name')
  @Endpoint({
    summary: 'One role',
    operationId: 'rolesGet',
    permission: ANY_AUTHENTICATED,
    responses: [{ status: 200, type: RoleDto, description: 'The role' }],
    errors: [ROLE_NOT_FOUND],
  })
  get(@Param('role_name') name: string): RoleResponse {
    return this.accounts.toRole(this.accounts.requireRole(name));
  }

  @Post()
  @Endpoint({
    summary: 'Create a custom role',
    operationId: 'rolesCreate',
    permission: 'system:admin',
    responses: [{ status: 201, type: RoleDto, description: 'Created' }],
    errors: [
      { status: 400, codes: ['INVALID_REQUEST'] },
      { status: 409, codes: ['ROLE_EXISTS'] },
    ],
  })
  create(@Body() body: CreateRoleDto): Promise<RoleResponse> {
    return this.accounts.createRole(body.name, body.description ?? '', body.permissions);
  }

  @Put(':role_name')
  @Endpoint({
    summary: "Change a custom role; its members' permissions change on their next request",
    operationId: 'rolesUpdate',
    permission: 'system:admin',
    responses: [{ status: 200, type: RoleDto, description: 'The role' }],
    errors: [
      { status: 400, codes: ['ROLE_BUILT_IN', 'INVALID_REQUEST'] },
      ROLE_NOT_FOUND,
      { status: 409, codes: ['LAST_ADMIN'] },
    ],
  })
  update(@Param('role_name') name: string, @Body() body: UpdateRoleDto): Promise<RoleResponse> {
    return this.accounts.updateRole(name, body.description, body.permissions);
  }

  @Delete(':role_name')
  @Endpoint({
    summary: 'Delete a custom role (removed from every user)',
    operationId: 'rolesDelete',
    permission: 'system:admin',
    responses: [{ status: 200, type: StatusMessageDto, description: 'Deleted' }],
    errors: [
      { status: 400, codes: ['ROLE_BUILT_IN'] },
      ROLE_NOT_FOUND,
      { status: 409, codes: ['LAST_ADMIN'] },
    ],
  })
  async delete(@Param('role_name') name: string): Promise<StatusMessageDto> {
    await this.accounts.deleteRole(name);
    return { status: 'deleted', message: `role '${name}' deleted` };
  }
}
