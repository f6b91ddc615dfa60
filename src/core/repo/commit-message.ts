/**
 * Commit and tag messages as the contract accepts them (§3.2): 1–100000 bytes of UTF-8 without
 * NUL, not blank, stored with git's cleanup (trailing whitespace off, exactly one final newline).
 */
import { InvalidCommitMessageError } from '../errors/repo-errors';
import { normalizeMessage } from '../objects/commit';

export const MAX_MESSAGE_BYTES = 100_000;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The message as stored; throws InvalidCommitMessageError (INVALID_COMMIT_MESSAGE). */
export function validateCommitMessage(message: string): string {
  if (message.trim() === '') throw new InvalidCommitMessageError('message is empty');
  if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) {
    throw new InvalidCommitMessageError(`longer than ${MAX_MESSAGE_BYTES} bytes`);
  }
  if (message.includes('\0')) throw new InvalidCommitMessageError('contains a NUL byte');
  if (LONE_SURROGATE.test(message)) throw new InvalidCommitMessageError('not valid UTF-8');
  return normalizeMessage(message);
}
