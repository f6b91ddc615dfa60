/**
 * The one exception filter: every failure leaves the server as the flat JSON body
 * `{error, code, details?}` (api-contract.md §0.2). Domain errors map by their kind, HTTP-layer
 * errors carry their own code, Nest's HttpExceptions map by status, and anything else is a logged
 * 500 INTERNAL_ERROR whose details hold only the request id. No stack trace ever reaches a client.
 */
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_BY_KIND, isGitErrorShape } from './git-error-kind';
import { HttpError } from './http-error';
import type { LoggedRequest } from '../logging/request-logger';
import { answeredByTimeout } from './request-timeout';
import { requestPath } from './route-template';

/** What the filter writes: status, body and any headers the code requires. */
export interface ErrorReply {
  readonly status: number;
  readonly body: { error: string; code: string; details?: Record<string, unknown> };
  readonly headers: Readonly<Record<string, string>>;
}

/** Codes for HttpExceptions thrown by Nest or libraries (services throw domain errors instead). */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'ENDPOINT_NOT_FOUND',
  405: 'ENDPOINT_NOT_FOUND',
  413: 'REQUEST_TOO_LARGE',
  415: 'UNSUPPORTED_CONTENT_TYPE',
  431: 'HEADERS_TOO_LARGE',
  504: 'REQUEST_TIMEOUT',
};

@Catch()
export class GitErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(GitErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const reply = describeError(exception, request);

    // The client already has its 504; the handler failed later.
    if (answeredByTimeout(response)) return;
    if (reply.body.code === 'INTERNAL_ERROR') this.logUnexpected(exception, request);
    if (response.headersSent) {
      // Part of a response is out; the only honest signal left is a cut connection.
      response.destroy();
      return;
    }
    response.status(reply.status).set(reply.headers).json(reply.body);
  }

  private logUnexpected(exception: unknown, request: Request): void {
    const err = exception instanceof Error ? exception : new Error(String(exception));
    const requestLog = (request as LoggedRequest).log;
    if (requestLog) requestLog.error({ err }, 'unhandled error');
    else this.logger.error(err.message, err.stack);
  }
}

/** Maps any thrown value to its status, flat body and headers. */
export function describeError(exception: unknown, request: Request): ErrorReply {
  if (isGitErrorShape(exception)) {
    const status = STATUS_BY_KIND[exception.kind];
    const headers: Record<string, string> = {};
    if (exception.kind === 'unauthenticated') headers['WWW-Authenticate'] = 'Bearer';
    if (exception.kind === 'unavailable') headers['Retry-After'] = '1';
    return {
      status,
      body: flatBody(exception.message, exception.code, exception.details),
      headers,
    };
  }
  if (exception instanceof HttpError) {
    return {
      status: exception.getStatus(),
      body: flatBody(exception.message, exception.code, exception.details),
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const status = exception.getStatus();
    // Only Nest's router throws a bare NotFoundException; services throw domain errors.
    if (exception instanceof NotFoundException) {
      const message = `endpoint not found: ${request.method} ${requestPath(request)}`;
      return { status, body: flatBody(message, 'ENDPOINT_NOT_FOUND'), headers: {} };
    }
    const code = CODE_BY_STATUS[status] ?? 'INVALID_REQUEST';
    const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
    return { status, body: flatBody(exception.message, code), headers };
  }
  const { id } = request as LoggedRequest;
  const requestId = typeof id === 'string' || typeof id === 'number' ? String(id) : '';
  return {
    status: 500,
    body: flatBody('internal server error', 'INTERNAL_ERROR', { request_id: requestId }),
    headers: {},
  };
}

function flatBody(
  error: string,
  code: string,
  details?: Record<string, unknown>,
): ErrorReply['body'] {
  return details === undefined ? { error, code } : { error, code, details };
}
