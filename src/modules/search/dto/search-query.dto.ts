/**
 * Query strings of the basic search routes (api-contract.md §5.2). `query` is checked by the
 * service (missing → MISSING_QUERY); `limit` is lenient as §5.1 says (≤ 0 or non-numeric → the
 * default), `offset` strict (§0.4: INVALID_OFFSET).
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsBoolean, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { BooleanQuery, IntegerQuery } from '../../../http/query-values';

const OFFSET = { context: { code: 'INVALID_OFFSET' }, message: 'offset must be an integer ≥ 0' };

export class SearchPageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Page size (default 50, at most search.max_results; ≤ 0 or non-numeric → 50)',
  })
  @Allow()
  limit?: unknown;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Results to skip' })
  @IsOptional()
  @IntegerQuery()
  @IsInt(OFFSET)
  @Min(0, OFFSET)
  offset?: number;
}

export class CommitSearchQueryDto extends SearchPageQueryDto {
  @ApiPropertyOptional({ type: String, description: 'Text to find in message, author, email' })
  @IsOptional()
  @IsString()
  query?: string;

  @ApiPropertyOptional({ type: String, description: 'Substring of the author name or email' })
  @IsOptional()
  @IsString()
  author?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Inclusive, commit time' })
  @IsOptional()
  @IsString()
  since?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Inclusive, commit time' })
  @IsOptional()
  @IsString()
  until?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Exact case (default: case-insensitive)' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  case_sensitive?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'RE2 regular expression' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  regex?: boolean;
}

export class FileSearchQueryDto extends SearchPageQueryDto {
  @ApiPropertyOptional({ type: String, description: 'Text to find (required)' })
  @IsOptional()
  @IsString()
  query?: string;

  @ApiPropertyOptional({ type: String, description: 'Revision to search (default HEAD)' })
  @IsOptional()
  @IsString()
  ref?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Exact case (default: case-insensitive)' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  case_sensitive?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'RE2 regular expression' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  regex?: boolean;
}

export class ContentSearchQueryDto extends FileSearchQueryDto {
  @ApiPropertyOptional({
    type: String,
    description: 'Glob on the full path: * (one segment), ** (any), ?, [...]',
  })
  @IsOptional()
  @IsString()
  path?: string;
}

export class SuggestionsQueryDto {
  @ApiPropertyOptional({ type: String, description: 'Prefix to complete (required)' })
  @IsOptional()
  @IsString()
  q?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, description: 'Default 10' })
  @IsOptional()
  @IntegerQuery()
  @IsInt({ context: { code: 'INVALID_LIMIT' }, message: 'limit must be an integer 1–100' })
  @Min(1, { context: { code: 'INVALID_LIMIT' }, message: 'limit must be an integer 1–100' })
  limit?: number;
}
