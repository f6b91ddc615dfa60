/**
 * pkt-line framing (gitprotocol-common): every message of git's wire protocol is a 4-hex-digit
 * length (counting itself) followed by that many bytes minus four, or one of the special packets
 * `0000` flush, `0001` delim (v2 section separator) and `0002` response-end (v2 stateless end).
 * A line is at most 65520 bytes in total (65516 of data). Also side-band-64k: pack data (band 1),
 * progress (band 2) and a fatal error (band 3) multiplexed as pkt-lines whose first data byte is
 * the band.
 *
 * Shared by the server (upload-pack, receive-pack) and the smart-HTTP client. Decoding never
 * trusts a length: `0003`, non-hex digits, a length past the limit and a stream cut inside a line
 * are PktLineError, so hostile input costs at most one line of buffering.
 */
import { PktLineError } from '../errors/protocol-errors';

/** The largest pkt-line, length prefix included (git's LARGE_PACKET_MAX). */
export const MAX_PKT_LINE_BYTES = 65520;
/** The largest payload of one pkt-line. */
export const MAX_PKT_DATA_BYTES = MAX_PKT_LINE_BYTES - 4;
/** The largest side-band payload: one byte of the line goes to the band number. */
export const MAX_SIDE_BAND_DATA_BYTES = MAX_PKT_DATA_BYTES - 1;

export const FLUSH_PKT: Buffer = Buffer.from('0000', 'latin1');
export const DELIM_PKT: Buffer = Buffer.from('0001', 'latin1');
export const RESPONSE_END_PKT: Buffer = Buffer.from('0002', 'latin1');

/** One decoded packet. `data` is a view into the input (copy it to keep it past the chunk). */
export type PktLine =
  | { readonly type: 'data'; readonly data: Buffer }
  | { readonly type: 'flush' }
  | { readonly type: 'delim' }
  | { readonly type: 'response-end' };

const SPECIAL: Readonly<Record<number, PktLine>> = {
  0: { type: 'flush' },
  1: { type: 'delim' },
  2: { type: 'response-end' },
};

/** Encodes one data line; a string is written as UTF-8 as is (add the `\n` yourself). */
export function encodePktLine(data: string | Uint8Array): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (payload.length > MAX_PKT_DATA_BYTES) {
    throw new PktLineError(`line of ${payload.length} bytes exceeds ${MAX_PKT_DATA_BYTES}`);
  }
  const out = Buffer.allocUnsafe(payload.length + 4);
  out.write((payload.length + 4).toString(16).padStart(4, '0'), 0, 'latin1');
  out.set(payload, 4);
  return out;
}

/** A text line with its terminating LF, as git writes protocol text. */
export function encodePktText(text: string): Buffer {
  return encodePktLine(`${text}\n`);
}

/**
 * Encodes a sequence: strings become text lines (LF added), byte arrays raw data lines, and the
 * special packets FLUSH_PKT, DELIM_PKT and RESPONSE_END_PKT (these very objects) themselves.
 */
export function encodePktLines(lines: ReadonlyArray<string | Uint8Array>): Buffer {
  const parts: Buffer[] = [];
  for (const line of lines) {
    if (line === FLUSH_PKT || line === DELIM_PKT || line === RESPONSE_END_PKT) {
      parts.push(line as Buffer);
    } else parts.push(typeof line === 'string' ? encodePktText(line) : encodePktLine(line));
  }
  return Buffer.concat(parts);
}

/** The payload as text without one trailing LF (git's packet_read with PACKET_READ_CHOMP_NEWLINE). */
export function pktText(line: PktLine): string | undefined {
  if (line.type !== 'data') return undefined;
  const end = line.data.length > 0 && line.data[line.data.length - 1] === 0x0a ? -1 : undefined;
  return line.data.toString('utf8', 0, end === undefined ? line.data.length : line.data.length - 1);
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/** Reads the 4-hex-digit length at `offset`; PktLineError for anything that is not one. */
function readLength(buffer: Uint8Array, offset: number): number {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const digit = hexValue(buffer[offset + i]!);
    if (digit < 0) throw new PktLineError('length is not four hex digits', { offset });
    value = value * 16 + digit;
  }
  if (value === 3) throw new PktLineError('length 0003 is not a valid packet', { offset });
  if (value > MAX_PKT_LINE_BYTES) {
    throw new PktLineError(`length ${value} exceeds ${MAX_PKT_LINE_BYTES}`, { offset });
  }
  return value;
}

/**
 * Incremental decoder: feed chunks with `push`, take packets with `next` (undefined = need more
 * input). Holds at most one partial line beyond what the caller has not yet taken.
 */
export class PktLineDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Bytes consumed so far (for error offsets). */
  private consumedBefore = 0;

  push(chunk: Uint8Array): void {
    const rest = this.buffer.subarray(this.pos);
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.consumedBefore += this.pos;
    this.buffer = rest.length === 0 ? bytes : Buffer.concat([rest, bytes]);
    this.pos = 0;
  }

  /** Bytes received but not yet returned as packets. */
  get buffered(): number {
    return this.buffer.length - this.pos;
  }

  /** The next packet, or undefined when the buffered bytes do not hold a whole one. */
  next(): PktLine | undefined {
    if (this.buffer.length - this.pos < 4) return undefined;
    const length = readLength(this.buffer, this.pos);
    if (length < 4) {
      this.pos += 4;
      return SPECIAL[length]!;
    }
    if (this.buffer.length - this.pos < length) return undefined;
    const data = this.buffer.subarray(this.pos + 4, this.pos + length);
    this.pos += length;
    return { type: 'data', data };
  }

  /** Bytes left after the packets taken so far (e.g. a pack following the commands). */
  rest(): Buffer {
    return this.buffer.subarray(this.pos);
  }

  /** Offset of the next unread byte in the whole stream. */
  get offset(): number {
    return this.consumedBefore + this.pos;
  }
}

/** Decodes a whole buffer of packets; PktLineError when it ends inside one. */
export function decodePktLines(buffer: Uint8Array): PktLine[] {
  const decoder = new PktLineDecoder();
  decoder.push(buffer);
  const lines: PktLine[] = [];
  for (let line = decoder.next(); line !== undefined; line = decoder.next()) lines.push(line);
  if (decoder.buffered > 0) {
    throw new PktLineError('input ends inside a packet', { offset: decoder.offset });
  }
  return lines;
}

/** Packets from a stream of chunks; PktLineError when the stream ends inside one. */
export async function* readPktLines(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<PktLine, void, undefined> {
  const decoder = new PktLineDecoder();
  for await (const chunk of source) {
    decoder.push(chunk);
    for (let line = decoder.next(); line !== undefined; line = decoder.next()) yield line;
  }
  if (decoder.buffered > 0) {
    throw new PktLineError('input ends inside a packet', { offset: decoder.offset });
  }
}

// ---- side-band-64k ------------------------------------------------------------------------

export const BAND_DATA = 1;
export const BAND_PROGRESS = 2;
export const BAND_ERROR = 3;
export type SideBand = typeof BAND_DATA | typeof BAND_PROGRESS | typeof BAND_ERROR;

/**
 * `data` as side-band pkt-lines on `band`, split into payloads of at most `maxPayload` bytes
 * (65515 for side-band-64k, 999 for the old side-band), in one buffer (empty for empty data).
 */
export function encodeSideBand(
  band: SideBand,
  data: Uint8Array,
  maxPayload: number = MAX_SIDE_BAND_DATA_BYTES,
): Buffer {
  const lines = Math.ceil(data.length / maxPayload);
  const out = Buffer.allocUnsafe(data.length + lines * 5);
  let at = 0;
  for (let start = 0; start < data.length; start += maxPayload) {
    const end = Math.min(data.length, start + maxPayload);
    const length = end - start + 5;
    out.write(length.toString(16).padStart(4, '0'), at, 'latin1');
    out[at + 4] = band;
    out.set(data.subarray(start, end), at + 5);
    at += length;
  }
  return out;
}

/** One side-band packet split into its band and payload; PktLineError for an unknown band. */
export function decodeSideBand(line: PktLine): { band: SideBand; data: Buffer } {
  if (line.type !== 'data' || line.data.length === 0) {
    throw new PktLineError('side-band packet without a band byte');
  }
  const band = line.data[0]!;
  if (band !== BAND_DATA && band !== BAND_PROGRESS && band !== BAND_ERROR) {
    throw new PktLineError(`unknown side-band ${band}`);
  }
  return { band, data: line.data.subarray(1) };
}
