/**
 * Picks the StorageDriver that storage.driver names (api-contract.md §13, DESIGN §3). This switch
 * is the one place an adapter is plugged in: each case builds its driver from the typed
 * StorageConfig slice, and the compiler flags a driver name without a case.
 */
import * as path from 'node:path';
import {
  DiskStorageDriver,
  MemoryStorageDriver,
  type StorageDriver,
  type StorageLogger,
} from '../../core';
import type { StorageConfig } from '../../config/config.schema';

export interface SelectedStorage {
  readonly driver: StorageDriver;
  /** Said once at start when the configured driver is not what runs (never silently). */
  readonly warning?: string;
}

export function createStorageDriver(config: StorageConfig, logger: StorageLogger): SelectedStorage {
  switch (config.driver) {
    case 'memory':
      return { driver: new MemoryStorageDriver() };
    case 'disk':
      return {
        driver: new DiskStorageDriver({
          path: path.resolve(config.path),
          checkpointIntervalMs: config.disk.checkpoint_interval,
          journalMaxBytes: config.disk.journal_max_size,
          logger,
        }),
      };
    case 'postgres':
      return {
        driver: new MemoryStorageDriver(),
        warning:
          'storage.driver is postgres, but the postgres adapter is not wired into the server yet: ' +
          'repositories are kept in memory only and are lost when the process stops',
      };
  }
}
