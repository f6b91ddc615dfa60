/**
 * `git stash apply --index` (contract §3.5): staged changes go back to the index, the rest to
 * the working tree, untracked files (a `-u` stash) reappear as untracked. Both are three-way
 * merges against the commit the stash was made on, so a stash applies onto a moved HEAD:
 *
 *   working tree  = merge(base: W^1, ours: the current index, theirs: W)
 *   index         = merge(base: W^1, ours: the current index, theirs: I)
 *
 * (git's `apply --index` patches the index with `diff W^1 I` instead; a merge accepts every
 * patch that applies cleanly.) The working state moves to the merged tree with checkout's rule,
 * so local changes to files the stash does not touch stay, and any it would overwrite refuse
 * the apply with STASH_APPLY_FAILED and the paths, as do untracked files in the way of the
 * restored ones (git refuses those too). Conflicts refuse it with MergeConflictError.
 * Everything is checked before anything is written; with `drop`, the drop is planned up front
 * as well, so a refused apply neither applies nor drops.
 */
import { MergeConflictError, StashApplyFailedError } from '../errors/operation-errors';
import { CheckoutConflictError } from '../errors/repo-errors';
import type { MergeConflict } from '../merge/merge-result';
import { mergeTrees, type TreeMergeOptions } from '../merge/tree-merge';
import { EMPTY_TREE_OID } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { comparePaths } from '../objects/tree-entry-order';
import type { SwitchPlan } from './checkout';
import { planSwitch } from './checkout';
import { readHead, treeOfCommit } from './head';
import type { PathChange } from './path-overlay';
import { ancestorsOf } from './path-view';
import type { RepoContext } from './repo-context';
import { worktreeOver } from './reset';
import { applyStashDrop, planStashDrop, type StashDropPlan } from './stash-drop';
import { getStash, type StashEntry } from './stash-list';
import { buildTree } from './tree-builder';
import { forEachLeafChange } from './tree-changes';
import { walkTreeFiles } from './tree-view';
import { WorkingState } from './working-state';

export interface StashApplyOptions {
  /** Drop the entry once applied (`git stash pop`). */
  readonly drop?: boolean;
}

export interface StashApplyResult {
  readonly entry: StashEntry;
  readonly dropped: boolean;
}

/** git's labels for a stash merge (builtin/stash.c), should markers ever be shown. */
const STASH_LABELS: TreeMergeOptions['labels'] = {
  ours: 'Updated upstream',
  theirs: 'Stashed changes',
  base: 'Version stash was based on',
};

/**
 * Applies the entry `id` names (`N`, `stash@{N}` or its uuid) to the index and working tree.
 * Throws StashNotFoundError, StashApplyFailedError, MergeConflictError, ConcurrentUpdateError
 * (drop only); nothing changes when it throws.
 */
export function applyStash(
  ctx: RepoContext,
  id: string,
  options: StashApplyOptions = {},
): StashApplyResult {
  const entry = getStash(ctx, id);
  const { odb, working: state } = ctx;
  const tree = (commit: Oid | null, fallback: Oid): Oid =>
    commit === null ? fallback : odb.readCommit(commit).tree;
  const baseTree = tree(entry.base, EMPTY_TREE_OID);
  const stashTree = tree(entry.oid, EMPTY_TREE_OID);
  const stagedTree = tree(entry.indexCommit, baseTree);
  const untrackedTree = tree(entry.untrackedCommit, EMPTY_TREE_OID);

  const currentIndex = buildTree(odb, state.baseTree, state.index.entries());
  const worktreeMerge = mergeTrees(odb, baseTree, currentIndex, stashTree, {
    labels: STASH_LABELS,
  });
  const indexMerge =
    stagedTree === baseTree
      ? undefined
      : mergeTrees(odb, baseTree, currentIndex, stagedTree, { labels: STASH_LABELS });

  // The working tree after the apply: merged tree, carried local changes, restored untracked.
  const blocked: string[] = [];
  let plan: SwitchPlan | undefined;
  try {
    plan = planSwitch(odb, state, currentIndex, worktreeMerge.tree, false);
  } catch (error) {
    if (!(error instanceof CheckoutConflictError)) throw error;
    blocked.push(...error.paths);
  }
  // Without a plan the current working tree stands in, so every blocked path is reported.
  const scratch = new WorkingState(odb, worktreeMerge.tree);
  if (plan !== undefined) scratch.replace(plan.tree, plan.staged, plan.unstaged);
  const landing = plan !== undefined ? scratch : state;
  if (untrackedTree !== EMPTY_TREE_OID) {
    walkTreeFiles(odb, untrackedTree, '', (path, file) => {
      if (restorable(landing, path)) scratch.worktree.set(path, file);
      else blocked.push(path);
    });
  }
  if (blocked.length > 0) throw new StashApplyFailedError([...new Set(blocked)].sort(comparePaths));
  const conflicts = conflictedPaths([...worktreeMerge.conflicts, ...(indexMerge?.conflicts ?? [])]);
  if (conflicts.length > 0) throw new MergeConflictError(conflicts);

  const newIndex = indexMerge?.tree ?? currentIndex;
  const headTree = treeOfCommit(odb, readHead(ctx.refs).oid);
  const staged: Array<[string, PathChange]> = [];
  forEachLeafChange(odb, headTree, newIndex, ({ path, after }) => staged.push([path, after]));
  const unstaged = worktreeOver(odb, scratch, newIndex);
  const drop: StashDropPlan | undefined =
    options.drop === true ? planStashDrop(ctx, entry) : undefined;

  state.replace(headTree, staged, unstaged);
  if (drop !== undefined) applyStashDrop(ctx, drop);
  return { entry, dropped: drop !== undefined };
}

/** An untracked file can come back at `path`: nothing there, nothing on the way to it. */
function restorable(state: WorkingState, path: string): boolean {
  const view = state.worktree;
  if (view.file(path) !== undefined || view.hasDirectory(path)) return false;
  return ancestorsOf(path).every((dir) => view.file(dir) === undefined);
}

function conflictedPaths(conflicts: readonly MergeConflict[]): string[] {
  return [...new Set(conflicts.map((conflict) => conflict.path))].sort(comparePaths);
}
