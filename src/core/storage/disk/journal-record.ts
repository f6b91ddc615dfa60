/**
 * The framing of one journal record, and how a segment of records is scanned back.
 *
 *   offset  0  magic "GVJ1"
 *           4  u32 payload length
 *           8  u8  record type
 *           9  u64 sequence number
 *          17  u32 CRC-32 of bytes 0..16 (the header, so a bad length is never trusted)
 *          21  payload
 *   21 + len  SHA-256 of everything before it (header and payload)
 *
 * A record is acknowledged only after the fsync that follows its write, so the only damage a
 * crash can leave is at the end of the last segment: a record cut short or never completed.
 * Scanning tells the two kinds of damage apart by whether any complete, valid record follows
 * the bad bytes: none → a torn tail (never acknowledged, dropped); one → corruption in the
 * middle of acknowledged data (the repository is refused).
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

const MAGIC = Buffer.from('GVJ1', 'latin1');
export const RECORD_HEADER_BYTES = 21;
const CHECKSUM_BYTES = 32;
/** The most a single record may carry: a sanity bound on the length field (1 GiB). */
export const MAX_RECORD_PAYLOAD_BYTES = 1024 * 1024 * 1024;

export interface JournalRecord {
  readonly seq: number;
  readonly type: number;
  readonly payload: Buffer;
  /** Byte range of the whole record in its segment. */
  readonly offset: number;
  readonly end: number;
}

export function encodeJournalRecord(seq: number, type: number, payload: Uint8Array): Buffer {
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length + CHECKSUM_BYTES);
  MAGIC.copy(record, 0);
  record.writeUInt32BE(payload.length, 4);
  record.writeUInt8(type, 8);
  record.writeBigUInt64BE(BigInt(seq), 9);
  record.writeUInt32BE(crc32(record.subarray(0, 17)), 17);
  record.set(payload, RECORD_HEADER_BYTES);
  const checksumAt = RECORD_HEADER_BYTES + payload.length;
  createHash('sha256').update(record.subarray(0, checksumAt)).digest().copy(record, checksumAt);
  return record;
}

/** The record starting at `offset`, or the reason there is none. */
function recordAt(bytes: Buffer, offset: number): JournalRecord | string {
  if (bytes.length - offset < RECORD_HEADER_BYTES) return 'truncated header';
  if (!bytes.subarray(offset, offset + 4).equals(MAGIC)) return 'bad magic';
  if (bytes.readUInt32BE(offset + 17) !== crc32(bytes.subarray(offset, offset + 17)))
    return 'bad header checksum';
  const length = bytes.readUInt32BE(offset + 4);
  if (length > MAX_RECORD_PAYLOAD_BYTES) return 'length out of range';
  const checksumAt = offset + RECORD_HEADER_BYTES + length;
  const end = checksumAt + CHECKSUM_BYTES;
  if (end > bytes.length) return 'truncated record';
  const actual = createHash('sha256').update(bytes.subarray(offset, checksumAt)).digest();
  if (!actual.equals(bytes.subarray(checksumAt, end))) return 'bad checksum';
  const seq = Number(bytes.readBigUInt64BE(offset + 9));
  return {
    seq,
    type: bytes.readUInt8(offset + 8),
    payload: bytes.subarray(offset + RECORD_HEADER_BYTES, checksumAt),
    offset,
    end,
  };
}

export interface SegmentDamage {
  readonly offset: number;
  readonly reason: string;
  /** A complete valid record starts after the damage: it is not a torn tail. */
  readonly validRecordFollows: boolean;
}

export interface SegmentScan {
  readonly records: JournalRecord[];
  /** Bytes up to the end of the last valid record before any damage. */
  readonly validLength: number;
  readonly damage?: SegmentDamage;
}

export function scanJournalSegment(bytes: Buffer): SegmentScan {
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const found = recordAt(bytes, offset);
    if (typeof found === 'string') {
      return {
        records,
        validLength: offset,
        damage: { offset, reason: found, validRecordFollows: validRecordAfter(bytes, offset) },
      };
    }
    records.push(found);
    offset = found.end;
  }
  return { records, validLength: offset };
}

function validRecordAfter(bytes: Buffer, offset: number): boolean {
  for (let at = bytes.indexOf(MAGIC, offset + 1); at >= 0; at = bytes.indexOf(MAGIC, at + 1)) {
    if (typeof recordAt(bytes, at) !== 'string') return true;
  }
  return false;
}
