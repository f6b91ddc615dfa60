/**
 * One 512-byte ustar header block and pax extended records (POSIX.1-2001), as `git archive`
 * and GNU tar write them. Names that fit go in ustar's name (100 bytes) or prefix/name
 * (155 + 100, split at a `/`); longer names, link targets and sizes past ustar's 8 GiB travel in
 * a pax `x` record before the entry.
 */

export const BLOCK = 512;

export type TarEntryType = 'file' | 'directory' | 'symlink';

export interface TarEntryHeader {
  readonly name: string;
  readonly type: TarEntryType;
  readonly size: number;
  /** Permission bits, e.g. 0o644. */
  readonly mode: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
  readonly linkname?: string;
}

const TYPE_FLAGS: Record<TarEntryType, string> = { file: '0', directory: '5', symlink: '2' };
const MAX_OCTAL_SIZE = 8 ** 11 - 1;

function writeString(block: Buffer, value: string, offset: number, length: number): void {
  Buffer.from(value, 'utf8').copy(block, offset, 0, length);
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  const text = Math.max(0, Math.floor(value))
    .toString(8)
    .padStart(length - 1, '0');
  block.write(`${text.slice(-(length - 1))}\0`, offset, length, 'latin1');
}

/** Splits a path into ustar prefix and name, or undefined when it cannot fit. */
function splitName(path: string): { prefix: string; name: string } | undefined {
  const bytes = Buffer.byteLength(path);
  if (bytes <= 100) return { prefix: '', name: path };
  if (bytes > 256) return undefined;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') {
      return { prefix, name };
    }
  }
  return undefined;
}

/** One pax record: `<length> <key>=<value>\n`, the length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  const digits = String(bodyBytes).length;
  let length = bodyBytes + digits;
  // Adding the length's own digits can add a digit (e.g. 98 + 2 → 100).
  if (String(length).length !== digits) length = bodyBytes + String(length).length;
  return `${length}${body}`;
}

function rawHeader(
  name: string,
  prefix: string,
  typeflag: string,
  size: number,
  mode: number,
  mtime: number,
  linkname: string,
): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, name, 0, 100);
  writeOctal(block, mode, 100, 8);
  writeOctal(block, 0, 108, 8);
  writeOctal(block, 0, 116, 8);
  writeOctal(block, size > MAX_OCTAL_SIZE ? 0 : size, 124, 12);
  writeOctal(block, mtime, 136, 12);
  block.fill(0x20, 148, 156);
  block.write(typeflag, 156, 1, 'latin1');
  writeString(block, linkname, 157, 100);
  block.write('ustar\x0000', 257, 8, 'latin1');
  writeString(block, 'root', 265, 32);
  writeString(block, 'root', 297, 32);
  writeString(block, prefix, 345, 155);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

/** A pax header entry (`x` per entry, `g` global) carrying `records`. */
export function paxHeader(records: string, global: boolean, mtime: number): Buffer {
  const data = Buffer.from(records, 'utf8');
  const name = global ? 'pax_global_header' : 'PaxHeader';
  return Buffer.concat([
    rawHeader(name, '', global ? 'g' : 'x', data.length, 0o644, mtime, ''),
    data,
    padding(data.length),
  ]);
}

/** The header block(s) of one entry: a pax record first when the name or size needs it. */
export function encodeEntryHeader(entry: TarEntryHeader): Buffer {
  const linkname = entry.linkname ?? '';
  let records = '';
  const split = splitName(entry.name);
  if (split === undefined) records += paxRecord('path', entry.name);
  if (Buffer.byteLength(linkname) > 100) records += paxRecord('linkpath', linkname);
  if (entry.size > MAX_OCTAL_SIZE) records += paxRecord('size', String(entry.size));
  const fallbackName = split ?? { prefix: '', name: truncateUtf8(entry.name, 100) };
  const header = rawHeader(
    fallbackName.name,
    fallbackName.prefix,
    TYPE_FLAGS[entry.type],
    entry.size,
    entry.mode,
    entry.mtime,
    Buffer.byteLength(linkname) > 100 ? truncateUtf8(linkname, 100) : linkname,
  );
  return records === '' ? header : Buffer.concat([paxHeader(records, false, entry.mtime), header]);
}

function truncateUtf8(value: string, bytes: number): string {
  return Buffer.from(value, 'utf8').subarray(0, bytes).toString('utf8');
}

/** The zero padding after `size` bytes of entry data. */
export function entryPadding(size: number): Buffer {
  return padding(size);
}

/** The end of an archive: two zero blocks. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}
