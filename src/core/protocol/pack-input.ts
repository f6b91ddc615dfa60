/**
 * The reader's view of its input: one contiguous window of unread bytes over either a whole pack
 * in memory (no copy at all) or a stream of chunks (an HTTP body, a file stream).
 *
 * Chunks are pulled only when the parser asks for more, and the window grows by at least half
 * of itself each time, so an entry spanning many chunks is joined in amortised linear time.
 * Consumed bytes are released on the next pull. Every byte received counts against the pack
 * limit before it is buffered.
 */
import { PackTooLargeError } from '../errors/pack-errors';

export type PackByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk)
    ? chunk
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export class PackInput {
  private window: Buffer;
  private pos = 0;
  /** Pack offset of `window[0]`. */
  private windowStart = 0;
  private received = 0;
  private ended: boolean;
  private readonly chunks: Iterator<Uint8Array> | AsyncIterator<Uint8Array> | undefined;

  constructor(
    source: PackByteSource,
    private readonly maxBytes: number,
  ) {
    if (source instanceof Uint8Array) {
      this.window = asBuffer(source);
      this.count(source.length);
      this.ended = true;
      this.chunks = undefined;
    } else {
      this.window = Buffer.alloc(0);
      this.ended = false;
      this.chunks =
        Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
    }
  }

  /** Total input size when known up front (a whole pack in memory). */
  get knownLength(): number | undefined {
    return this.chunks === undefined ? this.window.length : undefined;
  }

  /** Pack offset of the next unread byte. */
  get offset(): number {
    return this.windowStart + this.pos;
  }

  get available(): number {
    return this.window.length - this.pos;
  }

  /** True once the source has nothing more to give (buffered bytes may remain). */
  get exhausted(): boolean {
    return this.ended;
  }

  /** The unread bytes (a view, valid until the next `fill`). */
  peek(): Buffer {
    return this.window.subarray(this.pos);
  }

  /** Marks `n` bytes read and returns them (a view). */
  consume(n: number): Buffer {
    const bytes = this.window.subarray(this.pos, this.pos + n);
    this.pos += n;
    return bytes;
  }

  /**
   * Pulls chunks until at least `wanted` unread bytes are buffered or the source ends; true when
   * they are. Throws PackTooLargeError as soon as the input passes the byte limit.
   */
  async fill(wanted: number): Promise<boolean> {
    if (this.available >= wanted) return true;
    if (this.ended || this.chunks === undefined) return false;
    const parts: Buffer[] = [this.window.subarray(this.pos)];
    let have = this.available;
    while (have < wanted) {
      const next = await this.chunks.next();
      if (next.done === true) {
        this.ended = true;
        break;
      }
      const chunk = asBuffer(next.value);
      this.count(chunk.length);
      parts.push(chunk);
      have += chunk.length;
    }
    this.windowStart += this.pos;
    this.pos = 0;
    this.window =
      parts.length === 2 && parts[0]!.length === 0 ? parts[1]! : Buffer.concat(parts, have);
    return have >= wanted;
  }

  /** Reads ahead so the window grows geometrically (for an entry that did not fit). */
  async grow(): Promise<boolean> {
    const before = this.available;
    await this.fill(Math.max(before + 64 * 1024, Math.floor(before * 1.5)));
    return this.available > before;
  }

  private count(bytes: number): void {
    this.received += bytes;
    if (this.received > this.maxBytes) throw new PackTooLargeError('pack bytes', this.maxBytes);
  }
}
