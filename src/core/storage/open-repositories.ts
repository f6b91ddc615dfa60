/**
 * The repositories a durable driver has loaded, keyed by id, with the two rules both drivers
 * need: an open waits for a close of the same id still in progress (its final flush or
 * checkpoint must land before the data is read again), and a failed open is not cached, so the
 * next call tries again.
 */
export interface ClosableRepository {
  close(): Promise<void>;
}

export class OpenRepositories<R extends ClosableRepository> {
  private readonly opening = new Map<string, Promise<R>>();
  private readonly closing = new Map<string, Promise<void>>();

  /** The repository, loading it with `load` unless it is open or being opened. */
  open(id: string, load: () => Promise<R>): Promise<R> {
    let opening = this.opening.get(id);
    if (opening === undefined) {
      const closing = this.closing.get(id) ?? Promise.resolve();
      opening = closing.catch(() => undefined).then(load);
      this.opening.set(id, opening);
      opening.catch(() => {
        if (this.opening.get(id) === opening) this.opening.delete(id);
      });
    }
    return opening;
  }

  has(id: string): boolean {
    return this.opening.has(id);
  }

  get(id: string): Promise<R> | undefined {
    return this.opening.get(id);
  }

  entries(): IterableIterator<[string, Promise<R>]> {
    return this.opening.entries();
  }

  /** Drops the repository from the set without closing it (the caller disposes of it). */
  forget(id: string): Promise<R> | undefined {
    const opening = this.opening.get(id);
    this.opening.delete(id);
    return opening;
  }

  /** Resolves once no close of `id` is in progress (a delete must not race its checkpoint). */
  async whenClosed(id: string): Promise<void> {
    await this.closing.get(id)?.catch(() => undefined);
  }

  /** Closes one repository; a later open of the same id waits for this close. */
  async close(id: string): Promise<void> {
    const opening = this.forget(id);
    if (opening === undefined) return;
    const closing = opening.then(
      (repository) => repository.close(),
      () => undefined,
    );
    this.closing.set(id, closing);
    try {
      await closing;
    } finally {
      if (this.closing.get(id) === closing) this.closing.delete(id);
    }
  }

  /** Closes every repository, one after another; returns the errors instead of stopping. */
  async closeAll(): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const id of [...this.opening.keys()]) {
      const repository = await this.forget(id)?.catch(() => undefined);
      await repository?.close().catch((error: unknown) => errors.push(error));
    }
    return errors;
  }
}
