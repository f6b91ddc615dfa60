/** The body of POST /api/v1/migrate (api-contract.md §11.2). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class MigrateRequestDto {
  @ApiProperty({ enum: ['github', 'gitlab'] })
  @IsString()
  source: string;

  @ApiPropertyOptional({
    type: String,
    description: 'Used for this job only; never stored or logged',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  token?: string;

  @ApiPropertyOptional({ type: String, description: 'GitHub organisation' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  org?: string;

  @ApiPropertyOptional({ type: String, description: 'GitLab group (id or full path)' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  group?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  user?: string;

  @ApiPropertyOptional({ type: String, description: 'API base URL (Enterprise / self-hosted)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  base_url?: string;

  @ApiPropertyOptional({ type: [String], description: 'Only these repository names' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  repos?: string[];

  @ApiPropertyOptional({ type: Boolean, default: true })
  @IsOptional()
  @IsBoolean()
  include_private?: boolean;

  @ApiPropertyOptional({ type: Boolean, default: false })
  @IsOptional()
  @IsBoolean()
  include_forks?: boolean;

  @ApiPropertyOptional({ type: String, description: 'Prefix of the new repository ids' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  prefix?: string;
}
