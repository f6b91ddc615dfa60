/**
 * Per-request logging with pino-http: every request gets an id (a sane X-Request-Id from the
 * client, else a UUID), echoed in the X-Request-Id response header and bound to every line logged
 * while serving it; when the response ends, one line with method, route template, path, status
 * and duration. Headers are never logged (they carry credentials).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { requestPath, routeTemplate, type RoutedRequest } from '../http/route-template';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;

/** The client's X-Request-Id when it is short and plain, else a fresh UUID. */
export function chooseRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

function summary(
  request: IncomingMessage & RoutedRequest,
  response: ServerResponse,
  durationMs: unknown,
) {
  return {
    method: request.method,
    route: routeTemplate(request) ?? 'unmatched',
    path: requestPath(request),
    status: response.statusCode,
    duration_ms: durationMs,
  };
}

function omitted(): undefined {
  return undefined;
}

export function createRequestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (request, response) => {
      const id = chooseRequestId(request.headers['x-request-id']);
      response.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'request_id', responseTime: 'duration_ms' },
    quietReqLogger: true,
    quietResLogger: true,
    // pino-http still binds the raw request and response to a child logger per request; without
    // these, pino would serialize both (headers included) on every request only to drop them.
    wrapSerializers: false,
    serializers: { req: omitted, res: omitted },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : 'info',
    customSuccessObject: (request, response, values: Record<string, unknown>) =>
      summary(request, response, values.duration_ms),
    customErrorObject: (request, response, _error, values: Record<string, unknown>) =>
      summary(request, response, values.duration_ms),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
  });
}
