import { parseSize } from '../../../src/config/size';

describe('parseSize', () => {
  it.each([
    ['512B', 512],
    ['10KB', 10_000],
    ['10MB', 10_000_000],
    ['1GB', 1_000_000_000],
    ['10KiB', 10_240],
    ['10MiB', 10_485_760],
    ['1GiB', 1_073_741_824],
    ['2TiB', 2 * 2 ** 40],
    ['256kib', 262_144],
    ['1.5MiB', 1_572_864],
    ['1024', 1024],
    [' 64 MiB ', 64 * 2 ** 20],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('reads a bare number as bytes', () => {
    expect(parseSize(4096)).toBe(4096);
  });

  it.each(['', 'MiB', '10 XB', '10M', '-1KB', 'ten', '1e3'])('rejects %j', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });

  it('rejects fractional and negative numbers', () => {
    expect(parseSize(1.5)).toBeUndefined();
    expect(parseSize(-1)).toBeUndefined();
  });
});
