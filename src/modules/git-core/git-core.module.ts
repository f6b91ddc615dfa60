/**
 * git-core owns storage for the whole server and gives the engine to the feature modules
 * (global, so they need not import it): the StorageDriver chosen by storage.driver
 * (storage-driver.factory.ts) behind the RepositoryRegistry, which opens it at start (readiness
 * `storage` only after that), keeps the pool of loaded repositories, serializes writes per
 * repository, and closes it at shutdown after the HTTP server has drained. The registry also
 * answers /health's repository count and storage probe, and feeds the storage and pool metrics.
 */
import { Global, Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { RepositoryCounter } from '../health/repository-counter';
import { StorageProbe } from '../health/storage-probe';
import { RepositoryRegistry } from './repository-registry';
import { STORAGE_DRIVER_PROVIDER } from './storage-driver.factory';
import { STORAGE_METRIC_PROVIDERS, StorageMetrics } from './storage-metrics';

@Global()
@Module({
  imports: [HealthModule],
  providers: [
    STORAGE_DRIVER_PROVIDER,
    ...STORAGE_METRIC_PROVIDERS,
    StorageMetrics,
    RepositoryRegistry,
    { provide: RepositoryCounter, useExisting: RepositoryRegistry },
    { provide: StorageProbe, useExisting: RepositoryRegistry },
  ],
  exports: [RepositoryRegistry, RepositoryCounter, StorageProbe, StorageMetrics],
})
export class GitCoreModule {}
