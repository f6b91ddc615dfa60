/**
 * The tree side of cherry-pick and revert (§3.6): replaying a commit's change onto another
 * tree is a three-way merge where the base is the commit's parent (cherry-pick: parent →
 * commit onto `onto`) or the commit itself (revert: commit → parent onto `onto`). Pure: no
 * refs, no commit is written; callers build the commit and refuse empty results.
 *
 * Labels follow git's sequencer: ours is `HEAD`, the picked side `<short id> (<subject>)`,
 * the other `parent of <short id> (<subject>)`.
 */
import { messageSubject, type Commit } from '../objects/commit';
import { InvalidMainlineError, type PickOperation } from '../errors/merge-errors';
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import { shortOid, type Oid } from '../objects/oid';
import type { TreeMergeResult } from './merge-result';
import { mergeTrees, type TreeMergeOptions } from './tree-merge';

export type PickOptions = Omit<TreeMergeOptions, 'labels'> & {
  /** Overrides the label of the tree being picked onto; default `HEAD`. */
  readonly oursLabel?: string;
};

/**
 * The tree of the parent a pick is relative to: the empty tree for a root commit, the only
 * parent, or parent `parentNumber` (1-based, git's `--mainline`) of a merge commit.
 */
function parentTree(
  odb: ObjectDatabase,
  operation: PickOperation,
  oid: Oid,
  commit: Commit,
  parentNumber: number | undefined,
): Oid {
  const parents = commit.parents;
  if (parents.length > 1) {
    if (parentNumber === undefined) {
      throw new InvalidMainlineError(
        operation,
        oid,
        `commit ${oid} is a merge but no mainline was given`,
      );
    }
    const parent = parents[parentNumber - 1];
    if (!Number.isInteger(parentNumber) || parentNumber < 1 || parent === undefined) {
      throw new InvalidMainlineError(
        operation,
        oid,
        `commit ${oid} does not have parent ${parentNumber}`,
      );
    }
    return odb.readCommit(parent).tree;
  }
  if (parentNumber !== undefined) {
    throw new InvalidMainlineError(
      operation,
      oid,
      `mainline was specified but commit ${oid} is not a merge`,
    );
  }
  return parents[0] === undefined ? EMPTY_TREE_OID : odb.readCommit(parents[0]).tree;
}

function pickLabel(oid: Oid, commit: Commit): string {
  return `${shortOid(oid)} (${messageSubject(commit.message)})`;
}

/**
 * Applies the change `parent → commit` to `ontoTree`: mergeTrees(parent tree, onto, commit
 * tree). Throws InvalidMainlineError (CHERRY_PICK_FAILED) for a bad `parentNumber`.
 */
export function cherryPickTree(
  odb: ObjectDatabase,
  commit: Oid,
  parentNumber: number | undefined,
  ontoTree: Oid,
  options: PickOptions = {},
): TreeMergeResult {
  const picked = odb.readCommit(commit);
  const base = parentTree(odb, 'cherry-pick', commit, picked, parentNumber);
  const label = pickLabel(commit, picked);
  return mergeTrees(odb, base, ontoTree, picked.tree, {
    ...options,
    labels: { ours: options.oursLabel ?? 'HEAD', theirs: label, base: `parent of ${label}` },
  });
}

/**
 * Applies the change `commit → parent` to `ontoTree`: mergeTrees(commit tree, onto, parent
 * tree). Throws InvalidMainlineError (REVERT_FAILED) for a bad `parentNumber`.
 */
export function revertTree(
  odb: ObjectDatabase,
  commit: Oid,
  parentNumber: number | undefined,
  ontoTree: Oid,
  options: PickOptions = {},
): TreeMergeResult {
  const reverted = odb.readCommit(commit);
  const parent = parentTree(odb, 'revert', commit, reverted, parentNumber);
  const label = pickLabel(commit, reverted);
  return mergeTrees(odb, reverted.tree, ontoTree, parent, {
    ...options,
    labels: { ours: options.oursLabel ?? 'HEAD', theirs: `parent of ${label}`, base: label },
  });
}
