/**
 * Errors of the merge engine's callers' inputs. Conflicts are not errors (they are results);
 * these are requests that cannot be answered, with the REST contract's codes (§3.6).
 */
import { GitError } from './git-error';

export type PickOperation = 'cherry-pick' | 'revert';

/**
 * A cherry-pick or revert whose parent choice does not fit the commit: a merge commit without
 * a mainline, a mainline for a non-merge commit, or a mainline past the last parent.
 */
export class InvalidMainlineError extends GitError {
  readonly code: 'CHERRY_PICK_FAILED' | 'REVERT_FAILED';
  readonly kind = 'invalid-argument';
  constructor(operation: PickOperation, commit: string, reason: string) {
    super(`${operation} failed: ${reason}`, { commit, reason });
    this.code = operation === 'cherry-pick' ? 'CHERRY_PICK_FAILED' : 'REVERT_FAILED';
  }
}
