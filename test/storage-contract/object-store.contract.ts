/**
 * The contract every ObjectStore adapter (memory, disk, postgres) must pass: the engine above
 * relies on exactly these behaviours and nothing adapter-specific. Durable adapters also prove
 * that objects survive `flush()` and a reopen, byte for byte.
 *
 * Usage, in a tiny per-adapter spec: `describeObjectStore('memory', () => ({ store: new X() }))`.
 */
import fc from 'fast-check';
import {
  hashObject,
  OBJECT_TYPES,
  type ObjectType,
  type RawObject,
} from '../../src/core/objects/git-object';
import type { Oid } from '../../src/core/objects/oid';
import type { ObjectStore } from '../../src/core/storage/object-store';
import { fcParams } from '../support/fast-check';
import { blobBodyArb } from '../support/object-arbitraries';
import { afterRestart, type StoreFactory, type StoreHarness } from './store-harness';

export interface ObjectStoreContractOptions {
  /** fast-check runs for the set-based properties (each run opens a fresh store). */
  readonly propertyRuns?: number;
}

/** Deterministic, incompressible-looking bytes (a store must not care what it keeps). */
function patternBytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function bytesOf(object: RawObject | undefined): Buffer | undefined {
  return object === undefined
    ? undefined
    : Buffer.from(object.body.buffer, object.body.byteOffset, object.body.byteLength);
}

export function describeObjectStore(
  name: string,
  factory: StoreFactory<ObjectStore>,
  options: ObjectStoreContractOptions = {},
): void {
  const propertyRuns = options.propertyRuns ?? 30;

  describe(`ObjectStore contract: ${name}`, () => {
    let harness: StoreHarness<ObjectStore>;
    let store: ObjectStore;

    beforeEach(async () => {
      harness = await factory();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup?.();
    });

    /** Runs `body` on a fresh store (for properties, where beforeEach runs only once). */
    async function withFreshStore<T>(body: (fresh: ObjectStore) => T | Promise<T>): Promise<T> {
      const fresh = await factory();
      try {
        return await body(fresh.store);
      } finally {
        await fresh.cleanup?.();
      }
    }

    describe('reads and writes', () => {
      it('starts empty', () => {
        expect(store.size).toBe(0);
        expect([...store.oids()]).toEqual([]);
      });

      it('answers a miss with undefined and has() false, never an error', () => {
        const missing = hashObject('blob', Buffer.from('never stored'));
        expect(store.get(missing)).toBeUndefined();
        expect(store.has(missing)).toBe(false);
      });

      it("returns git's id from put and the same type and bytes from get", () => {
        const oid = store.put('blob', Buffer.from('hello\n'));
        expect(oid).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
        expect(store.has(oid)).toBe(true);
        expect(store.get(oid)?.type).toBe('blob');
        expect(bytesOf(store.get(oid))?.toString('utf8')).toBe('hello\n');
      });

      it('keeps the type of every object kind', () => {
        const body = Buffer.from('same bytes, four types');
        const oids = OBJECT_TYPES.map((type) => store.put(type, body));
        expect(new Set(oids).size).toBe(4);
        expect(oids.map((oid) => store.get(oid)?.type)).toEqual(OBJECT_TYPES);
      });

      it('stores binary bodies exactly: every byte value, NULs, and the empty body', () => {
        const everyByte = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
        const nuls = Buffer.alloc(100);
        const empty = Buffer.alloc(0);
        for (const body of [everyByte, nuls, empty]) {
          const oid = store.put('blob', body);
          expect(oid).toBe(hashObject('blob', body));
          expect(bytesOf(store.get(oid))?.equals(body)).toBe(true);
        }
        expect(store.size).toBe(3);
      });

      it('stores an 8 MiB blob and returns it intact', () => {
        const body = patternBytes(8 * 1024 * 1024, 7);
        const oid = store.put('blob', body);
        expect(oid).toBe(hashObject('blob', body));
        expect(bytesOf(store.get(oid))?.equals(body)).toBe(true);
      });

      it('treats put of an existing object as a no-op returning the same id', () => {
        const first = store.put('blob', Buffer.from('twice'));
        const second = store.put('blob', Buffer.from('twice'));
        expect(second).toBe(first);
        expect(store.size).toBe(1);
        expect([...store.oids()]).toEqual([first]);
      });

      it('stores an inserted object under the id the caller computed', () => {
        const body = Buffer.from('inserted');
        const oid = hashObject('tree', body);
        store.insert(oid, { type: 'tree', body });
        expect(store.has(oid)).toBe(true);
        expect(store.get(oid)?.type).toBe('tree');
        expect(bytesOf(store.get(oid))?.equals(body)).toBe(true);
      });

      it('keeps the first object when an existing id is inserted again', () => {
        const body = Buffer.from('original');
        const oid = hashObject('blob', body);
        store.insert(oid, { type: 'blob', body });
        store.insert(oid, { type: 'blob', body: Buffer.from('impostor') });
        expect(store.size).toBe(1);
        expect(bytesOf(store.get(oid))?.toString()).toBe('original');
      });

      it('returns putMany ids in input order', () => {
        const objects: RawObject[] = [
          { type: 'blob', body: Buffer.from('one') },
          { type: 'blob', body: Buffer.from('two') },
          { type: 'blob', body: Buffer.from('one') },
        ];
        const oids = store.putMany(objects);
        expect(oids).toEqual(objects.map((o) => hashObject(o.type, o.body)));
        expect(store.size).toBe(2);
      });

      it('resolves flush() with nothing written', async () => {
        await expect(store.flush()).resolves.toBeUndefined();
      });
    });

    describe('enumeration and prefixes', () => {
      it('lists exactly the stored ids in oids() and counts them in size', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(fc.constantFrom<ObjectType>(...OBJECT_TYPES), blobBodyArb), {
              maxLength: 40,
            }),
            async (objects) =>
              withFreshStore((fresh) => {
                const expected = new Set(objects.map(([type, body]) => fresh.put(type, body)));
                expect(new Set(fresh.oids())).toEqual(expected);
                expect(fresh.size).toBe(expected.size);
              }),
          ),
          fcParams(propertyRuns),
        );
      });

      it('finds exactly the stored ids that start with a prefix', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), {
              minLength: 1,
              maxLength: 60,
            }),
            fc.nat(),
            fc.integer({ min: 1, max: 40 }),
            async (contents, pick, prefixLength) =>
              withFreshStore((fresh) => {
                const oids = contents.map((text) => fresh.put('blob', Buffer.from(text)));
                const prefix = oids[pick % oids.length]!.slice(0, prefixLength);
                const expected = oids.filter((oid) => oid.startsWith(prefix)).sort();
                expect(fresh.findByPrefix(prefix, 1000).sort()).toEqual(expected);
              }),
          ),
          fcParams(propertyRuns),
        );
      });

      it('returns at most `limit` matches, all of them real', () => {
        const oids: Oid[] = [];
        for (let i = 0; i < 300; i++) oids.push(store.put('blob', Buffer.from(`object ${i}`)));
        const prefix = oids[0]!.slice(0, 1);
        const all = oids.filter((oid) => oid.startsWith(prefix));
        expect(all.length).toBeGreaterThan(2);
        const limited = store.findByPrefix(prefix, 2);
        expect(limited).toHaveLength(2);
        for (const oid of limited) expect(all).toContain(oid);
      });

      it('finds nothing for a prefix no id has, and the one object for a full id', () => {
        const oid = store.put('blob', Buffer.from('only'));
        const other = oid.startsWith('0000') ? 'ffff' : '0000';
        expect(store.findByPrefix(other, 10)).toEqual([]);
        expect(store.findByPrefix(oid, 10)).toEqual([oid]);
      });
    });

    describe('durability', () => {
      it('keeps every object, type and byte after flush() (and a reopen, for durable adapters)', async () => {
        const written: RawObject[] = [
          { type: 'blob', body: patternBytes(2 * 1024 * 1024, 3) },
          { type: 'blob', body: Buffer.from(Array.from({ length: 256 }, (_, i) => i)) },
          { type: 'blob', body: Buffer.alloc(0) },
          { type: 'tree', body: Buffer.alloc(0) },
          {
            type: 'commit',
            body: Buffer.from('tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nmsg\n'),
          },
          { type: 'tag', body: Buffer.from('ünïcödé tag body') },
        ];
        const oids = store.putMany(written);
        const reopened = await afterRestart(harness);
        expect(reopened.size).toBe(written.length);
        expect(new Set(reopened.oids())).toEqual(new Set(oids));
        written.forEach((object, i) => {
          const read = reopened.get(oids[i]!);
          expect(read?.type).toBe(object.type);
          expect(bytesOf(read)?.equals(Buffer.from(object.body))).toBe(true);
        });
        expect(reopened.findByPrefix(oids[0]!.slice(0, 6), 10)).toContain(oids[0]);
      });

      it('keeps objects written across several flushes', async () => {
        const a = store.put('blob', Buffer.from('first batch'));
        await store.flush();
        const b = store.put('blob', Buffer.from('second batch'));
        await store.flush();
        const c = store.put('blob', Buffer.from('third batch'));
        const reopened = await afterRestart(harness);
        for (const oid of [a, b, c]) expect(reopened.has(oid)).toBe(true);
        expect(bytesOf(reopened.get(b))?.toString()).toBe('second batch');
      });

      it('accepts more writes after a reopen and keeps them too', async () => {
        const before = store.put('blob', Buffer.from('before restart'));
        const reopened = await afterRestart(harness);
        const after = reopened.put('blob', Buffer.from('after restart'));
        const again = await afterRestart(harness, reopened);
        expect(again.has(before)).toBe(true);
        expect(again.has(after)).toBe(true);
        expect(again.size).toBe(2);
      });
    });
  });
}
