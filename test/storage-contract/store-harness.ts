/**
 * What an adapter spec hands the contract suites: a fresh, empty store per test, and for
 * durable adapters a way to open the persisted data again, so the suites can prove that what
 * was flushed survives a restart (memory adapters leave `reopen` out).
 */
export interface StoreHarness<S> {
  /** A fresh, empty store. */
  readonly store: S;
  /** A new store instance over the data `store` persisted (durable adapters only). */
  readonly reopen?: () => Promise<S>;
  /** Releases whatever the factory and `reopen` opened (files, connections, schemas). */
  readonly cleanup?: () => Promise<void>;
}

export type StoreFactory<S> = () => StoreHarness<S> | Promise<StoreHarness<S>>;

/**
 * Flushes and returns what a restarted process would read: a reopened store for durable
 * adapters, the same store for memory ones (which promise nothing across restarts).
 */
export async function afterRestart<S extends { flush(): Promise<void> }>(
  harness: StoreHarness<S>,
  store: S = harness.store,
): Promise<S> {
  await store.flush();
  return harness.reopen ? harness.reopen() : store;
}
