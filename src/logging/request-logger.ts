/**
 * Per-request logging: every request gets an id (a sane X-Request-Id from the client, else a
 * UUID), echoed in the X-Request-Id response header, kept as `request.id` and bound to
 * `request.log` for lines logged while serving it; when the response ends, one line with method,
 * route template, path, status and duration. Headers are never logged (they carry credentials).
 *
 * Hand-written rather than pino-http: that one builds a child logger and several closures per
 * request and serializes through wrappers, which cost more than the routes it logs. Here the
 * child logger is made only when something asks for `request.log`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { requestPath, routeTemplate, type RoutedRequest } from '../http/route-template';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;

/** What the request logger adds to a request. */
export interface LoggedRequest {
  id?: string;
  log?: Logger;
}

/** The client's X-Request-Id when it is short and plain, else a fresh UUID. */
export function chooseRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

export function createRequestLogger(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    const id = chooseRequestId(request.headers['x-request-id']);
    response.setHeader('X-Request-Id', id);
    const logged = request as unknown as LoggedRequest;
    logged.id = id;
    let child: Logger | undefined;
    Object.defineProperty(request, 'log', {
      configurable: true,
      enumerable: false,
      get: () => (child ??= logger.child({ request_id: id })),
    });
    const done = (): void => {
      response.removeListener('finish', done);
      response.removeListener('close', done);
      logCompletion(logger, id, request, response, started);
    };
    response.once('finish', done);
    response.once('close', done);
    next();
  };
}

function logCompletion(
  logger: Logger,
  id: string,
  request: IncomingMessage & RoutedRequest,
  response: ServerResponse,
  started: bigint,
): void {
  const finished = response.writableFinished;
  // An event stream ends when its client leaves: that is its normal end, not an abort.
  const stream =
    !finished && String(response.getHeader('content-type')).startsWith('text/event-stream');
  const level = stream
    ? 'info'
    : !finished
      ? 'warn'
      : response.statusCode >= 500
        ? 'error'
        : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const micros = Number((process.hrtime.bigint() - started) / 1000n);
  logger[level](
    {
      request_id: id,
      method: request.method,
      route: routeTemplate(request) ?? 'unmatched',
      path: requestPath(request),
      status: response.statusCode,
      duration_ms: micros / 1000,
    },
    !finished
      ? 'request aborted'
      : response.statusCode >= 500
        ? 'request failed'
        : 'request completed',
  );
}
