/**
 * Reads a pack (version 2 or 3) from memory or from a stream of chunks, resolves its deltas and
 * yields every object with its id, pack offset and entry CRC-32 (what a .idx needs).
 *
 * Packs arrive from untrusted pushes, so nothing the pack declares drives an allocation
 * unchecked: the object count is only a loop bound, each entry's declared size is checked
 * against the limits before inflating (and inflation stops at it), delta chains are bounded in
 * depth, delta results in size, and the whole in bytes received and bytes inflated
 * (see pack-limits.ts). Every refusal is a GitError with a stable code (pack-errors.ts).
 *
 * Memory: resolved objects (the very bodies yielded, not copies) are kept by offset until the
 * pack ends, because any later OFS_DELTA may use any earlier entry as its base; deltas waiting
 * for a base keep only their instructions.
 * A thin pack's REF_DELTA bases come from `resolveExternalBase` and are not yielded.
 *
 * Objects are yielded as soon as they are resolved, before the trailing checksum has been
 * checked: a caller must treat them as staged until the iteration finishes without throwing
 * (a bad pack is refused whole, RELIABILITY P9). `readPack` does exactly that.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  DeltaBaseMissingError,
  DeltaTooDeepError,
  PackChecksumMismatchError,
  PackCorruptError,
  PackObjectTooLargeError,
  PackTooLargeError,
  PackTruncatedError,
} from '../errors/pack-errors';
import { hashObject, type ObjectType, type RawObject } from '../objects/git-object';
import type { Oid } from '../objects/oid';
import { applyDelta, readDeltaHeader } from './delta';
import { createEventLoopYielder } from './event-loop-yield';
import {
  inflateEntry,
  MIN_ENTRY_BYTES,
  PACK_HEADER_BYTES,
  PACK_TRAILER_BYTES,
  parseEntryHeader,
  parsePackHeader,
  type EntryHeader,
  type InflatedEntry,
} from './pack-entry';
import { PackInput, type PackByteSource } from './pack-input';
import { resolvePackLimits, type PackLimits } from './pack-limits';

/** One object of a pack, rebuilt and identified. */
export interface PackObject extends RawObject {
  readonly oid: Oid;
  /** Offset of the entry in the pack. */
  readonly offset: number;
  /** CRC-32 of the entry's raw bytes (header and compressed data), as .idx v2 records it. */
  readonly crc32: number;
  /** Delta chain length: 0 for an object stored whole. */
  readonly depth: number;
}

/** Looks up a base a thin pack leaves out; undefined when the receiver does not have it. */
export type ExternalBaseLookup = (
  oid: Oid,
) => RawObject | undefined | Promise<RawObject | undefined>;

export interface PackReadOptions {
  readonly limits?: Partial<PackLimits>;
  /** Bases for REF_DELTAs not in the pack (thin packs); without it such deltas are an error. */
  readonly resolveExternalBase?: ExternalBaseLookup;
}

export interface PackReadSummary {
  readonly version: number;
  readonly objectCount: number;
  /** The trailing SHA-1 (hex), verified. */
  readonly checksum: string;
  readonly byteLength: number;
  readonly ofsDeltas: number;
  readonly refDeltas: number;
  /** Distinct bases taken from `resolveExternalBase`. */
  readonly externalBases: number;
}

interface Resolved {
  readonly type: ObjectType;
  readonly body: Uint8Array;
  readonly depth: number;
}

interface PendingDelta {
  readonly offset: number;
  readonly crc32: number;
  readonly delta: Buffer;
}

/**
 * Delta bookkeeping for one pack: resolved objects by offset, deltas waiting on an offset or an
 * id, and the inflation budget. Resolution is iterative (a worklist), so a chain of any depth
 * costs no stack.
 */
class DeltaResolver {
  private readonly resolved = new Map<number, Resolved>();
  private readonly offsetOfOid = new Map<Oid, number>();
  private readonly externals = new Map<Oid, Resolved>();
  private readonly waitingOnOffset = new Map<number, PendingDelta[]>();
  private readonly waitingOnOid = new Map<Oid, PendingDelta[]>();
  private readonly unresolved = new Set<number>();
  private ready: PackObject[] = [];
  private inflatedBytes = 0;

  constructor(private readonly limits: PackLimits) {}

  get externalBaseCount(): number {
    return this.externals.size;
  }

  /** Counts inflated bytes against the pack-wide budget. */
  account(bytes: number): void {
    this.inflatedBytes += bytes;
    if (this.inflatedBytes > this.limits.maxInflatedBytes) {
      throw new PackTooLargeError('inflated bytes', this.limits.maxInflatedBytes);
    }
  }

  /** Objects resolved since the last call, in resolution order. */
  drain(): PackObject[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Whether a REF_DELTA base is available now (in the pack or already fetched). */
  hasBase(oid: Oid): boolean {
    return this.offsetOfOid.has(oid) || this.externals.has(oid);
  }

  addExternal(oid: Oid, object: RawObject): void {
    this.externals.set(oid, { type: object.type, body: object.body, depth: 0 });
  }

  addWhole(offset: number, crc: number, type: ObjectType, body: Uint8Array): void {
    this.settle(offset, crc, type, body, 0);
  }

  addOfsDelta(offset: number, crc: number, baseOffset: number, delta: Buffer): void {
    const pending: PendingDelta = { offset, crc32: crc, delta };
    const base = this.resolved.get(baseOffset);
    if (base !== undefined) return this.resolveChain(base, pending);
    if (!this.unresolved.has(baseOffset)) {
      throw new PackCorruptError('OFS_DELTA base is not the start of an entry', {
        offset,
        baseOffset,
      });
    }
    this.wait(this.waitingOnOffset, baseOffset, pending);
    this.unresolved.add(offset);
  }

  addRefDelta(offset: number, crc: number, baseOid: Oid, delta: Buffer): void {
    const pending: PendingDelta = { offset, crc32: crc, delta };
    const baseOffset = this.offsetOfOid.get(baseOid);
    const base =
      baseOffset === undefined ? this.externals.get(baseOid) : this.resolved.get(baseOffset);
    if (base !== undefined) return this.resolveChain(base, pending);
    this.wait(this.waitingOnOid, baseOid, pending);
    this.unresolved.add(offset);
  }

  /** Throws DeltaBaseMissingError when deltas remain whose base never appeared. */
  assertComplete(): void {
    if (this.unresolved.size > 0) {
      throw new DeltaBaseMissingError(this.unresolved.size, [...this.waitingOnOid.keys()]);
    }
  }

  private wait<K>(map: Map<K, PendingDelta[]>, key: K, pending: PendingDelta): void {
    const list = map.get(key);
    if (list === undefined) map.set(key, [pending]);
    else list.push(pending);
  }

  private resolveChain(firstBase: Resolved, firstDelta: PendingDelta): void {
    const work: Array<[Resolved, PendingDelta]> = [[firstBase, firstDelta]];
    for (let item = work.pop(); item !== undefined; item = work.pop()) {
      const [base, pending] = item;
      const resolved = this.applyPending(base, pending);
      const oid = this.settle(
        pending.offset,
        pending.crc32,
        resolved.type,
        resolved.body,
        resolved.depth,
      );
      for (const next of this.takeWaiting(pending.offset, oid)) work.push([resolved, next]);
    }
  }

  private applyPending(base: Resolved, pending: PendingDelta): Resolved {
    const depth = base.depth + 1;
    if (depth > this.limits.maxDeltaDepth)
      throw new DeltaTooDeepError(this.limits.maxDeltaDepth, pending.offset);
    const context = { offset: pending.offset };
    const { targetSize } = readDeltaHeader(pending.delta, context);
    if (targetSize > this.limits.maxDeltaResultBytes) {
      throw new PackObjectTooLargeError(
        'delta result',
        targetSize,
        this.limits.maxDeltaResultBytes,
        pending.offset,
      );
    }
    this.account(targetSize);
    return {
      type: base.type,
      body: applyDelta(base.body, pending.delta, targetSize, context),
      depth,
    };
  }

  /** Records a resolved object, queues it for yielding, and returns its id. */
  private settle(
    offset: number,
    crc: number,
    type: ObjectType,
    body: Uint8Array,
    depth: number,
  ): Oid {
    const oid = hashObject(type, body);
    this.resolved.set(offset, { type, body, depth });
    this.unresolved.delete(offset);
    if (!this.offsetOfOid.has(oid)) this.offsetOfOid.set(oid, offset);
    this.ready.push({ oid, type, body, offset, crc32: crc, depth });
    if (depth === 0) {
      const waiting = this.takeWaiting(offset, oid);
      if (waiting.length > 0) {
        const base = this.resolved.get(offset)!;
        for (const pending of waiting) this.resolveChain(base, pending);
      }
    }
    return oid;
  }

  private takeWaiting(offset: number, oid: Oid): PendingDelta[] {
    const byOffset = this.waitingOnOffset.get(offset);
    const byOid = this.waitingOnOid.get(oid);
    this.waitingOnOffset.delete(offset);
    this.waitingOnOid.delete(oid);
    if (byOffset === undefined) return byOid ?? [];
    if (byOid === undefined) return byOffset;
    return byOffset.concat(byOid);
  }
}

/**
 * Refuses a header whose object count cannot fit: in the known input size (a whole pack in
 * memory), or in the byte limit (a stream). A count of 2^32-1 fails here, not after a loop.
 */
function checkCountFits(
  objectCount: number,
  knownLength: number | undefined,
  limits: PackLimits,
): void {
  const minimum = PACK_HEADER_BYTES + objectCount * MIN_ENTRY_BYTES + PACK_TRAILER_BYTES;
  if (knownLength !== undefined && minimum > knownLength) {
    throw new PackTruncatedError(
      `header declares ${objectCount} objects, but the pack is only ${knownLength} bytes`,
      {
        objectCount,
        byteLength: knownLength,
      },
    );
  }
  if (minimum > limits.maxPackBytes) throw new PackTooLargeError('pack bytes', limits.maxPackBytes);
}

async function readEntryHeader(
  input: PackInput,
  index: number,
  count: number,
): Promise<EntryHeader> {
  for (;;) {
    const header = parseEntryHeader(input.peek(), 0, input.offset);
    if (header !== undefined) return header;
    if (!(await input.fill(input.available + 32))) {
      throw new PackTruncatedError(
        `input ends inside the header of entry ${index + 1} of ${count}`,
        {
          offset: input.offset,
        },
      );
    }
  }
}

async function inflateFromInput(
  input: PackInput,
  header: EntryHeader,
  limits: PackLimits,
  index: number,
  count: number,
): Promise<InflatedEntry> {
  const offset = input.offset;
  for (;;) {
    const result = inflateEntry(
      input.peek().subarray(header.length),
      header.size,
      limits.maxObjectBytes,
      offset,
    );
    if (result !== 'incomplete') return result;
    if (!(await input.grow())) {
      throw new PackTruncatedError(`input ends inside the data of entry ${index + 1} of ${count}`, {
        offset,
      });
    }
  }
}

/**
 * Parses `source` and yields each object once resolved (whole objects in pack order, deltas as
 * soon as their base is known). Returns the summary once the trailing checksum is verified and
 * every delta is resolved. Throws PackCorruptError, PackTruncatedError,
 * PackChecksumMismatchError, PackTooLargeError, PackObjectTooLargeError, DeltaTooDeepError,
 * DeltaCorruptError or DeltaBaseMissingError; see the file header for what was yielded by then.
 */
export async function* parsePack(
  source: PackByteSource,
  options: PackReadOptions = {},
): AsyncGenerator<PackObject, PackReadSummary, undefined> {
  const limits = resolvePackLimits(options.limits);
  const input = new PackInput(source, limits.maxPackBytes);
  const checksum = createHash('sha1');
  const breathe = createEventLoopYielder();

  if (!(await input.fill(PACK_HEADER_BYTES))) {
    throw new PackTruncatedError(`input ends inside the ${PACK_HEADER_BYTES}-byte header`, {
      byteLength: input.available,
    });
  }
  const headerBytes = input.consume(PACK_HEADER_BYTES);
  checksum.update(headerBytes);
  const { version, objectCount } = parsePackHeader(headerBytes);
  checkCountFits(objectCount, input.knownLength, limits);

  const resolver = new DeltaResolver(limits);
  let ofsDeltas = 0;
  let refDeltas = 0;
  for (let index = 0; index < objectCount; index++) {
    const offset = input.offset;
    const header = await readEntryHeader(input, index, objectCount);
    const inflated = await inflateFromInput(input, header, limits, index, objectCount);
    const raw = input.consume(header.length + inflated.consumed);
    checksum.update(raw);
    const crc = crc32(raw);
    resolver.account(inflated.data.length);
    if (header.kind === 'whole') {
      resolver.addWhole(offset, crc, header.type, inflated.data);
    } else if (header.kind === 'ofs-delta') {
      ofsDeltas++;
      resolver.addOfsDelta(offset, crc, header.baseOffset, inflated.data);
    } else {
      refDeltas++;
      if (options.resolveExternalBase !== undefined && !resolver.hasBase(header.baseOid)) {
        const base = await options.resolveExternalBase(header.baseOid);
        if (base !== undefined) resolver.addExternal(header.baseOid, base);
      }
      resolver.addRefDelta(offset, crc, header.baseOid, inflated.data);
    }
    yield* resolver.drain();
    const pause = breathe();
    if (pause !== undefined) await pause;
  }

  const byteLength = input.offset + PACK_TRAILER_BYTES;
  if (!(await input.fill(PACK_TRAILER_BYTES))) {
    throw new PackTruncatedError('input ends before the 20-byte pack checksum', {
      offset: input.offset,
    });
  }
  const expected = input.consume(PACK_TRAILER_BYTES).toString('hex');
  const actual = checksum.digest('hex');
  if (expected !== actual) throw new PackChecksumMismatchError(expected, actual);
  if (await input.fill(1))
    throw new PackCorruptError('data after the pack checksum', { offset: byteLength });
  resolver.assertComplete();
  return {
    version,
    objectCount,
    checksum: actual,
    byteLength,
    ofsDeltas,
    refDeltas,
    externalBases: resolver.externalBaseCount,
  };
}

/** Reads a whole pack: every object (in resolution order) once the pack is fully verified. */
export async function readPack(
  source: PackByteSource,
  options: PackReadOptions = {},
): Promise<{ objects: PackObject[]; summary: PackReadSummary }> {
  const objects: PackObject[] = [];
  const iterator = parsePack(source, options);
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return { objects, summary: next.value };
    objects.push(next.value);
  }
}
