/**
 * In-memory object store: a Map from id to the uncompressed object. It is the working set
 * of every repository; `flush` has nothing to persist.
 */
import type { RawObject } from '../../objects/git-object';
import type { Oid } from '../../objects/oid';
import { ObjectStore } from '../object-store';

export class MemoryObjectStore extends ObjectStore {
  private readonly objects = new Map<Oid, RawObject>();

  has(oid: Oid): boolean {
    return this.objects.has(oid);
  }

  get(oid: Oid): RawObject | undefined {
    return this.objects.get(oid);
  }

  insert(oid: Oid, object: RawObject): void {
    if (!this.objects.has(oid)) this.objects.set(oid, object);
  }

  /** A linear scan: abbreviated ids are rare, and a sorted index would cost memory on every put. */
  findByPrefix(prefix: string, limit: number): Oid[] {
    const found: Oid[] = [];
    for (const oid of this.objects.keys()) {
      if (oid.startsWith(prefix)) {
        found.push(oid);
        if (found.length >= limit) break;
      }
    }
    return found;
  }

  oids(): IterableIterator<Oid> {
    return this.objects.keys();
  }

  get size(): number {
    return this.objects.size;
  }

  async flush(): Promise<void> {
    // Nothing to persist: the memory store promises nothing across restarts.
  }
}
