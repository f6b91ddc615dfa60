/**
 * The one place `push` events are derived (api-contract.md §6.4): every move of a
 * `refs/heads/*` ref, whatever operation made it, is found by comparing the branch heads before
 * and after a write, and described as a push payload. The git smart-HTTP side uses the same
 * `describePush` for its own pushes (`source: "git"`).
 */
import { signatureTimeIso, type Oid, type Repository, type RefStore } from '../../core';

export const ZERO_OID = '0'.repeat(40);
const BRANCH_PREFIX = 'refs/heads/';
/** Commits listed in a push payload, newest first (total_commits counts all). */
const MAX_LISTED_COMMITS = 20;

/** Branch ref name → the id it holds (symbolic refs under refs/heads are ignored). */
export type BranchHeads = ReadonlyMap<string, Oid>;

export interface BranchMove {
  readonly ref: string;
  readonly before: Oid | null;
  readonly after: Oid | null;
}

export function snapshotBranchHeads(refs: RefStore): BranchHeads {
  const heads = new Map<string, Oid>();
  for (const ref of refs.list(BRANCH_PREFIX))
    if (ref.kind === 'direct') heads.set(ref.name, ref.oid);
  return heads;
}

/**
 * The branch moves among `moved` (RefStore.recordMoves: ref → id before the write), with the
 * ids the refs hold now; refs moved and moved back are left out. Sorted by name.
 */
export function movedBranches(
  refs: RefStore,
  moved: ReadonlyMap<string, Oid | null>,
): BranchMove[] {
  const moves: BranchMove[] = [];
  for (const [ref, before] of moved) {
    if (!ref.startsWith(BRANCH_PREFIX)) continue;
    const current = refs.read(ref);
    const after = current?.kind === 'direct' ? current.oid : null;
    if (after !== before) moves.push({ ref, before, after });
  }
  return moves.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/** The branch heads as they were before a write that moved `moved` (see movedBranches). */
export function headsBefore(refs: RefStore, moved: ReadonlyMap<string, Oid | null>): Oid[] {
  const heads = new Map(snapshotBranchHeads(refs));
  for (const [ref, before] of moved) {
    if (!ref.startsWith(BRANCH_PREFIX)) continue;
    if (before === null) heads.delete(ref);
    else heads.set(ref, before);
  }
  return [...heads.values()];
}

/** Refs that differ between two snapshots, sorted by name. */
export function branchMoves(before: BranchHeads, after: BranchHeads): BranchMove[] {
  const moves: BranchMove[] = [];
  for (const [ref, oid] of after) {
    const old = before.get(ref);
    if (old !== oid) moves.push({ ref, before: old ?? null, after: oid });
  }
  for (const [ref, oid] of before)
    if (!after.has(ref)) moves.push({ ref, before: oid, after: null });
  return moves.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

export interface PushCommit {
  readonly id: Oid;
  readonly message: string;
  readonly author: { readonly name: string; readonly email: string };
  readonly timestamp: string;
}

export interface PushData {
  readonly [key: string]: unknown;
  readonly ref: string;
  readonly before: Oid;
  readonly after: Oid;
  readonly created: boolean;
  readonly deleted: boolean;
  readonly forced: boolean;
  readonly source: 'git' | 'api';
  readonly commits: readonly PushCommit[];
  readonly total_commits: number;
}

/**
 * The push payload of one move. The commits are `before..after`, like `git log before..after`;
 * for a created branch, those no branch had before (`others`: the heads before the write), so
 * a branch created at an existing commit lists none rather than the whole history. `forced`
 * means the old head is not an ancestor of the new one.
 */
export function describePush(
  repository: Repository,
  move: BranchMove,
  source: 'git' | 'api',
  others: Iterable<Oid> = [],
): PushData {
  const { graph } = repository;
  const excluded = new Set<Oid>(move.before === null ? others : [move.before]);
  const added = move.after === null ? [] : newCommits(repository, move.after, [...excluded]);
  const forced =
    move.before !== null && move.after !== null && !graph.isAncestor(move.before, move.after);
  return {
    ref: move.ref,
    before: move.before ?? ZERO_OID,
    after: move.after ?? ZERO_OID,
    created: move.before === null,
    deleted: move.after === null,
    forced,
    source,
    commits: added.slice(0, MAX_LISTED_COMMITS).map((oid) => pushCommit(repository, oid)),
    total_commits: added.length,
  };
}

/** Commits reachable from `tip` and from none of `excluded`, newest (committer time) first. */
function newCommits(repository: Repository, tip: Oid, excluded: readonly Oid[]): Oid[] {
  const { graph } = repository;
  const isOld = (oid: Oid): boolean => excluded.some((other) => graph.isAncestor(oid, other));
  const found: Oid[] = [];
  const seen = new Set<Oid>([tip]);
  const stack = isOld(tip) ? [] : [tip];
  while (stack.length > 0) {
    const oid = stack.pop()!;
    found.push(oid);
    for (const parent of graph.parents(oid)) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      if (!isOld(parent)) stack.push(parent);
    }
  }
  return found.sort((a, b) => graph.commitTime(b) - graph.commitTime(a));
}

function pushCommit(repository: Repository, oid: Oid): PushCommit {
  const commit = repository.odb.readCommit(oid);
  return {
    id: oid,
    message: commit.message.replace(/\n$/, ''),
    author: { name: commit.author.name, email: commit.author.email },
    timestamp: signatureTimeIso(commit.author),
  };
}
