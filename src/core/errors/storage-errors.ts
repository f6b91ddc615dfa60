/**
 * Errors of the storage drivers: a store that can no longer promise durability, a repository
 * whose files fail their checksums, and the repository-level lookups every driver answers.
 * Codes are the REST contract's (§0.2, §14); `REPO_CORRUPT` is added by the durable drivers.
 */
import { GitError } from './git-error';

/**
 * Storage cannot acknowledge writes: a failed write or fsync (disk), or a database that is down
 * or too slow (postgres). Nothing is acknowledged after it; 503 with `Retry-After`.
 */
export class StorageUnavailableError extends GitError {
  readonly code = 'STORAGE_UNAVAILABLE';
  readonly kind = 'unavailable';
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`storage unavailable: ${reason}`, { reason });
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * A repository's persisted state fails its own checks (a corrupt journal record before the
 * tail, a pack or index that does not verify). Only that repository is refused; others work.
 */
export class RepositoryCorruptError extends GitError {
  readonly code = 'REPO_CORRUPT';
  readonly kind = 'unavailable';
  constructor(repo: string, reason: string, options: { cause?: unknown } = {}) {
    super(`repository ${repo} is corrupt: ${reason}`, { repo, reason });
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

export class RepoNotFoundError extends GitError {
  readonly code = 'REPO_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(repo: string) {
    super(`repository ${repo} not found`, { repo });
  }
}

export class RepoExistsError extends GitError {
  readonly code = 'REPO_EXISTS';
  readonly kind = 'conflict';
  constructor(repo: string) {
    super(`repository ${repo} already exists`, { repo });
  }
}

/** A repository id that does not match §0.5's pattern (so it can never name a path). */
export class InvalidRepoIdError extends GitError {
  readonly code = 'INVALID_REPO_ID';
  readonly kind = 'invalid-argument';
  constructor(repo: string, reason: string) {
    super(`invalid repository id '${repo}': ${reason}`, { repo, reason });
  }
}
