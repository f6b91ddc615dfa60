/**
 * `git merge` into a branch (contract §3.4 "Merge"): up-to-date, fast-forward, or a merge commit
 * with parents [to tip, from tip] whose tree is merge-ort's (merge/commit-merge.ts, recursive
 * over several merge bases).
 *
 * Atomic: everything is decided before anything is written. The merge needs a clean index; the
 * working state then moves from the current HEAD's tree to the result with checkout's rule
 * (checkout.ts planSwitch), so unstaged changes to files the merge does not touch are carried over and
 * any that would be overwritten refuse the merge (MERGE_FAILED with the paths). When `to` is
 * not the current branch, switching to it is part of the same step: HEAD is re-attached only
 * after the branch moved, so a refused merge leaves the old branch current. With conflicts
 * nothing changes (MergeConflictError); objects already written are unreferenced and harmless.
 * Merging into the current branch something it already contains changes nothing at all (no
 * index check, as git); every other case, a switch included, needs the clean index.
 *
 * Reflogs as git writes them: `merge <from>: Fast-forward`, `merge <from>: Merge made by the
 * 'ort' strategy.`, `initial pull` for an unborn branch; a switch first logs
 * `checkout: moving from <old> to <to>` on HEAD.
 */
import { BranchNotFoundError, ConcurrentUpdateError } from '../errors/ref-errors';
import { MergeConflictError, MergeFailedError } from '../errors/operation-errors';
import { CheckoutConflictError } from '../errors/repo-errors';
import { mergeCommits } from '../merge/commit-merge';
import { ZERO_OID, type Oid } from '../objects/oid';
import { updateRef } from '../refs/ref-update';
import { branchRef, HEAD } from '../refs/resolve-ref';
import { resolveCommit } from '../walk/rev-parse';
import type { SwitchPlan } from './checkout';
import { planSwitch } from './checkout';
import { validateCommitMessage } from './commit-message';
import { readHead, treeOfCommit, type ResolvedHead } from './head';
import { toSignature, type Identity } from './identity';
import { mergeBranchMessage } from './merge-branch-message';
import type { RepoContext } from './repo-context';
import { advanceHead, reflogMessage } from './reset';
import { stagedChanges } from './status';

export interface MergeBranchOptions {
  /** Author and committer of a merge commit, and the reflog identity. */
  readonly identity: Identity;
  /** The merge commit's message; default git's (merge-branch-message.ts). */
  readonly message?: string;
  /** Create a merge commit even when a fast-forward is possible (`--no-ff`). */
  readonly noFf?: boolean;
}

export type MergeType = 'fast-forward' | 'merge' | 'up-to-date';

export interface MergeBranchResult {
  readonly type: MergeType;
  /** The tip of `to` afterwards (the new merge commit for 'merge'). */
  readonly commit: Oid;
  /** The tip of `to` before (null for an unborn branch). */
  readonly previous: Oid | null;
  /** The commit `from` resolved to. */
  readonly theirs: Oid;
  /** Merge bases used (sorted by id); [] for fast-forward and up-to-date. */
  readonly bases: readonly Oid[];
  /** The branch merged into, now current. */
  readonly branch: string;
}

interface Outcome {
  readonly type: MergeType;
  readonly tip: Oid;
  readonly bases: readonly Oid[];
  readonly reflog: string;
}

/**
 * Merges revision `from` into branch `to` and makes `to` current. Throws BranchNotFoundError
 * (`to`), RefNotFoundError / InvalidRefError / AmbiguousRefError (`from`), MergeFailedError
 * (staged changes, or local changes in the way), MergeConflictError, InvalidCommitMessageError,
 * InvalidIdentityError, ConcurrentUpdateError.
 */
export function mergeBranch(
  ctx: RepoContext,
  from: string,
  to: string,
  options: MergeBranchOptions,
): MergeBranchResult {
  const head = readHead(ctx.refs);
  const target = branchTip(ctx, to, head);
  const theirs = resolveCommit(ctx.odb, ctx.refs, from);
  const committer = toSignature(options.identity, ctx.clock, 'identity');
  const message =
    options.message !== undefined ? validateCommitMessage(options.message) : undefined;
  const switching = head.branch !== to;
  const headTree = treeOfCommit(ctx.odb, head.oid);

  const upToDate = target.oid !== null && ctx.graph.isAncestor(theirs, target.oid);
  if (upToDate && !switching) {
    return {
      type: 'up-to-date',
      commit: target.oid,
      previous: target.oid,
      theirs,
      bases: [],
      branch: to,
    };
  }

  const staged = stagedChanges(ctx.odb, ctx.working, headTree).map((change) => change.path);
  if (staged.length > 0) throw new MergeFailedError(staged);

  let outcome: Outcome;
  let plan: SwitchPlan | undefined;
  if (upToDate) {
    outcome = { type: 'up-to-date', tip: target.oid, bases: [], reflog: '' };
  } else if (target.oid === null) {
    outcome = { type: 'fast-forward', tip: theirs, bases: [], reflog: 'initial pull' };
  } else if (options.noFf !== true && ctx.graph.isAncestor(target.oid, theirs)) {
    outcome = {
      type: 'fast-forward',
      tip: theirs,
      bases: [],
      reflog: `merge ${from}: Fast-forward`,
    };
  } else {
    const merged = mergeCommits(ctx.odb, ctx.graph, target.oid, theirs, {
      labels: { ours: 'HEAD', theirs: from },
    });
    // Local changes in the way are reported before conflicts, as git checks them first.
    plan = planOrRefuse(ctx, headTree, merged.tree);
    if (!merged.clean) throw new MergeConflictError(conflictPaths(merged.conflicts));
    const tip = ctx.odb.writeCommit({
      tree: merged.tree,
      parents: [target.oid, theirs],
      author: committer,
      committer,
      extraHeaders: [],
      message: message ?? mergeBranchMessage(ctx.odb, ctx.refs, from, to),
    });
    outcome = {
      type: 'merge',
      tip,
      bases: merged.bases,
      reflog: `merge ${from}: Merge made by the 'ort' strategy.`,
    };
  }
  plan ??= planOrRefuse(ctx, headTree, treeOfCommit(ctx.odb, outcome.tip));

  const line = { committer, message: outcome.reflog };
  if (!switching) {
    advanceHead(ctx, target, outcome.tip, line);
  } else {
    if (outcome.type !== 'up-to-date') {
      const result = updateRef(ctx.refs, ctx.graph, {
        name: target.ref,
        expect: target.oid,
        next: outcome.tip,
        force: true,
        reflog: { committer, message: reflogMessage(outcome.reflog) },
      });
      if (result.status === 'lock-failure' || result.status === 'rejected')
        throw new ConcurrentUpdateError(target.ref, target.oid, result.current ?? null);
    }
    ctx.refs.setSymbolic(HEAD, target.ref);
    ctx.refs.appendReflog(HEAD, {
      oldOid: head.oid ?? ZERO_OID,
      newOid: target.oid ?? ZERO_OID,
      committer,
      message: `checkout: moving from ${head.branch ?? head.oid ?? HEAD} to ${to}`,
    });
    if (outcome.type !== 'up-to-date') {
      ctx.refs.appendReflog(HEAD, {
        oldOid: target.oid ?? ZERO_OID,
        newOid: outcome.tip,
        committer,
        message: reflogMessage(outcome.reflog),
      });
    }
  }
  ctx.working.replace(plan.tree, plan.staged, plan.unstaged);
  return {
    type: outcome.type,
    commit: outcome.tip,
    previous: target.oid,
    theirs,
    bases: outcome.bases,
    branch: to,
  };
}

/** `to` as a head to move: its tip, or null when it is the current, unborn branch. */
function branchTip(ctx: RepoContext, to: string, head: ResolvedHead): ResolvedHead {
  const ref = branchRef(to);
  const stored = ctx.refs.read(ref);
  if (stored?.kind === 'direct') return { branch: to, oid: stored.oid, ref };
  if (stored === undefined && head.branch === to) return { branch: to, oid: null, ref };
  throw new BranchNotFoundError(to);
}

/** The distinct conflicted paths, in the merge's (sorted) order. */
export function conflictPaths(conflicts: ReadonlyArray<{ readonly path: string }>): string[] {
  return [...new Set(conflicts.map((conflict) => conflict.path))];
}

function planOrRefuse(ctx: RepoContext, headTree: Oid, tree: Oid): SwitchPlan {
  try {
    return planSwitch(ctx.odb, ctx.working, headTree, tree, false);
  } catch (error) {
    if (error instanceof CheckoutConflictError)
      throw new MergeFailedError(error.paths, 'local changes would be overwritten');
    throw error;
  }
}
