/**
 * Node-level limits of the HTTP server: how long a client may take to send a request, idle
 * keep-alive time, socket inactivity while a response is pending, and the 8 KiB header cap.
 * Errors Node detects before Express sees a request (oversized headers, slow clients, garbage)
 * are answered with the flat error JSON too, mirroring Node's own choice of status.
 *
 * server.read_timeout bounds the headers (Node's headersTimeout) and, per request, the body
 * (requestReadDeadline) — except streamed bodies (git pushes, bundle uploads up to GiBs), which
 * may take as long as they keep moving: a socket silent for server.write_timeout is closed.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Request, RequestHandler } from 'express';
import type { ServerConfig } from '../config/config.schema';

export const MAX_HEADER_BYTES = 8192;

export function applyServerLimits(server: Server, config: ServerConfig): void {
  // The whole-request deadline is requestReadDeadline's, which knows streamed routes.
  server.requestTimeout = 0;
  server.headersTimeout = Math.min(config.read_timeout, 60_000);
  server.keepAliveTimeout = config.idle_timeout;
  // Read per connection, so setting it after creation applies to every new socket.
  (server as Server & { maxHeaderSize: number }).maxHeaderSize = MAX_HEADER_BYTES;
  server.on('clientError', answerClientError);
}

/**
 * server.write_timeout as Node can express it: the socket may stay silent this long while a
 * response is pending, then it is closed. Node restores the keep-alive timeout afterwards.
 */
export function responseInactivityTimeout(config: ServerConfig): RequestHandler {
  return (_request, response, next) => {
    if (config.write_timeout > 0) response.setTimeout(config.write_timeout);
    next();
  };
}

/**
 * server.read_timeout for a request body: one still arriving after it gets 408 REQUEST_TIMEOUT
 * and the connection is closed. `streamed` names the requests exempt from it.
 */
export function requestReadDeadline(
  config: ServerConfig,
  streamed: (request: Request) => boolean,
): RequestHandler {
  return (request, response, next) => {
    if (request.complete || config.read_timeout <= 0 || streamed(request)) {
      next();
      return;
    }
    const timer = setTimeout(() => {
      if (request.complete) return;
      if (!response.headersSent) {
        const body = JSON.stringify({
          error: 'the request was not received in time',
          code: 'REQUEST_TIMEOUT',
        });
        response.writeHead(408, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
          Connection: 'close',
        });
        response.end(body);
      }
      request.socket.destroySoon();
    }, config.read_timeout);
    const clear = (): void => clearTimeout(timer);
    request.once('end', clear);
    request.once('close', clear);
    next();
  };
}

/** Node's own rule: answer only when no response has started on this socket. */
function responseStarted(socket: Socket): boolean {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return inFlight?.headersSent === true;
}

function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable || responseStarted(socket)) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          'HEADERS_TOO_LARGE',
          `request headers exceed ${MAX_HEADER_BYTES} bytes`,
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'the request was not received in time']
        : [400, 'Bad Request', 'INVALID_REQUEST', 'malformed HTTP request'];
  const body = JSON.stringify({ error: message, code });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
