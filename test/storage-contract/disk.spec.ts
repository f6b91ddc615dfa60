/**
 * The disk driver against the shared storage contracts, with reopen: each "restart" closes the
 * driver (final checkpoint) and opens a new one on the same directory. Runs on tmpfs when
 * available: this suite checks semantics; fsync behaviour has its own unit tests on a real disk.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStorageDriver } from '../../src/core/storage/disk/disk-storage-driver';
import type { RepositoryStores, StorageLogger } from '../../src/core/storage/storage-driver';
import { describeMetadataStore } from './metadata-store.contract';
import { describeObjectStore } from './object-store.contract';
import { describeRefStore } from './ref-store.contract';
import type { StoreFactory } from './store-harness';
import { describeStorageDriver } from './storage-driver.contract';

const quietLogger: StorageLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function scratchDirectory(): { path: string; cleanup: () => void } {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const path = mkdtempSync(join(base, 'govc-disk-contract-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

async function openDriver(path: string): Promise<DiskStorageDriver> {
  const driver = new DiskStorageDriver({ path, logger: quietLogger });
  await driver.open();
  return driver;
}

/** A fresh repository on a fresh driver; reopen = close the driver, open a new one. */
function repositoryHarness<S>(pick: (stores: RepositoryStores) => S): StoreFactory<S> {
  return async () => {
    const dir = scratchDirectory();
    let driver = await openDriver(dir.path);
    await driver.createRepository('contract');
    return {
      store: pick(await driver.openRepository('contract')),
      reopen: async () => {
        await driver.close();
        driver = await openDriver(dir.path);
        return pick(await driver.openRepository('contract'));
      },
      cleanup: async () => {
        await driver.close();
        dir.cleanup();
      },
    };
  };
}

describeObjectStore(
  'disk',
  repositoryHarness((stores) => stores.objects),
  { propertyRuns: 15 },
);
describeRefStore(
  'disk',
  repositoryHarness((stores) => stores.refs),
  { raceRuns: 20 },
);

describeMetadataStore('disk', async () => {
  const dir = scratchDirectory();
  let driver = await openDriver(dir.path);
  return {
    store: driver.metadata,
    reopen: async () => {
      await driver.close();
      driver = await openDriver(dir.path);
      return driver.metadata;
    },
    cleanup: async () => {
      await driver.close();
      dir.cleanup();
    },
  };
});

describeStorageDriver('disk', async () => {
  const dir = scratchDirectory();
  let driver = await openDriver(dir.path);
  return {
    driver,
    reopen: async () => {
      await driver.close();
      driver = await openDriver(dir.path);
      return driver;
    },
    cleanup: async () => {
      await driver.close();
      dir.cleanup();
    },
  };
});
