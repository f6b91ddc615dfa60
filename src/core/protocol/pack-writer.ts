/**
 * Writes a version 2 pack from objects in memory, as a stream of chunks: entries are deflated
 * one at a time and handed out in ~64 KiB chunks while the trailing SHA-1 is computed
 * incrementally, so a large pack is never built whole (clone over HTTP, checkpoint to disk).
 *
 * Deltas follow git's pack-objects heuristics with our own encoder (delta.ts): objects are
 * ordered by type, then by a hash of the path's last characters (so versions of one file sit
 * together), thin-pack bases first, then by size, largest first; each object is tried against
 * the previous `window` objects of its type and stored as an OFS_DELTA on the best base when
 * that saves enough, keeping chains at most `depth` long. Bases always precede their deltas (every OFS_DELTA points
 * backwards). With `thinBases` (objects the receiver already has) the pack may also hold
 * REF_DELTAs against objects it does not contain: a thin pack for fetch.
 *
 * The writer also returns each entry's offset and CRC-32, which is all a .idx needs
 * (pack-index.ts), so a pack written to disk is indexed without reading it back.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync, constants as zlibConstants } from 'node:zlib';
import { hashObject, type ObjectType } from '../objects/git-object';
import type { Oid } from '../objects/oid';
import { createDelta, DeltaIndex } from './delta';
import { createEventLoopYielder } from './event-loop-yield';
import {
  encodeEntryHeader,
  encodeOffsetDistance,
  encodePackHeader,
  OFS_DELTA,
  REF_DELTA,
  TYPE_CODES,
} from './pack-entry';
import type { PackIndexEntry } from './pack-index';

/** One object to pack. */
export interface PackWriteEntry {
  readonly type: ObjectType;
  readonly body: Uint8Array;
  /** The object's id when the caller already knows it (trusted, not re-hashed). */
  readonly oid?: Oid;
  /** A path the object was reached by (blobs, trees): groups versions of one file for deltas. */
  readonly path?: string;
}

export interface PackWriteOptions {
  /** Try deltas at all (default true). */
  readonly deltas?: boolean;
  /** How many previous objects of the same type each object is compared with (default 10). */
  readonly window?: number;
  /** Longest delta chain written (default 50, git's default). */
  readonly depth?: number;
  /** Objects larger than this are stored whole, never delta'd (default 32 MiB). */
  readonly maxDeltaObjectBytes?: number;
  /** zlib level 0–9 (default: zlib's default, as git's core.compression). */
  readonly compressionLevel?: number;
  /** Size of the chunks handed out (default 64 KiB; one entry may make a larger chunk). */
  readonly chunkBytes?: number;
  /** Objects the receiver has: used as REF_DELTA bases, never written (a thin pack). */
  readonly thinBases?: Iterable<PackWriteEntry>;
}

export interface PackWriteResult {
  /** The trailing SHA-1, hex: also the pack's name (`pack-<checksum>.pack`). */
  readonly checksum: string;
  readonly byteLength: number;
  readonly objectCount: number;
  readonly ofsDeltas: number;
  readonly refDeltas: number;
  /** Each written object's id, offset and CRC-32, in pack order. */
  readonly entries: readonly PackIndexEntry[];
}

export const DEFAULT_PACK_WINDOW = 10;
/** A delta at most this long ends the search for a better base (see bestDelta). */
const GOOD_ENOUGH_DELTA_BYTES = 64;
export const DEFAULT_PACK_DEPTH = 50;
export const DEFAULT_MAX_DELTA_OBJECT_BYTES = 32 * 1024 * 1024;
/** Objects smaller than this are never worth a delta (the instructions cost as much). */
const MIN_DELTA_TARGET_BYTES = 32;
const HASH_BYTES = 20;

/** Order of the type groups in the pack: commits first, as git writes them. */
const GROUP_ORDER: Readonly<Record<ObjectType, number>> = { commit: 0, tag: 1, tree: 2, blob: 3 };

interface Item {
  readonly oid: Oid;
  readonly type: ObjectType;
  readonly body: Uint8Array;
  readonly nameHash: number;
  readonly input: number;
  /** A thin-pack base: may serve as a delta base, is not written. */
  readonly external: boolean;
}

interface WindowSlot {
  readonly item: Item;
  readonly depth: number;
  index: DeltaIndex | undefined;
}

/**
 * git's pack_name_hash: a sortable number from the last sixteen non-space characters of the
 * path, the last counting most, so `a/x.c` and `b/x.c` sort together.
 */
export function packNameHash(path: string | undefined): number {
  if (path === undefined) return 0;
  let hash = 0;
  for (const byte of Buffer.from(path, 'utf8')) {
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
    hash = ((hash >>> 2) + ((byte << 24) >>> 0)) >>> 0;
  }
  return hash;
}

function compareItems(a: Item, b: Item): number {
  return (
    GROUP_ORDER[a.type] - GROUP_ORDER[b.type] ||
    b.nameHash - a.nameHash ||
    Number(b.external) - Number(a.external) ||
    b.body.length - a.body.length ||
    a.input - b.input
  );
}

function collectItems(
  objects: Iterable<PackWriteEntry>,
  thinBases: Iterable<PackWriteEntry>,
): Item[] {
  const seen = new Set<Oid>();
  const items: Item[] = [];
  const add = (entry: PackWriteEntry, external: boolean): void => {
    const oid = entry.oid ?? hashObject(entry.type, entry.body);
    if (seen.has(oid)) return;
    seen.add(oid);
    items.push({
      oid,
      type: entry.type,
      body: entry.body,
      nameHash: packNameHash(entry.path),
      input: items.length,
      external,
    });
  };
  for (const entry of objects) add(entry, false);
  for (const entry of thinBases) add(entry, true);
  return items.sort(compareItems);
}

interface DeltaChoice {
  readonly base: WindowSlot;
  readonly delta: Uint8Array;
}

/**
 * The smallest delta of `item` against the window, or undefined when none saves enough. Size
 * filters follow git's try_delta: a delta must be under half the object (less for deep bases),
 * and bases far smaller than the object are skipped.
 */
function bestDelta(
  item: Item,
  window: readonly WindowSlot[],
  maxDepth: number,
): DeltaChoice | undefined {
  let best: DeltaChoice | undefined;
  const size = item.body.length;
  for (let i = window.length - 1; i >= 0; i--) {
    const slot = window[i]!;
    if (slot.item.type !== item.type || slot.depth >= maxDepth) continue;
    const budget = Math.floor(
      ((Math.floor(size / 2) - HASH_BYTES) * (maxDepth - slot.depth)) / maxDepth,
    );
    const maxSize = best === undefined ? budget : Math.min(budget, best.delta.length - 1);
    const baseSize = slot.item.body.length;
    if (maxSize <= 0 || size - baseSize >= maxSize || size < baseSize / 32) continue;
    slot.index ??= new DeltaIndex(slot.item.body);
    const delta = createDelta(slot.index, item.body, maxSize);
    if (delta !== undefined) best = { base: slot, delta };
    // A delta this small cannot get meaningfully smaller; trying the rest of the window would
    // only cost time (the usual case: the previous version of the same file, one line changed).
    if (best !== undefined && best.delta.length <= GOOD_ENOUGH_DELTA_BYTES) break;
  }
  return best;
}

/** Collects small pieces into chunks of about `chunkBytes`, hashing everything it is given. */
class ChunkBuffer {
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  private readonly hash = createHash('sha1');
  written = 0;

  constructor(private readonly chunkBytes: number) {}

  push(piece: Buffer): void {
    this.hash.update(piece);
    this.pieces.push(piece);
    this.pieceBytes += piece.length;
    this.written += piece.length;
  }

  get full(): boolean {
    return this.pieceBytes >= this.chunkBytes;
  }

  take(): Buffer {
    const chunk =
      this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.pieceBytes);
    this.pieces = [];
    this.pieceBytes = 0;
    return chunk;
  }

  /** Appends the trailing checksum and returns it (hex). */
  finish(): string {
    const digest = this.hash.digest();
    this.pieces.push(digest);
    this.pieceBytes += digest.length;
    this.written += digest.length;
    return digest.toString('hex');
  }
}

/**
 * Deflates one entry with a window just big enough for it: the same compression for small objects,
 * but ~4 KiB of zlib state instead of 256 KiB per call, which adds up over thousands of entries.
 */
function deflate(data: Uint8Array, level: number): Buffer {
  let windowBits = 9;
  while (windowBits < 15 && 1 << windowBits < data.length + 262) windowBits++;
  return deflateSync(data, { level, windowBits, memLevel: Math.min(8, windowBits - 7) });
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 0)
    throw new RangeError(`${name} must be a non-negative integer`);
  return result;
}

/**
 * The pack as a sequence of chunks; the generator's return value describes it. Objects with the
 * same id are written once. Throws RangeError for invalid options; never fails on content.
 */
export async function* packChunks(
  objects: Iterable<PackWriteEntry>,
  options: PackWriteOptions = {},
): AsyncGenerator<Buffer, PackWriteResult, undefined> {
  const windowSize =
    options.deltas === false ? 0 : positiveInteger(options.window, DEFAULT_PACK_WINDOW, 'window');
  const maxDepth = positiveInteger(options.depth, DEFAULT_PACK_DEPTH, 'depth');
  const maxDeltaBytes = positiveInteger(
    options.maxDeltaObjectBytes,
    DEFAULT_MAX_DELTA_OBJECT_BYTES,
    'maxDeltaObjectBytes',
  );
  const level = options.compressionLevel ?? zlibConstants.Z_DEFAULT_COMPRESSION;
  const out = new ChunkBuffer(positiveInteger(options.chunkBytes, 64 * 1024, 'chunkBytes'));
  const breathe = createEventLoopYielder();

  const items = collectItems(objects, options.thinBases ?? []);
  const objectCount = items.reduce((n, item) => (item.external ? n : n + 1), 0);
  out.push(encodePackHeader(objectCount));

  const offsets = new Map<Oid, number>();
  const entries: PackIndexEntry[] = [];
  const window: WindowSlot[] = [];
  let ofsDeltas = 0;
  let refDeltas = 0;
  for (const item of items) {
    const deltaCandidate =
      windowSize > 0 &&
      maxDepth > 0 &&
      item.body.length >= MIN_DELTA_TARGET_BYTES &&
      item.body.length <= maxDeltaBytes;
    const choice = deltaCandidate && !item.external ? bestDelta(item, window, maxDepth) : undefined;
    if (!item.external) {
      const offset = out.written;
      let header: Buffer;
      let data: Uint8Array;
      if (choice === undefined) {
        header = encodeEntryHeader(TYPE_CODES[item.type], item.body.length);
        data = item.body;
      } else if (choice.base.item.external) {
        const baseOid = Buffer.from(choice.base.item.oid, 'hex');
        header = Buffer.concat([encodeEntryHeader(REF_DELTA, choice.delta.length), baseOid]);
        data = choice.delta;
        refDeltas++;
      } else {
        const distance = offset - offsets.get(choice.base.item.oid)!;
        header = Buffer.concat([
          encodeEntryHeader(OFS_DELTA, choice.delta.length),
          encodeOffsetDistance(distance),
        ]);
        data = choice.delta;
        ofsDeltas++;
      }
      const compressed = deflate(data, level);
      out.push(header);
      out.push(compressed);
      offsets.set(item.oid, offset);
      entries.push({ oid: item.oid, offset, crc32: crc32(compressed, crc32(header)) });
      if (out.full) yield out.take();
    }
    if (deltaCandidate) {
      window.push({
        item,
        depth: choice === undefined ? 0 : choice.base.depth + 1,
        index: undefined,
      });
      if (window.length > windowSize) window.shift();
    }
    const pause = breathe();
    if (pause !== undefined) await pause;
  }
  const checksum = out.finish();
  yield out.take();
  return { checksum, byteLength: out.written, objectCount, ofsDeltas, refDeltas, entries };
}

/** Writes the pack to `sink` chunk by chunk, awaiting it (backpressure), and describes it. */
export async function writePack(
  objects: Iterable<PackWriteEntry>,
  sink: (chunk: Buffer) => void | Promise<void>,
  options: PackWriteOptions = {},
): Promise<PackWriteResult> {
  const chunks = packChunks(objects, options);
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) return next.value;
    await sink(next.value);
  }
}

/** The whole pack in one buffer (tests, small packs), with its description. */
export async function encodePack(
  objects: Iterable<PackWriteEntry>,
  options: PackWriteOptions = {},
): Promise<PackWriteResult & { readonly pack: Buffer }> {
  const parts: Buffer[] = [];
  const result = await writePack(objects, (chunk) => void parts.push(chunk), options);
  return { ...result, pack: Buffer.concat(parts, result.byteLength) };
}
