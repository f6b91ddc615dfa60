/**
 * Repository ids as the storage drivers accept them: the contract's pattern (§0.5), which
 * also makes every id a safe single path component (`repos/<id>.git`). Reserved names
 * (`api`, `admin`, ...) are the REST layer's rule, not storage's.
 */
import { InvalidRepoIdError } from '../errors/storage-errors';

const REPOSITORY_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/;

export function isRepositoryId(id: string): boolean {
  return REPOSITORY_ID_PATTERN.test(id);
}

/** Throws InvalidRepoIdError unless `id` matches `^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$`. */
export function checkRepositoryId(id: string): void {
  if (!isRepositoryId(id)) {
    throw new InvalidRepoIdError(id, 'must match ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$');
  }
}
