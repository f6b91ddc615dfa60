/**
 * Refusals of file requests that are the REST layer's own rules rather than the engine's:
 * content that does not decode (api-contract.md §3.2) and v2's missing `?path=` (§4).
 */
import { GitError } from '../../core';

/** `content` is not valid for its `encoding` (bad base64): 400 INVALID_FILE_CONTENT on that field. */
export class InvalidContentEncodingError extends GitError {
  // §3.2's route rule (add/write: bad base64 → INVALID_FILE_CONTENT) over §0.4's general one;
  // `details.fields` keeps the shape of a validation failure.
  readonly code = 'INVALID_FILE_CONTENT';
  readonly kind = 'invalid-argument';
  constructor(field: string, message: string) {
    super(`invalid request: ${field}: ${message}`, { fields: [{ field, message }] });
  }
}

/** A v2 file route without its `path` query parameter. */
export class MissingPathError extends GitError {
  readonly code = 'MISSING_PATH';
  readonly kind = 'invalid-argument';
  constructor() {
    super('path parameter is required');
  }
}
