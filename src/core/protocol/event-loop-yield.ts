/**
 * Long pack reads and writes are CPU work on the one JavaScript thread. Awaiting a microtask
 * does not let timers or sockets run, so the loops ask this yielder every entry and, once a
 * time slice is used up, wait one macrotask turn: health checks and other requests keep
 * answering while a big clone or push is being packed.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Default time slice before giving the event loop a turn. */
export const DEFAULT_SLICE_MS = 10;

/** Returns a function that resolves to a pause when the slice is used up, else undefined. */
export function createEventLoopYielder(
  sliceMs: number = DEFAULT_SLICE_MS,
): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    const now = performance.now();
    if (now - sliceStart < sliceMs) return undefined;
    return nextTurn().then(() => {
      sliceStart = performance.now();
    });
  };
}
