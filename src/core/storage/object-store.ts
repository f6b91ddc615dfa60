/**
 * The object storage port. Reads and writes against it are synchronous: every adapter keeps
 * its working set in memory, and durable adapters persist queued writes in `flush()`.
 *
 * The caller never has to hash twice: `put` computes the id; `insert` stores bytes whose id
 * the caller already verified (e.g. while indexing a pack).
 */
import { hashObject, type ObjectType, type RawObject } from '../objects/git-object';
import type { Oid } from '../objects/oid';

export abstract class ObjectStore {
  abstract has(oid: Oid): boolean;

  /** The object, or undefined on a miss (a miss is not an error here). */
  abstract get(oid: Oid): RawObject | undefined;

  /** Stores an object whose id the caller computed; storing an existing id is a no-op. */
  abstract insert(oid: Oid, object: RawObject): void;

  /** Every id starting with `prefix` (lower-case hex), at most `limit` of them. */
  abstract findByPrefix(prefix: string, limit: number): Oid[];

  /** Every stored id, in no particular order. */
  abstract oids(): IterableIterator<Oid>;

  abstract get size(): number;

  /** Persists what was written since the last flush; resolves when it is durable. */
  abstract flush(): Promise<void>;

  /** Hashes, stores and returns the id. Idempotent. */
  put(type: ObjectType, body: Uint8Array): Oid {
    const oid = hashObject(type, body);
    if (!this.has(oid)) this.insert(oid, { type, body });
    return oid;
  }

  putMany(objects: Iterable<RawObject>): Oid[] {
    const oids: Oid[] = [];
    for (const object of objects) oids.push(this.put(object.type, object.body));
    return oids;
  }
}
