/**
 * Picks the StorageDriver that storage.driver names (api-contract.md §13, DESIGN §3). This switch
 * is the one place an adapter is plugged in: each case builds its driver from the typed
 * StorageConfig slice, and the compiler flags a driver name without a case.
 *
 * The driver is a Nest provider under its own abstract class (STYLE §2, brocoders), so an e2e
 * test can swap in a driver built differently (e.g. a disk driver over a failing file system).
 */
import * as path from 'node:path';
import { Logger, type Provider } from '@nestjs/common';
import {
  DiskStorageDriver,
  MemoryStorageDriver,
  PostgresStorageDriver,
  StorageDriver,
  type StorageLogger,
} from '../../core';
import { StorageConfig } from '../../config/config.schema';

export function createStorageDriver(config: StorageConfig, logger: StorageLogger): StorageDriver {
  switch (config.driver) {
    case 'memory':
      return new MemoryStorageDriver();
    case 'disk':
      return new DiskStorageDriver({
        path: path.resolve(config.path),
        checkpointIntervalMs: config.disk.checkpoint_interval,
        journalMaxBytes: config.disk.journal_max_size,
        logger,
      });
    case 'postgres':
      return new PostgresStorageDriver({
        url: config.postgres_url,
        poolSize: config.postgres_pool_size,
        statementTimeoutMs: config.postgres_statement_timeout,
        logger,
      });
  }
}

/** Storage log lines through Nest's logger (context `Storage`), details as one JSON suffix. */
export function nestStorageLogger(logger: Logger = new Logger('Storage')): StorageLogger {
  const line = (message: string, details?: Record<string, unknown>): string =>
    details === undefined ? message : `${message} ${JSON.stringify(details)}`;
  return {
    info: (message, details) => logger.log(line(message, details)),
    warn: (message, details) => logger.warn(line(message, details)),
    error: (message, details) => logger.error(line(message, details)),
  };
}

/** The configured driver as a provider (token: the StorageDriver class). */
export const STORAGE_DRIVER_PROVIDER: Provider = {
  provide: StorageDriver,
  inject: [StorageConfig],
  useFactory: (config: StorageConfig): StorageDriver =>
    createStorageDriver(config, nestStorageLogger()),
};
