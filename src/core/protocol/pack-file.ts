/**
 * Random access into a pack on disk or in memory: the object at an offset (or, with its .idx,
 * with an id), rebuilt through its delta chain on demand. This is how the disk driver reads a
 * single object without loading the pack.
 *
 * The pack may be damaged or hostile even on our own disk, so the same limits as the streaming
 * reader apply: offsets must lie inside the pack, each entry inflates to exactly its declared
 * size under the object limit, and a chain longer than the depth limit (which is also how a
 * REF_DELTA loop through a bad index ends) is refused. Rebuilt bases are kept in a small
 * byte-bounded LRU, as git's delta base cache does, so reading neighbouring versions of one
 * file does not re-inflate the whole chain each time.
 */
import type { FileHandle } from 'node:fs/promises';
import {
  DeltaBaseMissingError,
  DeltaTooDeepError,
  PackCorruptError,
  PackTruncatedError,
} from '../errors/pack-errors';
import type { ObjectType, RawObject } from '../objects/git-object';
import type { Oid } from '../objects/oid';
import { applyDelta } from './delta';
import {
  inflateEntry,
  PACK_HEADER_BYTES,
  PACK_TRAILER_BYTES,
  parseEntryHeader,
  type EntryHeader,
} from './pack-entry';
import type { PackIndex } from './pack-index';
import { resolvePackLimits, type PackLimits } from './pack-limits';
import type { ExternalBaseLookup } from './pack-reader';

/** Positional reads from a pack of known length. */
export interface PackRandomAccess {
  readonly byteLength: number;
  /** Up to `length` bytes starting at `position` (fewer only at the end of the pack). */
  read(position: number, length: number): Promise<Uint8Array>;
}

/** A pack held in memory (views, no copies). */
export function packBufferSource(pack: Uint8Array): PackRandomAccess {
  return {
    byteLength: pack.length,
    read: (position, length) =>
      Promise.resolve(pack.subarray(position, Math.min(pack.length, position + length))),
  };
}

/** A pack file opened by the caller, who also closes it. */
export function packFileSource(handle: FileHandle, byteLength: number): PackRandomAccess {
  return {
    byteLength,
    read: async (position, length) => {
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, byteLength - position)));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(
          buffer,
          filled,
          buffer.length - filled,
          position + filled,
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
  };
}

/** Rebuilt objects by pack offset, evicting least recently used past a byte budget. */
export class PackBaseCache {
  private readonly entries = new Map<number, RawObject>();
  private bytes = 0;

  constructor(readonly maxBytes: number = 32 * 1024 * 1024) {}

  get(offset: number): RawObject | undefined {
    const object = this.entries.get(offset);
    if (object !== undefined) {
      this.entries.delete(offset);
      this.entries.set(offset, object);
    }
    return object;
  }

  /** Keeps `object` unless it alone would take more than a quarter of the budget. */
  set(offset: number, object: RawObject): void {
    if (object.body.length > this.maxBytes / 4 || this.entries.has(offset)) return;
    this.entries.set(offset, object);
    this.bytes += object.body.length;
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= value.body.length;
    }
  }

  get byteSize(): number {
    return this.bytes;
  }
}

export interface ReadObjectAtOptions {
  readonly limits?: Partial<PackLimits>;
  /** The pack's index: needed to find REF_DELTA bases inside the pack. */
  readonly index?: PackIndex;
  /** Bases outside the pack (a thin pack kept as is). */
  readonly resolveExternalBase?: ExternalBaseLookup;
  readonly cache?: PackBaseCache;
}

/** zlib's compressBound: the most a deflate stream of `n` bytes takes from a sane writer. */
function compressBound(n: number): number {
  return n + Math.floor(n / 4096) + Math.floor(n / 16384) + Math.floor(n / 33554432) + 13;
}

interface ReadEntry {
  readonly header: EntryHeader;
  readonly data: Buffer;
}

async function readEntry(
  source: PackRandomAccess,
  offset: number,
  limits: PackLimits,
): Promise<ReadEntry> {
  const end = source.byteLength - PACK_TRAILER_BYTES;
  if (!Number.isSafeInteger(offset) || offset < PACK_HEADER_BYTES || offset >= end) {
    throw new PackCorruptError('object offset is outside the pack', {
      offset,
      byteLength: source.byteLength,
    });
  }
  const head = await source.read(offset, Math.min(32, end - offset));
  const header = parseEntryHeader(head, 0, offset);
  if (header === undefined)
    throw new PackTruncatedError('pack ends inside an entry header', { offset });
  let want = Math.min(
    end - offset,
    header.length + compressBound(Math.min(header.size, limits.maxObjectBytes)) + 64,
  );
  for (;;) {
    const bytes = await source.read(offset, want);
    const result = inflateEntry(
      bytes.subarray(header.length),
      header.size,
      limits.maxObjectBytes,
      offset,
    );
    if (result !== 'incomplete') return { header, data: result.data };
    if (want >= end - offset) throw new PackTruncatedError('pack ends inside an entry', { offset });
    want = Math.min(end - offset, want * 2);
  }
}

/**
 * The object whose entry starts at `offset`, its deltas applied. Throws PackCorruptError for
 * an offset that is not inside the pack or a malformed entry, PackTruncatedError, the size
 * errors, DeltaTooDeepError, DeltaCorruptError, and DeltaBaseMissingError for a REF_DELTA
 * whose base is neither in `index` nor found by `resolveExternalBase`.
 */
export async function readObjectAt(
  pack: Uint8Array | PackRandomAccess,
  offset: number,
  options: ReadObjectAtOptions = {},
): Promise<RawObject> {
  const source = pack instanceof Uint8Array ? packBufferSource(pack) : pack;
  const limits = resolvePackLimits(options.limits);
  const cache = options.cache;
  const chain: Array<{ offset: number; delta: Buffer }> = [];
  let current = offset;
  let base: RawObject | undefined;
  while (base === undefined) {
    base = cache?.get(current);
    if (base !== undefined) break;
    if (chain.length > limits.maxDeltaDepth)
      throw new DeltaTooDeepError(limits.maxDeltaDepth, offset);
    const { header, data } = await readEntry(source, current, limits);
    if (header.kind === 'whole') {
      base = { type: header.type, body: data };
      if (chain.length > 0) cache?.set(current, base);
    } else if (header.kind === 'ofs-delta') {
      chain.push({ offset: current, delta: data });
      current = header.baseOffset;
    } else {
      chain.push({ offset: current, delta: data });
      const inPack = options.index?.offsetOf(header.baseOid);
      if (inPack !== undefined) {
        current = inPack;
      } else {
        base = await options.resolveExternalBase?.(header.baseOid);
        if (base === undefined) throw new DeltaBaseMissingError(1, [header.baseOid]);
      }
    }
  }
  if (chain.length > limits.maxDeltaDepth)
    throw new DeltaTooDeepError(limits.maxDeltaDepth, offset);
  const type: ObjectType = base.type;
  let body = base.body;
  for (let i = chain.length - 1; i >= 0; i--) {
    const link = chain[i]!;
    body = applyDelta(body, link.delta, limits.maxDeltaResultBytes, { offset: link.offset });
    cache?.set(link.offset, { type, body });
  }
  return { type, body };
}

/**
 * A pack plus its index: objects by id with a shared base cache. The caller owns the source
 * (and closes a file handle after use).
 */
export class PackFile {
  private readonly cache: PackBaseCache;

  constructor(
    private readonly source: PackRandomAccess,
    readonly index: PackIndex,
    private readonly options: Omit<ReadObjectAtOptions, 'index' | 'cache'> & {
      cacheBytes?: number;
    } = {},
  ) {
    this.cache = new PackBaseCache(options.cacheBytes);
  }

  has(oid: Oid): boolean {
    return this.index.has(oid);
  }

  /** The object, or undefined when the pack does not hold it. Throws the readObjectAt errors. */
  async read(oid: Oid): Promise<RawObject | undefined> {
    const offset = this.index.offsetOf(oid);
    return offset === undefined ? undefined : this.readAt(offset);
  }

  readAt(offset: number): Promise<RawObject> {
    return readObjectAt(this.source, offset, {
      ...this.options,
      index: this.index,
      cache: this.cache,
    });
  }
}
