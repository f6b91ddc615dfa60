/** The concurrency cap of hook scripts (hook-slots.ts). */
import { HookSlots } from '../../../../src/modules/hooks/server-hooks/hook-slots';

describe('HookSlots', () => {
  it('hands out at most `max` slots at once', () => {
    const slots = new HookSlots(2);
    const a = slots.tryAcquire();
    const b = slots.tryAcquire();
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(slots.tryAcquire()).toBeUndefined();
    a?.();
    a?.(); // releasing twice frees one slot only
    expect(slots.active).toBe(1);
    expect(slots.tryAcquire()).toBeDefined();
    expect(slots.tryAcquire()).toBeUndefined();
  });

  it('passes a released slot to the first waiter', async () => {
    const slots = new HookSlots(1);
    const first = slots.tryAcquire();
    const order: string[] = [];
    const waiting = [slots.acquire(), slots.acquire()];
    void waiting[0]?.then((release) => {
      order.push('w1');
      release();
    });
    void waiting[1]?.then((release) => {
      order.push('w2');
      release();
    });
    expect(slots.tryAcquire()).toBeUndefined();
    first?.();
    await Promise.all(waiting.map((wait) => wait ?? Promise.resolve()));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['w1', 'w2']);
    expect(slots.active).toBe(0);
  });
});
