/** Bodies of the role and repository-grant routes (api-contract.md §1 Role, RepoGrant; §2). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString, MaxLength } from 'class-validator';

export class RoleDto {
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String }) description: string;
  @ApiProperty({ type: [String] }) permissions: string[];
  @ApiProperty({ type: Boolean }) built_in: boolean;
}

export class RoleListDto {
  @ApiProperty({ type: [RoleDto] }) roles: RoleDto[];
  @ApiProperty({ type: Number }) count: number;
}

export class CreateRoleDto {
  @ApiProperty({ type: String, pattern: '^[a-z][a-z0-9_-]{1,31}$', example: 'release' })
  @IsString()
  @MaxLength(64)
  name: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiProperty({ type: [String], example: ['repo:read', 'repo:write'] })
  @IsArray()
  @IsString({ each: true })
  permissions: string[];
}

export class UpdateRoleDto {
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  permissions?: string[];
}

export class RepoGrantDto {
  @ApiProperty({ type: String }) repo_id: string;
  @ApiProperty({ type: String }) user_id: string;
  @ApiProperty({ type: String }) username: string;
  @ApiProperty({ type: [String] }) permissions: string[];
}

export class RepoGrantListDto {
  @ApiProperty({ type: [RepoGrantDto] }) permissions: RepoGrantDto[];
  @ApiProperty({ type: Number }) count: number;
}

export class SetGrantDto {
  @ApiProperty({ type: [String], example: ['repo:read', 'repo:write'], description: '[] removes' })
  @IsArray()
  @IsString({ each: true })
  permissions: string[];
}
