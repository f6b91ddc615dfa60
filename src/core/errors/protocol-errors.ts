/**
 * Errors of git's wire protocol (pkt-lines, upload-pack and receive-pack requests). Requests come
 * from untrusted clients; each refusal says what was wrong without echoing large input back.
 * Malformed input is `invalid-argument`; limits are `too-large`.
 */
import { GitError } from './git-error';

/** A pkt-line stream that does not follow the framing: bad length, short line, cut stream. */
export class PktLineError extends GitError {
  readonly code = 'PKT_LINE_INVALID';
  readonly kind = 'invalid-argument';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(`invalid pkt-line: ${reason}`, { reason, ...details });
  }
}

/** A request that is framed correctly but says something the protocol does not allow. */
export class ProtocolError extends GitError {
  readonly code = 'PROTOCOL_ERROR';
  readonly kind = 'invalid-argument';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(reason, details);
  }
}

/** A negotiation or command body over its byte limit (after inflation). */
export class ProtocolRequestTooLargeError extends GitError {
  readonly code = 'REQUEST_TOO_LARGE';
  readonly kind = 'too-large';
  constructor(limit: number) {
    super(`request body is larger than ${limit} bytes`, { max_size: limit });
  }
}
