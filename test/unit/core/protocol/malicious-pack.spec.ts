/**
 * Packs are the one large untrusted input a git server parses (RELIABILITY P9, D2): each hostile
 * shape here must be refused quickly, with its own error code, without inflating, allocating or
 * looping on what the pack merely declares.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import type { GitError } from '../../../../src/core/errors/git-error';
import {
  DeltaBaseMissingError,
  DeltaCorruptError,
  DeltaTooDeepError,
  PackChecksumMismatchError,
  PackCorruptError,
  PackObjectTooLargeError,
  PackTooLargeError,
  PackTruncatedError,
} from '../../../../src/core/errors/pack-errors';
import { hashObject } from '../../../../src/core/objects/git-object';
import { readPack, type PackReadOptions } from '../../../../src/core/protocol/pack-reader';
import { encodePack } from '../../../../src/core/protocol/pack-writer';
import type { PackByteSource } from '../../../../src/core/protocol/pack-input';
import { fcParams } from '../../../support/fast-check';
import {
  type EntryOptions,
  insertOnlyDelta,
  RawPackBuilder,
  rawDelta,
  repeatBaseDelta,
  zlibZeroBomb,
} from '../../../support/pack-builder';

const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;

/**
 * Reads `source` expecting a refusal and returns the error. How fast refusals are is reported by
 * `npm run bench`, not asserted here: timing assertions are flaky on shared machines.
 */
async function refusal(
  source: PackByteSource,
  options: PackReadOptions = {},
): Promise<{ error: GitError }> {
  try {
    await readPack(source, options);
  } catch (error: unknown) {
    return { error: error as GitError };
  }
  throw new Error('the pack was accepted');
}

/** A pack of one whole object, with the entry options given. */
function singleObjectPack(body: Buffer, options: EntryOptions): Buffer {
  const builder = new RawPackBuilder();
  builder.whole('blob', body, options);
  return builder.build();
}

async function* chunksOf(pack: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < pack.length; at += size) {
    await Promise.resolve();
    yield pack.subarray(at, at + size);
  }
}

describe('zlib bombs', () => {
  const bomb = zlibZeroBomb(GiB);

  it('the test bomb really is a valid 1 GiB zlib stream of about 1.5 MB', () => {
    expect(bomb.stream.length).toBeLessThan(2 * MiB);
    expect(bomb.inflatedBytes).toBeGreaterThanOrEqual(GiB);
    const small = zlibZeroBomb(3 * MiB);
    const inflated = inflateSync(small.stream);
    expect(inflated.length).toBe(small.inflatedBytes);
    expect(inflated.every((byte) => byte === 0)).toBe(true);
  });

  it('stops a stream declaring 1 MiB that inflates to 1 GiB at the declared size', async () => {
    const pack = singleObjectPack(Buffer.alloc(0), { declaredSize: MiB, compressed: bomb.stream });
    const { error } = await refusal(pack);
    expect(error).toBeInstanceOf(PackCorruptError);
    expect(error.details).toMatchObject({
      reason: 'entry inflates past its declared size',
      offset: 12,
    });
  });

  it('refuses an honest 1 GiB declaration over the object limit without inflating', async () => {
    const pack = singleObjectPack(Buffer.alloc(0), {
      declaredSize: bomb.inflatedBytes,
      compressed: bomb.stream,
    });
    const { error } = await refusal(pack);
    expect(error).toBeInstanceOf(PackObjectTooLargeError);
    expect(error.code).toBe('OBJECT_TOO_LARGE');
    expect(error.details).toMatchObject({
      what: 'object',
      size: bomb.inflatedBytes,
      limit: 100 * MiB,
    });
  });

  it('refuses a stream that inflates to less than it declares', async () => {
    const { error } = await refusal(singleObjectPack(Buffer.from('short'), { declaredSize: 6 }));
    expect(error).toBeInstanceOf(PackCorruptError);
    expect(error.message).toContain('inflates to 5 bytes, declares 6');
  });
});

describe('declared sizes and counts', () => {
  it('refuses a declared object size of 2^40 with OBJECT_TOO_LARGE', async () => {
    const { error } = await refusal(singleObjectPack(Buffer.from('x'), { declaredSize: 2 ** 40 }));
    expect(error).toBeInstanceOf(PackObjectTooLargeError);
    expect(error.details).toMatchObject({ size: 2 ** 40 });
  });

  it('refuses a count of 2^32-1 over a tiny body at once (in memory: truncated)', async () => {
    const builder = new RawPackBuilder();
    builder.whole('blob', Buffer.from('one'));
    const { error } = await refusal(builder.build({ count: 2 ** 32 - 1 }));
    expect(error).toBeInstanceOf(PackTruncatedError);
    expect(error.details).toMatchObject({ objectCount: 2 ** 32 - 1 });
  });

  it('refuses a count of 2^32-1 on a stream at once (cannot fit the byte limit)', async () => {
    const builder = new RawPackBuilder();
    builder.whole('blob', Buffer.from('one'));
    const { error } = await refusal(chunksOf(builder.build({ count: 2 ** 32 - 1 }), 7));
    expect(error).toBeInstanceOf(PackTooLargeError);
  });

  it('refuses a count larger than the entries present, even within the limits', async () => {
    const builder = new RawPackBuilder();
    builder.whole('blob', Buffer.from('one'));
    const withoutTrailer = builder.build({ count: 3 }).subarray(0, -20);
    const { error } = await refusal(chunksOf(withoutTrailer, 5));
    expect(error).toBeInstanceOf(PackTruncatedError);
    expect(error.message).toContain('entry 2 of 3');
    // With a trailer, its 20 bytes are read as entry 2: a malformed entry or a cut one.
    const withTrailer = await refusal(builder.build({ count: 3 }));
    expect(['PACK_CORRUPT', 'PACK_TRUNCATED']).toContain(withTrailer.error.code);
  });

  it('stops pulling from an endless stream of valid entries once it passes the byte limit', async () => {
    let pulled = 0;
    const entry = (() => {
      const builder = new RawPackBuilder({ stored: true });
      builder.whole('blob', Buffer.alloc(64 * 1024, 0x33));
      return builder.build().subarray(12, -20);
    })();
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield new RawPackBuilder().build({ count: 100_000 }).subarray(0, 12);
      for (;;) {
        pulled++;
        await Promise.resolve();
        yield entry;
      }
    }
    const { error } = await refusal(endless(), { limits: { maxPackBytes: MiB } });
    expect(error).toBeInstanceOf(PackTooLargeError);
    expect(pulled).toBe(16);
  });

  it('refuses a pack over the byte limit', async () => {
    const { pack } = await encodePack([{ type: 'blob', body: Buffer.alloc(10_000, 1) }], {
      compressionLevel: 0,
    });
    const { error } = await refusal(pack, { limits: { maxPackBytes: 5000 } });
    expect(error).toBeInstanceOf(PackTooLargeError);
    expect(error.details).toMatchObject({ what: 'pack bytes', limit: 5000 });
    const streamed = await refusal(chunksOf(pack, 1000), { limits: { maxPackBytes: 5000 } });
    expect(streamed.error).toBeInstanceOf(PackTooLargeError);
  });
});

describe('delta chains', () => {
  /** A whole blob then `depth` OFS_DELTAs, each rebuilding "x" from the previous entry. */
  function ofsChain(depth: number): Buffer {
    const builder = new RawPackBuilder({ stored: true });
    let previous = builder.whole('blob', Buffer.from('x'));
    const delta = insertOnlyDelta(1, Buffer.from('x'));
    for (let i = 0; i < depth; i++) previous = builder.ofsDelta(previous, delta);
    return builder.build();
  }

  /** `depth` REF_DELTAs each before its base, then the whole root: resolved only at the end. */
  function reversedRefChain(depth: number): Buffer {
    const contents = Array.from({ length: depth + 1 }, (_, i) => Buffer.from(`v${i}`));
    const builder = new RawPackBuilder({ stored: true });
    for (let i = depth; i >= 1; i--) {
      builder.refDelta(
        hashObject('blob', contents[i - 1]!),
        insertOnlyDelta(contents[i - 1]!.length, contents[i]!),
      );
    }
    builder.whole('blob', contents[0]!);
    return builder.build();
  }

  it('refuses a 10,000-deep OFS_DELTA chain with DELTA_TOO_DEEP', async () => {
    const { error } = await refusal(ofsChain(10_000));
    expect(error).toBeInstanceOf(DeltaTooDeepError);
    expect(error.details).toMatchObject({ limit: 4095 });
  });

  it('refuses a 10,000-deep REF_DELTA chain given in reverse order', async () => {
    const { error } = await refusal(reversedRefChain(10_000));
    expect(error).toBeInstanceOf(DeltaTooDeepError);
  });

  it('resolves the same reverse chain without recursion when the limit allows it', async () => {
    const { objects } = await readPack(reversedRefChain(10_000), {
      limits: { maxDeltaDepth: 20_000 },
    });
    expect(objects).toHaveLength(10_001);
    expect(Math.max(...objects.map((o) => o.depth))).toBe(10_000);
  });

  it('accepts a chain exactly at the depth limit and refuses one more', async () => {
    await expect(readPack(ofsChain(5), { limits: { maxDeltaDepth: 5 } })).resolves.toBeDefined();
    await expect(readPack(ofsChain(6), { limits: { maxDeltaDepth: 5 } })).rejects.toBeInstanceOf(
      DeltaTooDeepError,
    );
  });
});

describe('delta bases', () => {
  it('refuses a REF_DELTA cycle as unresolved deltas, without looping', async () => {
    const a = Buffer.from('aaaa');
    const b = Buffer.from('bbbb');
    const builder = new RawPackBuilder();
    builder.refDelta(hashObject('blob', b), insertOnlyDelta(4, a));
    builder.refDelta(hashObject('blob', a), insertOnlyDelta(4, b));
    const { error } = await refusal(builder.build(), { resolveExternalBase: () => undefined });
    expect(error).toBeInstanceOf(DeltaBaseMissingError);
    expect(error.code).toBe('DELTA_BASE_MISSING');
    expect(error.details).toMatchObject({ unresolved: 2 });
  });

  it('refuses a REF_DELTA whose base is its own result', async () => {
    const result = Buffer.from('myself');
    const builder = new RawPackBuilder();
    builder.refDelta(hashObject('blob', result), insertOnlyDelta(6, result));
    const { error } = await refusal(builder.build());
    expect(error).toBeInstanceOf(DeltaBaseMissingError);
  });

  it('names the missing base of a REF_DELTA', async () => {
    const missing = 'ab'.repeat(20);
    const builder = new RawPackBuilder();
    builder.whole('blob', Buffer.from('present'));
    builder.refDelta(missing, insertOnlyDelta(3, Buffer.from('x')));
    const { error } = await refusal(builder.build());
    expect(error.details).toMatchObject({ unresolved: 1, missingBases: [missing] });
    expect(error.message).toContain(missing);
  });

  it('refuses an OFS_DELTA pointing inside another entry', async () => {
    const builder = new RawPackBuilder();
    const first = builder.whole('blob', Buffer.from('base base base'));
    builder.ofsDelta(first + 1, insertOnlyDelta(14, Buffer.from('x')));
    const { error } = await refusal(builder.build());
    expect(error).toBeInstanceOf(PackCorruptError);
    expect(error.details).toMatchObject({ reason: 'OFS_DELTA base is not the start of an entry' });
  });

  it('refuses an OFS_DELTA pointing before the first entry', async () => {
    const builder = new RawPackBuilder();
    builder.ofsDelta(0, insertOnlyDelta(1, Buffer.from('x')));
    const { error } = await refusal(builder.build());
    expect(error).toBeInstanceOf(PackCorruptError);
    expect(error.details).toMatchObject({ reason: 'delta base offset is outside the pack' });
  });

  it('refuses a delta copying outside its base, naming the entry', async () => {
    const builder = new RawPackBuilder();
    const base = builder.whole('blob', Buffer.from('0123456789'));
    const bad = builder.ofsDelta(base, rawDelta(10, 8, [0x91, 6, 8]));
    const { error } = await refusal(builder.build());
    expect(error).toBeInstanceOf(DeltaCorruptError);
    expect(error.details).toMatchObject({ reason: 'copy outside the base', offset: bad });
  });
});

describe('amplification', () => {
  it('refuses a delta declaring a 1 GiB result before building it', async () => {
    const base = Buffer.alloc(64 * 1024, 0x61);
    const builder = new RawPackBuilder();
    const at = builder.whole('blob', base);
    builder.ofsDelta(at, repeatBaseDelta(base.length, 16 * 1024));
    const { error } = await refusal(builder.build());
    expect(error).toBeInstanceOf(PackObjectTooLargeError);
    expect(error.details).toMatchObject({ what: 'delta result', size: GiB });
  });

  it('refuses many small deltas that together inflate past the pack budget', async () => {
    const base = Buffer.alloc(64 * 1024, 0x62);
    const builder = new RawPackBuilder();
    const at = builder.whole('blob', base);
    const delta = deflateSync(repeatBaseDelta(base.length, 16));
    for (let i = 0; i < 20; i++)
      builder.ofsDelta(at, repeatBaseDelta(base.length, 16), { compressed: delta });
    const limits = { maxInflatedBytes: 8 * MiB };
    const { error } = await refusal(builder.build(), { limits });
    expect(error).toBeInstanceOf(PackTooLargeError);
    expect(error.details).toMatchObject({ what: 'inflated bytes', limit: 8 * MiB });
  });
});

describe('framing', () => {
  const validPack = (async () =>
    (
      await encodePack(
        Array.from({ length: 6 }, (_, i) => ({
          type: 'blob' as const,
          body: Buffer.from(`blob ${i} `.repeat(30)),
        })),
      )
    ).pack)();

  it('refuses a bad trailing checksum', async () => {
    const pack = Buffer.from(await validPack);
    pack[pack.length - 1] = pack[pack.length - 1]! ^ 0xff;
    const { error } = await refusal(pack);
    expect(error).toBeInstanceOf(PackChecksumMismatchError);
    expect(error.code).toBe('PACK_CHECKSUM_MISMATCH');
  });

  it('refuses a flipped content byte by its checksum or its zlib stream', async () => {
    const pack = await validPack;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 12, max: pack.length - 21 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, xor) => {
          const damaged = Buffer.from(pack);
          damaged[at] = damaged[at]! ^ xor;
          const { error } = await refusal(damaged);
          expect(error.code).toMatch(
            /^(PACK_CHECKSUM_MISMATCH|PACK_CORRUPT|PACK_TRUNCATED|DELTA_CORRUPT|DELTA_BASE_MISSING|OBJECT_TOO_LARGE|PACK_TOO_LARGE)$/,
          );
        },
      ),
      fcParams(150),
    );
  });

  it('refuses every truncation with PACK_TRUNCATED, whole or streamed', async () => {
    const pack = await validPack;
    for (let cut = 0; cut < pack.length; cut++) {
      const prefix = pack.subarray(0, cut);
      const { error } = await refusal(prefix);
      expect([cut, error.code]).toEqual([cut, 'PACK_TRUNCATED']);
      const streamed = await refusal(chunksOf(prefix, 17));
      expect([cut, streamed.error.code]).toEqual([cut, 'PACK_TRUNCATED']);
    }
  });

  it('refuses data after the checksum', async () => {
    const { error } = await refusal(Buffer.concat([await validPack, Buffer.from('x')]));
    expect(error).toBeInstanceOf(PackCorruptError);
    expect(error.details).toMatchObject({ reason: 'data after the pack checksum' });
  });

  it.each([
    ['a wrong signature', (p: Buffer) => p.write('PACX', 0, 'latin1'), 'missing PACK signature'],
    ['version 4', (p: Buffer) => p.writeUInt32BE(4, 4), 'unsupported pack version 4'],
  ])('refuses %s', async (_name, damage, reason) => {
    const pack = Buffer.from(await validPack);
    damage(pack);
    const { error } = await refusal(pack);
    expect(error).toBeInstanceOf(PackCorruptError);
    expect(error.details).toMatchObject({ reason });
  });

  it('accepts version 3 packs, which differ only in the number', async () => {
    const builder = new RawPackBuilder();
    builder.whole('blob', Buffer.from('v3'));
    const { summary } = await readPack(builder.build({ version: 3 }));
    expect(summary.version).toBe(3);
  });

  it('refuses entry types 0 and 5', async () => {
    for (const type of [0, 5]) {
      const builder = new RawPackBuilder();
      builder.rawEntry(
        Buffer.concat([Buffer.from([(type << 4) | 1]), deflateSync(Buffer.from('x'))]),
      );
      const { error } = await refusal(builder.build());
      expect(error).toBeInstanceOf(PackCorruptError);
      expect(error.details).toMatchObject({ reason: `unknown entry type ${type}` });
    }
  });

  it('refuses an endless size varint', async () => {
    const builder = new RawPackBuilder();
    builder.rawEntry(Buffer.concat([Buffer.alloc(12, 0xb0), deflateSync(Buffer.from('x'))]));
    const { error } = await refusal(builder.build());
    expect(error).toBeInstanceOf(PackCorruptError);
    expect(error.details).toMatchObject({ reason: 'entry size varint is too long' });
  });

  it('refuses a stream that is not zlib', async () => {
    const builder = new RawPackBuilder();
    builder.whole('blob', Buffer.from('x'), { compressed: Buffer.from('not zlib at all') });
    const { error } = await refusal(builder.build());
    expect(error).toBeInstanceOf(PackCorruptError);
    expect(error.message).toContain('bad zlib stream');
  });
});
