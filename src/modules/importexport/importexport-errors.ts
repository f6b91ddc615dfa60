/**
 * The closed set of failures of import, export, jobs, migration, backup and restore
 * (api-contract.md §11.2, §14). Each is a GitError, so the one filter writes it as flat JSON;
 * those marked "job" are the `error.code` of a failed job rather than an HTTP answer.
 */
import { GitError } from '../../core';

export class JobNotFoundError extends GitError {
  readonly code = 'JOB_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(id: string) {
    super('job not found', { job_id: id });
  }
}

export class JobNotCancellableError extends GitError {
  readonly code = 'JOB_NOT_CANCELLABLE';
  readonly kind = 'conflict';
  constructor(id: string, status: string) {
    super(`job is already ${status}`, { job_id: id, status });
  }
}

export class UnsupportedSourceError extends GitError {
  readonly code = 'UNSUPPORTED_SOURCE';
  readonly kind = 'invalid-argument';
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
  }
}

export class UnsupportedFormatError extends GitError {
  readonly code = 'UNSUPPORTED_FORMAT';
  readonly kind = 'invalid-argument';
  constructor(format: string) {
    super(`unsupported export format '${format}'; use bundle, tar or archive`, { format });
  }
}

export class PathNotAllowedError extends GitError {
  readonly code = 'PATH_NOT_ALLOWED';
  readonly kind = 'permission-denied';
  constructor(path: string) {
    super('path is outside import.allowed_paths', { path });
  }
}

export class RepoNotEmptyError extends GitError {
  readonly code = 'REPO_NOT_EMPTY';
  readonly kind = 'conflict';
  constructor(repoId: string) {
    super(`repository ${repoId} already has refs; import needs an empty repository`, {
      repo_id: repoId,
    });
  }
}

/** Job outcome: the source could be read but its content could not be imported. */
export class ImportFailedError extends GitError {
  readonly code = 'IMPORT_FAILED';
  readonly kind = 'invalid-argument';
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
  }
}

/** Job outcome: the remote could not be reached (network, HTTP status, forbidden address). */
export class ImportSourceUnreachableError extends GitError {
  readonly code = 'IMPORT_SOURCE_UNREACHABLE';
  readonly kind = 'unavailable';
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
  }
}

export class BackupNotFoundError extends GitError {
  readonly code = 'BACKUP_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(id: string) {
    super('backup not found', { backup_id: id });
  }
}

export class BackupCorruptError extends GitError {
  readonly code = 'BACKUP_CORRUPT';
  readonly kind = 'invalid-argument';
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
  }
}

/** A caller lacking a permission a handler checks itself (e.g. system:admin for path imports). */
export class InsufficientPermissionError extends GitError {
  readonly code = 'FORBIDDEN';
  readonly kind = 'permission-denied';
  constructor(required: string) {
    super('Insufficient permissions', { required });
  }
}

/** The job was cancelled while it ran (internal: the job ends `cancelled`, not `failed`). */
export class JobCancelledError extends Error {
  constructor() {
    super('job cancelled');
  }
}
