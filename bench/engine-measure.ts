/**
 * What the engine benchmarks share: a fixed identity, a deterministic clock, timing and a
 * garbage-collected heap reading (so memory figures measure what is retained, not garbage).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { percentile } from './harness';

export const AUTHOR = { name: 'Bench', email: 'bench@example.com' };

/** A clock that ticks one second per call, so every commit has a distinct time. */
export function tickingClock(start = 1_700_000_000): { now(): number } {
  let t = start;
  return { now: () => t++ };
}

export function elapsedUs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e3;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

/** Heap plus external memory after two full collections. */
export function retainedBytes(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}
