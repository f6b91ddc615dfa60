/**
 * What a failed database call means for the caller. Anything that is not a decision of ours
 * (a lost compare-and-swap) is a storage fault: connection refused or lost, a statement past
 * `postgres_statement_timeout`, the server shutting down. Those become StorageUnavailableError
 * (503), and the pool reconnects on the next call once the database is back (RELIABILITY I1).
 */
import { isGitError } from '../../errors/git-error';
import { StorageUnavailableError } from '../../errors/storage-errors';

function describe(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : 'unknown error';
  const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
  return `${code}${error.message}`;
}

/** Domain errors pass through; everything else becomes StorageUnavailableError. */
export function asStorageError(error: unknown, what: string): Error {
  if (isGitError(error)) return error;
  return new StorageUnavailableError(`postgres ${what} failed: ${describe(error)}`, {
    cause: error,
  });
}

/** Runs `operation`, failing with StorageUnavailableError after `timeoutMs` at the latest. */
export async function withTimeout<T>(
  operation: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StorageUnavailableError(`postgres ${what} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([operation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
