/**
 * The cache of generated packs: stable keys, LRU eviction by bytes, oversized packs never kept,
 * and identical requests waiting for a pack being generated.
 */
import { PackCache } from '../../../../src/core/protocol/pack-cache';

const pack = (bytes: number) => ({
  chunks: [Buffer.alloc(bytes)],
  byteLength: bytes,
  objectCount: 1,
});

describe('PackCache', () => {
  it('keys ignore the order inside lists but not the values', () => {
    expect(PackCache.key({ wants: ['a', 'b'], thin: false })).toBe(
      PackCache.key({ wants: ['b', 'a'], thin: false }),
    );
    expect(PackCache.key({ wants: ['a'], thin: false })).not.toBe(
      PackCache.key({ wants: ['a'], thin: true }),
    );
  });

  it('evicts the least recently used pack past its byte budget', () => {
    const cache = new PackCache(100);
    cache.set('a', pack(20));
    cache.set('b', pack(20));
    cache.get('a');
    for (const key of ['c', 'd', 'e', 'f']) cache.set(key, pack(20));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
  });

  it('never keeps a pack larger than a quarter of the budget', () => {
    const cache = new PackCache(100);
    cache.set('big', pack(26));
    expect(cache.size).toBe(0);
  });

  it('lets identical requests wait for a pack being generated', async () => {
    const cache = new PackCache(100);
    let finish: () => void = () => undefined;
    cache.markBuilding('k', new Promise<void>((resolve) => (finish = resolve)));
    let waited = false;
    const waiting = cache.settled('k').then(() => {
      waited = true;
      return cache.get('k');
    });
    await Promise.resolve();
    expect(waited).toBe(false);
    cache.set('k', pack(10));
    finish();
    expect(await waiting).toBeDefined();
  });
});
