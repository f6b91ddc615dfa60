/**
 * Capacity refusals of the repository registry (api-contract.md §0.1, §3.1, §14): the server
 * holds as many repositories as server.max_repos allows, and each repository queues a bounded
 * number of writes, and the pool keeps at most pool.max_repositories loaded (§10.2). All are 503
 * (kind `unavailable`, which the filter answers with `Retry-After`); nothing was changed.
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

/**
 * The pool holds pool.max_repositories repositories and none of them can be unloaded now
 * (pinned, dirty, memory-only, or being written): loading another waits for none of them.
 */
export class PoolFullError extends GitError {
  readonly code = 'POOL_FULL';
  readonly kind = 'unavailable';
  constructor(repo: string, max: number) {
    super(
      `repository pool is full: ${max} repositories are loaded and none can be evicted now; retry`,
      { repo, max_repositories: max },
    );
  }
}
