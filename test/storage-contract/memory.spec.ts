/** The memory adapters against the shared storage contract (no reopen: memory is not durable). */
import { MemoryObjectStore } from '../../src/core/storage/memory/memory-object-store';
import { MemoryRefStore } from '../../src/core/storage/memory/memory-ref-store';
import { describeObjectStore } from './object-store.contract';
import { describeRefStore } from './ref-store.contract';

describeObjectStore('memory', () => ({ store: new MemoryObjectStore() }));
describeRefStore('memory', () => ({ store: new MemoryRefStore() }), { raceRuns: 100 });
