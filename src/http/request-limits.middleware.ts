/**
 * Refuses URLs whose path or query is too long (api-contract.md §0.1) before any routing or
 * parsing spends time on them. Oversized headers never get here: Node answers them (see
 * http-server-limits.ts).
 */
import type { RequestHandler } from 'express';
import { HttpError } from './http-error';

export const MAX_PATH_BYTES = 4096;
export const MAX_QUERY_BYTES = 2048;

export function requestLimits(): RequestHandler {
  return (request, _response, next) => {
    const url = request.url;
    const queryStart = url.indexOf('?');
    const pathBytes = Buffer.byteLength(queryStart === -1 ? url : url.slice(0, queryStart));
    if (pathBytes > MAX_PATH_BYTES) {
      next(
        new HttpError(
          413,
          'PATH_TOO_LONG',
          `URL path is ${pathBytes} bytes; the limit is ${MAX_PATH_BYTES}`,
        ),
      );
      return;
    }
    const queryBytes = queryStart === -1 ? 0 : Buffer.byteLength(url) - pathBytes - 1;
    if (queryBytes > MAX_QUERY_BYTES) {
      next(
        new HttpError(
          413,
          'QUERY_TOO_LONG',
          `query is ${queryBytes} bytes; the limit is ${MAX_QUERY_BYTES}`,
        ),
      );
      return;
    }
    next();
  };
}
