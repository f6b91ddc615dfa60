/**
 * The .idx is how git and our disk driver find objects in a pack: every object must be found at
 * its offset, ids the pack lacks must miss, large offsets must survive the 64-bit table, and a
 * damaged index must be refused rather than send readers to wrong offsets.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { PackIndexCorruptError } from '../../../../src/core/errors/pack-errors';
import {
  PackIndex,
  writePackIndex,
  type PackIndexEntry,
} from '../../../../src/core/protocol/pack-index';
import { readPack } from '../../../../src/core/protocol/pack-reader';
import { encodePack } from '../../../../src/core/protocol/pack-writer';
import { fcParams } from '../../../support/fast-check';
import { oidArb } from '../../../support/object-arbitraries';

const entriesArb: fc.Arbitrary<PackIndexEntry[]> = fc.uniqueArray(
  fc.record({
    oid: oidArb,
    offset: fc.oneof(
      fc.integer({ min: 12, max: 0x7fffffff }),
      fc.integer({ min: 0x80000000, max: 2 ** 40 }),
    ),
    crc32: fc.integer({ min: 0, max: 0xffffffff }),
  }),
  { selector: (e) => e.oid, maxLength: 200 },
);

const CHECKSUM = 'c'.repeat(40);

describe('writePackIndex and PackIndex', () => {
  it('find every entry at its offset, large offsets included, and list them in id order', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const index = new PackIndex(writePackIndex(entries, CHECKSUM));
        expect(index.objectCount).toBe(entries.length);
        expect(index.packChecksum).toBe(CHECKSUM);
        for (const entry of entries) expect(index.offsetOf(entry.oid)).toBe(entry.offset);
        const sorted = [...entries].sort((a, b) => (a.oid < b.oid ? -1 : 1));
        expect([...index.entries()]).toEqual(sorted);
      }),
      fcParams(200),
    );
  });

  it('misses ids the pack does not hold', () => {
    fc.assert(
      fc.property(entriesArb, oidArb, (entries, other) => {
        fc.pre(!entries.some((e) => e.oid === other));
        const index = new PackIndex(writePackIndex(entries, CHECKSUM));
        expect(index.offsetOf(other)).toBeUndefined();
        expect(index.has(other)).toBe(false);
      }),
      fcParams(200),
    );
  });

  it('lays out a known index exactly', () => {
    const entries = [
      { oid: '02' + '0'.repeat(38), offset: 100, crc32: 0xdeadbeef },
      { oid: '01' + '0'.repeat(38), offset: 12, crc32: 1 },
      { oid: 'ff' + '0'.repeat(38), offset: 2 ** 33, crc32: 2 },
    ];
    const idx = writePackIndex(entries, CHECKSUM);
    expect(idx.length).toBe(8 + 1024 + 3 * 28 + 8 + 40);
    expect(idx.subarray(0, 8).toString('hex')).toBe('ff744f6300000002');
    expect(idx.readUInt32BE(8)).toBe(0); // fan-out[0x00]
    expect(idx.readUInt32BE(8 + 4 * 1)).toBe(1); // ids starting 0x00..0x01
    expect(idx.readUInt32BE(8 + 4 * 2)).toBe(2);
    expect(idx.readUInt32BE(8 + 4 * 255)).toBe(3);
    const crcs = 8 + 1024 + 60;
    expect(idx.readUInt32BE(crcs + 4)).toBe(0xdeadbeef);
    const offsets = crcs + 12;
    expect([
      idx.readUInt32BE(offsets),
      idx.readUInt32BE(offsets + 4),
      idx.readUInt32BE(offsets + 8),
    ]).toEqual([12, 100, 0x80000000]);
    expect(idx.readBigUInt64BE(offsets + 12)).toBe(2n ** 33n);
    expect(idx.toString('hex', offsets + 20, offsets + 40)).toBe(CHECKSUM);
    expect(createHash('sha1').update(idx.subarray(0, -20)).digest().equals(idx.subarray(-20))).toBe(
      true,
    );
  });

  it('moves offsets above a lowered threshold into the 64-bit table', () => {
    const entries = [
      { oid: 'a'.repeat(40), offset: 500, crc32: 0 },
      { oid: 'b'.repeat(40), offset: 50, crc32: 0 },
    ];
    const idx = writePackIndex(entries, CHECKSUM, { largeOffsetThreshold: 100 });
    expect(idx.length).toBe(writePackIndex(entries, CHECKSUM).length + 8);
    expect(new PackIndex(idx).offsetOf('a'.repeat(40))).toBe(500);
  });

  it('indexes a pack from the writer’s entries and from the reader’s objects identically', async () => {
    const objects = Array.from({ length: 100 }, (_, i) => ({
      type: 'blob' as const,
      body: Buffer.from(`obj ${i}`),
    }));
    const written = await encodePack(objects);
    const { objects: read, summary } = await readPack(written.pack);
    const fromWriter = writePackIndex(written.entries, written.checksum);
    expect(writePackIndex(read, summary.checksum).equals(fromWriter)).toBe(true);
  });
});

describe('PackIndex on damaged input', () => {
  const good = writePackIndex(
    [
      { oid: '11'.repeat(20), offset: 12, crc32: 5 },
      { oid: '22'.repeat(20), offset: 40, crc32: 6 },
    ],
    CHECKSUM,
  );

  it.each([
    ['a bad magic', (b: Buffer) => b.writeUInt32BE(0x12345678, 0), 'not a version 2 pack index'],
    ['version 1', (b: Buffer) => b.writeUInt32BE(1, 4), 'unsupported index version 1'],
    [
      'a decreasing fan-out',
      (b: Buffer) => b.writeUInt32BE(2, 8 + 4 * 0x10),
      'fan-out table is not sorted',
    ],
    [
      'a flipped byte',
      (b: Buffer) => (b[8 + 1024 + 5] = b[8 + 1024 + 5]! ^ 1),
      'index checksum does not match',
    ],
  ])('refuses %s', (_name, damage, message) => {
    const bytes = Buffer.from(good);
    damage(bytes);
    expect(() => new PackIndex(bytes)).toThrow(PackIndexCorruptError);
    expect(() => new PackIndex(bytes)).toThrow(message);
  });

  it('refuses an index whose size does not match its object count', () => {
    expect(() => new PackIndex(good.subarray(0, good.length - 3))).toThrow(
      'does not fit 2 objects',
    );
  });

  it('refuses unsorted ids even when the checksum is not verified', () => {
    const bytes = Buffer.from(good);
    bytes.write('33'.repeat(20), 8 + 1024, 'hex');
    expect(() => new PackIndex(bytes, { verifyChecksum: false })).toThrow(
      'object ids are not sorted',
    );
  });

  it('accepts an object indexed twice, as git indexes a pack holding it twice', () => {
    const oid = '44'.repeat(20);
    const index = new PackIndex(
      writePackIndex(
        [
          { oid, offset: 12, crc32: 0 },
          { oid, offset: 30, crc32: 0 },
        ],
        CHECKSUM,
      ),
    );
    expect([12, 30]).toContain(index.offsetOf(oid));
  });
});
