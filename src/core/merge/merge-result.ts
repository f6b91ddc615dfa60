/**
 * What a tree or commit merge returns: the written tree (conflicted files carry conflict
 * markers, as `git merge-tree --write-tree` writes them) and one description per conflicted
 * path, with the index stages git would record for it.
 */
import type { Oid } from '../objects/oid';

export type MergeConflictKind =
  | 'content'
  | 'add/add'
  | 'modify/delete'
  | 'rename/delete'
  | 'rename/rename'
  | 'file/directory'
  | 'mode'
  | 'binary'
  | 'submodule';

/** One side of a conflicted path: the entry and the path it had on that side. */
export interface ConflictStage {
  readonly mode: string;
  readonly oid: Oid;
  readonly path: string;
}

export interface MergeConflict {
  /** Where the conflicted entry sits in the result tree (git's conflicted index path). */
  readonly path: string;
  readonly kind: MergeConflictKind;
  /** git-style explanation, e.g. `CONFLICT (content): Merge conflict in a.txt`. */
  readonly message: string;
  /** Other paths the conflict involves (a rename's source, a moved file's original path). */
  readonly relatedPaths: readonly string[];
  /** Index stages 1-3: the base, ours and theirs versions that are present. */
  readonly base?: ConflictStage;
  readonly ours?: ConflictStage;
  readonly theirs?: ConflictStage;
}

export interface TreeMergeResult {
  /** The merged tree, written to the object database. */
  readonly tree: Oid;
  readonly clean: boolean;
  /** Sorted by path; empty when clean. */
  readonly conflicts: readonly MergeConflict[];
}

export interface CommitMergeResult extends TreeMergeResult {
  /** The merge bases used (sorted by id); empty for unrelated histories. */
  readonly bases: readonly Oid[];
}
