import { formatDuration, parseDuration } from '../../../src/config/duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
    ['1h2m3.5s', 3_723_500],
    ['1.5s', 1_500],
    ['0', 0],
    [' 45 ', 45_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('reads a bare number as seconds', () => {
    expect(parseDuration(10)).toBe(10_000);
    expect(parseDuration('10')).toBe(10_000);
  });

  it.each(['', 'abc', '10x', '5 m', '-5s', 'ms', '1h 30m', '30S'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('rejects negative and non-finite numbers', () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.42, '420µs'],
    [500, '500ms'],
    [25_000, '25s'],
    [90_000, '1m30s'],
    [3_723_500, '1h2m3.5s'],
    [86_400_000, '24h0m0s'],
  ])('prints %d ms as %j, like Go', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips what it prints', () => {
    for (const ms of [500, 25_000, 90_000, 3_723_500, 86_400_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
