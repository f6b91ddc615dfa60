/**
 * Errors of the diff, patch and blame engine. Blame's refusals are request errors (the API maps
 * them to 400 INVALID_REQUEST); a patch that does not fit its base is a conflict.
 */
import { GitError } from './git-error';

/** Blame was asked for a file git would treat as binary (a NUL in its first 8000 bytes). */
export class BinaryBlameError extends GitError {
  readonly code = 'INVALID_REQUEST';
  readonly kind = 'invalid-argument';
  constructor(path: string) {
    super(`cannot blame binary file '${path}'`, { path, reason: 'binary file' });
  }
}

/** A blame line range outside the file: start < 1, end < start, or start past the last line. */
export class InvalidBlameRangeError extends GitError {
  readonly code = 'INVALID_REQUEST';
  readonly kind = 'invalid-argument';
  /** `range`: the requested start and end, and the file's line count when known. */
  constructor(
    path: string,
    reason: string,
    range: { readonly start: number; readonly end?: number; readonly lines?: number },
  ) {
    super(`invalid line range for '${path}': ${reason}`, { path, reason, ...range });
  }
}

/** A unified patch whose context or removed lines do not match the text it is applied to. */
export class PatchApplyError extends GitError {
  readonly code = 'PATCH_DOES_NOT_APPLY';
  readonly kind = 'conflict';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(`patch does not apply: ${reason}`, { reason, ...details });
  }
}
