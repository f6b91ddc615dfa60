/** The repository pool routes (api-contract.md §10.2), for system administrators. */
import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../http/endpoint.decorator';
import { PoolCleanupQueryDto, PoolCleanupResponseDto } from './dto/pool-cleanup.dto';
import { PoolStatsResponseDto, PooledRepositoryDto } from './dto/pool-stats-response.dto';
import { PoolService } from './pool.service';

@ApiTags('pool')
@ApiExtraModels(PooledRepositoryDto)
@Controller('api/v1/pool')
export class PoolController {
  constructor(private readonly pool: PoolService) {}

  @Get('stats')
  @Endpoint({
    summary: 'Repositories loaded in memory, with eviction figures',
    operationId: 'poolStats',
    permission: 'system:admin',
    responses: [{ status: 200, description: 'The pool, measured now', type: PoolStatsResponseDto }],
  })
  stats(): PoolStatsResponseDto {
    return this.pool.stats();
  }

  @Post('cleanup')
  @Endpoint({
    summary: 'Evict idle repositories now (all evictable ones with force=true)',
    operationId: 'poolCleanup',
    permission: 'system:admin',
    responses: [{ status: 200, description: 'What was evicted', type: PoolCleanupResponseDto }],
  })
  cleanup(@Query() query: PoolCleanupQueryDto): Promise<PoolCleanupResponseDto> {
    return this.pool.cleanup(query.force === true);
  }
}
