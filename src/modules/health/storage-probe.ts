/**
 * A real check of the configured storage for the storage check of /health: resolves with a
 * short report when storage can take a write now (`warning` when it works but not as
 * configured, e.g. a driver that is not wired in yet), rejects when it cannot. Provided by
 * whichever module owns the storage driver (git-core); the health module only calls it.
 */
export interface StorageProbeReport {
  readonly message: string;
  readonly warning?: boolean;
}

export abstract class StorageProbe {
  abstract probe(): Promise<StorageProbeReport>;
}
