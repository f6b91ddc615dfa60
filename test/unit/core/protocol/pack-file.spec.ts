/**
 * Random access is how the disk driver reads one object out of a pack: through a pack in memory
 * or an open file, at an offset or by id, rebuilding delta chains on demand; and bad offsets,
 * loops through a lying index and missing bases must fail cleanly, not hang or misread.
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  DeltaBaseMissingError,
  DeltaTooDeepError,
  PackCorruptError,
} from '../../../../src/core/errors/pack-errors';
import { hashObject } from '../../../../src/core/objects/git-object';
import {
  PackBaseCache,
  packBufferSource,
  PackFile,
  packFileSource,
  readObjectAt,
} from '../../../../src/core/protocol/pack-file';
import { PackIndex, writePackIndex } from '../../../../src/core/protocol/pack-index';
import { readPack } from '../../../../src/core/protocol/pack-reader';
import { encodePack, type PackWriteEntry } from '../../../../src/core/protocol/pack-writer';
import { fcParams } from '../../../support/fast-check';
import { tempDir } from '../../../support/git-cli';
import { insertOnlyDelta, RawPackBuilder } from '../../../support/pack-builder';

/** Versions of one file, so the writer makes delta chains. */
function versions(count: number): PackWriteEntry[] {
  let text = Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join('');
  return Array.from({ length: count }, (_, i) => {
    text = text.replace(`line ${i * 3}\n`, `line ${i * 3} changed\n`);
    return { type: 'blob' as const, body: Buffer.from(text), path: 'file.txt' };
  });
}

describe('readObjectAt', () => {
  it('rebuilds every object of a delta-compressed pack at its offset', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (count) => {
        const objects = versions(count);
        const written = await encodePack(objects, { depth: 10 });
        for (const entry of written.entries) {
          const object = await readObjectAt(written.pack, entry.offset);
          expect(hashObject(object.type, object.body)).toBe(entry.oid);
        }
      }),
      fcParams(20),
    );
  });

  it('reads through an open pack file, by id via its index, with a shared base cache', async () => {
    const objects = versions(30);
    const written = await encodePack(objects);
    expect(written.ofsDeltas).toBeGreaterThan(10);
    const dir = tempDir('govc-packfile-');
    const path = join(dir.path, 'test.pack');
    await writeFile(path, written.pack);
    const handle = await open(path, 'r');
    try {
      const pack = new PackFile(
        packFileSource(handle, written.byteLength),
        new PackIndex(writePackIndex(written.entries, written.checksum)),
      );
      for (const object of objects) {
        const oid = hashObject(object.type, object.body);
        expect(pack.has(oid)).toBe(true);
        const read = await pack.read(oid);
        expect(Buffer.from(read!.body).equals(Buffer.from(object.body))).toBe(true);
      }
      expect(await pack.read('0'.repeat(40))).toBeUndefined();
    } finally {
      await handle.close();
      dir.cleanup();
    }
  });

  it('finds REF_DELTA bases through the index', async () => {
    const builder = new RawPackBuilder();
    const base = Buffer.from('the base');
    const deltaAt = builder.refDelta(
      hashObject('blob', base),
      insertOnlyDelta(base.length, Buffer.from('rebuilt')),
    );
    builder.whole('blob', base);
    const pack = builder.build();
    const { objects, summary } = await readPack(pack);
    const index = new PackIndex(writePackIndex(objects, summary.checksum));
    const object = await readObjectAt(pack, deltaAt, { index });
    expect(Buffer.from(object.body).toString()).toBe('rebuilt');
    await expect(readObjectAt(pack, deltaAt)).rejects.toBeInstanceOf(DeltaBaseMissingError);
    const external = await readObjectAt(pack, deltaAt, {
      resolveExternalBase: () => ({ type: 'blob', body: base }),
    });
    expect(Buffer.from(external.body).toString()).toBe('rebuilt');
  });

  it('ends a REF_DELTA loop through a lying index at the depth limit', async () => {
    const builder = new RawPackBuilder();
    const selfOid = 'ab'.repeat(20);
    const at = builder.refDelta(selfOid, insertOnlyDelta(1, Buffer.from('x')));
    const pack = builder.build();
    const index = new PackIndex(
      writePackIndex(
        [{ oid: selfOid, offset: at, crc32: 0 }],
        pack.toString('hex', pack.length - 20),
      ),
    );
    await expect(
      readObjectAt(pack, at, { index, limits: { maxDeltaDepth: 50 } }),
    ).rejects.toBeInstanceOf(DeltaTooDeepError);
  });

  it.each([0, 11, 1_000_000])('refuses offset %d outside the pack', async (offset) => {
    const { pack } = await encodePack([{ type: 'blob', body: Buffer.from('x') }]);
    await expect(readObjectAt(pack, offset)).rejects.toBeInstanceOf(PackCorruptError);
  });

  it('refuses an offset inside an entry rather than misreading it', async () => {
    const { pack } = await encodePack([{ type: 'blob', body: Buffer.from('some content here') }]);
    await expect(readObjectAt(pack, 13)).rejects.toMatchObject({
      code: expect.stringMatching(/^PACK_/),
    });
  });
});

describe('PackBaseCache', () => {
  it('evicts least recently used objects past its byte budget', () => {
    const cache = new PackBaseCache(100);
    const object = (n: number) => ({ type: 'blob' as const, body: Buffer.alloc(n) });
    cache.set(1, object(20));
    cache.set(2, object(20));
    cache.get(1);
    cache.set(3, object(20));
    cache.set(4, object(20));
    cache.set(5, object(20));
    expect(cache.byteSize).toBeLessThanOrEqual(100);
    cache.set(6, object(20));
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toBeDefined();
  });

  it('does not keep an object larger than a quarter of the budget', () => {
    const cache = new PackBaseCache(100);
    cache.set(1, { type: 'blob', body: Buffer.alloc(26) });
    expect(cache.get(1)).toBeUndefined();
  });

  it('serves a memory source by views', async () => {
    const bytes = Buffer.from('abcdef');
    const view = await packBufferSource(bytes).read(2, 100);
    expect(Buffer.from(view).toString()).toBe('cdef');
  });
});
