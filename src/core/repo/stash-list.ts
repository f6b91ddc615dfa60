/**
 * Reading the stash as git stores it: `refs/stash` points at the newest stash commit and its
 * reflog lists every entry, oldest first in the log, so `stash@{0}` is the last line. A stash
 * commit W has parents [HEAD at stash time, I] plus U when untracked files were stashed: I's
 * tree is the index, W's the working tree (tracked files), U's the untracked files alone.
 * Stashes made by git and by the engine are read the same way.
 *
 * `:stash_id` (contract §3.5) accepts `N`, `stash@{N}` (percent-encoded or not) or the entry's
 * uuid (stash-ids.ts); `findStash` resolves all three.
 */
import { StashNotFoundError } from '../errors/operation-errors';
import { EMPTY_TREE_OID } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import type { Signature } from '../objects/signature';
import { comparePaths } from '../objects/tree-entry-order';
import type { RefStore } from '../storage/ref-store';
import type { RepoContext } from './repo-context';
import { derivedStashUuid, isStashUuid, storedStashUuids } from './stash-ids';
import { forEachLeafChange } from './tree-changes';
import { walkTreeFiles } from './tree-view';

export const STASH_REF = 'refs/stash';

export interface StashEntry {
  /** Position, 0 = newest (git's `stash@{N}`); shifts when a newer entry is dropped. */
  readonly index: number;
  /** `stash@{N}`. */
  readonly id: string;
  /** Stable id (stash-ids.ts). */
  readonly uuid: string;
  /** The stash commit W. */
  readonly oid: Oid;
  /** The reflog message, as `git stash list` shows it (`WIP on main: 1a2b3c4 subject`). */
  readonly message: string;
  /** The branch the stash was made on; null for a detached HEAD or a foreign message. */
  readonly branch: string | null;
  /** Paths the entry changes (index, working tree and untracked files), sorted. */
  readonly files: readonly string[];
  /** W's author (the identity that stashed) and time. */
  readonly author: Signature;
  /** The commit HEAD was at when stashing (W's first parent). */
  readonly base: Oid;
  /** I, the index commit (null for a malformed entry without one). */
  readonly indexCommit: Oid | null;
  /** U, the untracked-files commit, when there is one. */
  readonly untrackedCommit: Oid | null;
}

/** `WIP on <branch>: ...` / `On <branch>: ...`; branch names cannot contain `:`. */
const STASH_MESSAGE = /^(?:WIP on|On) ([^:]*):/;

function branchOf(message: string): string | null {
  const branch = STASH_MESSAGE.exec(message)?.[1];
  return branch === undefined || branch === '(no branch)' ? null : branch;
}

function stashedFiles(ctx: RepoContext, base: Oid, w: Oid, i: Oid | null, u: Oid | null): string[] {
  const files = new Set<string>();
  const baseTree = ctx.odb.readCommit(base).tree;
  const add = ({ path }: { path: string }): void => {
    files.add(path);
  };
  forEachLeafChange(ctx.odb, baseTree, ctx.odb.readCommit(w).tree, add);
  if (i !== null) forEachLeafChange(ctx.odb, baseTree, ctx.odb.readCommit(i).tree, add);
  if (u !== null) {
    const untracked = ctx.odb.readCommit(u).tree;
    if (untracked !== EMPTY_TREE_OID)
      walkTreeFiles(ctx.odb, untracked, '', (path) => files.add(path));
  }
  return [...files].sort(comparePaths);
}

function hasStashRef(refs: RefStore): boolean {
  return refs.read(STASH_REF)?.kind === 'direct';
}

/**
 * Every stash entry, newest first. Reflog lines whose commit is missing or has no parent (not
 * stash-like) are left out; positions still count them, as git's `stash@{N}` does.
 */
export function listStashes(ctx: RepoContext): StashEntry[] {
  if (!hasStashRef(ctx.refs)) return [];
  const log = ctx.refs.reflog(STASH_REF);
  const uuids = storedStashUuids(ctx.refs);
  const entries: StashEntry[] = [];
  for (let index = 0; index < log.length; index++) {
    const line = log[log.length - 1 - index]!;
    const oid = line.newOid;
    if (!ctx.odb.has(oid) || ctx.odb.typeOf(oid) !== 'commit') continue;
    const commit = ctx.odb.readCommit(oid);
    const [base, indexCommit = null, untrackedCommit = null] = commit.parents;
    if (base === undefined) continue;
    entries.push({
      index,
      id: `stash@{${index}}`,
      uuid: uuids.get(oid) ?? derivedStashUuid(oid),
      oid,
      message: line.message,
      branch: branchOf(line.message),
      files: stashedFiles(ctx, base, oid, indexCommit, untrackedCommit),
      author: commit.author,
      base,
      indexCommit,
      untrackedCommit,
    });
  }
  return entries;
}

function decodeId(id: string): string {
  if (!id.includes('%')) return id;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/** The position an id names (`N` or `stash@{N}`), or undefined for anything else. */
function positionOf(id: string): number | undefined {
  const match = /^(?:stash@\{([0-9]+)\}|([0-9]+))$/.exec(id);
  const digits = match?.[1] ?? match?.[2];
  if (digits === undefined) return undefined;
  const position = Number(digits);
  return Number.isSafeInteger(position) ? position : undefined;
}

/** The entry `id` names (`N`, `stash@{N}`, percent-encoded or not, or a uuid), if any. */
export function findStash(ctx: RepoContext, id: string): StashEntry | undefined {
  const text = decodeId(id.trim());
  const entries = listStashes(ctx);
  const position = positionOf(text);
  if (position !== undefined) return entries.find((entry) => entry.index === position);
  const uuid = text.toLowerCase();
  if (!isStashUuid(uuid)) return undefined;
  return entries.find((entry) => entry.uuid === uuid);
}

/** Like findStash; throws StashNotFoundError "stash not found: <id>" on a miss. */
export function getStash(ctx: RepoContext, id: string): StashEntry {
  const entry = findStash(ctx, id);
  if (entry === undefined) throw new StashNotFoundError(id);
  return entry;
}
