/**
 * Reading HEAD: the current branch (null when detached) and the commit it points at (null when
 * the branch is unborn), plus the tree a working state compares against.
 */
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { BRANCH_PREFIX, branchName, HEAD, resolveRef } from '../refs/resolve-ref';
import type { RefName, RefStore } from '../storage/ref-store';

export interface HeadState {
  /** The current branch's short name, or null when HEAD is detached. */
  readonly branch: string | null;
  /** The commit HEAD resolves to, or null on an unborn branch. */
  readonly oid: Oid | null;
}

export interface ResolvedHead extends HeadState {
  /** The direct ref a commit moves: `refs/heads/<branch>`, or `HEAD` when detached. */
  readonly ref: RefName;
}

export function readHead(refs: RefStore): ResolvedHead {
  const resolved = resolveRef(refs, HEAD);
  if (!resolved.symbolic) return { branch: null, oid: resolved.oid, ref: HEAD };
  return { branch: branchName(resolved.name) ?? null, oid: resolved.oid, ref: resolved.name };
}

/** The root tree of a commit, or the empty tree for an unborn HEAD (null). */
export function treeOfCommit(odb: ObjectDatabase, commit: Oid | null): Oid {
  return commit === null ? EMPTY_TREE_OID : odb.readCommit(commit).tree;
}

/** False for a fresh repository: HEAD unborn and no branch exists. */
export function hasCommits(refs: RefStore): boolean {
  return readHead(refs).oid !== null || refs.list(BRANCH_PREFIX).length > 0;
}
