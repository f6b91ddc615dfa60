/**
 * Request bodies of the git smart-HTTP routes, read by the handlers themselves (the JSON parser
 * skips them, see src/http/json-body.ts): plain or `Content-Encoding: gzip`, as a stream of
 * chunks whose bytes count against the route's limit (after inflation), so neither a large
 * push nor a gzip bomb is ever buffered past it.
 */
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import { ProtocolError, ProtocolRequestTooLargeError } from '../../core';

/** Chunks of the (inflated) body; throws ProtocolRequestTooLargeError past `limit` bytes. */
export async function* requestBody(
  request: IncomingMessage,
  limit: number,
): AsyncGenerator<Buffer, void, undefined> {
  const encoding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
  // Stopping early (a refused pack) must not destroy the request: the reply still goes out on
  // its socket, after drainBody.
  let source: AsyncIterable<Buffer>;
  if (encoding === '' || encoding === 'identity') {
    source = request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  } else if (encoding === 'gzip' || encoding === 'x-gzip') {
    source = request.pipe(createGunzip());
  } else if (encoding === 'deflate') {
    source = request.pipe(createInflate());
  } else throw new ProtocolError(`unsupported Content-Encoding '${encoding.slice(0, 32)}'`);
  let total = 0;
  try {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limit) throw new ProtocolRequestTooLargeError(limit);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ProtocolRequestTooLargeError) throw error;
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('Z_')) {
      throw new ProtocolError(`request body is not valid ${encoding}: ${error.message}`);
    }
    throw error;
  }
}

/** The whole (inflated) body in one buffer, for small negotiation requests. */
export async function readRequestBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of requestBody(request, limit)) parts.push(chunk);
  return Buffer.concat(parts);
}

/**
 * Reads and drops what is left of a body stream (up to `limit` bytes), so that the client, still
 * sending, gets to read the answer. False when more was left (the connection should close).
 */
export async function drainBody(rest: AsyncIterable<Uint8Array>, limit: number): Promise<boolean> {
  let seen = 0;
  try {
    for await (const chunk of rest) {
      seen += chunk.length;
      if (seen > limit) return false;
    }
  } catch {
    return false;
  }
  return true;
}
