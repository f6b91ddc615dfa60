/**
 * The identity of a new commit, tag or stash made by an operation route (api-contract.md §0.8),
 * through the repos feature's resolveCommitIdentity. Values the request sent are stored as the
 * repository's config only once the operation succeeded: call `remember` last.
 */
import type { Identity } from '../../../core';
import type { RepositoryWrite } from '../../git-core/repository-registry';
import { resolveCommitIdentity, type IdentityRequest } from '../commit-identity';

export interface OperationIdentity {
  readonly identity: Identity;
  /** Stores what the request sent as user.name / user.email. */
  readonly remember: () => void;
}

export function operationIdentity(
  target: RepositoryWrite,
  requested: IdentityRequest = {},
): OperationIdentity {
  const { identity, config } = resolveCommitIdentity(requested, target.record.config);
  return {
    identity,
    remember: () => {
      if (Object.keys(config).length > 0) target.setConfig(config);
    },
  };
}
