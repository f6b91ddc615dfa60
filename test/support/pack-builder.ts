/**
 * Hand-built packs, entry by entry, for tests that need packs our writer would never produce:
 * lying sizes, zlib bombs, cycles, missing bases, broken checksums (RELIABILITY D2). Also used
 * to build valid edge cases (REF_DELTA before its base) byte by byte.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { ObjectType } from '../../src/core/objects/git-object';
import {
  encodeEntryHeader,
  encodeOffsetDistance,
  OFS_DELTA,
  REF_DELTA,
  TYPE_CODES,
} from '../../src/core/protocol/pack-entry';

export interface EntryOptions {
  /** The size written in the entry header instead of the real one. */
  readonly declaredSize?: number;
  /** The bytes after the header instead of deflate(data). */
  readonly compressed?: Buffer;
}

export class RawPackBuilder {
  private readonly parts: Buffer[] = [];
  private length = 12;
  private entries = 0;

  /** `stored: true` wraps entries in uncompressed zlib streams: fast for packs of 10,000 entries. */
  constructor(private readonly options: { stored?: boolean } = {}) {}

  /** Offset the next entry will get. */
  get nextOffset(): number {
    return this.length;
  }

  /** Appends a whole object; returns its offset. */
  whole(type: ObjectType, body: Uint8Array, options: EntryOptions = {}): number {
    return this.entry(
      encodeEntryHeader(TYPE_CODES[type], options.declaredSize ?? body.length),
      body,
      options,
    );
  }

  ofsDelta(baseOffset: number, delta: Uint8Array, options: EntryOptions = {}): number {
    const header = Buffer.concat([
      encodeEntryHeader(OFS_DELTA, options.declaredSize ?? delta.length),
      encodeOffsetDistance(this.length - baseOffset),
    ]);
    return this.entry(header, delta, options);
  }

  refDelta(baseOid: string, delta: Uint8Array, options: EntryOptions = {}): number {
    const header = Buffer.concat([
      encodeEntryHeader(REF_DELTA, options.declaredSize ?? delta.length),
      Buffer.from(baseOid, 'hex'),
    ]);
    return this.entry(header, delta, options);
  }

  /** Appends raw bytes counted as one entry (a hand-made header and stream). */
  rawEntry(bytes: Buffer): number {
    const offset = this.length;
    this.parts.push(bytes);
    this.length += bytes.length;
    this.entries++;
    return offset;
  }

  /**
   * The pack. `count` overrides the header's object count; `checksum: 'bad'` flips a trailer
   * bit; `version` overrides 2.
   */
  build(options: { count?: number; checksum?: 'good' | 'bad'; version?: number } = {}): Buffer {
    const header = Buffer.alloc(12);
    header.write('PACK', 0, 'latin1');
    header.writeUInt32BE(options.version ?? 2, 4);
    header.writeUInt32BE(options.count ?? this.entries, 8);
    const body = Buffer.concat([header, ...this.parts]);
    const trailer = createHash('sha1').update(body).digest();
    if (options.checksum === 'bad') trailer[0] = trailer[0]! ^ 1;
    return Buffer.concat([body, trailer]);
  }

  private entry(header: Buffer, data: Uint8Array, options: EntryOptions): number {
    const compressed =
      options.compressed ?? (this.options.stored === true ? storedZlib(data) : deflateSync(data));
    return this.rawEntry(Buffer.concat([header, compressed]));
  }
}

/** A zlib stream of stored (uncompressed) blocks: valid, and nearly free to build. */
export function storedZlib(data: Uint8Array): Buffer {
  const parts: Buffer[] = [Buffer.from([0x78, 0x01])];
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  let at = 0;
  do {
    const n = Math.min(0xffff, data.length - at);
    const final = at + n >= data.length ? 1 : 0;
    parts.push(
      Buffer.from([final, n & 0xff, n >> 8, ~n & 0xff, (~n >> 8) & 0xff]),
      Buffer.from(data.subarray(at, at + n)),
    );
    at += n;
  } while (at < data.length);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0);
  parts.push(adler);
  return Buffer.concat(parts);
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return bytes;
}

/** A delta of raw instructions: `[sourceSize varint][targetSize varint]...ops`. */
export function rawDelta(sourceSize: number, targetSize: number, ops: readonly number[]): Buffer {
  return Buffer.from([...varint(sourceSize), ...varint(targetSize), ...ops]);
}

/** A delta that ignores its base and inserts `data` (valid against any base of `sourceSize`). */
export function insertOnlyDelta(sourceSize: number, data: Uint8Array): Buffer {
  const ops: number[] = [];
  for (let p = 0; p < data.length; p += 127) {
    const piece = data.subarray(p, p + 127);
    ops.push(piece.length, ...piece);
  }
  return rawDelta(sourceSize, data.length, ops);
}

/** A delta that copies the whole base (≤ 64 KiB copies) `times` times: amplification. */
export function repeatBaseDelta(sourceSize: number, times: number): Buffer {
  const ops: number[] = [];
  for (let t = 0; t < times; t++) {
    for (let off = 0; off < sourceSize; off += 0x10000) {
      const size = Math.min(0x10000, sourceSize - off);
      ops.push(0x80 | 0x0f | (size === 0x10000 ? 0 : 0x30));
      ops.push(off & 0xff, (off >>> 8) & 0xff, (off >>> 16) & 0xff, (off >>> 24) & 0xff);
      if (size !== 0x10000) ops.push(size & 0xff, (size >>> 8) & 0xff);
    }
  }
  return rawDelta(sourceSize, sourceSize * times, ops);
}

/** Writes deflate's LSB-first bit stream. */
class BitWriter {
  private readonly parts: Buffer[] = [];
  private bytes: number[] = [];
  private acc = 0;
  private count = 0;

  get aligned(): boolean {
    return this.count === 0;
  }

  /** Whole bytes, when the writer is byte-aligned. */
  raw(bytes: Buffer): void {
    this.parts.push(Buffer.from(this.bytes), bytes);
    this.bytes = [];
  }

  /** `value` as a plain number, least significant bit first (header fields, extra bits). */
  bits(value: number, width: number): void {
    for (let i = 0; i < width; i++) this.bit((value >> i) & 1);
  }

  /** A Huffman code, most significant bit first. */
  code(value: number, width: number): void {
    for (let i = width - 1; i >= 0; i--) this.bit((value >> i) & 1);
  }

  bytesOut(): Buffer {
    if (this.count > 0) this.bytes.push(this.acc);
    return Buffer.concat([...this.parts, Buffer.from(this.bytes)]);
  }

  private bit(b: number): void {
    this.acc |= b << this.count;
    if (++this.count === 8) {
      this.bytes.push(this.acc);
      this.acc = 0;
      this.count = 0;
    }
  }
}

/**
 * A zlib stream of at least `inflatedBytes` zeros (exactly 1 + 258·k), built by hand as one
 * dynamic-Huffman block whose "copy 258 bytes from distance 1" costs 3 bits: about 1.5 MB of
 * stream per GB of output, so a 1 GB bomb is made in milliseconds without ever inflating it.
 * Returns the stream and its exact inflated size.
 */
export function zlibZeroBomb(inflatedBytes: number): { stream: Buffer; inflatedBytes: number } {
  const repeats = Math.max(0, Math.ceil((inflatedBytes - 1) / 258));
  const total = 1 + 258 * repeats;
  const w = new BitWriter();
  w.bits(1, 1); // BFINAL
  w.bits(2, 2); // dynamic Huffman
  w.bits(286 - 257, 5); // HLIT: literal/length codes 0..285
  w.bits(1 - 1, 5); // HDIST: one distance code
  w.bits(18 - 4, 4); // HCLEN: code-length codes up to symbol 1 in the permuted order
  // Code-length code lengths in order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1:
  // symbol 18 → 1 bit, symbols 1 and 2 → 2 bits.
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
  const clLength: Record<number, number> = { 18: 1, 1: 2, 2: 2 };
  for (const symbol of order) w.bits(clLength[symbol] ?? 0, 3);
  // Canonical codes: 18 → 0, 1 → 10, 2 → 11.
  const cl = (symbol: 1 | 2 | 18): void =>
    symbol === 18 ? w.code(0, 1) : w.code(symbol === 1 ? 2 : 3, 2);
  const zeros = (n: number): void => {
    cl(18);
    w.bits(n - 11, 7);
  };
  // Literal/length lengths: 0 → 1, 1..255 → 0, 256 → 2, 257..284 → 0, 285 → 2; distance 0 → 1.
  cl(1);
  zeros(138);
  zeros(117);
  cl(2);
  zeros(28);
  cl(2);
  cl(1);
  // Data: literal 0 (code 0), then (length 258 = code 11, distance 1 = code 0) repeats, EOB (10).
  w.code(0, 1);
  let left = repeats;
  for (; left > 0 && !w.aligned; left--) {
    w.code(3, 2);
    w.code(0, 1);
  }
  // Byte-aligned, eight repeats are the 24 bits 110×8, i.e. the bytes DB B6 6D.
  const groups = Math.floor(left / 8);
  w.raw(Buffer.alloc(groups * 3, Buffer.from([0xdb, 0xb6, 0x6d])));
  for (left -= groups * 8; left > 0; left--) {
    w.code(3, 2);
    w.code(0, 1);
  }
  w.code(2, 2);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((total % 65521) << 16) | 1) >>> 0);
  return {
    stream: Buffer.concat([Buffer.from([0x78, 0x9c]), w.bytesOut(), adler]),
    inflatedBytes: total,
  };
}
