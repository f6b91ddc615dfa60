/**
 * Sizes as written in configuration: `512B`, `10KB`/`MB`/`GB`/`TB` (powers of 1000),
 * `10KiB`/`MiB`/`GiB`/`TiB` (powers of 1024); a bare number means bytes. Units are
 * case-insensitive, so `10mib` is 10 MiB.
 */

/** A size in bytes. */
export type Bytes = number;

const BYTES_PER_UNIT: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/** Parses a size; returns undefined when the text is not one (callers report the key). */
export function parseSize(value: string | number): Bytes | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  const multiplier = unit ? BYTES_PER_UNIT[unit.toLowerCase()] : 1;
  if (multiplier === undefined) return undefined;
  const bytes = Math.floor(Number(amount) * multiplier);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
