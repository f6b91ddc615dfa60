/**
 * Capacity refusals of the repository registry (api-contract.md §0.1, §3.1, §14): the server
 * holds as many repositories as server.max_repos allows, and each repository queues a bounded
 * number of writes. Both are 503 (kind `unavailable`, which the filter answers with
 * `Retry-After`); nothing was changed.
 */
import { GitError } from '../../core';

export class MaxReposReachedError extends GitError {
  readonly code = 'MAX_REPOS_REACHED';
  readonly kind = 'unavailable';
  constructor(max: number) {
    super('maximum number of repositories reached', { max_repos: max });
  }
}

export class RepoBusyError extends GitError {
  readonly code = 'REPO_BUSY';
  readonly kind = 'unavailable';
  constructor(repo: string, maxQueued: number) {
    super(`repository ${repo} is busy: ${maxQueued} writes are already queued; retry`, {
      repo,
      max_queued: maxQueued,
    });
  }
}
