/**
 * The stop-and-continue rebase (`git rebase` stopping at a conflict, then `--continue` or
 * `--abort`), beside the all-or-nothing one of rebase.ts whose checks and replay it reuses.
 *
 * While stopped, nothing is moved: HEAD stays attached to the branch at its old tip (the branch
 * moves once, by compare-and-swap, when the rebase finishes), and the replayed commits so far
 * are written but unreferenced. The working state holds the conflicted step's merge result:
 * cleanly merged paths staged, conflicted paths unstaged with their conflict markers in the
 * working tree (the index keeps the replay tip's version there, for want of git's stages).
 * Status therefore compares that index with the old branch tip. The client resolves with
 * add/remove and continues; continue commits the index as the replayed commit.
 *
 * The in-progress state (RebaseState) is kept in memory by the Repository only: it does not
 * survive a restart (the branch is then simply unmoved, and the working state is whatever the
 * restarted server checks out).
 */
import { RebaseFailedError } from '../errors/operation-errors';
import { CheckoutConflictError } from '../errors/repo-errors';
import type { MergeConflictKind } from '../merge/merge-result';
import type { Oid } from '../objects/oid';
import type { Signature } from '../objects/signature';
import { comparePaths } from '../objects/tree-entry-order';
import { branchRef } from '../refs/resolve-ref';
import type { ReflogEntry } from '../storage/ref-store';
import { planSwitch, type SwitchPlan } from './checkout';
import { treeOfCommit } from './head';
import { toSignature, type Identity } from './identity';
import type { PathChange } from './path-overlay';
import { sameEntry } from './path-view';
import { rebase, replayPicks, startRebase, writeReplayed, type ReplayProgress } from './rebase';
import { rebaseTodo } from './rebase-todo';
import type { RepoContext } from './repo-context';
import { advanceHead } from './reset';
import { unstagedChanges } from './status';
import { TreeView } from './tree-view';
import { buildTree } from './tree-builder';

export interface RebaseConflict {
  readonly path: string;
  readonly kind: MergeConflictKind;
}

/** A rebase stopped at a conflict (see the file header for the state it leaves). */
export interface RebaseStopped {
  readonly status: 'stopped';
  /** The conflicted paths of the step, sorted, one entry per path. */
  readonly conflicts: readonly RebaseConflict[];
  /** The original commit being replayed. */
  readonly commit: Oid;
  /** The new commits written so far, oldest first. */
  readonly done: readonly Oid[];
  /** Picks left after `commit`. */
  readonly remaining: number;
}

export interface RebaseDone {
  readonly status: 'done';
  readonly oldHead: Oid;
  readonly newHead: Oid;
  readonly rebasedCount: number;
  readonly commits: readonly Oid[];
  readonly skipped: readonly Oid[];
}

export type RebaseStepResult = RebaseStopped | RebaseDone;

/** A stopped rebase, held by the Repository in memory (lost on restart). */
export interface RebaseState {
  readonly branch: string;
  /** What `onto` named, for the reflog, and the commit it resolved to. */
  readonly ontoName: string;
  readonly onto: Oid;
  readonly originalHead: Oid;
  /** The conflicted original commit, then the picks after it. */
  readonly current: Oid;
  readonly todo: readonly Oid[];
  /** New commits so far and the tip they end at (`onto` when none). */
  readonly done: readonly Oid[];
  readonly tip: Oid;
  readonly skipped: readonly Oid[];
  /** HEAD reflog lines (`rebase (pick)`) to write when the rebase finishes. */
  readonly steps: readonly ReflogEntry[];
  readonly conflicts: readonly RebaseConflict[];
  readonly identity: Identity;
}

/** A step's outcome plus the state to keep (undefined once done). */
export interface RebaseStep {
  readonly result: RebaseStepResult;
  readonly state: RebaseState | undefined;
}

/**
 * `rebase(onto, {identity, onConflict: 'stop'})`: rebase.ts's refusals and replay, but a
 * conflict stops (returns the state to keep) instead of throwing. Untracked files in the way of
 * the stopped state refuse like rebase.ts (REBASE_FAILED 409), changing nothing.
 */
export function rebaseUntilConflict(
  ctx: RepoContext,
  onto: string,
  identity: Identity,
): RebaseStep {
  const start = startRebase(ctx, onto, identity);
  const { oldHead, upstream } = start;
  if (ctx.graph.isAncestor(upstream, oldHead) || ctx.graph.isAncestor(oldHead, upstream)) {
    // Nothing to replay, so nothing can conflict: the all-or-nothing rebase does it.
    return { result: { status: 'done', ...rebase(ctx, onto, { identity }) }, state: undefined };
  }
  const todo = rebaseTodo(ctx.odb, ctx.graph, oldHead, upstream);
  const progress = replayPicks(ctx, todo.picks, upstream, start.committer);
  return settle(
    ctx,
    {
      branch: start.head.branch!,
      ontoName: onto,
      onto: upstream,
      originalHead: oldHead,
      identity,
      picks: todo.picks,
      done: [],
      skipped: [...todo.alreadyUpstream],
      steps: [],
    },
    progress,
    start.headTree,
    start.committer,
  );
}

/**
 * `git rebase --continue`: commits the resolved index as the replay of `state.current`
 * (dropped when it changes nothing), replays the rest; may stop again. Throws RebaseFailedError
 * 409 `unresolved conflicts` (conflicted paths not staged yet) or `uncommitted changes` (other
 * unstaged tracked changes), ConcurrentUpdateError when the branch moved meanwhile (the state
 * is then kept). Nothing changes on a throw.
 */
export function continueRebase(
  ctx: RepoContext,
  state: RebaseState,
  identity: Identity,
): RebaseStep {
  const conflicted = new Set(state.conflicts.map((conflict) => conflict.path));
  const unresolved = [...conflicted].filter(
    (path) => !sameEntry(ctx.working.worktree.file(path), ctx.working.index.file(path)),
  );
  if (unresolved.length > 0) throw new RebaseFailedError('unresolved conflicts', unresolved);
  const dirty = unstagedChanges(ctx.working).map((change) => change.path);
  if (dirty.length > 0) throw new RebaseFailedError('uncommitted changes', dirty);

  const committer = toSignature(identity, ctx.clock, 'identity');
  const resolved = buildTree(ctx.odb, ctx.working.baseTree, ctx.working.index.entries());
  const done = [...state.done];
  const skipped = [...state.skipped];
  const steps = [...state.steps];
  let tip = state.tip;
  if (resolved === treeOfCommit(ctx.odb, tip)) {
    skipped.push(state.current); // resolved to nothing: dropped, as git drops it
  } else {
    const step = writeReplayed(ctx, ctx.odb.readCommit(state.current), tip, resolved, committer);
    steps.push(step);
    done.push(step.newOid);
    tip = step.newOid;
  }
  const progress = replayPicks(ctx, state.todo, tip, committer);
  return settle(
    ctx,
    { ...state, identity, picks: state.todo, done, skipped, steps },
    progress,
    resolved,
    committer,
  );
}

/**
 * `git rebase --abort`: the working state goes back to the original head's tree (untracked
 * files out of its way are kept); no ref moves. The caller drops the state.
 */
export function abortRebase(ctx: RepoContext, state: RebaseState): void {
  const conflicted = new Set(state.conflicts.map((conflict) => conflict.path));
  const target = treeOfCommit(ctx.odb, state.originalHead);
  const plan = planSwitch(ctx.odb, ctx.working, ctx.working.baseTree, target, true);
  // A conflicted path absent from the index looks untracked; it is the rebase's, not the user's.
  const unstaged = plan.unstaged.filter(([path]) => !conflicted.has(path));
  ctx.working.replace(plan.tree, plan.staged, unstaged);
}

interface Settling {
  readonly branch: string;
  readonly ontoName: string;
  readonly onto: Oid;
  readonly originalHead: Oid;
  readonly identity: Identity;
  /** The picks `progress` replayed (its stop position indexes this). */
  readonly picks: readonly Oid[];
  /** Before `progress`. */
  readonly done: readonly Oid[];
  readonly skipped: readonly Oid[];
  readonly steps: readonly ReflogEntry[];
}

/**
 * Turns a replay into a stop (install the conflicted state) or the finish (move the branch,
 * install the new tip). `cleanTree` is the tree the working state's tracked files equal now.
 */
function settle(
  ctx: RepoContext,
  before: Settling,
  progress: ReplayProgress,
  cleanTree: Oid,
  committer: Signature,
): RebaseStep {
  const done = [...before.done, ...progress.commits];
  const skipped = [...before.skipped, ...progress.skipped];
  const steps = [...before.steps, ...progress.steps];
  const stop = progress.stop;
  if (stop !== undefined) {
    const conflicts = uniqueConflicts(stop.merged.conflicts);
    const plan = planOrRefuse(ctx, cleanTree, stop.merged.tree);
    // Index: the merge result, except the replay tip's version at conflicted paths; working
    // tree: the merge result (markers included) plus the carried untracked files.
    const tip = new TreeView(ctx.odb, progress.tipTree);
    const merged = new TreeView(ctx.odb, stop.merged.tree);
    const conflicted = new Set(conflicts.map((conflict) => conflict.path));
    const carried = plan.unstaged.filter(([path]) => !conflicted.has(path));
    const staged: Array<[string, PathChange]> = [];
    const unstaged: Array<readonly [string, PathChange]> = [...carried];
    for (const path of conflicted) {
      staged.push([path, tip.file(path) ?? null]);
      unstaged.push([path, merged.file(path) ?? null]);
    }
    ctx.working.replace(stop.merged.tree, staged, unstaged);
    const state: RebaseState = {
      branch: before.branch,
      ontoName: before.ontoName,
      onto: before.onto,
      originalHead: before.originalHead,
      current: stop.original,
      todo: before.picks.slice(stop.position + 1),
      done,
      tip: progress.tip,
      skipped,
      steps,
      conflicts,
      identity: before.identity,
    };
    return {
      result: {
        status: 'stopped',
        conflicts,
        commit: stop.original,
        done,
        remaining: state.todo.length,
      },
      state,
    };
  }

  const plan = planOrRefuse(ctx, cleanTree, progress.tipTree);
  const ref = branchRef(before.branch);
  const head = { branch: before.branch, oid: before.originalHead, ref };
  advanceHead(
    ctx,
    head,
    progress.tip,
    { committer, message: `rebase (finish): ${ref} onto ${before.onto}` },
    [
      {
        oldOid: before.originalHead,
        newOid: before.onto,
        committer,
        message: `rebase (start): checkout ${before.ontoName}`,
      },
      ...steps,
      {
        oldOid: progress.tip,
        newOid: progress.tip,
        committer,
        message: `rebase (finish): returning to ${ref}`,
      },
    ],
  );
  ctx.working.replace(plan.tree, plan.staged, plan.unstaged);
  return {
    result: {
      status: 'done',
      oldHead: before.originalHead,
      newHead: progress.tip,
      rebasedCount: done.length,
      commits: done,
      skipped,
    },
    state: undefined,
  };
}

function planOrRefuse(ctx: RepoContext, cleanTree: Oid, target: Oid): SwitchPlan {
  try {
    return planSwitch(ctx.odb, ctx.working, cleanTree, target, false);
  } catch (error) {
    // Tracked changes were refused before; only untracked files can be in the way.
    if (error instanceof CheckoutConflictError)
      throw new RebaseFailedError('uncommitted changes', error.paths);
    throw error;
  }
}

function uniqueConflicts(
  conflicts: ReadonlyArray<{ readonly path: string; readonly kind: MergeConflictKind }>,
): RebaseConflict[] {
  const byPath = new Map<string, RebaseConflict>();
  for (const { path, kind } of conflicts) if (!byPath.has(path)) byPath.set(path, { path, kind });
  return [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
}
