/**
 * Errors of bundle reading and of the checks every imported object passes (bundles, server
 * paths, remote fetches). The import service decides which public code each becomes
 * (INVALID_BUNDLE for an upload, IMPORT_FAILED for a job).
 */
import { GitError } from '../errors/git-error';

/** A bundle that is not a git bundle, is truncated, or whose pack or objects do not verify. */
export class InvalidBundleError extends GitError {
  readonly code = 'INVALID_BUNDLE';
  readonly kind = 'invalid-argument';
  constructor(reason: string, details?: Record<string, unknown>) {
    super(`invalid bundle: ${reason}`, { reason, ...details });
  }
}

/** An object that git's strict fsck would refuse, or a ref pointing at a missing history. */
export class RejectedObjectError extends GitError {
  readonly code = 'REJECTED_OBJECT';
  readonly kind = 'invalid-argument';
  constructor(reason: string, oid?: string) {
    super(oid === undefined ? reason : `object ${oid}: ${reason}`, {
      reason,
      ...(oid === undefined ? {} : { oid }),
    });
  }
}
