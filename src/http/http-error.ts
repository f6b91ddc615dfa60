/**
 * A failure decided by the HTTP layer itself (limits, content type, timeout), carrying its status,
 * its public `code` and optional `details`. Domain failures come from the core as GitErrors.
 */
import { HttpException } from '@nestjs/common';

export class HttpError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message, status);
  }
}
