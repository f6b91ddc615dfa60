/**
 * Loads every object of a pack on our own disk into memory in one sequential pass: the cold
 * load of a repository (DESIGN §3: reads always come from memory).
 *
 * The streaming reader (protocol/pack-reader.ts) is built for untrusted pushes and hashes every
 * object to learn its id. Here the .idx already names each entry, and both files verify
 * themselves (the pack's trailing SHA-1, the index's own SHA-1 and the pack checksum it
 * records), so ids come from the index, entries are visited in offset order, and each entry's
 * compressed bytes must end exactly where the next entry starts. Deltas are applied as soon as
 * their base is known; a REF_DELTA whose base comes later waits, one whose base is outside the
 * pack is looked up in what was loaded before. Entries stored uncompressed (checkpoints write
 * packs at zlib level 0) skip zlib entirely (stored-deflate.ts).
 *
 * Throws PackCorruptError (or the delta errors) for anything that does not verify.
 */
import { createHash } from 'node:crypto';
import { DeltaBaseMissingError, PackCorruptError } from '../../errors/pack-errors';
import type { RawObject } from '../../objects/git-object';
import type { Oid } from '../../objects/oid';
import { applyDelta } from '../../protocol/delta';
import { createEventLoopYielder } from '../../protocol/event-loop-yield';
import {
  inflateEntry,
  PACK_HEADER_BYTES,
  PACK_TRAILER_BYTES,
  parseEntryHeader,
  parsePackHeader,
} from '../../protocol/pack-entry';
import type { PackIndex } from '../../protocol/pack-index';
import { inflateStored } from './stored-deflate';

/** Our own objects have no pushed-object limit; this only guards against a corrupt size field. */
const MAX_OWN_OBJECT_BYTES = 2 ** 32;

interface WaitingDelta {
  readonly offset: number;
  readonly oid: Oid;
  readonly baseOid: Oid;
  readonly delta: Uint8Array;
}

export interface PackLoadOptions {
  /** Objects already loaded (other packs, loose objects): bases for REF_DELTAs outside the pack. */
  readonly lookup?: (oid: Oid) => RawObject | undefined;
}

function verifyPackFrame(pack: Buffer, index: PackIndex): void {
  if (pack.length < PACK_HEADER_BYTES + PACK_TRAILER_BYTES)
    throw new PackCorruptError('pack file is too short');
  const { objectCount } = parsePackHeader(pack);
  if (objectCount !== index.objectCount) {
    throw new PackCorruptError(`pack holds ${objectCount} objects, its index ${index.objectCount}`);
  }
  const trailer = pack.toString('hex', pack.length - PACK_TRAILER_BYTES);
  if (trailer !== index.packChecksum)
    throw new PackCorruptError('pack checksum differs from the one its index records');
  const actual = createHash('sha1')
    .update(pack.subarray(0, pack.length - PACK_TRAILER_BYTES))
    .digest('hex');
  if (actual !== trailer) throw new PackCorruptError('pack content does not match its checksum');
}

/** Calls `add` for every object of `pack`, identified by `index`. */
export async function loadPackObjects(
  pack: Buffer,
  index: PackIndex,
  add: (oid: Oid, object: RawObject) => void,
  options: PackLoadOptions = {},
): Promise<void> {
  verifyPackFrame(pack, index);
  const entries = [...index.entries()].sort((a, b) => a.offset - b.offset);
  const dataEnd = pack.length - PACK_TRAILER_BYTES;
  const resolved = new Map<number, RawObject>();
  const waiting: WaitingDelta[] = [];
  const breathe = createEventLoopYielder();
  const settle = (offset: number, oid: Oid, object: RawObject): void => {
    resolved.set(offset, object);
    add(oid, object);
  };

  for (let i = 0; i < entries.length; i++) {
    const { oid, offset } = entries[i]!;
    const end = i + 1 < entries.length ? entries[i + 1]!.offset : dataEnd;
    if (offset < PACK_HEADER_BYTES || end > dataEnd || end <= offset) {
      throw new PackCorruptError('index offsets do not describe the pack', { offset });
    }
    const header = parseEntryHeader(pack.subarray(0, end), offset, offset);
    if (header === undefined)
      throw new PackCorruptError('entry header runs past the entry', { offset });
    const stream = pack.subarray(offset + header.length, end);
    const inflated =
      inflateStored(stream, header.size) ??
      inflateEntry(stream, header.size, MAX_OWN_OBJECT_BYTES, offset);
    if (inflated === 'incomplete' || inflated.consumed !== end - offset - header.length) {
      throw new PackCorruptError('entry data does not end where the next entry starts', { offset });
    }
    if (header.kind === 'whole') {
      settle(offset, oid, { type: header.type, body: inflated.data });
    } else if (header.kind === 'ofs-delta') {
      const base = resolved.get(header.baseOffset);
      if (base === undefined)
        throw new PackCorruptError('OFS_DELTA base is not an earlier entry', { offset });
      settle(offset, oid, { type: base.type, body: applyDelta(base.body, inflated.data) });
    } else {
      const baseOffset = index.offsetOf(header.baseOid);
      const base =
        baseOffset === undefined ? options.lookup?.(header.baseOid) : resolved.get(baseOffset);
      if (base === undefined)
        waiting.push({ offset, oid, baseOid: header.baseOid, delta: inflated.data });
      else settle(offset, oid, { type: base.type, body: applyDelta(base.body, inflated.data) });
    }
    const pause = breathe();
    if (pause !== undefined) await pause;
  }
  resolveWaiting(waiting, index, resolved, settle);
}

/** REF_DELTAs whose base came later in the pack, resolved until no more progress is made. */
function resolveWaiting(
  waiting: WaitingDelta[],
  index: PackIndex,
  resolved: ReadonlyMap<number, RawObject>,
  settle: (offset: number, oid: Oid, object: RawObject) => void,
): void {
  let pending = waiting;
  while (pending.length > 0) {
    const still: WaitingDelta[] = [];
    for (const item of pending) {
      const baseOffset = index.offsetOf(item.baseOid);
      const base = baseOffset === undefined ? undefined : resolved.get(baseOffset);
      if (base === undefined) still.push(item);
      else
        settle(item.offset, item.oid, { type: base.type, body: applyDelta(base.body, item.delta) });
    }
    if (still.length === pending.length)
      throw new DeltaBaseMissingError(
        still.length,
        still.map((item) => item.baseOid),
      );
    pending = still;
  }
}
