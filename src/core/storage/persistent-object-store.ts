/**
 * The object store of the durable adapters: the memory store (the working set, where every read
 * is served) plus a queue of the objects written since the last flush. `flush()` hands the queue
 * to the adapter's persistence (a journal record, a SQL transaction).
 */
import type { RawObject } from '../objects/git-object';
import type { Oid } from '../objects/oid';
import type { PendingChanges } from './change-batch';
import { MemoryObjectStore } from './memory/memory-object-store';

export class PersistentObjectStore extends MemoryObjectStore {
  constructor(
    private readonly pending: PendingChanges,
    private readonly persist: () => Promise<void>,
  ) {
    super();
  }

  override insert(oid: Oid, object: RawObject): void {
    if (this.has(oid)) return;
    super.insert(oid, object);
    this.pending.addObject(oid, object);
  }

  /** Adds an already persisted object (loading): not queued. */
  restore(oid: Oid, object: RawObject): void {
    super.insert(oid, object);
  }

  override flush(): Promise<void> {
    return this.persist();
  }
}
