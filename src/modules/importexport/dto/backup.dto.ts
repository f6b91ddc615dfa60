/** Backup and restore requests and the backups list (api-contract.md §11.2). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

export class BackupRequestDto {
  @ApiPropertyOptional({ type: [String], description: 'Repository ids (default: all)' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  repos?: string[];

  @ApiPropertyOptional({
    type: Boolean,
    default: true,
    description: 'Users, key hashes, roles, webhooks, server hooks, settings',
  })
  @IsOptional()
  @IsBoolean()
  include_metadata?: boolean;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;
}

export class RestoreRequestDto {
  @ApiProperty({ type: String })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { message: 'backup_id is not a backup id' })
  backup_id: string;

  @ApiPropertyOptional({ type: [String], description: 'Repositories to restore (default: all)' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  repos?: string[];

  @ApiPropertyOptional({ type: Boolean, default: false })
  @IsOptional()
  @IsBoolean()
  overwrite?: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Restore repository `from` as `to`',
  })
  @IsOptional()
  @IsObject()
  rename?: Record<string, string>;

  @ApiPropertyOptional({ type: Boolean, default: false })
  @IsOptional()
  @IsBoolean()
  include_metadata?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Check every checksum and bundle and restore nothing',
  })
  @IsOptional()
  @IsBoolean()
  verify?: boolean;
}

export class BackupInfoDto {
  @ApiProperty({ type: String }) id: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: Number, description: 'Bytes' }) size: number;
  @ApiProperty({ type: [String] }) repos: string[];
  @ApiProperty({ type: Number }) repo_count: number;
  @ApiProperty({ type: String, description: 'sha256 of the archive, hex' }) checksum: string;
  @ApiProperty({ type: String, enum: ['completed', 'corrupt'] }) status: string;
}

export class BackupListDto {
  @ApiProperty({ type: [BackupInfoDto] }) backups: BackupInfoDto[];
  @ApiProperty({ type: Number }) count: number;
}
