/**
 * `git cherry-pick -x <commit>` on the current branch (contract §3.6), and the steps it shares
 * with revert (revert-commit.ts): the change is replayed with a three-way merge onto HEAD's
 * tree (merge/cherry-pick.ts), the new commit advances the current branch (or detached HEAD,
 * or starts an unborn branch), and the working state follows with checkout's rule.
 *
 * Refusals, checked in this order so that nothing is written unless all pass:
 *   400 InvalidMainlineError   merge commit without mainline, a parent number it lacks
 *   409 PickFailedError        staged changes; or unstaged/untracked files the result would
 *                              overwrite ("uncommitted changes", details.paths)
 *   409 MergeConflictError     the replay conflicts
 *   409 PickFailedError        the result equals HEAD's tree ("changes already present")
 * Local changes are reported before conflicts because git checks them before merging.
 */
import { InvalidRefError, RefNotFoundError } from '../errors/ref-errors';
import { CommitNotFoundError } from '../errors/object-errors';
import {
  MergeConflictError,
  PickFailedError,
  type PickOperationName,
} from '../errors/operation-errors';
import { CheckoutConflictError } from '../errors/repo-errors';
import { cherryPickTree } from '../merge/cherry-pick';
import type { TreeMergeResult } from '../merge/merge-result';
import { messageSubject, type Commit } from '../objects/commit';
import type { Oid } from '../objects/oid';
import type { Signature } from '../objects/signature';
import { comparePaths } from '../objects/tree-entry-order';
import { resolveCommit } from '../walk/rev-parse';
import type { SwitchPlan } from './checkout';
import { planSwitch } from './checkout';
import { cherryPickMessage } from './cherry-pick-message';
import { readHead, treeOfCommit } from './head';
import { toSignature, type Identity } from './identity';
import { conflictPaths } from './merge-branch';
import type { RepoContext } from './repo-context';
import { advanceHead } from './reset';
import { stagedChanges } from './status';
import { leafChanges } from './tree-changes';

export interface PickCommitOptions {
  /** Committer (cherry-pick), author and committer (revert), and the reflog identity. */
  readonly identity: Identity;
  /** The parent (1-based) a merge commit is replayed against; required for merges only. */
  readonly mainline?: number;
}

export interface PickCommitResult {
  /** The commit that was picked or reverted. */
  readonly original: Oid;
  readonly newCommit: Oid;
  readonly commit: Commit;
  /** Paths the new commit changes against the previous HEAD, sorted. */
  readonly filesChanged: string[];
  /** The branch that moved, or null when HEAD is detached. */
  readonly branch: string | null;
}

/** What differs between cherry-pick and revert; the rest is `replayCommit`. */
export interface ReplaySpec {
  readonly operation: PickOperationName;
  /** The commit being picked or reverted (already resolved). */
  readonly original: Oid;
  /** Merges the change onto `ontoTree` (validates the mainline). */
  readonly merge: (ontoTree: Oid) => TreeMergeResult;
  readonly message: string;
  readonly author: Signature;
  readonly committer: Signature;
}

/**
 * The mainline to replay against: git (since 2.21) accepts `-m 1` for a commit with a single
 * parent and means that parent, so 1 is dropped for non-merges; anything else is checked by the
 * tree merge (merge/cherry-pick.ts).
 */
export function effectiveMainline(
  commit: Commit,
  mainline: number | undefined,
): number | undefined {
  return commit.parents.length <= 1 && mainline === 1 ? undefined : mainline;
}

/** A `commit` parameter to a commit id; a name that resolves to nothing is COMMIT_NOT_FOUND. */
export function resolvePickTarget(ctx: RepoContext, expr: string): Oid {
  try {
    return resolveCommit(ctx.odb, ctx.refs, expr);
  } catch (error) {
    if (error instanceof RefNotFoundError || error instanceof InvalidRefError)
      throw new CommitNotFoundError(expr);
    throw error;
  }
}

/** Performs a cherry-pick or revert described by `spec`; see the file header. */
export function replayCommit(ctx: RepoContext, spec: ReplaySpec): PickCommitResult {
  const head = readHead(ctx.refs);
  const headTree = treeOfCommit(ctx.odb, head.oid);
  const merged = spec.merge(headTree);

  const staged = stagedChanges(ctx.odb, ctx.working, headTree).map((change) => change.path);
  if (staged.length > 0) throw new PickFailedError(spec.operation, 'uncommitted changes', staged);
  let plan: SwitchPlan;
  try {
    plan = planSwitch(ctx.odb, ctx.working, headTree, merged.tree, false);
  } catch (error) {
    if (error instanceof CheckoutConflictError)
      throw new PickFailedError(spec.operation, 'uncommitted changes', error.paths);
    throw error;
  }
  if (!merged.clean) throw new MergeConflictError(conflictPaths(merged.conflicts));
  if (merged.tree === headTree)
    throw new PickFailedError(spec.operation, 'changes already present', [], spec.original);

  const commit: Commit = {
    tree: merged.tree,
    parents: head.oid === null ? [] : [head.oid],
    author: spec.author,
    committer: spec.committer,
    extraHeaders: [],
    message: spec.message,
  };
  const newCommit = ctx.odb.writeCommit(commit);
  advanceHead(ctx, head, newCommit, {
    committer: spec.committer,
    message: `${spec.operation}: ${messageSubject(spec.message)}`,
  });
  ctx.working.replace(plan.tree, plan.staged, plan.unstaged);
  const filesChanged = leafChanges(ctx.odb, headTree, merged.tree)
    .map((change) => change.path)
    .sort(comparePaths);
  return { original: spec.original, newCommit, commit, filesChanged, branch: head.branch };
}

/**
 * Cherry-picks the commit `expr` names onto the current branch: original author kept,
 * committer = `identity` now, message per `git cherry-pick -x`. Throws CommitNotFoundError,
 * AmbiguousRefError, InvalidMainlineError, PickFailedError, MergeConflictError,
 * ConcurrentUpdateError (see the file header for the order).
 */
export function cherryPick(
  ctx: RepoContext,
  expr: string,
  options: PickCommitOptions,
): PickCommitResult {
  const original = resolvePickTarget(ctx, expr);
  const picked = ctx.odb.readCommit(original);
  const committer = toSignature(options.identity, ctx.clock, 'identity');
  const mainline = effectiveMainline(picked, options.mainline);
  return replayCommit(ctx, {
    operation: 'cherry-pick',
    original,
    merge: (onto) => cherryPickTree(ctx.odb, original, mainline, onto),
    message: cherryPickMessage(picked.message, original),
    author: picked.author,
    committer,
  });
}
