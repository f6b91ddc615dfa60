/** Errors about git objects: missing, malformed, or of the wrong type. */
import { GitError } from './git-error';

export class ObjectNotFoundError extends GitError {
  readonly code = 'OBJECT_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(readonly oid: string) {
    super(`object ${oid} not found`, { oid });
  }
}

/** Bytes that do not parse as the object type they claim to be. */
export class CorruptObjectError extends GitError {
  readonly code = 'CORRUPT_OBJECT';
  readonly kind = 'invalid-argument';
  constructor(type: string, reason: string, oid?: string) {
    super(`malformed ${type} object${oid ? ` ${oid}` : ''}: ${reason}`, {
      type,
      reason,
      ...(oid ? { oid } : {}),
    });
  }
}

export class UnexpectedObjectTypeError extends GitError {
  readonly code = 'UNEXPECTED_OBJECT_TYPE';
  readonly kind = 'invalid-argument';
  constructor(oid: string, expected: string, actual: string) {
    super(`object ${oid} is a ${actual}, not a ${expected}`, { oid, expected, actual });
  }
}

export class CommitNotFoundError extends GitError {
  readonly code = 'COMMIT_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(ref: string) {
    super(`commit not found: ${ref}`, { ref });
  }
}

/** An object (or its inflated form) larger than the limit the caller allows. */
export class ObjectTooLargeError extends GitError {
  readonly code = 'OBJECT_TOO_LARGE';
  readonly kind = 'too-large';
  constructor(limit: number, oid?: string) {
    super(`object${oid ? ` ${oid}` : ''} is larger than ${limit} bytes`, {
      limit,
      ...(oid ? { oid } : {}),
    });
  }
}
