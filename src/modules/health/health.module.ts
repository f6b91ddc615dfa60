/**
 * Health, readiness and version routes. Exports ReadinessService so that components which must be
 * up before traffic (storage first) can register with it.
 */
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MemoryHealthIndicator } from './memory.health';
import { ReadinessService } from './readiness.service';
import { RepositoriesHealthIndicator } from './repositories.health';
import { RuntimeStats } from './runtime-stats';
import { StorageHealthIndicator } from './storage.health';
import { VersionController } from './version.controller';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController, VersionController],
  providers: [
    ReadinessService,
    StorageHealthIndicator,
    MemoryHealthIndicator,
    RepositoriesHealthIndicator,
    RuntimeStats,
  ],
  exports: [ReadinessService],
})
export class HealthModule {}
