/**
 * A fast path for zlib streams made only of "stored" (uncompressed) deflate blocks, which is
 * what zlib writes at level 0. Checkpoint packs are written that way: the memory working set
 * holds objects uncompressed anyway, and skipping inflation makes a cold load mostly copying —
 * Node's inflate costs tens of microseconds of setup per call, and a pack has one zlib stream
 * per object. Streams with any compressed block (packs git wrote) are left to zlib.
 *
 * Layout (RFC 1950/1951): 2-byte zlib header (CM = 8, no preset dictionary, check bits), then
 * blocks of: 1 header byte (BFINAL, BTYPE = 00, padding), LEN and NLEN (little-endian,
 * NLEN = ~LEN), LEN raw bytes; after the final block the 4-byte Adler-32 of the data. The
 * Adler-32 is not recomputed: the pack's trailing SHA-1, verified before, covers every byte.
 */

export interface StoredInflateResult {
  readonly data: Uint8Array;
  /** Bytes of `stream` the zlib stream used. */
  readonly consumed: number;
}

/**
 * The data of a stored-only zlib stream at the start of `stream`, or undefined when it is not
 * one (the caller inflates with zlib) or does not hold exactly `declaredSize` bytes. A single
 * block is returned as a view into `stream` (no copy).
 */
export function inflateStored(
  stream: Uint8Array,
  declaredSize: number,
): StoredInflateResult | undefined {
  if (stream.length < 2) return undefined;
  const cmf = stream[0]!;
  const flg = stream[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || (flg & 0x20) !== 0 || ((cmf << 8) | flg) % 31 !== 0)
    return undefined;
  let pos = 2;
  let out: Uint8Array | undefined;
  let filled = 0;
  for (;;) {
    if (pos + 5 > stream.length) return undefined;
    const header = stream[pos]!;
    if ((header & 0x06) !== 0) return undefined;
    const length = stream[pos + 1]! | (stream[pos + 2]! << 8);
    const inverse = stream[pos + 3]! | (stream[pos + 4]! << 8);
    if ((length ^ 0xffff) !== inverse || pos + 5 + length > stream.length) return undefined;
    const block = stream.subarray(pos + 5, pos + 5 + length);
    pos += 5 + length;
    const final = (header & 0x01) === 1;
    if (out === undefined && final) {
      out = block;
      filled = length;
    } else {
      out ??= new Uint8Array(declaredSize);
      if (filled + length > declaredSize) return undefined;
      out.set(block, filled);
      filled += length;
    }
    if (final) break;
  }
  if (filled !== declaredSize || pos + 4 > stream.length) return undefined;
  return { data: out, consumed: pos + 4 };
}
