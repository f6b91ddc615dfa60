/**
 * Bodies of the auth, API-key and user routes (api-contract.md §1, §2): requests validated by
 * class-validator, responses documented for OpenAPI. No response type has a field for a
 * password hash or a key digest; the plain key appears only in CreatedApiKeyDto.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

const PERMISSION_EXAMPLE = ['repo:read', 'repo:write'];
const REPO_PERMISSIONS_SCHEMA = {
  type: 'object' as const,
  additionalProperties: { type: 'array', items: { type: 'string' } },
  example: { demo: ['repo:read'] },
};

export class LoginDto {
  @ApiProperty({ type: String, example: 'admin' })
  @IsString()
  @MaxLength(256)
  username: string;

  @ApiProperty({ type: String, example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(4096)
  password: string;
}

export class AuthenticatedUserDto {
  @ApiProperty({ type: String }) id: string;
  @ApiProperty({ type: String }) username: string;
  @ApiProperty({ type: String }) email: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ type: [String], description: 'Effective global permissions, sorted' })
  permissions: string[];
  @ApiProperty(REPO_PERMISSIONS_SCHEMA) repo_permissions: Record<string, string[]>;
  @ApiProperty({ type: String, enum: ['jwt', 'apikey'] }) auth_method: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'JWT claims, or the APIKeyInfo of the key used',
  })
  token_info?: Record<string, unknown>;
}

export class LoginResponseDto {
  @ApiProperty({ type: String, description: 'HS256 JWT' }) token: string;
  @ApiProperty({ type: String, format: 'date-time' }) expires_at: string;
  @ApiProperty({ type: AuthenticatedUserDto }) user: AuthenticatedUserDto;
}

export class TokenResponseDto {
  @ApiProperty({ type: String }) token: string;
  @ApiProperty({ type: String, format: 'date-time' }) expires_at: string;
}

export class CsrfTokenResponseDto {
  @ApiProperty({ type: String }) csrf_token: string;
  @ApiProperty({ type: Number, example: 3600 }) expires_in: number;
}

export class CreateApiKeyDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 100, example: 'ci' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({
    type: [String],
    example: PERMISSION_EXAMPLE,
    description: "Default: the caller's effective global permissions",
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  permissions?: string[];

  @ApiPropertyOptional(REPO_PERMISSIONS_SCHEMA)
  @IsOptional()
  @IsObject()
  repo_permissions?: Record<string, unknown>;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsString()
  expires_at?: string | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Seconds from now' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expires_in?: number;
}

export class ApiKeyInfoDto {
  @ApiProperty({ type: String, description: '32 hex' }) id: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String }) user_id: string;
  @ApiProperty({ type: String, description: 'First 12 characters of the key' }) prefix: string;
  @ApiProperty({ type: [String] }) permissions: string[];
  @ApiProperty(REPO_PERMISSIONS_SCHEMA) repo_permissions: Record<string, string[]>;
  @ApiProperty({ type: Boolean }) active: boolean;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) last_used?: string;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) expires_at?: string;
}

export class CreatedApiKeyDto {
  @ApiProperty({ type: String, description: 'The key; shown only here' }) key: string;
  @ApiProperty({ type: ApiKeyInfoDto }) key_info: ApiKeyInfoDto;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyInfoDto] }) api_keys: ApiKeyInfoDto[];
  @ApiProperty({ type: [ApiKeyInfoDto], description: 'Same array (govc name)' })
  keys: ApiKeyInfoDto[];
  @ApiProperty({ type: Number }) count: number;
}

export class UserDto {
  @ApiProperty({ type: String }) id: string;
  @ApiProperty({ type: String }) username: string;
  @ApiProperty({ type: String }) email: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ type: [String], description: 'Effective global permissions' })
  permissions: string[];
  @ApiProperty(REPO_PERMISSIONS_SCHEMA) repo_permissions: Record<string, string[]>;
  @ApiProperty({ type: Boolean }) active: boolean;
  @ApiProperty({ type: Boolean }) has_password: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at: string;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) users: UserDto[];
  @ApiProperty({ type: Number }) count: number;
  @ApiProperty({ type: Number }) total: number;
}

export class CreateUserDto {
  @ApiProperty({ type: String, example: 'alice' })
  @IsString()
  @MaxLength(256)
  username: string;

  @ApiProperty({ type: String, example: 'alice@example.com' })
  @IsString()
  @MaxLength(1024)
  email: string;

  @ApiPropertyOptional({ type: String, description: '12–1024 bytes; none = API keys only' })
  @IsOptional()
  @IsString()
  password?: string;

  @ApiPropertyOptional({ type: [String], example: ['developer'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  roles?: string[];
}

export class UpdateUserDto {
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  username?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  email?: string;
}

export class ChangePasswordDto {
  @ApiProperty({ type: String, description: '12–1024 bytes' })
  @IsString()
  password: string;

  @ApiPropertyOptional({ type: String, description: 'Required when changing your own password' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  current_password?: string;
}

export class AssignRoleDto {
  @ApiProperty({ type: String, example: 'developer' })
  @IsString()
  @MaxLength(64)
  role: string;
}

export class StatusMessageDto {
  @ApiProperty({ type: String }) status: string;
  @ApiProperty({ type: String }) message: string;
}

export class AuditQueryDto {
  @ApiPropertyOptional({ type: String, description: 'User id or username' })
  @IsOptional()
  @IsString()
  actor?: string;

  @ApiPropertyOptional({ type: String, description: 'Exact action, or a prefix ending in *' })
  @IsOptional()
  @IsString()
  action?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  repo_id?: string;

  @ApiPropertyOptional({ type: String, enum: ['success', 'denied', 'failure'] })
  @IsOptional()
  @IsString()
  result?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsString()
  since?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsString()
  until?: string;

  @ApiPropertyOptional({ type: String, description: 'Page size (default 100, max 1000)' })
  @IsOptional()
  @IsString()
  limit?: string;

  @ApiPropertyOptional({ type: String, description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class AuditEntryDto {
  @ApiProperty({ type: String }) id: string;
  @ApiProperty({ type: String, format: 'date-time' }) timestamp: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  actor: Record<string, unknown> | null;
  @ApiProperty({ type: String }) ip: string;
  @ApiProperty({ type: String }) user_agent: string;
  @ApiProperty({ type: String }) request_id: string;
  @ApiProperty({ type: String, example: 'repo.create' }) action: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  target: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) repo_id: string | null;
  @ApiProperty({ type: String, enum: ['success', 'denied', 'failure'] }) result: string;
  @ApiProperty({ type: Number }) status: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
}

export class AuditListDto {
  @ApiProperty({ type: [AuditEntryDto] }) entries: AuditEntryDto[];
  @ApiProperty({ type: Number }) count: number;
  @ApiProperty({ type: String, nullable: true }) next_cursor: string | null;
}
