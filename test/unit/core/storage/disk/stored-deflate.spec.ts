/**
 * The stored-block fast path: exactly what zlib inflates for level-0 streams of any size (one
 * block, several blocks, empty), and a refusal (undefined, so zlib takes over) for compressed
 * streams, wrong declared sizes and truncated input.
 */
import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { inflateStored } from '../../../../../src/core/storage/disk/stored-deflate';
import { fcParams } from '../../../../support/fast-check';

describe('inflateStored', () => {
  it.each([0, 1, 100, 65535, 65536, 200_000])(
    'returns the data of a level-0 stream of %i bytes',
    (size) => {
      const data = Buffer.alloc(size, 0x5a);
      const stream = Buffer.concat([deflateSync(data, { level: 0 }), Buffer.from('next entry')]);
      const result = inflateStored(stream, size);
      expect(result).toBeDefined();
      expect(Buffer.from(result!.data).equals(data)).toBe(true);
      expect(result!.consumed).toBe(stream.length - 'next entry'.length);
    },
  );

  it('agrees with zlib on random data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const stream = deflateSync(bytes, { level: 0 });
        const result = inflateStored(stream, bytes.length);
        expect(result?.consumed).toBe(stream.length);
        expect(Buffer.from(result!.data).equals(Buffer.from(bytes))).toBe(true);
      }),
      fcParams(30),
    );
  });

  it('refuses compressed streams, a wrong declared size and truncated input', () => {
    const data = Buffer.from('compressible '.repeat(100));
    expect(inflateStored(deflateSync(data), data.length)).toBeUndefined();
    const stored = deflateSync(data, { level: 0 });
    expect(inflateStored(stored, data.length + 1)).toBeUndefined();
    expect(inflateStored(stored.subarray(0, stored.length - 5), data.length)).toBeUndefined();
    expect(inflateStored(Buffer.from([0x78]), 0)).toBeUndefined();
  });
});
