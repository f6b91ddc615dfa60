/**
 * Pack index version 2 (`.idx`): the magic `\377tOc`, version 2, a 256-entry fan-out table,
 * the sorted object ids, a CRC-32 per entry, 31-bit offsets (MSB set: an index into a table of
 * 64-bit offsets), then the pack's checksum and the index's own SHA-1.
 *
 * The layout is fully determined by the pack, so what we write is byte-identical to what
 * `git index-pack` writes for the same pack: that is how a pack on our disk stays usable by git
 * (RELIABILITY P3). Reading gives the disk driver random access: id → pack offset.
 */
import { createHash } from 'node:crypto';
import { PackIndexCorruptError } from '../errors/pack-errors';
import { isOid, type Oid } from '../objects/oid';

/** What the index records for one object. */
export interface PackIndexEntry {
  readonly oid: Oid;
  readonly offset: number;
  readonly crc32: number;
}

const MAGIC = Buffer.from([0xff, 0x74, 0x4f, 0x63]);
const VERSION = 2;
const HEADER_BYTES = 8;
const FANOUT_BYTES = 256 * 4;
const OID_BYTES = 20;
/** Offsets at or above this go to the 64-bit table (git's default). */
export const DEFAULT_LARGE_OFFSET_THRESHOLD = 0x7fffffff;

export interface PackIndexWriteOptions {
  /**
   * Offsets above this are stored in the 64-bit table; git's default is 2^31-1 and
   * `git index-pack --index-version=2,<n>` lowers it (the interop test does, to cover the table).
   */
  readonly largeOffsetThreshold?: number;
}

/**
 * The .idx v2 bytes for a pack with these entries and trailing checksum (hex). Throws RangeError
 * for a malformed id, checksum, offset or CRC (a programming error: entries come from our own
 * reader or writer).
 */
export function writePackIndex(
  entries: readonly PackIndexEntry[],
  packChecksum: string,
  options: PackIndexWriteOptions = {},
): Buffer {
  if (!isOid(packChecksum))
    throw new RangeError(`pack checksum must be 40 hex digits, got '${packChecksum}'`);
  const threshold = options.largeOffsetThreshold ?? DEFAULT_LARGE_OFFSET_THRESHOLD;
  const sorted = [...entries].sort((a, b) => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0));
  const count = sorted.length;
  const large = sorted.filter((e) => e.offset > threshold).length;
  const size =
    HEADER_BYTES + FANOUT_BYTES + count * (OID_BYTES + 4 + 4) + large * 8 + 2 * OID_BYTES;
  const idx = Buffer.alloc(size);
  MAGIC.copy(idx, 0);
  idx.writeUInt32BE(VERSION, 4);

  const oidsAt = HEADER_BYTES + FANOUT_BYTES;
  const crcsAt = oidsAt + count * OID_BYTES;
  const offsetsAt = crcsAt + count * 4;
  const largeAt = offsetsAt + count * 4;
  const fanout = new Uint32Array(256);
  let largeCount = 0;
  sorted.forEach((entry, i) => {
    if (!isOid(entry.oid)) throw new RangeError(`not an object id: '${entry.oid}'`);
    if (!Number.isSafeInteger(entry.offset) || entry.offset < 0)
      throw new RangeError(`bad offset ${entry.offset}`);
    if (!Number.isInteger(entry.crc32) || entry.crc32 < 0 || entry.crc32 > 0xffffffff) {
      throw new RangeError(`bad crc32 ${entry.crc32}`);
    }
    idx.write(entry.oid, oidsAt + i * OID_BYTES, 'hex');
    fanout[parseInt(entry.oid.slice(0, 2), 16)]!++;
    idx.writeUInt32BE(entry.crc32, crcsAt + i * 4);
    if (entry.offset > threshold) {
      idx.writeUInt32BE((0x80000000 | largeCount) >>> 0, offsetsAt + i * 4);
      idx.writeBigUInt64BE(BigInt(entry.offset), largeAt + largeCount * 8);
      largeCount++;
    } else {
      idx.writeUInt32BE(entry.offset, offsetsAt + i * 4);
    }
  });
  let running = 0;
  for (let b = 0; b < 256; b++) {
    running += fanout[b]!;
    idx.writeUInt32BE(running, HEADER_BYTES + b * 4);
  }
  const trailerAt = largeAt + largeCount * 8;
  idx.write(packChecksum, trailerAt, 'hex');
  createHash('sha1')
    .update(idx.subarray(0, trailerAt + OID_BYTES))
    .digest()
    .copy(idx, trailerAt + OID_BYTES);
  return idx;
}

/**
 * A parsed .idx v2, answering id → offset by binary search within the fan-out bucket. Holds the
 * index bytes, not a decoded copy: a million-object index stays ~30 MB.
 */
export class PackIndex {
  readonly objectCount: number;
  /** The checksum of the pack this index describes (hex). */
  readonly packChecksum: string;
  private readonly oidsAt: number;
  private readonly crcsAt: number;
  private readonly offsetsAt: number;
  private readonly largeAt: number;
  private readonly largeCount: number;

  /**
   * Parses and validates `bytes`: magic, version, a non-decreasing fan-out, a size that matches
   * the counts, ids in order, in-range large-offset references, and (unless
   * `verifyChecksum` is false) the trailing SHA-1. Throws PackIndexCorruptError.
   */
  constructor(
    private readonly bytes: Buffer,
    options: { verifyChecksum?: boolean } = {},
  ) {
    if (
      bytes.length < HEADER_BYTES + FANOUT_BYTES + 2 * OID_BYTES ||
      !bytes.subarray(0, 4).equals(MAGIC)
    ) {
      throw new PackIndexCorruptError('not a version 2 pack index (bad magic or too short)');
    }
    const version = bytes.readUInt32BE(4);
    if (version !== VERSION)
      throw new PackIndexCorruptError(`unsupported index version ${version}`);
    let previous = 0;
    for (let b = 0; b < 256; b++) {
      const value = bytes.readUInt32BE(HEADER_BYTES + b * 4);
      if (value < previous) throw new PackIndexCorruptError('fan-out table is not sorted');
      previous = value;
    }
    const count = previous;
    this.objectCount = count;
    this.oidsAt = HEADER_BYTES + FANOUT_BYTES;
    this.crcsAt = this.oidsAt + count * OID_BYTES;
    this.offsetsAt = this.crcsAt + count * 4;
    this.largeAt = this.offsetsAt + count * 4;
    const fixed = this.largeAt + 2 * OID_BYTES;
    const largeBytes = bytes.length - fixed;
    if (largeBytes < 0 || largeBytes % 8 !== 0) {
      throw new PackIndexCorruptError(`size ${bytes.length} does not fit ${count} objects`);
    }
    this.largeCount = largeBytes / 8;
    const trailerAt = this.largeAt + largeBytes;
    this.packChecksum = bytes.toString('hex', trailerAt, trailerAt + OID_BYTES);
    if (options.verifyChecksum !== false) {
      const actual = createHash('sha1')
        .update(bytes.subarray(0, trailerAt + OID_BYTES))
        .digest();
      if (!actual.equals(bytes.subarray(trailerAt + OID_BYTES))) {
        throw new PackIndexCorruptError('index checksum does not match its content');
      }
    }
    for (let i = 1; i < count; i++) {
      // Equal neighbours are allowed: a pack may hold one object twice, and git indexes both.
      if (this.compareOidAt(i - 1, this.oidBytes(i)) > 0) {
        throw new PackIndexCorruptError('object ids are not sorted');
      }
    }
    for (let i = 0; i < count; i++) {
      const first = bytes[this.oidsAt + i * OID_BYTES]!;
      const bucketEnd = bytes.readUInt32BE(HEADER_BYTES + first * 4);
      const bucketStart = first === 0 ? 0 : bytes.readUInt32BE(HEADER_BYTES + (first - 1) * 4);
      if (i < bucketStart || i >= bucketEnd)
        throw new PackIndexCorruptError('fan-out does not match the ids');
      const raw = bytes.readUInt32BE(this.offsetsAt + i * 4);
      if (raw & 0x80000000 && (raw & 0x7fffffff) >= this.largeCount) {
        throw new PackIndexCorruptError('large offset reference out of range');
      }
    }
  }

  /** The pack offset of `oid`, or undefined when the pack does not hold it. */
  offsetOf(oid: Oid): number | undefined {
    const i = this.positionOf(oid);
    return i === undefined ? undefined : this.offsetAt(i);
  }

  has(oid: Oid): boolean {
    return this.positionOf(oid) !== undefined;
  }

  /** Every entry in id order. */
  *entries(): IterableIterator<PackIndexEntry> {
    for (let i = 0; i < this.objectCount; i++) {
      yield {
        oid: this.bytes.toString(
          'hex',
          this.oidsAt + i * OID_BYTES,
          this.oidsAt + (i + 1) * OID_BYTES,
        ),
        offset: this.offsetAt(i),
        crc32: this.bytes.readUInt32BE(this.crcsAt + i * 4),
      };
    }
  }

  private positionOf(oid: Oid): number | undefined {
    if (!isOid(oid)) return undefined;
    const key = Buffer.from(oid, 'hex');
    const first = key[0]!;
    let lo = first === 0 ? 0 : this.bytes.readUInt32BE(HEADER_BYTES + (first - 1) * 4);
    let hi = this.bytes.readUInt32BE(HEADER_BYTES + first * 4);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = this.compareOidAt(mid, key);
      if (cmp === 0) return mid;
      if (cmp < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  private oidBytes(i: number): Buffer {
    return this.bytes.subarray(this.oidsAt + i * OID_BYTES, this.oidsAt + (i + 1) * OID_BYTES);
  }

  private compareOidAt(i: number, key: Buffer): number {
    return this.bytes.compare(
      key,
      0,
      OID_BYTES,
      this.oidsAt + i * OID_BYTES,
      this.oidsAt + (i + 1) * OID_BYTES,
    );
  }

  private offsetAt(i: number): number {
    const raw = this.bytes.readUInt32BE(this.offsetsAt + i * 4);
    if ((raw & 0x80000000) === 0) return raw;
    return Number(this.bytes.readBigUInt64BE(this.largeAt + (raw & 0x7fffffff) * 8));
  }
}
