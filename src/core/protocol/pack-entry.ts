/**
 * The byte layout of a pack (gitformat-pack, version 2): the 12-byte header, each entry's
 * type-and-size varint, the OFS_DELTA distance and REF_DELTA base id that follow it, and the
 * bounded inflation of the entry's zlib stream. Shared by the streaming reader, the random-access
 * reader and the writer so all three agree on every bit.
 *
 * Entries carry no compressed length: the only way to find where one ends is to inflate it.
 * `inflateEntry` therefore reports how many input bytes the stream used, and refuses to produce
 * more than the entry declared (a zlib bomb stops there).
 */
import { inflateSync } from 'node:zlib';
import { PackCorruptError, PackObjectTooLargeError } from '../errors/pack-errors';
import type { ObjectType } from '../objects/git-object';
import type { Oid } from '../objects/oid';

export const PACK_HEADER_BYTES = 12;
export const PACK_TRAILER_BYTES = 20;
/** The smallest possible entry: a one-byte header and an 8-byte zlib stream of nothing. */
export const MIN_ENTRY_BYTES = 9;

export const OFS_DELTA = 6;
export const REF_DELTA = 7;

export const TYPE_CODES: Readonly<Record<ObjectType, number>> = {
  commit: 1,
  tree: 2,
  blob: 3,
  tag: 4,
};
const TYPES_BY_CODE: ReadonlyArray<ObjectType | undefined> = [
  undefined,
  'commit',
  'tree',
  'blob',
  'tag',
];

/** Longest type-and-size varint we parse (4 + 9 × 7 = 67 bits, far past any limit). */
const MAX_SIZE_VARINT_BYTES = 10;
/** Longest OFS_DELTA distance varint (9 × 7 bits covers every safe integer). */
const MAX_DISTANCE_VARINT_BYTES = 8;

export interface PackHeader {
  readonly version: number;
  readonly objectCount: number;
}

/** Parses the 12-byte header; throws PackCorruptError for a bad signature or version. */
export function parsePackHeader(bytes: Uint8Array): PackHeader {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < PACK_HEADER_BYTES || buf.toString('latin1', 0, 4) !== 'PACK') {
    throw new PackCorruptError('missing PACK signature');
  }
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) {
    throw new PackCorruptError(`unsupported pack version ${version}`, { version });
  }
  return { version, objectCount: buf.readUInt32BE(8) };
}

export function encodePackHeader(objectCount: number): Buffer {
  const header = Buffer.alloc(PACK_HEADER_BYTES);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(objectCount, 8);
  return header;
}

export type EntryHeader =
  | {
      readonly kind: 'whole';
      readonly type: ObjectType;
      readonly size: number;
      readonly length: number;
    }
  | {
      readonly kind: 'ofs-delta';
      readonly size: number;
      readonly length: number;
      readonly baseOffset: number;
    }
  | {
      readonly kind: 'ref-delta';
      readonly size: number;
      readonly length: number;
      readonly baseOid: Oid;
    };

/**
 * Parses the entry header at `bytes[at]` (the entry starts at pack offset `offset`): type, declared
 * inflated size, and for deltas the base. `length` is the header's byte count. Returns undefined
 * when `bytes` ends inside the header. Throws PackCorruptError for an unknown type, an overlong
 * varint, or an OFS_DELTA base that is not before this entry.
 */
export function parseEntryHeader(
  bytes: Uint8Array,
  at: number,
  offset: number,
): EntryHeader | undefined {
  let pos = at;
  if (pos >= bytes.length) return undefined;
  let byte = bytes[pos++]!;
  const typeCode = (byte >> 4) & 7;
  let size = byte & 0x0f;
  let multiplier = 16;
  while (byte & 0x80) {
    if (pos - at >= MAX_SIZE_VARINT_BYTES)
      throw new PackCorruptError('entry size varint is too long', { offset });
    if (pos >= bytes.length) return undefined;
    byte = bytes[pos++]!;
    size += (byte & 0x7f) * multiplier;
    multiplier *= 128;
  }
  if (typeCode === OFS_DELTA) {
    const start = pos;
    if (pos >= bytes.length) return undefined;
    byte = bytes[pos++]!;
    let distance = byte & 0x7f;
    while (byte & 0x80) {
      if (pos - start >= MAX_DISTANCE_VARINT_BYTES) {
        throw new PackCorruptError('delta base distance varint is too long', { offset });
      }
      if (pos >= bytes.length) return undefined;
      byte = bytes[pos++]!;
      distance = (distance + 1) * 128 + (byte & 0x7f);
    }
    if (distance === 0 || distance > offset - PACK_HEADER_BYTES) {
      throw new PackCorruptError('delta base offset is outside the pack', { offset, distance });
    }
    return { kind: 'ofs-delta', size, length: pos - at, baseOffset: offset - distance };
  }
  if (typeCode === REF_DELTA) {
    if (pos + 20 > bytes.length) return undefined;
    const baseOid = Buffer.from(bytes.buffer, bytes.byteOffset + pos, 20).toString('hex');
    return { kind: 'ref-delta', size, length: pos + 20 - at, baseOid };
  }
  const type = TYPES_BY_CODE[typeCode];
  if (type === undefined)
    throw new PackCorruptError(`unknown entry type ${typeCode}`, { offset, typeCode });
  return { kind: 'whole', type, size, length: pos - at };
}

/** The type-and-size varint of an entry header. */
export function encodeEntryHeader(typeCode: number, size: number): Buffer {
  const bytes: number[] = [];
  let rest = Math.floor(size / 16);
  let byte = (typeCode << 4) | (size % 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest % 128;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

/** The OFS_DELTA distance varint (big-endian groups, each continuation adding one). */
export function encodeOffsetDistance(distance: number): Buffer {
  const bytes: number[] = [distance % 128];
  let rest = Math.floor(distance / 128);
  while (rest > 0) {
    rest -= 1;
    bytes.unshift(0x80 | (rest % 128));
    rest = Math.floor(rest / 128);
  }
  return Buffer.from(bytes);
}

interface InflateWithInfo {
  readonly buffer: Buffer;
  readonly engine: { readonly bytesWritten: number };
}

function isInflateWithInfo(value: unknown): value is InflateWithInfo {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<InflateWithInfo>;
  return Buffer.isBuffer(candidate.buffer) && typeof candidate.engine?.bytesWritten === 'number';
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

export interface InflatedEntry {
  readonly data: Buffer;
  /** Compressed bytes the zlib stream took. */
  readonly consumed: number;
}

/**
 * Inflates the zlib stream at the start of `compressed`, which must produce exactly
 * `declaredSize` bytes. Returns 'incomplete' when the stream runs past the end of `compressed`
 * (the caller reads more, or reports truncation at end of input). Throws
 * PackObjectTooLargeError when `declaredSize` exceeds `maxBytes` (before inflating anything),
 * and PackCorruptError for a bad stream or one that inflates to a different size; inflation
 * stops one output chunk past `declaredSize`, so a zlib bomb costs no more than its declaration.
 */
export function inflateEntry(
  compressed: Uint8Array,
  declaredSize: number,
  maxBytes: number,
  offset: number,
): InflatedEntry | 'incomplete' {
  if (declaredSize > maxBytes)
    throw new PackObjectTooLargeError('object', declaredSize, maxBytes, offset);
  if (compressed.length === 0) return 'incomplete';
  let inflated: unknown;
  try {
    inflated = inflateSync(compressed, {
      info: true,
      maxOutputLength: Math.max(1, declaredSize),
      chunkSize: Math.min(Math.max(declaredSize + 1, 64), 64 * 1024),
    });
  } catch (error: unknown) {
    const code = errorCode(error);
    if (code === 'Z_BUF_ERROR') return 'incomplete';
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PackCorruptError('entry inflates past its declared size', { offset, declaredSize });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new PackCorruptError(`bad zlib stream: ${reason}`, { offset });
  }
  if (!isInflateWithInfo(inflated))
    throw new PackCorruptError('zlib returned no stream info', { offset });
  if (inflated.buffer.length !== declaredSize) {
    throw new PackCorruptError(
      `entry inflates to ${inflated.buffer.length} bytes, declares ${declaredSize}`,
      {
        offset,
        declaredSize,
      },
    );
  }
  return { data: inflated.buffer, consumed: inflated.engine.bytesWritten };
}
