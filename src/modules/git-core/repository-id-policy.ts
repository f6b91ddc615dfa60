/**
 * Which repository ids the REST API accepts (api-contract.md §0.5): storage's pattern
 * `^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$` plus names reserved for routes and tooling, compared
 * case-insensitively. A bad id is 400 INVALID_REPO_ID on create; as a path parameter it simply
 * names no repository (404 REPO_NOT_FOUND), so the caller learns nothing about the rules there.
 */
import { InvalidRepoIdError, isRepositoryId } from '../../core';

export const RESERVED_REPOSITORY_IDS: ReadonlySet<string> = new Set([
  'api',
  'admin',
  'root',
  'system',
  'config',
  'health',
  'metrics',
  'swagger',
  'docs',
]);

/** True when `id` may name a repository. */
export function isAcceptableRepositoryId(id: string): boolean {
  return isRepositoryId(id) && !RESERVED_REPOSITORY_IDS.has(id.toLowerCase());
}

/** Throws InvalidRepoIdError naming the broken rule. */
export function checkNewRepositoryId(id: string): void {
  if (!isRepositoryId(id)) {
    throw new InvalidRepoIdError(id, 'must match ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$');
  }
  if (RESERVED_REPOSITORY_IDS.has(id.toLowerCase())) {
    throw new InvalidRepoIdError(id, 'reserved name');
  }
}
