/**
 * The cap on hook scripts running at once (hooks.server_hooks.max_concurrent). A request that
 * finds every slot taken is refused at once (HOOK_BUSY); background runs (post-* hooks) wait in
 * a bounded line instead, and are dropped when even that is full.
 */
export type ReleaseSlot = () => void;

/** Background runs waiting for a slot before further ones are dropped. */
const MAX_WAITING = 256;

export class HookSlots {
  private running = 0;
  private readonly waiting: Array<(release: ReleaseSlot) => void> = [];

  constructor(readonly max: number) {}

  get active(): number {
    return this.running;
  }

  /** A slot now, or undefined when all are taken. */
  tryAcquire(): ReleaseSlot | undefined {
    if (this.running >= this.max) return undefined;
    this.running++;
    return this.releaser();
  }

  /** A slot when one frees up; undefined at once when the waiting line is full. */
  acquire(): Promise<ReleaseSlot> | undefined {
    const now = this.tryAcquire();
    if (now !== undefined) return Promise.resolve(now);
    if (this.waiting.length >= MAX_WAITING) return undefined;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `running` stays as it is.
      if (next !== undefined) next(this.releaser());
      else this.running--;
    };
  }
}
