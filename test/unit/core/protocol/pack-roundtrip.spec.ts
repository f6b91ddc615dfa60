/**
 * The writer and the reader are each other's first check: anything we write must read back as
 * the same objects with the same ids, whether deltas are on or off, whether the pack arrives whole
 * or in arbitrary chunks; and the writer's own entry table (offsets, CRCs) must agree with what
 * the reader measures, since the disk driver builds .idx files from it.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { hashObject, OBJECT_TYPES, type ObjectType } from '../../../../src/core/objects/git-object';
import { parsePackHeader } from '../../../../src/core/protocol/pack-entry';
import { parsePack, readPack, type PackObject } from '../../../../src/core/protocol/pack-reader';
import {
  encodePack,
  packChunks,
  packNameHash,
  writePack,
  type PackWriteEntry,
} from '../../../../src/core/protocol/pack-writer';
import { fcParams } from '../../../support/fast-check';
import { insertOnlyDelta, RawPackBuilder } from '../../../support/pack-builder';

const objectArb: fc.Arbitrary<PackWriteEntry> = fc.record({
  type: fc.constantFrom(...OBJECT_TYPES),
  body: fc.uint8Array({ maxLength: 600 }),
});

/** Versions of a few files: each a small edit of the previous, so deltas are found. */
const versionedFilesArb: fc.Arbitrary<PackWriteEntry[]> = fc
  .array(
    fc.record({
      path: fc.constantFrom('src/a.ts', 'src/b.ts', 'README.md'),
      seed: fc.string({ minLength: 200, maxLength: 400 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 20 })), {
        minLength: 1,
        maxLength: 6,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((files) =>
    files.flatMap(({ path, seed, edits }) => {
      let text = seed;
      return edits.map(([at, insert]) => {
        const cut = at % (text.length + 1);
        text = text.slice(0, cut) + insert + text.slice(cut);
        return { type: 'blob' as const, body: Buffer.from(text), path };
      });
    }),
  );

function byOid(objects: readonly PackWriteEntry[]): Map<string, PackWriteEntry> {
  return new Map(objects.map((o) => [hashObject(o.type, o.body), o]));
}

function expectSameObjects(read: readonly PackObject[], written: readonly PackWriteEntry[]): void {
  const expected = byOid(written);
  expect(read.length).toBe(expected.size);
  for (const object of read) {
    const original = expected.get(object.oid);
    expect(original).toBeDefined();
    expect(object.type).toBe(original!.type);
    expect(Buffer.from(object.body).equals(Buffer.from(original!.body))).toBe(true);
    expect(hashObject(object.type, object.body)).toBe(object.oid);
  }
}

/** Splits a buffer into chunks at the given cut points (a stream with arbitrary boundaries). */
async function* chunked(pack: Buffer, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let previous = 0;
  for (const cut of [...cuts].map((c) => c % (pack.length + 1)).sort((a, b) => a - b)) {
    await Promise.resolve();
    yield pack.subarray(previous, cut);
    previous = cut;
  }
  yield pack.subarray(previous);
}

describe('pack write → read', () => {
  it('round-trips any objects with their ids, deltas off', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(objectArb, { maxLength: 30 }), async (objects) => {
        const { pack } = await encodePack(objects, { deltas: false });
        const { objects: read, summary } = await readPack(pack);
        expectSameObjects(read, objects);
        expect(summary.ofsDeltas + summary.refDeltas).toBe(0);
      }),
      fcParams(150),
    );
  });

  it('round-trips versioned files with deltas on, and finds deltas', async () => {
    let deltas = 0;
    await fc.assert(
      fc.asyncProperty(versionedFilesArb, async (objects) => {
        const written = await encodePack(objects, { window: 10, depth: 50 });
        const { objects: read, summary } = await readPack(written.pack);
        expectSameObjects(read, objects);
        expect(summary.ofsDeltas).toBe(written.ofsDeltas);
        deltas += summary.ofsDeltas;
      }),
      fcParams(100),
    );
    expect(deltas).toBeGreaterThan(50);
  });

  it('reads the same objects from a stream cut at arbitrary points', async () => {
    await fc.assert(
      fc.asyncProperty(
        versionedFilesArb,
        fc.array(fc.nat(), { maxLength: 12 }),
        async (objects, cuts) => {
          const { pack } = await encodePack(objects);
          const whole = await readPack(pack);
          const streamed = await readPack(chunked(pack, cuts));
          expect(streamed.objects.map((o) => o.oid)).toEqual(whole.objects.map((o) => o.oid));
          expect(streamed.summary).toEqual(whole.summary);
        },
      ),
      fcParams(100),
    );
  });

  it('reports the same offsets and CRCs as the reader measures', async () => {
    await fc.assert(
      fc.asyncProperty(versionedFilesArb, async (objects) => {
        const written = await encodePack(objects);
        const { objects: read } = await readPack(written.pack);
        const measured = new Map(
          read.map((o) => [o.oid, { oid: o.oid, offset: o.offset, crc32: o.crc32 }]),
        );
        for (const entry of written.entries) expect(measured.get(entry.oid)).toEqual(entry);
      }),
      fcParams(60),
    );
  });

  it('names the pack by the SHA-1 of its content and counts its objects in the header', async () => {
    const objects = [
      { type: 'blob' as const, body: Buffer.from('one') },
      { type: 'tree' as const, body: Buffer.alloc(0) },
    ];
    const { pack, checksum, byteLength, objectCount } = await encodePack(objects);
    expect(byteLength).toBe(pack.length);
    expect(objectCount).toBe(2);
    expect(parsePackHeader(pack)).toEqual({ version: 2, objectCount: 2 });
    expect(createHash('sha1').update(pack.subarray(0, -20)).digest('hex')).toBe(checksum);
    expect(pack.subarray(-20).toString('hex')).toBe(checksum);
  });

  it('writes an object given twice once', async () => {
    const blob = { type: 'blob' as const, body: Buffer.from('same') };
    const { objectCount, pack } = await encodePack([
      blob,
      blob,
      { ...blob, oid: hashObject('blob', blob.body) },
    ]);
    expect(objectCount).toBe(1);
    expect((await readPack(pack)).objects).toHaveLength(1);
  });

  it('writes an empty pack git-style (header and checksum only)', async () => {
    const { pack } = await encodePack([]);
    expect(pack.length).toBe(32);
    expect((await readPack(pack)).objects).toEqual([]);
  });
});

describe('packChunks and writePack', () => {
  it('stream chunks near the requested size whose concatenation is the pack', async () => {
    // Hash chains: incompressible, so the pack is about 300 × 320 bytes.
    const objects = Array.from({ length: 300 }, (_, i) => ({
      type: 'blob' as const,
      body: Buffer.concat(
        Array.from({ length: 10 }, (_, j) => createHash('sha256').update(`${i}/${j}`).digest()),
      ),
    }));
    const chunks: Buffer[] = [];
    const result = await writePack(objects, (chunk) => void chunks.push(chunk), {
      chunkBytes: 4096,
    });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(4096);
    const whole = Buffer.concat(chunks);
    expect(whole.length).toBe(result.byteLength);
    expect((await encodePack(objects)).pack.equals(whole)).toBe(true);
  });

  it('awaits the sink before producing the next chunk', async () => {
    const objects = Array.from({ length: 50 }, (_, i) => ({
      type: 'blob' as const,
      body: Buffer.alloc(2000, i),
    }));
    let inSink = false;
    let overlapped = false;
    await writePack(
      objects,
      async () => {
        if (inSink) overlapped = true;
        inSink = true;
        await new Promise((resolve) => setTimeout(resolve, 1));
        inSink = false;
      },
      { chunkBytes: 1024, deltas: false },
    );
    expect(overlapped).toBe(false);
  });

  it('returns the description as the generator result', async () => {
    const generator = packChunks([{ type: 'commit', body: Buffer.from('x') }]);
    let next = await generator.next();
    while (next.done !== true) next = await generator.next();
    expect(next.value.objectCount).toBe(1);
    expect(next.value.entries[0]!.offset).toBe(12);
  });
});

describe('pack writer ordering and deltas', () => {
  it('orders commits, tags, trees, blobs and bases before their deltas', async () => {
    const text = 'shared text that is long enough to be delta compressed '.repeat(20);
    const objects: PackWriteEntry[] = [
      { type: 'blob', body: Buffer.from(text + 'v1'), path: 'f.txt' },
      { type: 'tree', body: Buffer.from('tree-ish') },
      { type: 'blob', body: Buffer.from(text + 'v2 longer'), path: 'f.txt' },
      { type: 'tag', body: Buffer.from('tag-ish') },
      { type: 'commit', body: Buffer.from('commit-ish') },
    ];
    const written = await encodePack(objects);
    const { objects: read } = await readPack(written.pack);
    const typesInPackOrder = [...read].sort((a, b) => a.offset - b.offset).map((o) => o.type);
    expect(typesInPackOrder).toEqual<ObjectType[]>(['commit', 'tag', 'tree', 'blob', 'blob']);
    const delta = read.find((o) => o.depth === 1)!;
    expect(Buffer.from(delta.body).toString()).toBe(text + 'v1');
    expect(written.ofsDeltas).toBe(1);
  });

  it('keeps delta chains within the depth limit', async () => {
    const versions = Array.from({ length: 40 }, (_, i) => ({
      type: 'blob' as const,
      body: Buffer.from('base content line\n'.repeat(40) + 'x'.repeat(40 - i)),
      path: 'file',
    }));
    const { pack } = await encodePack(versions, { depth: 3, window: 1 });
    const { objects } = await readPack(pack);
    expect(Math.max(...objects.map((o) => o.depth))).toBe(3);
    const { objects: unlimited } = await readPack(
      (await encodePack(versions, { depth: 100, window: 1 })).pack,
    );
    expect(Math.max(...unlimited.map((o) => o.depth))).toBeGreaterThan(3);
  });

  it('stores unrelated objects whole', async () => {
    const objects = Array.from({ length: 20 }, (_, i) => ({
      type: 'blob' as const,
      body: createHash('sha256').update(String(i)).digest(),
    }));
    expect((await encodePack(objects)).ofsDeltas).toBe(0);
  });

  it('writes a thin pack whose REF_DELTAs need the receiver’s bases', async () => {
    const base = {
      type: 'blob' as const,
      body: Buffer.from('a line the receiver has\n'.repeat(30)),
      path: 'doc',
    };
    const next = {
      type: 'blob' as const,
      body: Buffer.from('a line the receiver has\n'.repeat(30) + 'new\n'),
      path: 'doc',
    };
    const written = await encodePack([next], { thinBases: [base] });
    expect(written.objectCount).toBe(1);
    expect(written.refDeltas).toBe(1);
    await expect(readPack(written.pack)).rejects.toMatchObject({ code: 'DELTA_BASE_MISSING' });
    const baseOid = hashObject(base.type, base.body);
    const { objects, summary } = await readPack(written.pack, {
      resolveExternalBase: (oid) => (oid === baseOid ? base : undefined),
    });
    expect(objects.map((o) => Buffer.from(o.body).toString())).toEqual([next.body.toString()]);
    expect(summary.externalBases).toBe(1);
  });

  it('hashes paths like git: the last characters count most', () => {
    expect(packNameHash(undefined)).toBe(0);
    // ((0x78000000 >> 2) + 0x2e000000) >> 2) + 0x63000000, as git computes it.
    expect(packNameHash('x.c')).toBe(0x76000000);
    const distance = (a: string, b: string): number => Math.abs(packNameHash(a) - packNameHash(b));
    expect(distance('a/x.c', 'b/x.c')).toBeLessThan(distance('a/x.c', 'a/x.h'));
    expect(packNameHash('a b')).toBe(packNameHash('ab'));
  });
});

describe('pack reader delta resolution', () => {
  it('resolves a REF_DELTA that comes before its base', async () => {
    const base = Buffer.from('base object');
    const target = Buffer.from('rebuilt from nothing but inserts');
    const builder = new RawPackBuilder();
    builder.refDelta(hashObject('blob', base), insertOnlyDelta(base.length, target));
    builder.whole('blob', base);
    const { objects, summary } = await readPack(builder.build());
    expect(objects.map((o) => Buffer.from(o.body).toString())).toEqual([
      'base object',
      target.toString(),
    ]);
    expect(objects[1]).toMatchObject({ type: 'blob', depth: 1, offset: 12 });
    expect(summary.refDeltas).toBe(1);
  });

  it('resolves an OFS_DELTA whose base is a REF_DELTA still waiting for its base', async () => {
    const root = Buffer.from('root');
    const builder = new RawPackBuilder();
    const middle = builder.refDelta(
      hashObject('tree', root),
      insertOnlyDelta(4, Buffer.from('middle')),
    );
    builder.ofsDelta(middle, insertOnlyDelta(6, Buffer.from('leaf')));
    builder.whole('tree', root);
    const { objects } = await readPack(builder.build());
    expect(objects.map((o) => [Buffer.from(o.body).toString(), o.depth])).toEqual([
      ['root', 0],
      ['middle', 1],
      ['leaf', 2],
    ]);
    expect(objects.every((o) => o.type === 'tree')).toBe(true);
  });

  it('yields whole objects before the pack has been fully read', async () => {
    const { pack } = await encodePack(
      Array.from({ length: 5 }, (_, i) => ({ type: 'blob' as const, body: Buffer.from(`b${i}`) })),
      { deltas: false },
    );
    const iterator = parsePack(chunked(pack, [40]));
    const first = await iterator.next();
    expect(first.done).toBe(false);
    await iterator.return(undefined as never);
  });
});
