/** POST /api/v1/pool/cleanup (api-contract.md §10.2). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { BooleanQuery } from '../../../http/query-values';

export class PoolCleanupQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Evict every evictable repository, however recently used',
  })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  force?: boolean;
}

export class PoolCleanupResponseDto {
  @ApiProperty({ type: String, example: 'success' }) status: string;
  @ApiProperty({ type: Number }) evicted_count: number;
  @ApiProperty({ type: Number, description: 'Repositories still loaded' })
  remaining_count: number;
  @ApiProperty({ type: String, example: 'Pool cleanup completed' }) message: string;
}
