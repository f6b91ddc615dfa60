/** GET /api/v1/pool/stats (api-contract.md §10.2): govc's shape plus the added figures. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { formatDuration } from '../../../config/duration';
import type { PoolConfig } from '../../../config/config.schema';
import type { PoolStats, PooledRepositoryStats } from '../../git-core/repository-registry';

/** Accessed this recently (or pinned) counts as active. */
export const ACTIVE_WINDOW_MS = 60_000;

export class PooledRepositoryDto {
  @ApiProperty({ type: String }) id: string;
  @ApiProperty({
    type: String,
    description: 'Where it is stored: `repos/<id>.git`, `postgres:<id>`, `:memory:`',
  })
  path: string;
  @ApiProperty({ type: String, format: 'date-time' }) last_accessed: string;
  @ApiProperty({ type: Number, description: 'Reads and writes since it was loaded' })
  access_count: number;
  @ApiProperty({ type: String, format: 'date-time', description: 'When it was loaded' })
  created_at: string;
  @ApiProperty({ type: String, example: '1m30s' }) idle_time: string;
  @ApiProperty({ type: Number, description: 'Estimated bytes held in memory' })
  memory_bytes: number;
  @ApiProperty({ type: Boolean, description: 'Held by a transaction, job or push' })
  pinned: boolean;
  @ApiProperty({
    type: Boolean,
    description: 'Holds what is not durable yet: queued writes, or working-tree/index changes',
  })
  dirty: boolean;
  @ApiProperty({
    type: Boolean,
    description: 'False for memory-driver and memory_only repositories: never evicted',
  })
  evictable: boolean;
}

export class PoolConfigDto {
  @ApiProperty({ type: Number, description: 'Nanoseconds' }) MaxIdleTime: number;
  @ApiProperty({ type: Number, description: 'Nanoseconds' }) CleanupInterval: number;
  @ApiProperty({ type: Number }) MaxRepositories: number;
  @ApiProperty({ type: Boolean }) EnableMetrics: boolean;
}

export class PoolSettingsDto {
  @ApiProperty({ type: String, example: '30m' }) max_idle_time: string;
  @ApiProperty({ type: String, example: '5m' }) cleanup_interval: string;
  @ApiProperty({ type: Number }) max_repositories: number;
  @ApiProperty({ type: Boolean }) enable_metrics: boolean;
}

export class PoolStatsResponseDto {
  @ApiProperty({ type: Number, description: 'Repositories loaded in memory' })
  total_repositories: number;
  @ApiProperty({ type: Number, description: 'Accessed in the last 60 s, or pinned' })
  active_repositories: number;
  @ApiProperty({ type: Number }) idle_repositories: number;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/PooledRepositoryDto' },
    description: 'By repository id; omitted when pool.enable_metrics is false',
  })
  repository_details?: Record<string, PooledRepositoryDto>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_cleanup: string | null;
  @ApiProperty({ type: Number }) evictions_total: number;
  @ApiProperty({ type: Number }) loads_total: number;
  @ApiProperty({
    type: Number,
    description: 'Accesses served by a loaded repository / all accesses (1 before any)',
  })
  hit_ratio: number;
  @ApiProperty({ type: PoolConfigDto }) config: PoolConfigDto;
  @ApiProperty({ type: PoolSettingsDto }) settings: PoolSettingsDto;
}

/** `30m0s` → `30m`, `1h0m0s` → `1h`: the settings as one would write them in config. */
function compactDuration(ms: number): string {
  return formatDuration(ms)
    .replace(/([hm])0s$/, '$1')
    .replace(/h0m$/, 'h');
}

function toPooledRepository(entry: PooledRepositoryStats): PooledRepositoryDto {
  return {
    id: entry.id,
    path: entry.locator,
    last_accessed: new Date(entry.lastAccessed).toISOString(),
    access_count: entry.accessCount,
    created_at: new Date(entry.loadedAt).toISOString(),
    idle_time: formatDuration(Math.floor(entry.idleMs / 1000) * 1000),
    memory_bytes: entry.memoryBytes,
    pinned: entry.pinned,
    dirty: entry.dirty,
    evictable: entry.evictable,
  };
}

export function toPoolStatsResponse(stats: PoolStats, config: PoolConfig): PoolStatsResponseDto {
  const active = stats.repositories.filter(
    (entry) => entry.pinned || entry.idleMs < ACTIVE_WINDOW_MS,
  ).length;
  const accesses = stats.hits + stats.loadsTotal;
  const response: PoolStatsResponseDto = {
    total_repositories: stats.repositories.length,
    active_repositories: active,
    idle_repositories: stats.repositories.length - active,
    last_cleanup: stats.lastCleanup?.toISOString() ?? null,
    evictions_total: stats.evictionsTotal,
    loads_total: stats.loadsTotal,
    hit_ratio: accesses === 0 ? 1 : stats.hits / accesses,
    config: {
      MaxIdleTime: config.max_idle_time * 1e6,
      CleanupInterval: config.cleanup_interval * 1e6,
      MaxRepositories: config.max_repositories,
      EnableMetrics: config.enable_metrics,
    },
    settings: {
      max_idle_time: compactDuration(config.max_idle_time),
      cleanup_interval: compactDuration(config.cleanup_interval),
      max_repositories: config.max_repositories,
      enable_metrics: config.enable_metrics,
    },
  };
  if (config.enable_metrics) {
    response.repository_details = Object.fromEntries(
      stats.repositories.map((entry) => [entry.id, toPooledRepository(entry)]),
    );
  }
  return response;
}
