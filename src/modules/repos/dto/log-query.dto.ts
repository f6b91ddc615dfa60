/** Query of GET …/log and v2 GET …/commits (api-contract.md §3.2). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Min } from 'class-validator';
import type { PageLimits } from '../../../http/page-query.dto';
import { BooleanQuery, IntegerQuery } from '../../../http/query-values';

const LIMIT = { context: { code: 'INVALID_LIMIT' }, message: 'limit must be an integer ≥ 1' };
const OFFSET = { context: { code: 'INVALID_OFFSET' }, message: 'offset must be an integer ≥ 0' };

/** Log pages: 20 commits by default, at most 10000. */
export const LOG_PAGE_LIMITS: PageLimits = { defaultLimit: 20, maxLimit: 10_000 };

export class LogQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Commits per page (default 20; values above 10000 are capped)',
  })
  @IsOptional()
  @IntegerQuery()
  @IsInt(LIMIT)
  @Min(1, LIMIT)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Commits to skip (default 0)' })
  @IsOptional()
  @IntegerQuery()
  @IsInt(OFFSET)
  @Min(0, OFFSET)
  offset?: number;

  @ApiPropertyOptional({ type: String, description: 'Where the walk starts (default HEAD)' })
  @IsOptional()
  @IsString()
  ref?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Follow only first parents' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  first_parent?: boolean;

  @ApiPropertyOptional({
    type: String,
    description: 'Only commits that change this file or something below this directory',
  })
  @IsOptional()
  @IsString()
  path?: string;
}
