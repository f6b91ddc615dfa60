/**
 * `git revert --no-edit <commit>` on the current branch (contract §3.6): the change
 * `commit → parent` (the mainline parent for a merge) replayed onto HEAD's tree, committed with
 * author and committer = the caller's identity and git's message
 * (`Revert "<subject>"` / `This reverts commit <40 hex>.`). Checks, order of refusals and the
 * ref and working-state update are cherry-pick's (cherry-pick-commit.ts), with code
 * REVERT_FAILED.
 */
import { revertTree } from '../merge/cherry-pick';
import { revertMessage } from './cherry-pick-message';
import {
  effectiveMainline,
  replayCommit,
  resolvePickTarget,
  type PickCommitOptions,
  type PickCommitResult,
} from './cherry-pick-commit';
import { toSignature } from './identity';
import type { RepoContext } from './repo-context';

/**
 * Reverts the commit `expr` names on the current branch. Throws CommitNotFoundError,
 * AmbiguousRefError, InvalidMainlineError (REVERT_FAILED, 400), PickFailedError,
 * MergeConflictError, ConcurrentUpdateError.
 */
export function revert(
  ctx: RepoContext,
  expr: string,
  options: PickCommitOptions,
): PickCommitResult {
  const original = resolvePickTarget(ctx, expr);
  const reverted = ctx.odb.readCommit(original);
  const identity = toSignature(options.identity, ctx.clock, 'identity');
  const mainline = effectiveMainline(reverted, options.mainline);
  const mainlineParent =
    reverted.parents.length > 1 && mainline !== undefined
      ? reverted.parents[mainline - 1]
      : undefined;
  return replayCommit(ctx, {
    operation: 'revert',
    original,
    merge: (onto) => revertTree(ctx.odb, original, mainline, onto),
    message: revertMessage(reverted.message, original, mainlineParent),
    author: identity,
    committer: identity,
  });
}
