/**
 * The delta codec carries every OFS/REF_DELTA in and out of packs: our deltas must rebuild their
 * target exactly (and be small for similar inputs), and applying an untrusted delta must refuse
 * any instruction that reads or writes out of bounds before it allocates a huge result.
 */
import fc from 'fast-check';
import {
  DeltaCorruptError,
  PackObjectTooLargeError,
} from '../../../../src/core/errors/pack-errors';
import {
  applyDelta,
  createDelta,
  DeltaIndex,
  readDeltaHeader,
} from '../../../../src/core/protocol/delta';
import { fcParams } from '../../../support/fast-check';
import { insertOnlyDelta, rawDelta, repeatBaseDelta } from '../../../support/pack-builder';

/** A target derived from the source by a few random edits, so copies are exercised. */
const similarPairArb = fc
  .tuple(
    fc.uint8Array({ minLength: 0, maxLength: 4000 }),
    fc.array(
      fc.record({
        at: fc.nat(),
        remove: fc.nat({ max: 200 }),
        insert: fc.uint8Array({ maxLength: 100 }),
      }),
      { maxLength: 8 },
    ),
  )
  .map(([source, edits]) => {
    let target = Buffer.from(source);
    for (const edit of edits) {
      const at = target.length === 0 ? 0 : edit.at % target.length;
      target = Buffer.concat([
        target.subarray(0, at),
        Buffer.from(edit.insert),
        target.subarray(at + edit.remove),
      ]);
    }
    return [source, new Uint8Array(target)] as const;
  });

/** Text-like data with repeats, where block hashes collide a lot. */
const repetitiveArb = fc
  .array(fc.constantFrom('abc', 'abcabc', 'x', '\n', 'hello world ', 'aaaaaaaaaaaaaaaa'), {
    maxLength: 400,
  })
  .map((parts) => new Uint8Array(Buffer.from(parts.join(''))));

describe('createDelta and applyDelta', () => {
  it('rebuild the target from the source for similar inputs', () => {
    fc.assert(
      fc.property(similarPairArb, ([source, target]) => {
        const delta = createDelta(source, target)!;
        expect(Buffer.from(applyDelta(source, delta)).equals(Buffer.from(target))).toBe(true);
      }),
      fcParams(300),
    );
  });

  it('rebuild the target from the source for unrelated and repetitive inputs', () => {
    const bytesArb = fc.oneof(fc.uint8Array({ maxLength: 3000 }), repetitiveArb);
    fc.assert(
      fc.property(bytesArb, bytesArb, (source, target) => {
        const delta = createDelta(source, target)!;
        expect(Buffer.from(applyDelta(source, delta)).equals(Buffer.from(target))).toBe(true);
      }),
      fcParams(300),
    );
  });

  it('encodes a small edit of a large file as a small delta', () => {
    const source = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join(''));
    const target = Buffer.concat([
      source.subarray(0, 20000),
      Buffer.from('inserted line\n'),
      source.subarray(20050),
    ]);
    const delta = createDelta(source, target)!;
    expect(delta.length).toBeLessThan(64);
    expect(Buffer.from(applyDelta(source, delta)).equals(target)).toBe(true);
  });

  it('splits copies longer than 64 KiB, as git writes them', () => {
    const source = Buffer.alloc(200_000);
    for (let i = 0; i < source.length; i++) source[i] = (i * 7919) % 251;
    const delta = createDelta(source, source)!;
    // Header (3 + 3 bytes) plus four copies of at most 8 bytes each.
    expect(delta.length).toBeLessThanOrEqual(6 + 4 * 8);
    expect(Buffer.from(applyDelta(source, delta)).equals(source)).toBe(true);
  });

  it('reuses one DeltaIndex against many targets', () => {
    const source = Buffer.from(
      'the quick brown fox jumps over the lazy dog, again and again and again',
    );
    const index = new DeltaIndex(source);
    for (const target of [
      'the quick brown fox jumps over the lazy cat, again and again',
      'dog, again and again',
    ]) {
      const delta = createDelta(index, Buffer.from(target))!;
      expect(Buffer.from(applyDelta(source, delta)).toString()).toBe(target);
    }
  });

  it('gives up when the delta would exceed the budget', () => {
    const source = Buffer.alloc(1000, 1);
    const target = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) % 256));
    expect(createDelta(source, target, 100)).toBeUndefined();
    expect(createDelta(source, target)).toBeDefined();
  });

  it('records both sizes in the header', () => {
    const delta = createDelta(Buffer.alloc(300), Buffer.alloc(70_000))!;
    expect(readDeltaHeader(delta)).toMatchObject({ sourceSize: 300, targetSize: 70_000 });
  });
});

describe('applyDelta on untrusted input', () => {
  const base = Buffer.from('0123456789abcdef');

  it('reads the copy and insert instructions of a hand-written delta', () => {
    // copy offset 10 size 6 ("abcdef"), insert "XY", copy offset 0 size 4 ("0123").
    const delta = rawDelta(16, 12, [0x91, 10, 6, 2, 0x58, 0x59, 0x90, 4]);
    expect(Buffer.from(applyDelta(base, delta)).toString()).toBe('abcdefXY0123');
  });

  it('treats a copy with no size bytes as 64 KiB', () => {
    const big = Buffer.alloc(0x10000, 7);
    expect(applyDelta(big, rawDelta(0x10000, 0x10000, [0x80])).length).toBe(0x10000);
  });

  it.each([
    ['a copy past the end of the base', rawDelta(16, 8, [0x91, 12, 8]), 'copy outside the base'],
    ['a copy with a huge offset', rawDelta(16, 4, [0x98, 0xff, 4]), 'copy outside the base'],
    [
      'a copy past the declared target',
      rawDelta(16, 4, [0x90, 8]),
      'copy past the declared target size',
    ],
    [
      'an insert past the declared target',
      rawDelta(16, 1, [2, 1, 2]),
      'insert past the declared target size',
    ],
    ['a truncated insert', rawDelta(16, 5, [5, 1, 2]), 'truncated insert instruction'],
    ['a truncated copy', rawDelta(16, 5, [0x91, 1]), 'truncated copy instruction'],
    ['the reserved instruction 0', rawDelta(16, 1, [0]), 'reserved instruction 0'],
    [
      'a result shorter than declared',
      rawDelta(16, 9, [0x90, 4]),
      'result is 4 bytes, delta declares 9',
    ],
    ['a wrong source size', rawDelta(15, 4, [0x90, 4]), 'base is 16 bytes, delta expects 15'],
    ['a truncated size header', Buffer.from([0x90]), 'truncated source size'],
  ])('refuses %s', (_name, delta, reason) => {
    const error = (() => {
      try {
        applyDelta(base, delta);
        return undefined;
      } catch (e: unknown) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DeltaCorruptError);
    expect((error as DeltaCorruptError).code).toBe('DELTA_CORRUPT');
    expect((error as DeltaCorruptError).details?.reason).toBe(reason);
  });

  it('refuses a declared result over the limit before allocating it', () => {
    const delta = rawDelta(16, 2 ** 40, [0x90, 4]);
    expect(() => applyDelta(base, delta, 1 << 20)).toThrow(PackObjectTooLargeError);
  });

  it('refuses a size varint longer than 53 bits', () => {
    const delta = Buffer.from([...Array<number>(9).fill(0xff), 0x01, 0x00]);
    expect(() => applyDelta(base, delta)).toThrow(DeltaCorruptError);
  });

  it('applies an amplifying delta only within its declared size', () => {
    const delta = repeatBaseDelta(16, 4);
    expect(Buffer.from(applyDelta(base, delta)).toString()).toBe(base.toString().repeat(4));
    expect(() => applyDelta(base, delta, 63)).toThrow(PackObjectTooLargeError);
  });

  it('applies an insert-only delta to any base of the right size', () => {
    const delta = insertOnlyDelta(16, Buffer.from('x'.repeat(300)));
    expect(Buffer.from(applyDelta(base, delta)).toString()).toBe('x'.repeat(300));
  });
});
