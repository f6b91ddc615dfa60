/**
 * Switching the working state to another tree with git's two-tree rule (`git checkout`,
 * read-tree -m -u): paths the switch does not touch (same entry in HEAD and target) keep their
 * staged and unstaged changes; a touched path takes the target's entry, which is allowed only
 * when nothing local would be lost there:
 *
 *   index = HEAD   and  working tree = index (or already = target)  → take the target
 *   index = target (the change is already staged)                   → keep index and working tree
 *   anything else                                                   → conflict
 *
 * Untracked files count as working-tree changes over an absent index entry, so one in the way
 * of a target file conflicts too. A carried change that would clash with the target's
 * file/directory layout conflicts as well. With `force`, local changes to tracked files are
 * discarded and untracked files are kept unless the target needs their place.
 *
 * The plan is computed and checked on a scratch WorkingState; nothing is changed here.
 */
import {
  BranchNotFoundError,
  ConcurrentUpdateError,
  InvalidRefError,
  RefNotFoundError,
} from '../errors/ref-errors';
import { CheckoutConflictError } from '../errors/repo-errors';
import type { ObjectDatabase } from '../objects/object-database';
import { ZERO_OID, type Oid } from '../objects/oid';
import { branchRef, HEAD } from '../refs/resolve-ref';
import { resolveCommit } from '../walk/rev-parse';
import { readHead, treeOfCommit } from './head';
import { DEFAULT_IDENTITY, toSignature, type Identity } from './identity';
import type { RepoContext } from './repo-context';
import { comparePaths } from '../objects/tree-entry-order';
import { ancestorsOf, sameEntry, type FileEntry, type PathView } from './path-view';
import type { PathChange, PathOverlay } from './path-overlay';
import { forEachLeafChange } from './tree-changes';
import { TreeView } from './tree-view';
import { WorkingState } from './working-state';

export interface SwitchPlan {
  readonly tree: Oid;
  /** Staged changes relative to `tree`. */
  readonly staged: ReadonlyArray<readonly [string, PathChange]>;
  /** Working-tree changes relative to the resulting index. */
  readonly unstaged: ReadonlyArray<readonly [string, PathChange]>;
}

/** Live leaves of `overlay` that the layer below makes impossible (see the header). */
function hiddenClashes(overlay: PathOverlay, lower: PathView): string[] {
  const clashes: string[] = [];
  for (const [path, value] of overlay.entries()) {
    if (value === null) continue;
    let clash = ancestorsOf(path).some((dir) => overlay.file(dir) !== undefined);
    if (!clash) {
      lower.forEachFile(path, (leaf) => {
        if (overlay.change(leaf) !== null) clash = true;
      });
    }
    if (clash) clashes.push(path);
  }
  return clashes;
}

/**
 * Plans moving `state` (whose HEAD tree is `headTree`) to `targetTree`: the two-tree rule, then
 * a layout check it cannot make by itself. The rule asks the overlays whether a carried file's
 * path is a directory, and an overlay answers "no" where it holds a live leaf whatever lies below
 * it in the layer underneath, so an untracked file `d` carried onto a target with `d/x` would
 * yield a state showing both. Each live overlay leaf is therefore checked against the layer
 * below. Throws CheckoutConflictError with the sorted conflicting paths unless `force`, which
 * drops the carried entries, as git drops untracked files a forced switch needs the place of.
 */
export function planSwitch(
  odb: ObjectDatabase,
  state: WorkingState,
  headTree: Oid,
  targetTree: Oid,
  force: boolean,
): SwitchPlan {
  const plan = planTwoTreeSwitch(odb, state, headTree, targetTree, force);
  const scratch = new WorkingState(odb, plan.tree);
  scratch.replace(plan.tree, plan.staged, plan.unstaged);
  const clashes = [
    ...hiddenClashes(scratch.index, scratch.base),
    ...hiddenClashes(scratch.worktree, scratch.index),
  ];
  if (clashes.length === 0) return plan;
  const dropped = new Set(clashes);
  if (!force) throw new CheckoutConflictError([...dropped].sort(comparePaths));
  return {
    tree: plan.tree,
    staged: plan.staged.filter(([path]) => !dropped.has(path)),
    unstaged: plan.unstaged.filter(([path]) => !dropped.has(path)),
  };
}

/** The two-tree rule itself, before the layout check of planSwitch. */
function planTwoTreeSwitch(
  odb: ObjectDatabase,
  state: WorkingState,
  headTree: Oid,
  targetTree: Oid,
  force: boolean,
): SwitchPlan {
  const head = new TreeView(odb, headTree);
  const target = new TreeView(odb, targetTree);

  const touched = new Set<string>();
  forEachLeafChange(odb, headTree, targetTree, ({ path }) => touched.add(path));
  // Staged paths: the overlay's keys, plus where the index's own base differs from HEAD.
  const candidates = new Set<string>(touched);
  for (const [path] of state.index.entries()) candidates.add(path);
  for (const [path] of state.worktree.entries()) candidates.add(path);
  if (state.baseTree !== headTree)
    forEachLeafChange(odb, headTree, state.baseTree, ({ path }) => candidates.add(path));

  const staged: Array<[string, PathChange]> = [];
  const unstaged: Array<[string, PathChange]> = [];
  const conflicts: string[] = [];
  for (const path of candidates) {
    const h = head.file(path);
    const t = target.file(path);
    const i = state.index.file(path);
    const w = state.worktree.file(path);
    if (force) {
      // Only untracked files survive a forced switch, and only out of the target's way.
      if (i === undefined && w !== undefined && t === undefined) unstaged.push([path, w]);
      continue;
    }
    if (!touched.has(path)) {
      carry(path, i, w, staged, unstaged);
    } else if (sameEntry(i, h) && (sameEntry(w, i) || sameEntry(w, t))) {
      // Clean here: the target's entry is taken, nothing to record.
    } else if (sameEntry(i, t)) {
      carry(path, i, w, staged, unstaged);
    } else {
      conflicts.push(path);
    }
  }

  const plan: SwitchPlan = { tree: targetTree, staged, unstaged };
  const scratch = new WorkingState(odb, targetTree);
  scratch.replace(targetTree, staged, unstaged);
  const clashes = layoutClashes(scratch);
  if (force && clashes.length > 0) {
    const dropped = new Set(clashes);
    return { ...plan, unstaged: unstaged.filter(([path]) => !dropped.has(path)) };
  }
  conflicts.push(...clashes);
  if (conflicts.length > 0)
    throw new CheckoutConflictError([...new Set(conflicts)].sort(comparePaths));
  return plan;
}

/** Keeps the index and working-tree values of a path (relative to the target tree). */
function carry(
  path: string,
  index: FileEntry | undefined,
  worktree: FileEntry | undefined,
  staged: Array<[string, PathChange]>,
  unstaged: Array<[string, PathChange]>,
): void {
  staged.push([path, index ?? null]);
  unstaged.push([path, worktree ?? null]);
}

/** Live overlay paths that a file on their way, or a directory in their place, makes impossible. */
function layoutClashes(state: WorkingState): string[] {
  const clashes: string[] = [];
  for (const overlay of [state.index, state.worktree]) {
    for (const [path, value] of overlay.entries()) {
      if (value !== null && !placeable(overlay, path)) clashes.push(path);
    }
  }
  return clashes;
}

function placeable(view: PathView, path: string): boolean {
  for (const dir of ancestorsOf(path)) if (view.file(dir)) return false;
  return !view.hasDirectory(path);
}

export interface CheckoutOptions {
  /** Discard local changes instead of refusing (untracked files out of the way are kept). */
  readonly force?: boolean;
  /** Identity for HEAD's reflog entry; default DEFAULT_IDENTITY. */
  readonly identity?: Identity;
}

export interface CheckoutResult {
  /** The branch now current, or null for a detached HEAD. */
  readonly branch: string | null;
  /** The commit HEAD now points at (null only for an unborn current branch). */
  readonly oid: Oid | null;
}

/**
 * `git checkout <branch>` (attach HEAD) or `git checkout <revision>` (detach): first plans the
 * working-state switch (CheckoutConflictError unless `force`), then moves HEAD, then installs
 * the plan, so a refusal changes nothing. Throws BranchNotFoundError for a target that is
 * neither a branch nor a resolvable revision (AmbiguousRefError propagates).
 */
export function checkout(
  ctx: RepoContext,
  target: string,
  options: CheckoutOptions = {},
): CheckoutResult {
  const head = readHead(ctx.refs);
  const stored = ctx.refs.read(branchRef(target));
  if (stored === undefined && target === head.branch) return { branch: target, oid: null }; // unborn: nothing to do

  let branch: string | null;
  let oid: Oid;
  if (stored?.kind === 'direct') {
    branch = target;
    oid = stored.oid;
  } else {
    branch = null;
    oid = resolveTarget(ctx, target);
  }
  const headTree = treeOfCommit(ctx.odb, head.oid);
  const targetTree = treeOfCommit(ctx.odb, oid);
  const plan = planSwitch(ctx.odb, ctx.working, headTree, targetTree, options.force === true);

  const committer = toSignature(options.identity ?? DEFAULT_IDENTITY, ctx.clock, 'identity');
  const fromName = head.branch ?? head.oid ?? 'HEAD';
  const message = `checkout: moving from ${fromName} to ${target}`;
  if (branch !== null) {
    if (head.branch !== branch) ctx.refs.setSymbolic(HEAD, branchRef(branch));
  } else {
    const result = ctx.refs.update({ name: HEAD, expect: head.oid, next: oid, detach: true });
    if (result.status === 'lock-failure')
      throw new ConcurrentUpdateError(HEAD, head.oid, result.current);
  }
  ctx.refs.appendReflog(HEAD, { oldOid: head.oid ?? ZERO_OID, newOid: oid, committer, message });
  ctx.working.replace(plan.tree, plan.staged, plan.unstaged);
  return { branch, oid };
}

function resolveTarget(ctx: RepoContext, target: string): Oid {
  try {
    return resolveCommit(ctx.odb, ctx.refs, target);
  } catch (error) {
    if (error instanceof RefNotFoundError || error instanceof InvalidRefError)
      throw new BranchNotFoundError(target);
    throw error;
  }
}

/**
 * Brings the working state up to HEAD after HEAD moved without it (a push or a transaction
 * commit on the checked-out branch), carrying local changes over with checkout's rule, like
 * git's `receive.denyCurrentBranch=updateInstead`. Returns false, changing nothing, when local
 * changes conflict with the move; true when the working state is (now) based on HEAD.
 */
export function followHead(ctx: RepoContext): boolean {
  const headTree = treeOfCommit(ctx.odb, readHead(ctx.refs).oid);
  if (ctx.working.baseTree === headTree) return true;
  try {
    const plan = planSwitch(ctx.odb, ctx.working, ctx.working.baseTree, headTree, false);
    ctx.working.replace(plan.tree, plan.staged, plan.unstaged);
    return true;
  } catch (error) {
    if (error instanceof CheckoutConflictError) return false;
    throw error;
  }
}
