/**
 * Generated packs kept for identical fetches, so a second clone of an unchanged repository
 * streams stored bytes instead of walking and deflating again (the clone performance goal).
 *
 * A key names everything the pack depends on: the repository, the wants, the common haves, the
 * shallow cut, the options that change the bytes (thin, ofs-delta, filter) and, with
 * include-tag, the tag candidates. Objects are immutable and named by content, so a pack for one
 * key never goes stale: moving refs only changes which keys clients ask for. Entries are evicted
 * least recently used past a byte budget; a pack larger than a quarter of it is never kept.
 */
import { createHash } from 'node:crypto';

export interface CachedPack {
  readonly chunks: readonly Buffer[];
  readonly byteLength: number;
  readonly objectCount: number;
}

export const DEFAULT_PACK_CACHE_BYTES = 256 * 1024 * 1024;

export class PackCache {
  private readonly entries = new Map<string, CachedPack>();
  private readonly building = new Map<string, Promise<void>>();
  private bytes = 0;

  constructor(readonly maxBytes: number = DEFAULT_PACK_CACHE_BYTES) {}

  /** A stable key for the parts of a request (order of the parts matters, not of their lists). */
  static key(parts: Readonly<Record<string, string | boolean | readonly string[]>>): string {
    const hash = createHash('sha256');
    for (const [name, value] of Object.entries(parts)) {
      const text = Array.isArray(value) ? [...(value as string[])].sort().join(',') : String(value);
      hash.update(`${name}=${text}\n`);
    }
    return hash.digest('hex');
  }

  /** Largest pack worth keeping. */
  get maxEntryBytes(): number {
    return Math.floor(this.maxBytes / 4);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedPack | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, pack: CachedPack): void {
    if (pack.byteLength > this.maxEntryBytes) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.bytes -= previous.byteLength;
    }
    this.entries.set(key, pack);
    this.bytes += pack.byteLength;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.byteLength;
    }
  }

  /**
   * Marks `key` as being generated until `done` settles, so identical requests arriving
   * meanwhile (a clone storm) wait for it instead of packing the same objects again.
   */
  markBuilding(key: string, done: Promise<unknown>): void {
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.building.set(key, settled);
    void settled.then(() => {
      if (this.building.get(key) === settled) this.building.delete(key);
    });
  }

  /** Resolves when the pack of `key` now being generated is done (at once when none is). */
  async settled(key: string): Promise<void> {
    await this.building.get(key);
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
