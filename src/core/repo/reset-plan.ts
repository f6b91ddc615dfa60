/**
 * Planning a move of the working state to another tree for the history operations (reset
 * --hard, merge, cherry-pick, revert, rebase, stash): checkout's planSwitch (git's two-tree
 * rule), plus one layout check it misses.
 *
 * planSwitch's own clash check asks the overlays themselves whether a carried file's path is a
 * directory, and a PathOverlay answers "no" at a path where it holds a live leaf, whatever lies
 * below it in the layer underneath. So an untracked file `d` carried onto a target with
 * `d/x` would yield a state showing both. Here each live overlay leaf is checked against the
 * layer below: no visible leaf under it, no visible file on its way. A clash refuses the move
 * (CheckoutConflictError, which callers turn into their own code) or, with `force`, drops the
 * carried entry, as git drops untracked files a forced switch needs the place of.
 */
import { CheckoutConflictError } from '../errors/repo-errors';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { comparePaths } from '../objects/tree-entry-order';
import { planSwitch, type SwitchPlan } from './checkout';
import type { PathOverlay } from './path-overlay';
import { ancestorsOf, type PathView } from './path-view';
import { WorkingState } from './working-state';

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
 * planSwitch(odb, state, headTree, targetTree, force) with the layout check above. Throws
 * CheckoutConflictError (sorted paths) unless `force`.
 */
export function planWorkingMove(
  odb: ObjectDatabase,
  state: WorkingState,
  headTree: Oid,
  targetTree: Oid,
  force: boolean,
): SwitchPlan {
  const plan = planSwitch(odb, state, headTree, targetTree, force);
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
