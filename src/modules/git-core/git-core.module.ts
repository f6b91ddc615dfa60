/**
 * git-core owns the storage lifecycle for the whole server and gives the engine to the feature
 * modules (global, so they need not import it). Its duties, in order: register `storage` with
 * readiness when the module starts; open the configured store (storage.driver) and finish journal
 * recovery, and only then mark `storage` ready; on shutdown, after the HTTP server has drained,
 * flush the store in onApplicationShutdown. No store is opened by this module yet, so storage is
 * ready as soon as the application has bootstrapped and there is nothing to flush.
 */
import { Global, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { ReadinessService } from '../health/readiness.service';

const STORAGE = 'storage';

@Global()
@Module({ imports: [HealthModule] })
export class GitCoreModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(private readonly readiness: ReadinessService) {}

  onModuleInit(): void {
    this.readiness.register(STORAGE);
  }

  onApplicationBootstrap(): void {
    this.readiness.markReady(STORAGE);
  }
}
