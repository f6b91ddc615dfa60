/** Request bodies of grep and the advanced search routes (api-contract.md §5.2, §5.3). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

const OFFSET = { context: { code: 'INVALID_OFFSET' }, message: 'offset must be an integer ≥ 0' };

export class GrepRequestDto {
  @ApiProperty({ type: String, description: 'Text or RE2 regex to find' })
  @IsString()
  @MinLength(1)
  pattern: string;

  @ApiPropertyOptional({ type: String, description: 'Glob on the full path' })
  @IsOptional()
  @IsString()
  path?: string;

  @ApiPropertyOptional({ type: String, description: 'Revision (default HEAD)' })
  @IsOptional()
  @IsString()
  ref?: string;

  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @IsBoolean() case_sensitive?: boolean;
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @IsBoolean() regex?: boolean;
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @IsBoolean() invert_match?: boolean;
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @IsBoolean() word_regexp?: boolean;
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @IsBoolean() line_regexp?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  context_before?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  context_after?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 1000,
    description: 'Overrides both',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  context?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Matching lines per file' })
  @IsOptional()
  @IsInt()
  @Min(0)
  max_count?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Page size (0 or absent → 50)' })
  @Allow()
  limit?: unknown;

  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptional()
  @IsInt(OFFSET)
  @Min(0, OFFSET)
  offset?: number;
}

export const SORT_BYS = ['score', 'path', 'size'] as const;

export class FulltextRequestDto {
  @ApiProperty({
    type: String,
    description: 'Terms (OR), +required, -excluded, "phrases", path:<glob>',
  })
  @IsString()
  @MinLength(1)
  query: string;

  @ApiPropertyOptional({ type: [String], description: 'Extensions without the dot' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  file_types?: string[];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Largest file, bytes' })
  @IsOptional()
  @IsInt()
  @Min(0)
  max_size?: number;

  @ApiPropertyOptional({ type: Number, minimum: 0, description: 'Default 0' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  min_score?: number;

  @ApiPropertyOptional({ type: Boolean, description: 'Default false' })
  @IsOptional()
  @IsBoolean()
  include_content?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, description: 'Default 150' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  highlight_length?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Default 20, at most 100' })
  @Allow()
  limit?: unknown;

  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptional()
  @IsInt(OFFSET)
  @Min(0, OFFSET)
  offset?: number;

  @ApiPropertyOptional({ enum: SORT_BYS, description: 'Default score' })
  @IsOptional()
  @IsIn(SORT_BYS)
  sort_by?: (typeof SORT_BYS)[number];
}

export class SqlRequestDto {
  @ApiProperty({ type: String, description: 'One SELECT of the documented subset' })
  @IsString()
  @MinLength(1)
  query: string;
}

export class AggregateFilterDto {
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() message?: string;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() author?: string;
  @ApiPropertyOptional({ type: String, description: 'Glob of touched paths' })
  @IsOptional()
  @IsString()
  path?: string;
}

export class TimeRangeDto {
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsString()
  from?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) @IsOptional() @IsString() to?: string;
}

export class AggregateRequestDto {
  @ApiPropertyOptional({
    description: 'Substring of the message, or {message?, author?, path?}',
    oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/AggregateFilterDto' }],
  })
  @Allow()
  query?: unknown;

  @ApiProperty({
    type: String,
    description: 'author, email, day, week, month, path_prefix, extension',
  })
  @IsString()
  group_by: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, description: 'Default 1' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  path_depth?: number;

  @ApiPropertyOptional({
    type: [String],
    description: 'count, additions, deletions, files_changed, authors',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  aggregations?: string[];

  @ApiPropertyOptional({ type: TimeRangeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TimeRangeDto)
  time_range?: TimeRangeDto;

  @ApiPropertyOptional({ type: String, description: 'Default: every branch' })
  @IsOptional()
  @IsString()
  ref?: string;
}

export class RebuildRequestDto {
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @IsBoolean() async?: boolean;
}
