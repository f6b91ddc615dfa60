/** Errors of the tar reader: input that is not a well-formed ustar/pax archive. */
import { GitError } from '../errors/git-error';

export class TarCorruptError extends GitError {
  readonly code = 'TAR_CORRUPT';
  readonly kind = 'invalid-argument';
  constructor(reason: string) {
    super(`malformed tar archive: ${reason}`, { reason });
  }
}
