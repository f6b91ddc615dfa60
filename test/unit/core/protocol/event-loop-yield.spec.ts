/**
 * Packing and unpacking run long on the one JavaScript thread; the yielder is what lets timers
 * and sockets (health checks, other requests) run in between. It must give a macrotask turn once
 * the slice is used up, and cost nothing (no promise) before that.
 */
import { performance } from 'node:perf_hooks';
import { createEventLoopYielder } from '../../../../src/core/protocol/event-loop-yield';

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('createEventLoopYielder', () => {
  it('lets a timer run during a long loop once the slice is used up', async () => {
    const breathe = createEventLoopYielder(5);
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    let ranDuringLoop = false;
    for (let i = 0; i < 10 && !ranDuringLoop; i++) {
      busyWait(3);
      const pause = breathe();
      if (pause !== undefined) await pause;
      ranDuringLoop = timerRan;
    }
    expect(ranDuringLoop).toBe(true);
  });

  it('returns no pause while the slice lasts', () => {
    const breathe = createEventLoopYielder(10_000);
    expect(breathe()).toBeUndefined();
    busyWait(2);
    expect(breathe()).toBeUndefined();
  });
});
