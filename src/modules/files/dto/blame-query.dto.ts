/** Query of GET …/blame/*path (api-contract.md §3.3); range rules are the engine's. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { IntegerQuery } from '../../../http/query-values';

export class BlameQueryDto {
  @ApiPropertyOptional({ type: String, default: 'HEAD' })
  @IsOptional()
  @IsString()
  ref?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'First line, 1-based' })
  @IsOptional()
  @IntegerQuery()
  @IsInt()
  start?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Last line, inclusive' })
  @IsOptional()
  @IntegerQuery()
  @IsInt()
  end?: number;
}
