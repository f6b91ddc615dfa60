/** Errors about refs, revisions, branches and tags. */
import { GitError } from './git-error';

export class InvalidRefError extends GitError {
  readonly code = 'INVALID_REF';
  readonly kind = 'invalid-argument';
  constructor(ref: string, reason: string) {
    super(`invalid ref '${ref}': ${reason}`, { ref, reason });
  }
}

export class RefNotFoundError extends GitError {
  readonly code = 'REF_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(ref: string) {
    super(`ref '${ref}' not found`, { ref });
  }
}

export class AmbiguousRefError extends GitError {
  readonly code = 'AMBIGUOUS_REF';
  readonly kind = 'invalid-argument';
  constructor(ref: string, candidates: readonly string[]) {
    super(`short object id '${ref}' is ambiguous`, { ref, candidates: candidates.slice(0, 10) });
  }
}

export class InvalidBranchNameError extends GitError {
  readonly code = 'INVALID_BRANCH_NAME';
  readonly kind = 'invalid-argument';
  constructor(name: string, reason: string) {
    super(`invalid branch name '${name}': ${reason}`, { name, reason });
  }
}

export class InvalidTagNameError extends GitError {
  readonly code = 'INVALID_TAG_NAME';
  readonly kind = 'invalid-argument';
  constructor(name: string, reason: string) {
    super(`invalid tag name '${name}': ${reason}`, { name, reason });
  }
}

export class BranchNotFoundError extends GitError {
  readonly code = 'BRANCH_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(branch: string, message = `branch not found: ${branch}`) {
    super(message, { branch });
  }
}

export class BranchExistsError extends GitError {
  readonly code = 'BRANCH_EXISTS';
  readonly kind = 'conflict';
  constructor(branch: string) {
    super(`branch '${branch}' already exists`, { branch });
  }
}

export class TagNotFoundError extends GitError {
  readonly code = 'TAG_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(tag: string) {
    super(`tag not found: ${tag}`, { tag });
  }
}

export class TagExistsError extends GitError {
  readonly code = 'TAG_EXISTS';
  readonly kind = 'conflict';
  constructor(tag: string) {
    super(`tag '${tag}' already exists`, { tag });
  }
}

/** A compare-and-swap on a ref lost a race: someone else moved it first. */
export class ConcurrentUpdateError extends GitError {
  readonly code = 'CONCURRENT_UPDATE';
  readonly kind = 'conflict';
  constructor(ref: string, expected: string | null, actual: string | null) {
    super(`ref '${ref}' was updated concurrently; re-read and retry`, { ref, expected, actual });
  }
}
