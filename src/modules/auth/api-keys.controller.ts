/**
 * API keys of the caller (api-contract.md §2) at `/api/v1/apikeys` and the govc alias
 * `/api/v1/auth/keys`: one controller class per spelling, built by one factory. The key itself
 * is in the create answer only; afterwards only its 12-character prefix is shown.
 */
import { Body, Controller, Delete, Get, Param, Post, type Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ANY_AUTHENTICATED, Endpoint } from '../../http/endpoint.decorator';
import { AccountsService } from './accounts.service';
import { AuditAction } from './audit-context';
import { AuthFeatureRoute } from './auth.guard';
import {
  ApiKeyInfoDto,
  ApiKeyListDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  StatusMessageDto,
} from './dto/auth.dto';
import { CurrentPrincipal, type Principal } from './principal';
import { UnauthorizedError } from './auth-errors';

function caller(principal: Principal | null): Principal {
  if (principal === null) throw new UnauthorizedError();
  return principal;
}

function apiKeysController(base: string, idSuffix: string): Type<unknown> {
  const alias = idSuffix === '' ? '' : ' (govc alias)';
  const id = (name: string): string => `apiKeys${name}${idSuffix}`;

  @ApiTags('apikeys')
  @AuthFeatureRoute()
  @Controller(base)
  class ApiKeysController {
    constructor(readonly accounts: AccountsService) {}

    @Post()
    @AuditAction('apikey.create')
    @Endpoint({
      summary: `Create an API key for the caller; the key is shown once${alias}`,
      operationId: id('Create'),
      permission: ANY_AUTHENTICATED,
      responses: [{ status: 201, type: CreatedApiKeyDto, description: 'The key and its info' }],
      errors: [
        { status: 400, codes: ['INVALID_REQUEST'] },
        { status: 403, codes: ['FORBIDDEN'] },
      ],
    })
    create(
      @CurrentPrincipal() principal: Principal | null,
      @Body() body: CreateApiKeyDto,
    ): Promise<CreatedApiKeyDto> {
      const who = caller(principal);
      return this.accounts.createKey(who, who.id, body);
    }

    @Get()
    @Endpoint({
      summary: `The caller's API keys, revoked ones included${alias}`,
      operationId: id('List'),
      permission: ANY_AUTHENTICATED,
      responses: [{ status: 200, type: ApiKeyListDto, description: 'The keys' }],
    })
    list(@CurrentPrincipal() principal: Principal | null): ApiKeyListDto {
      return this.accounts.listKeys(caller(principal).id);
    }

    @Get(':key_id')
    @Endpoint({
      summary: `One API key (owner or user:read)${alias}`,
      operationId: id('Get'),
      permission: ANY_AUTHENTICATED,
      responses: [{ status: 200, type: ApiKeyInfoDto, description: 'The key' }],
      errors: [{ status: 404, codes: ['API_KEY_NOT_FOUND'] }],
    })
    get(
      @CurrentPrincipal() principal: Principal | null,
      @Param('key_id') keyId: string,
    ): ApiKeyInfoDto {
      return this.accounts.getKey(caller(principal), keyId);
    }

    @Delete(':key_id')
    @AuditAction('apikey.revoke')
    @Endpoint({
      summary: `Revoke an API key (owner or user:write); idempotent${alias}`,
      operationId: id('Revoke'),
      permission: ANY_AUTHENTICATED,
      responses: [{ status: 200, type: StatusMessageDto, description: 'Revoked' }],
      errors: [
        { status: 403, codes: ['FORBIDDEN'] },
        { status: 404, codes: ['API_KEY_NOT_FOUND'] },
      ],
    })
    async revoke(
      @CurrentPrincipal() principal: Principal | null,
      @Param('key_id') keyId: string,
    ): Promise<StatusMessageDto> {
      await this.accounts.revokeKey(caller(principal), keyId);
      return { status: 'success', message: 'API key revoked successfully' };
    }
  }
  return ApiKeysController;
}

export const ApiKeysController = apiKeysController('api/v1/apikeys', '');
export const AuthKeysController = apiKeysController('api/v1/auth/keys', 'Alias');
