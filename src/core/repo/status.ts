/**
 * What `git status` and `git diff --cached` / `git diff` report, read off the working state's
 * overlays: the index overlay's keys are the staged paths and the worktree overlay's keys the
 * unstaged ones, so status costs O(local changes), whatever the repository's size.
 *
 * When HEAD has moved away from the tree the index was based on (`baseTree !== headTree`), the
 * staged list also covers the paths where those two trees differ, found by a pruned tree walk.
 */
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { comparePaths } from '../objects/tree-entry-order';
import { sameEntry, type FileEntry } from './path-view';
import { forEachLeafChange } from './tree-changes';
import { TreeView } from './tree-view';
import type { WorkingState } from './working-state';

/** One changed path between two snapshots; a null side means the path is absent there. */
export interface WorkingChange {
  readonly path: string;
  readonly oldMode: string | null;
  readonly oldOid: Oid | null;
  readonly newMode: string | null;
  readonly newOid: Oid | null;
}

/** The contract's StatusResponse without `branch` (the repository adds it). */
export interface WorkingStatus {
  /** Index differs from HEAD: added, modified or deleted. */
  readonly staged: string[];
  /** The staged deletions among `staged`. */
  readonly removed: string[];
  /** Tracked (in the index) and the working tree differs from the index. */
  readonly modified: string[];
  /** In the working tree, not in the index. */
  readonly untracked: string[];
  readonly clean: boolean;
  /** Sorted union of staged, modified and untracked. */
  readonly changes: string[];
}

function change(
  path: string,
  before: FileEntry | undefined | null,
  after: FileEntry | undefined | null,
): WorkingChange {
  return {
    path,
    oldMode: before?.mode ?? null,
    oldOid: before?.oid ?? null,
    newMode: after?.mode ?? null,
    newOid: after?.oid ?? null,
  };
}

function byPath(a: { path: string }, b: { path: string }): number {
  return comparePaths(a.path, b.path);
}

/** Index against HEAD's tree (the empty tree when unborn), sorted by path. */
export function stagedChanges(
  odb: ObjectDatabase,
  state: WorkingState,
  headTree: Oid,
): WorkingChange[] {
  const changes: WorkingChange[] = [];
  if (headTree === state.baseTree) {
    for (const [path, value] of state.index.entries())
      changes.push(change(path, state.base.file(path), value));
  } else {
    const head = new TreeView(odb, headTree);
    const paths = new Set<string>(Array.from(state.index.entries(), ([path]) => path));
    forEachLeafChange(odb, headTree, state.baseTree, ({ path }) => paths.add(path));
    for (const path of paths) {
      const before = head.file(path);
      const after = state.index.file(path);
      if (!sameEntry(before, after)) changes.push(change(path, before, after));
    }
  }
  return changes.sort(byPath);
}

/** Working tree against the index for tracked paths (untracked files excluded), sorted by path. */
export function unstagedChanges(state: WorkingState): WorkingChange[] {
  const changes: WorkingChange[] = [];
  for (const [path, value] of state.worktree.entries()) {
    const indexed = state.index.file(path);
    if (indexed !== undefined) changes.push(change(path, indexed, value));
  }
  return changes.sort(byPath);
}

/** Working tree files absent from the index, sorted by path. */
export function untrackedPaths(state: WorkingState): string[] {
  const paths: string[] = [];
  for (const [path, value] of state.worktree.entries()) {
    if (value !== null && state.index.file(path) === undefined) paths.push(path);
  }
  return paths.sort(comparePaths);
}

export function workingStatus(
  odb: ObjectDatabase,
  state: WorkingState,
  headTree: Oid,
): WorkingStatus {
  const staged = stagedChanges(odb, state, headTree);
  const unstaged = unstagedChanges(state);
  const untracked = untrackedPaths(state);
  const stagedPaths = staged.map((c) => c.path);
  const modified = unstaged.map((c) => c.path);
  const changes = [...new Set([...stagedPaths, ...modified, ...untracked])].sort(comparePaths);
  return {
    staged: stagedPaths,
    removed: staged.filter((c) => c.newOid === null).map((c) => c.path),
    modified,
    untracked,
    clean: changes.length === 0,
    changes,
  };
}
