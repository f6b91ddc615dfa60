/**
 * One repository's writes, one at a time in arrival order (api-contract.md §0.1 Concurrency).
 *
 * A write has two parts: the exclusive part (load the repository, run the synchronous engine
 * mutation, start the stores' flush) runs after every earlier write's exclusive part; the
 * acknowledgement then waits for that flush to be durable, outside the exclusive section, so
 * the flushes of consecutive writes share fsyncs or transactions (group commit) while their
 * effects still apply in order. A write counts against the bound from arrival to
 * acknowledgement; past it the write is refused at once with REPO_BUSY. Reads never queue.
 */
import { RepoBusyError } from './capacity-errors';

/** Writes queued or awaiting durability per repository before new ones get 503 REPO_BUSY. */
export const MAX_QUEUED_WRITES = 256;

/** What the exclusive part of a write hands back: its result and when it is durable. */
export interface StagedWrite<T> {
  readonly value: T;
  readonly durable: Promise<unknown>;
}

export class RepositoryWriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Settles when every write that has arrived so far is acknowledged or refused. */
  private acknowledged: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly repo: string,
    private readonly maxQueued: number = MAX_QUEUED_WRITES,
  ) {}

  /** Writes that have arrived and are not yet acknowledged. */
  get size(): number {
    return this.pending;
  }

  /**
   * Runs `exclusive` after every earlier write's exclusive part, then resolves with its value
   * once its `durable` promise has settled. Throws RepoBusyError, synchronously, when full.
   */
  run<T>(exclusive: () => Promise<StagedWrite<T>> | StagedWrite<T>): Promise<T> {
    if (this.pending >= this.maxQueued) throw new RepoBusyError(this.repo, this.maxQueued);
    this.pending++;
    const turn = this.tail.then(exclusive);
    this.tail = turn.catch(() => undefined);
    const acknowledgement = turn
      .then(async ({ value, durable }) => {
        await durable;
        return value;
      })
      .finally(() => {
        this.pending--;
      });
    this.acknowledged = Promise.allSettled([this.acknowledged, acknowledgement]);
    return acknowledgement;
  }

  /** Resolves once every write that arrived before this call is acknowledged or refused. */
  async idle(): Promise<void> {
    await this.acknowledged;
  }
}
