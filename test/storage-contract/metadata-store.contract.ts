/**
 * The contract every MetadataStore adapter (memory, disk, postgres) must pass: JSON documents
 * by (collection, id), synchronous against memory, copied and frozen on the way in, durable
 * after `flush()` (proved by a reopen for durable adapters), and server secrets created once.
 *
 * Usage, in a tiny per-adapter spec: `describeMetadataStore('disk', factory)`.
 */
import type { JsonDocument, MetadataStore } from '../../src/core/storage/metadata-store';
import { afterRestart, type StoreFactory, type StoreHarness } from './store-harness';

export function describeMetadataStore(name: string, factory: StoreFactory<MetadataStore>): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let harness: StoreHarness<MetadataStore>;
    let store: MetadataStore;

    beforeEach(async () => {
      harness = await factory();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup?.();
    });

    const alice: JsonDocument = {
      name: 'alice',
      roles: ['admin'],
      active: true,
      quota: 1.5,
      manager: null,
    };

    describe('documents', () => {
      it('starts empty and answers a miss with undefined', () => {
        expect(store.list('users')).toEqual([]);
        expect(store.get('users', 'alice')).toBeUndefined();
      });

      it('returns what was put, in a collection of its own', () => {
        store.put('users', 'alice', alice);
        expect(store.get('users', 'alice')).toEqual(alice);
        expect(store.get('keys', 'alice')).toBeUndefined();
        expect(store.list('keys')).toEqual([]);
      });

      it("keeps its own frozen copy: neither the caller's object nor the returned one changes it", () => {
        const mutable = { name: 'bob', tags: ['a'] };
        store.put('users', 'bob', mutable);
        mutable.tags.push('b');
        mutable.name = 'changed';
        const stored = store.get('users', 'bob');
        expect(stored).toEqual({ name: 'bob', tags: ['a'] });
        expect(Object.isFrozen(stored)).toBe(true);
        expect(Object.isFrozen(stored?.tags)).toBe(true);
        expect(() => {
          (stored as { name: string }).name = 'x';
        }).toThrow(TypeError);
      });

      it('stores what JSON carries: undefined fields vanish, dates become strings', () => {
        const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
        store.put('users', 'carol', {
          name: 'carol',
          gone: undefined,
          at: when,
        } as unknown as JsonDocument);
        expect(store.get('users', 'carol')).toEqual({
          name: 'carol',
          at: '2024-01-02T03:04:05.000Z',
        });
      });

      it('replaces a document on a second put', () => {
        store.put('users', 'alice', alice);
        store.put('users', 'alice', { name: 'alice', roles: [] });
        expect(store.get('users', 'alice')).toEqual({ name: 'alice', roles: [] });
        expect(store.list('users')).toHaveLength(1);
      });

      it('deletes a document, reporting whether there was one', () => {
        store.put('users', 'alice', alice);
        expect(store.delete('users', 'alice')).toBe(true);
        expect(store.delete('users', 'alice')).toBe(false);
        expect(store.delete('nothing', 'x')).toBe(false);
        expect(store.get('users', 'alice')).toBeUndefined();
        expect(store.list('users')).toEqual([]);
      });

      it('lists a collection sorted by id', () => {
        for (const id of ['m', 'b', 'Z', 'é', 'a-1']) store.put('users', id, { id });
        expect(store.list('users').map((entry) => entry.id)).toEqual(['Z', 'a-1', 'b', 'm', 'é']);
        expect(store.list('users')[0]).toEqual({ id: 'Z', document: { id: 'Z' } });
      });

      it('refuses bad collection names, ids and non-object documents', () => {
        expect(() => store.put('Users', 'a', {})).toThrow(RangeError);
        expect(() => store.put('', 'a', {})).toThrow(RangeError);
        expect(() => store.put('users', '', {})).toThrow(RangeError);
        expect(() => store.put('users', 'a\0b', {})).toThrow(RangeError);
        expect(() => store.put('users', 'a', [] as unknown as JsonDocument)).toThrow(RangeError);
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        expect(() => store.put('users', 'a', cyclic as JsonDocument)).toThrow(RangeError);
        expect(store.list('users')).toEqual([]);
      });
    });

    describe('durability', () => {
      it('keeps documents and deletions after flush() (and a reopen, for durable adapters)', async () => {
        store.put('users', 'alice', alice);
        store.put('users', 'gone', { x: 1 });
        store.put('keys', 'k1', { owner: 'alice', nested: { deep: [1, 'two', { three: 3 }] } });
        await store.flush();
        store.delete('users', 'gone');
        store.put('users', 'ünï 😀', { name: 'ünï 😀' });
        const reopened = await afterRestart(harness);
        expect(reopened.get('users', 'alice')).toEqual(alice);
        expect(reopened.get('users', 'gone')).toBeUndefined();
        expect(reopened.get('keys', 'k1')).toEqual({
          owner: 'alice',
          nested: { deep: [1, 'two', { three: 3 }] },
        });
        expect(reopened.list('users').map((entry) => entry.id)).toEqual(['alice', 'ünï 😀']);
      });

      it('accepts writes after a reopen and keeps them too', async () => {
        store.put('users', 'before', { n: 1 });
        const reopened = await afterRestart(harness);
        reopened.put('users', 'after', { n: 2 });
        reopened.put('users', 'before', { n: 3 });
        const again = await afterRestart(harness, reopened);
        expect(again.list('users')).toEqual([
          { id: 'after', document: { n: 2 } },
          { id: 'before', document: { n: 3 } },
        ]);
      });

      it('resolves flush() with nothing written', async () => {
        await expect(store.flush()).resolves.toBeUndefined();
      });
    });

    describe('secrets', () => {
      it('generates a secret once and returns the same value afterwards', async () => {
        const generate = jest.fn(() => 'first-value-0123456789');
        const [a, b] = await Promise.all([
          store.secret('jwt-secret', generate),
          store.secret('jwt-secret', generate),
        ]);
        expect(a).toBe('first-value-0123456789');
        expect(b).toBe(a);
        await expect(store.secret('jwt-secret', () => 'other')).resolves.toBe(a);
        expect(generate).toHaveBeenCalledTimes(1);
      });

      it('keeps secrets apart by name', async () => {
        await expect(store.secret('jwt-secret', () => 'jwt')).resolves.toBe('jwt');
        await expect(store.secret('api-key-pepper', () => 'pepper')).resolves.toBe('pepper');
      });

      it('keeps a secret across a reopen (durable adapters)', async () => {
        const value = await store.secret('api-key-pepper', () => 'pepper-1');
        const reopened = await afterRestart(harness);
        await expect(reopened.secret('api-key-pepper', () => 'pepper-2')).resolves.toBe(value);
      });

      it('refuses a secret name that is not a plain file name', () => {
        expect(() => store.secret('../etc/passwd', () => 'x')).toThrow(RangeError);
        expect(() => store.secret('', () => 'x')).toThrow(RangeError);
      });
    });
  });
}
