/**
 * Base class of every domain error the engine throws.
 *
 * `code` is part of the public API (the REST contract's error codes); `kind` decides the HTTP
 * status in the one global filter, so the engine never knows about HTTP. `details` carries
 * structured data (the value and the rule that failed) for clients.
 */
export type GitErrorKind =
  | 'not-found'
  | 'conflict'
  | 'invalid-argument'
  | 'precondition'
  | 'permission-denied'
  | 'unauthenticated'
  | 'too-large'
  | 'unavailable';

export abstract class GitError extends Error {
  abstract readonly code: string;
  abstract readonly kind: GitErrorKind;
  readonly details?: Record<string, unknown>;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    if (details !== undefined) this.details = details;
  }
}

export function isGitError(value: unknown): value is GitError {
  return value instanceof GitError;
}
