/**
 * pkt-line framing and side-band-64k: round trips (property), git's exact bytes, the special
 * packets, and refusal of hostile framing (bad hex, 0003, over-long lines, cut streams).
 */
import fc from 'fast-check';
import {
  BAND_DATA,
  BAND_PROGRESS,
  decodePktLines,
  decodeSideBand,
  DELIM_PKT,
  encodePktLine,
  encodePktLines,
  encodeSideBand,
  FLUSH_PKT,
  MAX_PKT_DATA_BYTES,
  PktLineDecoder,
  pktText,
  readPktLines,
  RESPONSE_END_PKT,
} from '../../../../src/core/protocol/pkt-line';
import { PktLineError } from '../../../../src/core/errors/protocol-errors';
import { fcParams } from '../../../support/fast-check';

describe('pkt-line', () => {
  it('writes git’s bytes for text and special packets', () => {
    expect(
      encodePktLines(['version 2', DELIM_PKT, FLUSH_PKT, RESPONSE_END_PKT]).toString('latin1'),
    ).toBe('000eversion 2\n000100000002');
    expect(encodePktLine('').toString('latin1')).toBe('0004');
  });

  it('round-trips any sequence of lines and specials', () => {
    const specials = { flush: FLUSH_PKT, delim: DELIM_PKT, 'response-end': RESPONSE_END_PKT };
    const packet = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom('flush' as const, 'delim' as const, 'response-end' as const),
    );
    fc.assert(
      fc.property(fc.array(packet, { maxLength: 30 }), (packets) => {
        const encoded = encodePktLines(
          packets.map((p) => (typeof p === 'string' ? specials[p] : p)),
        );
        const decoded = decodePktLines(encoded);
        expect(
          decoded.map((line) => (line.type === 'data' ? Buffer.from(line.data) : line.type)),
        ).toEqual(packets);
      }),
      fcParams(200),
    );
  });

  it('decodes across arbitrary chunk boundaries', async () => {
    const encoded = encodePktLines(['alpha', DELIM_PKT, 'beta', FLUSH_PKT]);
    const chunks = [...encoded].map((byte) => Buffer.from([byte]));
    const texts: Array<string | undefined> = [];
    for await (const line of readPktLines(chunks))
      texts.push(line.type === 'data' ? pktText(line) : line.type);
    expect(texts).toEqual(['alpha', 'delim', 'beta', 'flush']);
  });

  it.each([
    ['non-hex length', 'zzzz'],
    ['the reserved length 0003', '0003'],
    ['a length over 65520', 'fff0'],
    ['a cut line', '000ahel'],
  ])('refuses %s', (_name, input) => {
    expect(() => decodePktLines(Buffer.from(input, 'latin1'))).toThrow(PktLineError);
  });

  it('refuses to encode a line over the limit', () => {
    expect(() => encodePktLine(Buffer.alloc(MAX_PKT_DATA_BYTES + 1))).toThrow(PktLineError);
    expect(encodePktLine(Buffer.alloc(MAX_PKT_DATA_BYTES))).toHaveLength(65520);
  });

  it('keeps the bytes after the packets taken', () => {
    const decoder = new PktLineDecoder();
    decoder.push(Buffer.concat([encodePktLines(['cmd', FLUSH_PKT]), Buffer.from('PACK')]));
    expect(decoder.next()?.type).toBe('data');
    expect(decoder.next()?.type).toBe('flush');
    expect(decoder.rest().toString()).toBe('PACK');
  });

  it('splits side-band data into 65515-byte payloads and reads them back', () => {
    const data = Buffer.alloc(140_000, 7);
    const encoded = encodeSideBand(BAND_DATA, data);
    const lines = decodePktLines(encoded);
    expect(lines).toHaveLength(3);
    const rebuilt = Buffer.concat(lines.map((line) => decodeSideBand(line).data));
    expect(rebuilt.equals(data)).toBe(true);
    const progress = decodeSideBand(
      decodePktLines(encodeSideBand(BAND_PROGRESS, Buffer.from('hi')))[0]!,
    );
    expect(progress).toMatchObject({ band: BAND_PROGRESS });
    expect(encodeSideBand(BAND_DATA, Buffer.alloc(0))).toHaveLength(0);
  });
});
