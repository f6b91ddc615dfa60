/**
 * The RepositoryRegistry as the server builds it (config, metrics, git-core and its storage
 * driver), without HTTP: for tests of the pool and of storage wiring. `driver` replaces the
 * configured StorageDriver (e.g. a disk driver over a failing file system).
 */
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { StorageDriver } from '../../../src/core';
import { loadConfig, type Environment } from '../../../src/config/config-loader';
import { GovcConfigModule } from '../../../src/config/govc-config.module';
import { MetricsModule } from '../../../src/metrics/metrics.module';
import { GitCoreModule } from '../../../src/modules/git-core/git-core.module';
import { RepositoryRegistry } from '../../../src/modules/git-core/repository-registry';
import { TEST_CONFIG_FILE } from '../../support/test-app';

const AUTHOR = { name: 'Test', email: 'test@example.com' };

export interface RegistryFixture {
  readonly context: INestApplicationContext;
  readonly registry: RepositoryRegistry;
  close(): Promise<void>;
}

export async function startRegistry(
  env: Environment,
  options: { driver?: StorageDriver } = {},
): Promise<RegistryFixture> {
  const { config } = loadConfig({
    env: { GOVC_METRICS_DEFAULT_METRICS: 'false', ...env },
    argv: ['--config', TEST_CONFIG_FILE],
  });
  let builder = Test.createTestingModule({
    imports: [
      GovcConfigModule.forRoot(config),
      MetricsModule.forRoot(config.metrics),
      GitCoreModule,
    ],
  });
  if (options.driver !== undefined)
    builder = builder.overrideProvider(StorageDriver).useValue(options.driver);
  const moduleRef = await builder.compile();
  const context = await moduleRef.init();
  const registry = context.get(RepositoryRegistry);
  return { context, registry, close: () => context.close() };
}

/** Adds `files` and commits them as one serialized, durably flushed write; returns the hash. */
export function commit(
  registry: RepositoryRegistry,
  id: string,
  files: Readonly<Record<string, string>>,
  message = 'change',
): Promise<string> {
  return registry.write(id, ({ repository }) => {
    for (const [path, content] of Object.entries(files)) repository.add(path, content);
    return repository.commit({ message, author: AUTHOR }).oid;
  });
}

/** The history of HEAD, newest first. */
export async function history(registry: RepositoryRegistry, id: string): Promise<string[]> {
  const { repository } = await registry.open(id);
  return repository.log().commits;
}
