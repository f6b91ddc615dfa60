/**
 * parseTimestamp (contract §9): the four accepted spellings, exact calendar arithmetic for any
 * year, and INVALID_TIMESTAMP for everything else.
 */
import fc from 'fast-check';
import { InvalidTimestampError } from '../../../../src/core/errors/transaction-errors';
import { parseTimestamp } from '../../../../src/core/walk/timestamp';
import { fcParams } from '../../../support/fast-check';

describe('parseTimestamp', () => {
  it('reads Unix seconds', () => {
    expect(parseTimestamp('0')).toBe(0);
    expect(parseTimestamp('1700000000')).toBe(1_700_000_000);
  });

  it('reads RFC 3339 with Z, offsets and fractions (a fraction is dropped)', () => {
    expect(parseTimestamp('2023-11-14T22:13:20Z')).toBe(1_700_000_000);
    expect(parseTimestamp('2023-11-14t22:13:20z')).toBe(1_700_000_000);
    expect(parseTimestamp('2023-11-14T22:13:20.999Z')).toBe(1_700_000_000);
    expect(parseTimestamp('2023-11-15T00:13:20+02:00')).toBe(1_700_000_000);
    expect(parseTimestamp('2023-11-14T20:43:20-01:30')).toBe(1_700_000_000);
  });

  it('reads `YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DD` as UTC', () => {
    expect(parseTimestamp('2023-11-14 22:13:20')).toBe(1_700_000_000);
    expect(parseTimestamp('2023-11-14')).toBe(1_699_920_000);
    expect(parseTimestamp('1970-01-01')).toBe(0);
    expect(parseTimestamp('2024-02-29')).toBe(1_709_164_800);
    expect(parseTimestamp('0001-01-01')).toBe(-62_135_596_800);
  });

  it.each([
    '',
    'yesterday',
    '-5',
    '1.5',
    '2023-11-14T22:13:20', // RFC 3339 needs an offset
    '2023-11-14 22:13:20Z', // the space form is UTC only
    '2023-13-01',
    '2023-02-29',
    '2023-04-31',
    '2023-11-14T24:00:00Z',
    '2023-11-14T22:60:00Z',
    '2023-11-14T22:13:60Z',
    '2023-11-14T22:13:20+24:00',
    '2023-11-14T22:13:20+0200',
    '23-11-14',
    ' 2023-11-14',
  ])('refuses %j with INVALID_TIMESTAMP', (text) => {
    expect(() => parseTimestamp(text)).toThrow(InvalidTimestampError);
  });

  it('agrees with Date for every RFC 3339 instant from 1970 to 9999', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: -23 * 60, max: 23 * 60 }),
        (date, offsetMinutes) => {
          const seconds = Math.floor(date.getTime() / 1000);
          expect(parseTimestamp(date.toISOString())).toBe(seconds);
          const local = new Date((seconds + offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          if (local.startsWith('+') || local.startsWith('-')) return; // shifted out of 4-digit years
          expect(parseTimestamp(`${local}${zone}`)).toBe(seconds);
        },
      ),
      fcParams(300),
    );
  });
});
