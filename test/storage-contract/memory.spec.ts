/** The memory adapters and driver against the shared storage contracts (no reopen: memory is not durable). */
import { MemoryMetadataStore } from '../../src/core/storage/memory/memory-metadata-store';
import { MemoryObjectStore } from '../../src/core/storage/memory/memory-object-store';
import { MemoryRefStore } from '../../src/core/storage/memory/memory-ref-store';
import { MemoryStorageDriver } from '../../src/core/storage/memory/memory-storage-driver';
import { describeMetadataStore } from './metadata-store.contract';
import { describeObjectStore } from './object-store.contract';
import { describeRefStore } from './ref-store.contract';
import { describeStorageDriver } from './storage-driver.contract';

describeObjectStore('memory', () => ({ store: new MemoryObjectStore() }));
describeRefStore('memory', () => ({ store: new MemoryRefStore() }), { raceRuns: 100 });

describeMetadataStore('memory', () => ({ store: new MemoryMetadataStore() }));
describeStorageDriver('memory', async () => {
  const driver = new MemoryStorageDriver();
  await driver.open();
  return { driver, cleanup: () => driver.close() };
});
