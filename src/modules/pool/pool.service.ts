/**
 * The pool's timer and figures (api-contract.md §10.2): every pool.cleanup_interval it asks the
 * registry to evict what has been idle for pool.max_idle_time (and, with pool.max_memory, what
 * exceeds it); the routes read the stats and run a manual cleanup. The pool itself — what is
 * loaded, pins, the eviction rules — lives in git-core's RepositoryRegistry, beside the loads.
 */
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PoolConfig } from '../../config/config.schema';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { toPoolStatsResponse, type PoolStatsResponseDto } from './dto/pool-stats-response.dto';
import type { PoolCleanupResponseDto } from './dto/pool-cleanup.dto';

@Injectable()
export class PoolService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Pool');
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly config: PoolConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.cleanup_interval).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  stats(): PoolStatsResponseDto {
    return toPoolStatsResponse(this.registry.poolStats(), this.config);
  }

  async cleanup(force: boolean): Promise<PoolCleanupResponseDto> {
    const evicted = await this.registry.cleanup({ force, reason: 'manual' });
    return {
      status: 'success',
      evicted_count: evicted,
      remaining_count: this.registry.poolStats().repositories.length,
      message: 'Pool cleanup completed',
    };
  }

  /** The periodic pass; one at a time, and a failure is logged, never thrown into the timer. */
  private async sweep(): Promise<void> {
    if (this.sweeping || !this.registry.isStorageOpen()) return;
    this.sweeping = true;
    try {
      const evicted = await this.registry.cleanup({ reason: 'idle' });
      if (evicted > 0) this.logger.log(`evicted ${evicted} idle repositories`);
    } catch (error: unknown) {
      this.logger.error(
        `pool cleanup failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.sweeping = false;
    }
  }
}
