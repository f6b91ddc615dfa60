/**
 * Branch housekeeping: create (from any revision), delete, list, get. Branch refs move by
 * compare-and-swap; creation writes a reflog like `git branch` does. Names may contain `/`.
 */
import {
  BranchExistsError,
  BranchNotFoundError,
  ConcurrentUpdateError,
  InvalidRefError,
  RefNotFoundError,
} from '../errors/ref-errors';
import {
  BranchCreateFailedError,
  DeleteCurrentBranchError,
  ProtectedBranchError,
} from '../errors/repo-errors';
import type { Oid } from '../objects/oid';
import { comparePaths } from '../objects/tree-entry-order';
import { validateBranchName } from '../refs/ref-name';
import { BRANCH_PREFIX, branchRef, HEAD } from '../refs/resolve-ref';
import { updateRef } from '../refs/ref-update';
import { resolveCommit } from '../walk/rev-parse';
import { hasCommits, readHead } from './head';
import { DEFAULT_IDENTITY, toSignature, type Identity } from './identity';
import type { RepoContext } from './repo-context';

export interface BranchInfo {
  readonly name: string;
  /** The tip, or null for the unborn current branch. */
  readonly commit: Oid | null;
  readonly current: boolean;
}

/** Branches `main` and `master` cannot be deleted (contract §3.4). */
export const PROTECTED_BRANCHES: readonly string[] = ['main', 'master'];

export interface CreateBranchOptions {
  /** Identity for the reflog entry; default DEFAULT_IDENTITY. */
  readonly identity?: Identity;
}

/**
 * Creates `name` at the commit `from` resolves to (default HEAD); the current branch does not
 * change. Throws InvalidBranchNameError, BranchCreateFailedError (no commits yet),
 * BranchNotFoundError "source branch '<f>' not found", BranchExistsError.
 */
export function createBranch(
  ctx: RepoContext,
  name: string,
  from: string = HEAD,
  options: CreateBranchOptions = {},
): BranchInfo {
  validateBranchName(name);
  const ref = branchRef(name);
  if (ctx.refs.read(ref) !== undefined) throw new BranchExistsError(name);
  const head = readHead(ctx.refs);
  const commit = resolveSource(ctx, name, from);
  const committer = toSignature(options.identity ?? DEFAULT_IDENTITY, ctx.clock, 'identity');
  const result = updateRef(ctx.refs, ctx.graph, {
    name: ref,
    expect: null,
    next: commit,
    reflog: { committer, message: `branch: Created from ${from}` },
  });
  if (result.status !== 'created') throw new BranchExistsError(name);
  return { name, commit, current: head.branch === name };
}

function resolveSource(ctx: RepoContext, name: string, from: string): Oid {
  try {
    return resolveCommit(ctx.odb, ctx.refs, from);
  } catch (error) {
    if (error instanceof RefNotFoundError || error instanceof InvalidRefError) {
      if (!hasCommits(ctx.refs)) throw new BranchCreateFailedError(name);
      throw new BranchNotFoundError(from, `source branch '${from}' not found`);
    }
    throw error;
  }
}

/**
 * Deletes a branch (merged or not) and returns the commit it pointed at. Throws
 * DeleteCurrentBranchError, ProtectedBranchError (main, master), BranchNotFoundError.
 */
export function deleteBranch(ctx: RepoContext, name: string): Oid {
  if (readHead(ctx.refs).branch === name) throw new DeleteCurrentBranchError(name);
  if (PROTECTED_BRANCHES.includes(name)) throw new ProtectedBranchError(name);
  const ref = branchRef(name);
  const stored = ctx.refs.read(ref);
  if (stored?.kind !== 'direct') throw new BranchNotFoundError(name);
  const result = ctx.refs.update({ name: ref, expect: stored.oid, next: null });
  if (result.status === 'lock-failure')
    throw new ConcurrentUpdateError(ref, stored.oid, result.current);
  return stored.oid;
}

/** Every branch by name; the unborn current branch is listed with commit null. */
export function listBranches(ctx: RepoContext): BranchInfo[] {
  const head = readHead(ctx.refs);
  const branches: BranchInfo[] = [];
  for (const ref of ctx.refs.list(BRANCH_PREFIX)) {
    if (ref.kind !== 'direct') continue;
    const name = ref.name.slice(BRANCH_PREFIX.length);
    branches.push({ name, commit: ref.oid, current: name === head.branch });
  }
  if (head.branch !== null && head.oid === null) {
    branches.push({ name: head.branch, commit: null, current: true });
    branches.sort((a, b) => comparePaths(a.name, b.name));
  }
  return branches;
}

/** One branch; the unborn current branch has commit null. Throws BranchNotFoundError. */
export function getBranch(ctx: RepoContext, name: string): BranchInfo {
  const head = readHead(ctx.refs);
  const stored = ctx.refs.read(branchRef(name));
  if (stored?.kind === 'direct') return { name, commit: stored.oid, current: name === head.branch };
  if (name === head.branch && head.oid === null) return { name, commit: null, current: true };
  throw new BranchNotFoundError(name);
}
