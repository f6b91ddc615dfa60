/**
 * One repository loaded in memory, as the pool sees it (api-contract.md §10.2): when it was
 * loaded and last used, how often, and whether it may be unloaded. The registry owns the
 * entries; this file only keeps the bookkeeping and the figures the pool stats report.
 *
 * Memory is an estimate: object bodies plus a fixed per-object cost for the map entry, the id
 * string and the object header (measured ≈ 200 B with Node 20). It is recomputed only when the
 * object count changed, so asking often is cheap.
 */
import type { Repository } from '../../core';

/** Bytes per object besides its body (map entry, 40-char id, object and Uint8Array headers). */
const OBJECT_OVERHEAD_BYTES = 200;

/** Orders accesses strictly (several fall in one millisecond): the LRU key. */
let accessSequence = 0;

export class PooledRepository {
  repository: Repository | undefined;
  lastAccessed: number;
  /** Increases with every access of any pooled repository: smaller = less recently used. */
  lastUse = 0;
  accessCount = 0;
  /** Set while an eviction of this entry is under way: it is not chosen twice. */
  evicting = false;
  private estimate = { objects: -1, bytes: 0 };

  constructor(
    readonly id: string,
    /** False for memory-driver and memory_only repositories: never evicted. */
    readonly durable: boolean,
    readonly loading: Promise<Repository>,
    readonly loadedAt: number,
  ) {
    this.lastAccessed = loadedAt;
  }

  touch(now: number): void {
    this.lastAccessed = now;
    this.lastUse = ++accessSequence;
    this.accessCount++;
  }

  /** Estimated bytes held (0 until loaded). */
  memoryBytes(): number {
    const store = this.repository?.odb.store;
    if (store === undefined) return 0;
    if (store.size !== this.estimate.objects) {
      let bytes = 0;
      for (const oid of store.oids())
        bytes += (store.get(oid)?.body.byteLength ?? 0) + OBJECT_OVERHEAD_BYTES;
      this.estimate = { objects: store.size, bytes };
    }
    return this.estimate.bytes;
  }

  /**
   * Local state nothing persists: staged or unstaged working-tree changes, or a stopped rebase
   * (both are memory-only by design, contract §0.1). Unloading would drop them, so such a
   * repository stays loaded; `dirty` in the stats.
   */
  hasUnsavedState(): boolean {
    const repository = this.repository;
    if (repository === undefined) return false;
    return !repository.working.isPristine || repository.rebaseInProgress() !== undefined;
  }
}
