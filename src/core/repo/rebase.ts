/**
 * `git rebase <onto>` of the current branch (contract §3.6), all or nothing: a conflict at any
 * step throws MergeConflictError (with the commit being replayed) and nothing changes.
 *
 * - `onto` already in the branch → nothing changes (git also replays when the range holds
 *   merges it would flatten; the contract says nothing changes);
 * - the branch is an ancestor of `onto` → fast-forward, no commit replayed;
 * - otherwise the commits of rebase-todo.ts are replayed oldest first, each a three-way
 *   cherry-pick onto the new tip keeping author and message, committer = the caller. Like git's
 *   defaults (`--empty=drop`, keep commits that started empty): a commit whose replay changes
 *   nothing is dropped, one that was empty to begin with stays empty.
 *
 * The branch moves once, by compare-and-swap; reflogs are git's: the branch gets
 * `rebase (finish): refs/heads/<b> onto <id>`, HEAD `rebase (start): checkout <onto>`, one
 * `rebase (pick): <subject>` per new commit and `rebase (finish): returning to refs/heads/<b>`.
 *
 * The stop-and-continue mode (`onConflict: 'stop'`, `--continue`, `--abort`) lives in
 * rebase-session.ts and reuses startRebase and replayPicks from here.
 */
import { MergeConflictError, RebaseFailedError } from '../errors/operation-errors';
import { CheckoutConflictError } from '../errors/repo-errors';
import { cherryPickTree } from '../merge/cherry-pick';
import type { TreeMergeResult } from '../merge/merge-result';
import { messageSubject, type Commit } from '../objects/commit';
import { EMPTY_TREE_OID } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import type { Signature } from '../objects/signature';
import { comparePaths } from '../objects/tree-entry-order';
import type { ReflogEntry } from '../storage/ref-store';
import { resolveCommit } from '../walk/rev-parse';
import type { SwitchPlan } from './checkout';
import { planSwitch } from './checkout';
import { readHead, treeOfCommit, type ResolvedHead } from './head';
import { toSignature, type Identity } from './identity';
import { conflictPaths } from './merge-branch';
import { rebaseTodo } from './rebase-todo';
import type { RepoContext } from './repo-context';
import { advanceHead } from './reset';
import { stagedChanges, unstagedChanges } from './status';

export interface RebaseOptions {
  /** Committer of the replayed commits and the reflog identity. */
  readonly identity: Identity;
}

export interface RebaseResult {
  readonly oldHead: Oid;
  readonly newHead: Oid;
  /** Number of new commits written (= commits.length). */
  readonly rebasedCount: number;
  /** The new commits, oldest first. */
  readonly commits: readonly Oid[];
  /** Original commits left out: their change was upstream already, or replayed to nothing. */
  readonly skipped: readonly Oid[];
}

interface Replayed {
  readonly tip: Oid;
  readonly commits: Oid[];
  readonly skipped: Oid[];
  readonly steps: ReflogEntry[];
}

/** What every rebase checks and reads before replaying anything. */
export interface RebaseStart {
  readonly head: ResolvedHead;
  readonly oldHead: Oid;
  readonly upstream: Oid;
  readonly committer: Signature;
  readonly headTree: Oid;
}

/**
 * The refusals shared by both rebase modes (detached or unborn HEAD: 400; uncommitted changes:
 * 409; unresolvable `onto`), then what the rebase starts from. Changes nothing.
 */
export function startRebase(ctx: RepoContext, onto: string, identity: Identity): RebaseStart {
  const head = readHead(ctx.refs);
  if (head.branch === null) throw new RebaseFailedError('not on a branch');
  if (head.oid === null) throw new RebaseFailedError('no commits yet');
  const oldHead = head.oid;
  const upstream = resolveCommit(ctx.odb, ctx.refs, onto);
  const committer = toSignature(identity, ctx.clock, 'identity');
  const headTree = treeOfCommit(ctx.odb, oldHead);

  const dirty = new Set<string>();
  for (const change of stagedChanges(ctx.odb, ctx.working, headTree)) dirty.add(change.path);
  for (const change of unstagedChanges(ctx.working)) dirty.add(change.path);
  if (dirty.size > 0)
    throw new RebaseFailedError('uncommitted changes', [...dirty].sort(comparePaths));
  return { head, oldHead, upstream, committer, headTree };
}

/**
 * Rebases the current branch onto the commit `onto` names. Throws RebaseFailedError (detached
 * or unborn HEAD: 400; uncommitted changes: 409), RefNotFoundError / InvalidRefError /
 * AmbiguousRefError, MergeConflictError ({conflicts, commit}), ConcurrentUpdateError.
 */
export function rebase(ctx: RepoContext, onto: string, options: RebaseOptions): RebaseResult {
  const { head, oldHead, upstream, committer, headTree } = startRebase(ctx, onto, options.identity);
  if (ctx.graph.isAncestor(upstream, oldHead))
    return { oldHead, newHead: oldHead, rebasedCount: 0, commits: [], skipped: [] };

  const replayed = ctx.graph.isAncestor(oldHead, upstream)
    ? { tip: upstream, commits: [], skipped: [], steps: [] }
    : replay(ctx, oldHead, upstream, committer);

  let plan: SwitchPlan;
  try {
    plan = planSwitch(ctx.odb, ctx.working, headTree, treeOfCommit(ctx.odb, replayed.tip), false);
  } catch (error) {
    // Only untracked files can be in the way here: tracked changes were refused above.
    if (error instanceof CheckoutConflictError)
      throw new RebaseFailedError('uncommitted changes', error.paths);
    throw error;
  }

  const branchRef = head.ref;
  advanceHead(
    ctx,
    head,
    replayed.tip,
    { committer, message: `rebase (finish): ${branchRef} onto ${upstream}` },
    [
      { oldOid: oldHead, newOid: upstream, committer, message: `rebase (start): checkout ${onto}` },
      ...replayed.steps,
      {
        oldOid: replayed.tip,
        newOid: replayed.tip,
        committer,
        message: `rebase (finish): returning to ${branchRef}`,
      },
    ],
  );
  ctx.working.replace(plan.tree, plan.staged, plan.unstaged);
  return {
    oldHead,
    newHead: replayed.tip,
    rebasedCount: replayed.commits.length,
    commits: replayed.commits,
    skipped: replayed.skipped,
  };
}

/** Replays the todo list onto `upstream`, writing the new commits (unreferenced until the end). */
function replay(ctx: RepoContext, head: Oid, upstream: Oid, committer: Signature): Replayed {
  const todo = rebaseTodo(ctx.odb, ctx.graph, head, upstream);
  const replayed = replayPicks(ctx, todo.picks, upstream, committer);
  if (replayed.stop !== undefined) {
    const { original, merged } = replayed.stop;
    throw new MergeConflictError(conflictPaths(merged.conflicts), { commit: original });
  }
  return { ...replayed, skipped: [...todo.alreadyUpstream, ...replayed.skipped] };
}

/** Where a replay stopped: the pick that conflicted and its (conflicted) merge result. */
export interface ReplayStop {
  readonly original: Oid;
  /** Position of `original` in the picks given to replayPicks. */
  readonly position: number;
  readonly merged: TreeMergeResult;
}

export interface ReplayProgress extends Replayed {
  readonly tipTree: Oid;
  /** Set when a pick conflicted; the picks before it are replayed, it and the rest are not. */
  readonly stop?: ReplayStop;
}

/**
 * Replays `picks` (oldest first) onto the commit `from`, writing the new commits (unreferenced),
 * until one conflicts. The rebase (pick) reflog lines are returned, not written.
 */
export function replayPicks(
  ctx: RepoContext,
  picks: readonly Oid[],
  from: Oid,
  committer: Signature,
): ReplayProgress {
  let tip = from;
  let tipTree = treeOfCommit(ctx.odb, from);
  const commits: Oid[] = [];
  const skipped: Oid[] = [];
  const steps: ReflogEntry[] = [];
  for (const [position, original] of picks.entries()) {
    const commit = ctx.odb.readCommit(original);
    const parent = commit.parents[0];
    const parentTree = parent === undefined ? EMPTY_TREE_OID : treeOfCommit(ctx.odb, parent);
    let tree: Oid;
    if (commit.tree === parentTree) {
      tree = tipTree; // started empty: kept as an empty commit, as git does by default
    } else {
      const merged = cherryPickTree(ctx.odb, original, undefined, tipTree);
      if (!merged.clean)
        return { tip, tipTree, commits, skipped, steps, stop: { original, position, merged } };
      if (merged.tree === tipTree) {
        skipped.push(original); // became empty: its change is already there
        continue;
      }
      tree = merged.tree;
    }
    const step = writeReplayed(ctx, commit, tip, tree, committer);
    steps.push(step);
    commits.push(step.newOid);
    tip = step.newOid;
    tipTree = tree;
  }
  return { tip, tipTree, commits, skipped, steps };
}

/**
 * Writes the replay of `commit` as `tree` on `parent` (author and message kept) and returns
 * the HEAD reflog line git writes for it.
 */
export function writeReplayed(
  ctx: RepoContext,
  commit: Commit,
  parent: Oid,
  tree: Oid,
  committer: Signature,
): ReflogEntry {
  const rewritten: Commit = {
    tree,
    parents: [parent],
    author: commit.author,
    committer,
    extraHeaders: [],
    message: commit.message,
  };
  const oid = ctx.odb.writeCommit(rewritten);
  return {
    oldOid: parent,
    newOid: oid,
    committer,
    message: `rebase (pick): ${messageSubject(commit.message)}`,
  };
}
