/**
 * Errors of the history-changing operations on a Repository: merge, cherry-pick, revert,
 * reset, rebase and stash (contract §3.4–§3.6, §14). Each is a refusal that left refs, index
 * and working tree untouched; `details` carries what a client needs to fix the state (the
 * conflicting or dirty paths, the commit being replayed).
 */
import { GitError, type GitErrorKind } from './git-error';

/** Extra fields a conflict report may carry besides the paths (rebase adds the commit). */
export interface MergeConflictDetails {
  /** The commit whose replay conflicted (rebase). */
  readonly commit?: string;
}

/**
 * A merge, cherry-pick, revert, rebase step or stash apply whose three-way merge left
 * conflicts. Nothing was written to refs, index or working tree.
 */
export class MergeConflictError extends GitError {
  readonly code = 'MERGE_CONFLICT';
  readonly kind = 'conflict';
  constructor(
    readonly conflicts: readonly string[],
    extra: MergeConflictDetails = {},
  ) {
    super(`merge conflict in ${conflicts.length} file${conflicts.length === 1 ? '' : 's'}`, {
      conflicts: [...conflicts],
      ...extra,
    });
  }
}

/** A merge that cannot start: staged changes, or local changes the merge would overwrite. */
export class MergeFailedError extends GitError {
  readonly code = 'MERGE_FAILED';
  readonly kind = 'conflict';
  constructor(
    readonly paths: readonly string[],
    reason = 'uncommitted changes',
  ) {
    super(reason, { paths: [...paths] });
  }
}

export type PickOperationName = 'cherry-pick' | 'revert';

/**
 * A cherry-pick or revert refused with 409: uncommitted changes in the index or in the files it
 * touches (`paths` lists them), or a result equal to the current tree ("changes already
 * present"). A bad mainline is InvalidMainlineError (400) instead.
 */
export class PickFailedError extends GitError {
  readonly code: 'CHERRY_PICK_FAILED' | 'REVERT_FAILED';
  readonly kind = 'conflict';
  constructor(
    operation: PickOperationName,
    reason: 'uncommitted changes' | 'changes already present',
    readonly paths: readonly string[] = [],
    commit?: string,
  ) {
    super(reason, {
      ...(reason === 'uncommitted changes' ? { paths: [...paths] } : {}),
      ...(commit !== undefined ? { commit } : {}),
    });
    this.code = operation === 'cherry-pick' ? 'CHERRY_PICK_FAILED' : 'REVERT_FAILED';
  }
}

/** Reset on a repository without commits: there is no branch tip to move. */
export class ResetFailedError extends GitError {
  readonly code = 'RESET_FAILED';
  readonly kind = 'invalid-argument';
  constructor(reason = 'no commits yet') {
    super(`reset failed: ${reason}`, { reason });
  }
}

export type RebaseFailureReason =
  | 'not on a branch'
  | 'no commits yet'
  | 'uncommitted changes'
  | 'no rebase in progress'
  | 'rebase in progress'
  | 'unresolved conflicts';

/**
 * A rebase that cannot start or continue: 400 when HEAD is detached or unborn, or when
 * continue/abort finds no rebase in progress; 409 with `paths` when the index or tracked working
 * files have uncommitted changes (or untracked files are in the way), or when conflicted paths
 * of a stopped rebase are not resolved and staged yet; 409 "rebase in progress" when another
 * operation is refused because a stopped rebase holds the working state.
 */
export class RebaseFailedError extends GitError {
  readonly code = 'REBASE_FAILED';
  readonly kind: GitErrorKind;
  constructor(
    reason: RebaseFailureReason,
    readonly paths: readonly string[] = [],
  ) {
    const withPaths = reason === 'uncommitted changes' || reason === 'unresolved conflicts';
    super(reason, withPaths ? { paths: [...paths] } : { reason });
    this.kind = withPaths || reason === 'rebase in progress' ? 'conflict' : 'invalid-argument';
  }
}

/**
 * Stash push refused: nothing to stash, no commit to base the stash on, or untracked files
 * (`paths`) that returning to HEAD would delete (a file of HEAD needs their place) and that
 * the stash would not keep.
 */
export class StashFailedError extends GitError {
  readonly code = 'STASH_FAILED';
  readonly kind = 'invalid-argument';
  constructor(
    reason: 'no local changes to stash' | 'no commits yet' | 'untracked files in the way',
    readonly paths: readonly string[] = [],
  ) {
    super(reason, paths.length > 0 ? { reason, paths: [...paths] } : { reason });
  }
}

export class StashNotFoundError extends GitError {
  readonly code = 'STASH_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(id: string) {
    super(`stash not found: ${id}`, { id });
  }
}

/** Applying a stash would overwrite local changes (or untracked files) at `paths`. */
export class StashApplyFailedError extends GitError {
  readonly code = 'STASH_APPLY_FAILED';
  readonly kind = 'conflict';
  constructor(readonly paths: readonly string[]) {
    super('local changes would be overwritten', { paths: [...paths] });
  }
}
