/**
 * Errors of the Repository facade: committing, branch and tag housekeeping, checkout, and
 * identities. Codes are the REST contract's (§3.2, §3.4, §14).
 */
import { GitError } from './git-error';

/** A commit (or tag) message that is empty, too long, or holds NUL or invalid UTF-16. */
export class InvalidCommitMessageError extends GitError {
  readonly code = 'INVALID_COMMIT_MESSAGE';
  readonly kind = 'invalid-argument';
  constructor(reason: string) {
    super(`invalid commit message: ${reason}`, { reason });
  }
}

/** The index equals HEAD and the caller did not allow an empty commit. */
export class NothingToCommitError extends GitError {
  readonly code = 'COMMIT_FAILED';
  readonly kind = 'invalid-argument';
  constructor() {
    super('failed to commit: nothing to commit');
  }
}

/** An author, committer or tagger that would not serialize as a git identity line. */
export class InvalidIdentityError extends GitError {
  readonly code = 'INVALID_REQUEST';
  readonly kind = 'invalid-argument';
  constructor(field: string, message: string) {
    super(`invalid ${field}: ${message}`, { fields: [{ field, message }] });
  }
}

/** Branch creation on a repository without commits: there is nothing to point at. */
export class BranchCreateFailedError extends GitError {
  readonly code = 'BRANCH_CREATE_FAILED';
  readonly kind = 'invalid-argument';
  constructor(branch: string, reason = 'no commits yet') {
    super(`cannot create branch '${branch}': ${reason}`, { branch, reason });
  }
}

export class DeleteCurrentBranchError extends GitError {
  readonly code = 'DELETE_CURRENT_BRANCH';
  readonly kind = 'invalid-argument';
  constructor(branch: string) {
    super('cannot delete current branch', { branch });
  }
}

/** `main` and `master` cannot be deleted (govc's rule, kept by the contract). */
export class ProtectedBranchError extends GitError {
  readonly code = 'PROTECTED_BRANCH';
  readonly kind = 'invalid-argument';
  constructor(branch: string) {
    super('cannot delete main/master branch', { branch });
  }
}

/** A checkout would overwrite local changes (or untracked files) at `paths`. */
export class CheckoutConflictError extends GitError {
  readonly code = 'CHECKOUT_FAILED';
  readonly kind = 'conflict';
  constructor(readonly paths: readonly string[]) {
    super('local changes would be overwritten', { paths: [...paths] });
  }
}

/** Tag creation on a repository without commits. */
export class TagCreateFailedError extends GitError {
  readonly code = 'TAG_CREATE_FAILED';
  readonly kind = 'invalid-argument';
  constructor(tag: string, reason = 'no commits yet') {
    super(`cannot create tag '${tag}': ${reason}`, { tag, reason });
  }
}
