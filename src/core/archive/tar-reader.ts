/**
 * Reads a tar archive from a stream of chunks: ustar and old-GNU headers with their checksum,
 * pax `x` records (path, linkpath, size) and GNU `L`/`K` long names; pax global headers are
 * skipped. Every entry's data is bounded by `maxEntryBytes` and returned whole, so the reader is
 * meant for archives this server wrote (backups), not for arbitrary huge files.
 */
import { TarCorruptError } from './tar-errors';
import { BLOCK, type TarEntryHeader } from './tar-header';

export interface TarEntry {
  readonly header: TarEntryHeader;
  readonly data: Buffer;
}

export interface TarReadOptions {
  /** Largest entry accepted (default 4 GiB). */
  readonly maxEntryBytes?: number;
}

class ChunkReader {
  private buffer = Buffer.alloc(0);
  private readonly iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.iterator =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  /** Exactly `n` bytes, or undefined when the input ends first (with nothing buffered). */
  async read(n: number): Promise<Buffer | undefined> {
    const parts: Buffer[] = [this.buffer];
    let have = this.buffer.length;
    while (have < n) {
      const next = await this.iterator.next();
      if (next.done === true) break;
      const chunk = Buffer.from(next.value);
      parts.push(chunk);
      have += chunk.length;
    }
    const all = parts.length === 1 ? this.buffer : Buffer.concat(parts, have);
    if (have < n) {
      this.buffer = Buffer.alloc(0);
      if (have === 0) return undefined;
      throw new TarCorruptError('archive is truncated');
    }
    this.buffer = all.subarray(n);
    return all.subarray(0, n);
  }
}

function readString(block: Buffer, offset: number, length: number): string {
  const slice = block.subarray(offset, offset + length);
  const nul = slice.indexOf(0);
  return slice.toString('utf8', 0, nul < 0 ? length : nul);
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const slice = block.subarray(offset, offset + length);
  if ((slice[0]! & 0x80) !== 0) {
    // GNU base-256 for large numbers.
    let value = slice[0]! & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + slice[i]!;
    return value;
  }
  const text = slice
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarCorruptError(`bad number field '${text}'`);
  return parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = readOctal(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === stored;
}

function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) throw new TarCorruptError('bad pax record');
    const length = Number(data.toString('latin1', pos, space));
    if (!Number.isSafeInteger(length) || length <= 0 || pos + length > data.length) {
      throw new TarCorruptError('bad pax record length');
    }
    const record = data.toString('utf8', space + 1, pos + length - 1);
    const eq = record.indexOf('=');
    if (eq < 0) throw new TarCorruptError('bad pax record');
    records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return records;
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** Yields each file, directory and symlink entry. Throws TarCorruptError on malformed input. */
export async function* readTar(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: TarReadOptions = {},
): AsyncGenerator<TarEntry> {
  const maxEntryBytes = options.maxEntryBytes ?? 4 * 1024 ** 3;
  const reader = new ChunkReader(source);
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const block = await reader.read(BLOCK);
    if (block === undefined) throw new TarCorruptError('archive ends without its end marker');
    if (block.every((byte) => byte === 0)) return;
    if (!checksumOk(block)) throw new TarCorruptError('header checksum mismatch');
    const typeflag = String.fromCharCode(block[156]!);
    let size = readOctal(block, 124, 12);
    if (pax.has('size')) size = Number(pax.get('size'));
    if (!Number.isSafeInteger(size) || size < 0 || size > maxEntryBytes) {
      throw new TarCorruptError(`entry size ${size} out of bounds`);
    }
    const data = size === 0 ? Buffer.alloc(0) : await reader.read(padded(size));
    if (data === undefined) throw new TarCorruptError('archive is truncated');
    const body = data.subarray(0, size);
    if (typeflag === 'x') {
      pax = parsePax(body);
      continue;
    }
    if (typeflag === 'g') continue;
    if (typeflag === 'L') {
      longName = readString(body, 0, body.length);
      continue;
    }
    if (typeflag === 'K') {
      longLink = readString(body, 0, body.length);
      continue;
    }
    const prefix = readString(block, 345, 155);
    const shortName = readString(block, 0, 100);
    const magic = block.toString('latin1', 257, 262);
    const name =
      pax.get('path') ??
      longName ??
      (magic === 'ustar' && prefix !== '' ? `${prefix}/${shortName}` : shortName);
    const linkname = pax.get('linkpath') ?? longLink ?? readString(block, 157, 100);
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    const mode = readOctal(block, 100, 8);
    const mtime = readOctal(block, 136, 12);
    let type: TarEntryHeader['type'];
    if (typeflag === '0' || typeflag === '\0' || typeflag === '7') type = 'file';
    else if (typeflag === '5') type = 'directory';
    else if (typeflag === '2') type = 'symlink';
    else continue; // hard links, devices, fifos: not part of what this server reads
    yield {
      header: { name, type, size, mode, mtime, ...(type === 'symlink' ? { linkname } : {}) },
      data: body,
    };
  }
}
