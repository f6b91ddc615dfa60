/**
 * Request bodies are JSON (api-contract.md §0.1): `application/json`, `text/plain`,
 * `application/octet-stream` or no Content-Type are parsed as JSON; any other type on
 * POST/PUT/PATCH is 415; malformed JSON is 400 INVALID_REQUEST; a body over
 * server.max_request_size is 413 REQUEST_TOO_LARGE with `{max_size, actual_size}` (no actual_size
 * for chunked or compressed bodies, whose size is unknown up front); a missing body is `{}`.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Bytes } from '../config/size';
import { HttpError } from './http-error';

export const JSON_BODY_TYPES: ReadonlySet<string> = new Set([
  'application/json',
  'text/plain',
  'application/octet-stream',
]);

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Routes whose handler reads the body itself as a stream (bundle uploads, api-contract.md §11.2),
 * with the media types it accepts there: neither the JSON parser nor server.max_request_size
 * applies to those; the route enforces its own limit (import.max_upload_size).
 */
const STREAMED_BODIES: ReadonlyArray<{ path: RegExp; types: ReadonlySet<string> }> = [
  {
    path: /^\/api\/v1\/repos\/[^/]+\/import\/?(?:\?.*)?$/,
    types: new Set(['application/x-git-bundle', 'multipart/form-data']),
  },
  // git smart HTTP (§11.1): git.max_push_size and the 10 MiB negotiation limit apply there.
  {
    path: /^\/[^/]+\.git\/git-(?:upload|receive)-pack\/?(?:\?.*)?$/,
    types: new Set([
      'application/x-git-upload-pack-request',
      'application/x-git-receive-pack-request',
    ]),
  },
];

function isStreamedBody(request: Request, type: string): boolean {
  return STREAMED_BODIES.some((route) => route.types.has(type) && route.path.test(request.url));
}

/** Whether the route reads this request's body itself, as a stream (pushes, bundle uploads). */
export function hasStreamedBody(request: Request): boolean {
  return isStreamedBody(request, mediaType(request) ?? '');
}

function mediaType(request: Request): string | undefined {
  const header = request.headers['content-type'];
  if (header === undefined || header.trim() === '') return undefined;
  return (header.split(';')[0] ?? '').trim().toLowerCase();
}

/** Registers the parsing steps, in order, on the app's Express stack. */
export function installJsonBody(app: NestExpressApplication, maxRequestSize: Bytes): void {
  app.use(refuseUnsupportedContentType());
  app.useBodyParser('json', {
    limit: maxRequestSize,
    type: (request: Request) => {
      const type = mediaType(request);
      return type === undefined || JSON_BODY_TYPES.has(type);
    },
  });
  app.use(translateBodyParserErrors(maxRequestSize));
  app.use(defaultEmptyBody());
}

function refuseUnsupportedContentType(): RequestHandler {
  return (request, _response, next) => {
    const type = mediaType(request);
    if (
      METHODS_WITH_BODY.has(request.method) &&
      type !== undefined &&
      !JSON_BODY_TYPES.has(type) &&
      !isStreamedBody(request, type)
    ) {
      next(
        new HttpError(
          415,
          'UNSUPPORTED_CONTENT_TYPE',
          `unsupported Content-Type "${type}"; send application/json`,
        ),
      );
      return;
    }
    next();
  };
}

/** body-parser reports failures as http-errors with a `type`; give them our codes. */
function translateBodyParserErrors(maxRequestSize: Bytes): ErrorRequestHandler {
  return (error: unknown, _request, _response, next) => {
    next(bodyParserFailure(error, maxRequestSize) ?? error);
  };
}

function bodyParserFailure(error: unknown, maxRequestSize: Bytes): HttpError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, length, message } = error as {
    type?: unknown;
    length?: unknown;
    message?: unknown;
  };
  switch (type) {
    case 'entity.too.large': {
      const actual = typeof length === 'number' ? { actual_size: length } : {};
      return new HttpError(
        413,
        'REQUEST_TOO_LARGE',
        `request body is larger than ${maxRequestSize} bytes`,
        { max_size: maxRequestSize, ...actual },
      );
    }
    case 'entity.parse.failed':
      return new HttpError(400, 'INVALID_REQUEST', `malformed JSON body: ${String(message)}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'UNSUPPORTED_CONTENT_TYPE', String(message));
    case 'request.aborted':
    case 'request.size.invalid':
      return new HttpError(400, 'INVALID_REQUEST', String(message));
    default:
      return undefined;
  }
}

function defaultEmptyBody(): RequestHandler {
  return (request, _response, next) => {
    request.body ??= {};
    next();
  };
}
