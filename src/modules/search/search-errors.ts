/**
 * The search routes' own refusals and faults (api-contract.md §5, §14): a missing `query`/`q`,
 * and the 500 codes each route reports for a real fault instead of INTERNAL_ERROR.
 */
import { HttpException } from '@nestjs/common';
import { GitError, isGitError } from '../../core';
import { HttpError } from '../../http/http-error';

export class MissingQueryError extends GitError {
  readonly code = 'MISSING_QUERY';
  readonly kind = 'invalid-argument';
  constructor(message = 'query parameter is required') {
    super(message);
  }
}

/** Runs `work`; a failure that is neither a domain error nor an HTTP one becomes 500 `code`. */
export async function asFault<T>(code: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isGitError(error) || error instanceof HttpException) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new HttpError(500, code, `${code.toLowerCase().replace(/_/g, ' ')}: ${message}`);
  }
}
