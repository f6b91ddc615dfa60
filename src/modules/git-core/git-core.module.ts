/**
 * git-core owns storage for the whole server and gives the engine to the feature modules
 * (global, so they need not import it): the StorageDriver chosen by storage.driver
 * (storage-driver.factory.ts) behind the RepositoryRegistry, which opens it at start (readiness
 * `storage` only after that), serializes writes per repository, and closes it at shutdown after
 * the HTTP server has drained. The registry also answers /health's repository count and
 * storage probe.
 */
import { Global, Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { RepositoryCounter } from '../health/repository-counter';
import { StorageProbe } from '../health/storage-probe';
import { RepositoryRegistry } from './repository-registry';

@Global()
@Module({
  imports: [HealthModule],
  providers: [
    RepositoryRegistry,
    { provide: RepositoryCounter, useExisting: RepositoryRegistry },
    { provide: StorageProbe, useExisting: RepositoryRegistry },
  ],
  exports: [RepositoryRegistry, RepositoryCounter, StorageProbe],
})
export class GitCoreModule {}
