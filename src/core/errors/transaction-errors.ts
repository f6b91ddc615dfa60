/**
 * Errors of transactions (contract §7), parallel realities (§8) and time travel (§9), with the
 * codes of the contract's catalogue (§14). Each names what failed in `details`.
 */
import { GitError } from './git-error';

// ---- transactions ---------------------------------------------------------------------------

/** Unknown, finished, expired, or owned by someone else: all look the same to the caller. */
export class TxNotFoundError extends GitError {
  readonly code = 'TX_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(id: string) {
    super('transaction not found', { id });
  }
}

/** Validation reasons (contract §7). */
export const EMPTY_CONTENT = 'empty content';
export const NO_CHANGES = 'no changes';

/** One problem `validate` found; `path` is `''` for a problem of the whole transaction. */
export interface ValidationProblem {
  readonly path: string;
  readonly reason: string;
}

export class ValidationFailedError extends GitError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'invalid-argument';
  /** The message names the first problem: `empty file: <path>`, `no changes`. */
  constructor(readonly errors: readonly ValidationProblem[]) {
    super(`validation failed: ${describe(errors[0])}`, { errors: errors.map((e) => ({ ...e })) });
  }
}

function describe(problem: ValidationProblem | undefined): string {
  if (problem === undefined) return 'unknown problem';
  if (problem.reason === EMPTY_CONTENT) return `empty file: ${problem.path}`;
  return problem.path === '' ? problem.reason : `${problem.reason}: ${problem.path}`;
}

export class TxNotValidatedError extends GitError {
  readonly code = 'TX_NOT_VALIDATED';
  readonly kind = 'invalid-argument';
  constructor(id: string) {
    super('transaction not validated', { id });
  }
}

/** The branch moved since the transaction began and its changes do not merge cleanly. */
export class TxConflictError extends GitError {
  readonly code = 'TX_CONFLICT';
  readonly kind = 'conflict';
  constructor(readonly paths: readonly string[]) {
    super(`transaction conflicts with the branch at: ${paths.join(', ')}`, { paths: [...paths] });
  }
}

export type TxLimit = 'max_size' | 'max_files';

export class TxTooLargeError extends GitError {
  readonly code = 'TX_TOO_LARGE';
  readonly kind = 'too-large';
  constructor(limit: TxLimit, max: number, actual: number) {
    super(`transaction too large: ${limit} is ${max}, would be ${actual}`, { limit, max, actual });
  }
}

export class TxLimitReachedError extends GitError {
  readonly code = 'TX_LIMIT_REACHED';
  readonly kind = 'unavailable';
  constructor(max: number) {
    super(`too many open transactions (max ${max})`, { max_open: max });
  }
}

// ---- parallel realities ---------------------------------------------------------------------

export class RealityNotFoundError extends GitError {
  readonly code = 'REALITY_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(name: string) {
    super(`reality not found: ${name}`, { reality: name });
  }
}

export class RealityExistsError extends GitError {
  readonly code = 'REALITY_EXISTS';
  readonly kind = 'conflict';
  constructor(name: string) {
    super(`reality '${name}' already exists`, { reality: name });
  }
}

export class TooManyRealitiesError extends GitError {
  readonly code = 'TOO_MANY_REALITIES';
  readonly kind = 'invalid-argument';
  constructor(max: number, actual: number) {
    super(`too many realities in one request: ${actual} (max ${max})`, { max, actual });
  }
}

// ---- time travel ----------------------------------------------------------------------------

export class InvalidTimestampError extends GitError {
  readonly code = 'INVALID_TIMESTAMP';
  readonly kind = 'invalid-argument';
  constructor(value: string) {
    super('invalid timestamp format (use Unix timestamp or RFC3339)', { timestamp: value });
  }
}

export class NoCommitsAtTimeError extends GitError {
  readonly code = 'NO_COMMITS_AT_TIME';
  readonly kind = 'not-found';
  constructor(time: number, ref: string) {
    super('no commits found at specified time', { timestamp: time, ref });
  }
}
