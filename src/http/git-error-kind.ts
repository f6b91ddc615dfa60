/**
 * The kinds of failure a domain error (src/core/errors) declares, and the HTTP status each one
 * means. The filter recognises domain errors by shape (string `code` and a known `kind`), so the
 * HTTP layer does not import the engine and the engine knows nothing of HTTP.
 */

export type GitErrorKind =
  | 'not-found'
  | 'conflict'
  | 'invalid-argument'
  | 'permission-denied'
  | 'too-large'
  | 'unavailable'
  | 'unauthenticated'
  | 'precondition';

/** A Record, so a new kind without a status does not compile. */
export const STATUS_BY_KIND: Record<GitErrorKind, number> = {
  'not-found': 404,
  conflict: 409,
  'invalid-argument': 400,
  'permission-denied': 403,
  'too-large': 413,
  unavailable: 503,
  unauthenticated: 401,
  precondition: 400,
};

/** What the core's GitError carries: a stable UPPER_SNAKE `code`, a kind, a message, details. */
export interface GitErrorShape {
  readonly code: string;
  readonly kind: GitErrorKind;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export function isGitErrorShape(value: unknown): value is GitErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const { code, kind } = value as Record<string, unknown>;
  return (
    typeof code === 'string' && typeof kind === 'string' && Object.hasOwn(STATUS_BY_KIND, kind)
  );
}
