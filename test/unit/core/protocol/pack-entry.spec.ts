/**
 * Entry headers are the varints every pack reader and writer must agree on bit for bit: the
 * type-and-size varint and the OFS_DELTA distance (with git's "+1 per continuation" twist).
 * Known bytes pin the encodings to git's; properties pin encode/parse to each other.
 */
import fc from 'fast-check';
import {
  encodeEntryHeader,
  encodeOffsetDistance,
  OFS_DELTA,
  parseEntryHeader,
  TYPE_CODES,
} from '../../../../src/core/protocol/pack-entry';
import { fcParams } from '../../../support/fast-check';

describe('pack entry headers', () => {
  it('encodes sizes as git does: 4 low bits, then 7 bits per byte', () => {
    expect(encodeEntryHeader(TYPE_CODES.blob, 15).toString('hex')).toBe('3f');
    expect(encodeEntryHeader(TYPE_CODES.blob, 16).toString('hex')).toBe('b001');
    expect(encodeEntryHeader(TYPE_CODES.commit, 0x1234).toString('hex')).toBe('94a302');
  });

  it('encodes OFS_DELTA distances as git does', () => {
    expect(encodeOffsetDistance(127).toString('hex')).toBe('7f');
    expect(encodeOffsetDistance(128).toString('hex')).toBe('8000');
    expect(encodeOffsetDistance(16511).toString('hex')).toBe('ff7f');
    expect(encodeOffsetDistance(16512).toString('hex')).toBe('808000');
  });

  it('parses what it encodes, for any type, size and distance', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(TYPE_CODES)),
        fc.oneof(fc.nat(), fc.integer({ min: 0, max: 2 ** 52 })),
        fc.integer({ min: 1, max: 2 ** 50 }),
        (typeCode, size, distance) => {
          const whole = parseEntryHeader(encodeEntryHeader(typeCode, size), 0, 12);
          expect(whole).toMatchObject({ kind: 'whole', size });
          const header = Buffer.concat([
            encodeEntryHeader(OFS_DELTA, size),
            encodeOffsetDistance(distance),
          ]);
          const delta = parseEntryHeader(header, 0, distance + 12);
          expect(delta).toEqual({ kind: 'ofs-delta', size, length: header.length, baseOffset: 12 });
        },
      ),
      fcParams(500),
    );
  });

  it('asks for more bytes when a header is cut short', () => {
    const header = Buffer.concat([
      encodeEntryHeader(OFS_DELTA, 1 << 20),
      encodeOffsetDistance(1 << 20),
    ]);
    for (let cut = 0; cut < header.length; cut++) {
      expect(parseEntryHeader(header.subarray(0, cut), 0, (1 << 20) + 12)).toBeUndefined();
    }
    expect(parseEntryHeader(header, 0, (1 << 20) + 12)).toBeDefined();
  });
});
