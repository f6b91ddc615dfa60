/**
 * Errors of the search engine (api-contract.md §5, §14): a pattern the linear-time engine
 * refuses, a SQL query outside the documented subset, a bad aggregation request, a bad full-text
 * query and malformed time bounds. All are bad input (400).
 */
import { GitError } from '../errors/git-error';

/** A regex the RE2 engine does not accept, or a pattern over the length limit. */
export class InvalidPatternError extends GitError {
  readonly code = 'INVALID_PATTERN';
  readonly kind = 'invalid-argument';
  constructor(reason: string, position?: number) {
    super(`invalid pattern: ${reason}`, position === undefined ? {} : { position });
  }
}

/** SQL outside the subset of §5.4, an unknown table or column, a type mismatch, a timeout. */
export class QueryFailedError extends GitError {
  readonly code = 'QUERY_FAILED';
  readonly kind = 'invalid-argument';
  constructor(reason: string, position?: number) {
    super(`query failed: ${reason}`, position === undefined ? undefined : { position });
  }
}

/** An unknown group_by or aggregation, or a time range whose start is after its end. */
export class AggregationFailedError extends GitError {
  readonly code = 'AGGREGATION_FAILED';
  readonly kind = 'invalid-argument';
  constructor(reason: string) {
    super(`aggregation failed: ${reason}`, { reason });
  }
}

/** A full-text query without a searchable term, or a bad field of its request. */
export class InvalidSearchRequestError extends GitError {
  readonly code = 'INVALID_REQUEST';
  readonly kind = 'invalid-argument';
  constructor(field: string, message: string) {
    super(`invalid request: ${field}: ${message}`, { fields: [{ field, message }] });
  }
}

/** A `since`/`until` bound that is not an RFC3339 time (govc answered 500). */
export class InvalidTimeBoundError extends GitError {
  readonly code = 'SEARCH_FAILED';
  readonly kind = 'invalid-argument';
  constructor(param: string, value: string) {
    super(`invalid ${param}: '${value}' is not an RFC3339 time`, { param });
  }
}
