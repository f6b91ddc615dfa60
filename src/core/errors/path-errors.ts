/** Errors about file paths inside a repository (see objects/path-safety.ts for the rules). */
import { GitError } from './git-error';

export class InvalidFilePathError extends GitError {
  readonly code = 'INVALID_FILE_PATH';
  readonly kind = 'invalid-argument';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`invalid file path '${path}': ${reason}`, { path, reason });
  }
}

export class EmptyPathError extends GitError {
  readonly code = 'INVALID_PATH';
  readonly kind = 'invalid-argument';
  constructor() {
    super('file path cannot be empty');
  }
}

export class FileNotFoundError extends GitError {
  readonly code = 'FILE_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(path: string, message = `file '${path}' not found`) {
    super(message, { path });
  }
}

export class IsADirectoryError extends GitError {
  readonly code = 'IS_A_DIRECTORY';
  readonly kind = 'invalid-argument';
  constructor(path: string) {
    super(`'${path}' is a directory`, { path });
  }
}

/** Content that cannot be placed at a path: bad encoding, or a file/directory clash. */
export class InvalidFileContentError extends GitError {
  readonly code = 'INVALID_FILE_CONTENT';
  readonly kind = 'invalid-argument';
  constructor(path: string, reason: string) {
    super(`invalid content for '${path}': ${reason}`, { path, reason });
  }
}
