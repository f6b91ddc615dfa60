/** Queries of GET …/diff/:from/:to and GET …/diff?from=&to= (api-contract.md §3.3). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IntegerQuery } from '../../../http/query-values';

export const DIFF_FORMATS = ['unified', 'raw', 'name-only'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];
export const MAX_DIFF_CONTEXT = 1000;

export class DiffFormatQueryDto {
  @ApiPropertyOptional({ type: String, enum: DIFF_FORMATS, default: 'unified' })
  @IsOptional()
  @IsIn(DIFF_FORMATS)
  format?: DiffFormat;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_DIFF_CONTEXT,
    default: 3,
    description: 'Lines of context around each change',
  })
  @IsOptional()
  @IntegerQuery()
  @IsInt()
  @Min(0)
  @Max(MAX_DIFF_CONTEXT)
  context?: number;
}

export class DiffQueryDto extends DiffFormatQueryDto {
  @ApiProperty({ type: String, description: 'Old revision', example: 'HEAD~1' })
  @IsString()
  from: string;

  @ApiPropertyOptional({ type: String, description: 'New revision (default HEAD)' })
  @IsOptional()
  @IsString()
  to?: string;
}
