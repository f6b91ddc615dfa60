/**
 * The hard limits every pack read runs under (RELIABILITY P9, D2). Packs come from untrusted
 * pushes, so no size, count or depth in the pack itself may decide how much memory or time the
 * reader spends: each is checked against these before acting on it.
 */

export interface PackLimits {
  /** Bytes of pack input accepted in total (header, entries and trailer). */
  readonly maxPackBytes: number;
  /** Inflated size of any single entry: a whole object or a delta's instructions. */
  readonly maxObjectBytes: number;
  /** Size of an object rebuilt from a delta. */
  readonly maxDeltaResultBytes: number;
  /** Longest delta chain (a whole object is depth 0). */
  readonly maxDeltaDepth: number;
  /**
   * Bytes all entries inflate to, plus every delta result: the guard against delta
   * amplification, where a few bytes of copy instructions rebuild a huge object many times.
   */
  readonly maxInflatedBytes: number;
}

/**
 * Defaults: 100 MiB objects (git's common hosting limit), 4095-deep chains (the most git's
 * pack-objects ever writes), 1 GiB of pack and 2 GiB of inflated data. Servers narrow these from
 * config (push size, object size).
 */
export const DEFAULT_PACK_LIMITS: PackLimits = {
  maxPackBytes: 1024 * 1024 * 1024,
  maxObjectBytes: 100 * 1024 * 1024,
  maxDeltaResultBytes: 100 * 1024 * 1024,
  maxDeltaDepth: 4095,
  maxInflatedBytes: 2 * 1024 * 1024 * 1024,
};

/** The defaults overridden by `partial`; throws RangeError for a negative or fractional limit. */
export function resolvePackLimits(partial: Partial<PackLimits> = {}): PackLimits {
  const limits: PackLimits = { ...DEFAULT_PACK_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (
      typeof value !== 'number' ||
      !(Number.isSafeInteger(value) || value === Infinity) ||
      value < 0
    ) {
      throw new RangeError(
        `pack limit ${name} must be a non-negative integer, got ${String(value)}`,
      );
    }
  }
  return limits;
}
