/**
 * `?limit=&offset=` of paged lists (api-contract.md §0.4): a bad `limit` is 400 INVALID_LIMIT,
 * a bad `offset` 400 INVALID_OFFSET; a limit above the route's maximum is capped, not refused.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IntegerQuery } from './query-values';

const LIMIT = { context: { code: 'INVALID_LIMIT' }, message: 'limit must be an integer ≥ 1' };
const OFFSET = { context: { code: 'INVALID_OFFSET' }, message: 'offset must be an integer ≥ 0' };

/** The default and cap of one route's page size. */
export interface PageLimits {
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

/** Most lists: 100 by default, at most 1000. */
export const DEFAULT_PAGE_LIMITS: PageLimits = { defaultLimit: 100, maxLimit: 1000 };

export interface Page {
  readonly limit: number;
  readonly offset: number;
}

export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Page size (default 100; values above 1000 are capped)',
  })
  @IsOptional()
  @IntegerQuery()
  @IsInt(LIMIT)
  @Min(1, LIMIT)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Items to skip (default 0)' })
  @IsOptional()
  @IntegerQuery()
  @IsInt(OFFSET)
  @Min(0, OFFSET)
  offset?: number;
}

/** The page a validated query asks for, with the route's default and cap applied. */
export function toPage(query: PageQueryDto, limits: PageLimits = DEFAULT_PAGE_LIMITS): Page {
  return {
    limit: Math.min(query.limit ?? limits.defaultLimit, limits.maxLimit),
    offset: query.offset ?? 0,
  };
}
