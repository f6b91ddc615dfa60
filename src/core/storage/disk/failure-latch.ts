/**
 * Remembers the first failed write or fsync of a disk driver. After a failed fsync the kernel
 * may have dropped the dirty pages while a retry reports success, so nothing is ever retried
 * and acknowledged (RELIABILITY P1, B3): from then on every flush rejects with
 * StorageUnavailableError and the operator restarts, which recovers from the journal.
 */
import { StorageUnavailableError } from '../../errors/storage-errors';
import type { StorageLogger } from '../storage-driver';

export class FailureLatch {
  private failure: StorageUnavailableError | undefined;

  constructor(private readonly logger: StorageLogger) {}

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** The latched failure, if any. */
  get error(): StorageUnavailableError | undefined {
    return this.failure;
  }

  /** Latches the failure (the first one wins) and returns the error to reject with. */
  fail(what: string, cause: unknown): StorageUnavailableError {
    if (this.failure === undefined) {
      const reason = `${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`;
      this.failure = new StorageUnavailableError(`${reason}; writes are refused until restart`, {
        cause,
      });
      this.logger.error('storage write failed; refusing further writes until restart', { reason });
    }
    return this.failure;
  }

  /** Throws the latched failure, if any. */
  check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
