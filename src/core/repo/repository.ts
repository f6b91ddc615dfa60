/**
 * The Repository facade: one repository's objects, refs, commit graph and its single
 * server-side working state (index + working tree), with the operations the REST layer needs
 * (contract §3.2–§3.4). Framework-free and synchronous: every method runs to completion in one
 * call, so nothing else can interleave between its checks and its writes.
 *
 * Each mutation validates everything before writing and moves refs by compare-and-swap, so it
 * either happens completely or leaves refs, index and working tree as they were.
 *
 * A new repository (no HEAD in the ref store) gets HEAD → refs/heads/<defaultBranch>, unborn;
 * an existing one keeps its HEAD and starts with a clean working state at HEAD's tree.
 */
import { RebaseFailedError } from '../errors/operation-errors';
import { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { validateFilePath } from '../objects/path-safety';
import { branchRef, HEAD } from '../refs/resolve-ref';
import type { ObjectStore } from '../storage/object-store';
import type { RefStore } from '../storage/ref-store';
import { MemoryObjectStore } from '../storage/memory/memory-object-store';
import { MemoryRefStore } from '../storage/memory/memory-ref-store';
import { CommitGraph } from '../walk/commit-graph';
import { log, type LogOptions, type LogResult } from '../walk/log';
import { resolveCommit, resolveRevision } from '../walk/rev-parse';
import {
  createBranch,
  deleteBranch,
  getBranch,
  listBranches,
  type BranchInfo,
  type CreateBranchOptions,
} from './branches';
import { checkout, followHead, type CheckoutOptions, type CheckoutResult } from './checkout';
import { systemClock, type Clock } from './clock';
import { commitIndex, type CommitOptions, type CommitResult } from './commit-index';
import { readHead, treeOfCommit, type HeadState } from './head';
import type { Identity } from './identity';
import type { FileEntry } from './path-view';
import type { RepoContext } from './repo-context';
import {
  stagedChanges,
  unstagedChanges,
  workingStatus,
  type WorkingChange,
  type WorkingStatus,
} from './status';
import {
  createTag,
  deleteTag,
  getTag,
  listTags,
  type CreateTagOptions,
  type TagInfo,
} from './tags';
import { listTree, type ListedEntry } from './tree-listing';
import { TreeView } from './tree-view';
import { readFileFrom, WorkingState, type FileContent } from './working-state';
// History operations (merge, cherry-pick, revert, reset, rebase, stash).
import { cherryPick, type PickCommitOptions, type PickCommitResult } from './cherry-pick-commit';
import { mergeBranch, type MergeBranchOptions, type MergeBranchResult } from './merge-branch';
import { rebase, type RebaseOptions, type RebaseResult } from './rebase';
import {
  abortRebase,
  continueRebase,
  rebaseUntilConflict,
  type RebaseState,
  type RebaseStep,
  type RebaseStepResult,
} from './rebase-session';
import { reset, type ResetMode, type ResetOptions, type ResetResult } from './reset';
import { revert } from './revert-commit';
import { applyStash, type StashApplyOptions, type StashApplyResult } from './stash-apply';
import { dropStash } from './stash-drop';
import { findStash, getStash, listStashes, type StashEntry } from './stash-list';
import { stashPush, type StashPushOptions } from './stash-push';

export interface RepositoryOptions {
  /** Default: a fresh MemoryObjectStore. */
  readonly objects?: ObjectStore;
  /** Default: a fresh MemoryRefStore. */
  readonly refs?: RefStore;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** The branch a new repository's HEAD points at; default `main`. */
  readonly defaultBranch?: string;
}

export interface RepoStatus extends WorkingStatus {
  /** The current branch, or `HEAD` when detached. */
  readonly branch: string;
}

export interface RepoLogOptions extends LogOptions {
  /** Where the walk starts: a revision or several; default HEAD (unborn HEAD → no commits). */
  readonly from?: string | readonly string[];
}

export interface RepoListTreeOptions {
  readonly recursive?: boolean;
  /** A revision to list instead of the working tree. */
  readonly commit?: string;
}

export type FileInput = Uint8Array | string;

function bytes(content: FileInput): Uint8Array {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

export class Repository implements RepoContext {
  readonly odb: ObjectDatabase;
  readonly refs: RefStore;
  readonly graph: CommitGraph;
  readonly clock: Clock;
  /** The server-side index and working tree (shared by every caller, contract §0.1). */
  readonly working: WorkingState;
  /**
   * The stopped rebase, if any (rebase-session.ts). Held in memory only: it does not survive a
   * restart, after which the branch is simply unmoved.
   */
  private rebaseState: RebaseState | undefined;

  constructor(options: RepositoryOptions = {}) {
    this.odb = new ObjectDatabase(options.objects ?? new MemoryObjectStore());
    this.refs = options.refs ?? new MemoryRefStore();
    this.graph = new CommitGraph(this.odb);
    this.clock = options.clock ?? systemClock;
    if (this.refs.read(HEAD) === undefined)
      this.refs.setSymbolic(HEAD, branchRef(options.defaultBranch ?? 'main'));
    this.working = new WorkingState(this.odb, this.headTree());
  }

  // ---- HEAD and revisions -----------------------------------------------------------------

  /** The current branch (null = detached) and commit (null = unborn). */
  head(): HeadState {
    const { branch, oid } = readHead(this.refs);
    return { branch, oid };
  }

  /** HEAD's root tree (the empty tree when unborn). */
  headTree(): Oid {
    return treeOfCommit(this.odb, readHead(this.refs).oid);
  }

  /** Any revision expression (§0.7) to the object it names; see walk/rev-parse.ts for errors. */
  resolve(expr: string): Oid {
    return resolveRevision(this.odb, this.refs, expr);
  }

  /** A revision peeled to a commit; RefNotFoundError for trees and blobs. */
  resolveCommit(expr: string): Oid {
    return resolveCommit(this.odb, this.refs, expr);
  }

  /** `git log` from `from` (default HEAD; an unborn HEAD lists nothing). */
  log(options: RepoLogOptions = {}): LogResult {
    const { from, ...walk } = options;
    let starts: Oid[];
    if (from === undefined) {
      const head = readHead(this.refs).oid;
      starts = head === null ? [] : [head];
    } else {
      starts = (typeof from === 'string' ? [from] : from).map((expr) => this.resolveCommit(expr));
    }
    return starts.length === 0
      ? { commits: [], hasMore: false }
      : log(this.odb, this.graph, starts, walk);
  }

  // ---- working state ----------------------------------------------------------------------

  /** Writes the working tree and stages (`git add`); see WorkingState.add. */
  add(path: string, content: FileInput, mode?: string): FileEntry {
    return this.working.add(path, bytes(content), mode);
  }

  /** Writes the working tree only; see WorkingState.write. */
  write(path: string, content: FileInput, mode?: string): FileEntry {
    return this.working.write(path, bytes(content), mode);
  }

  /** Removes a file or directory from working tree and index; returns the removed paths. */
  remove(path: string): string[] {
    return this.working.remove(path);
  }

  /** Moves a file or directory, staging both sides; returns the new paths. */
  move(from: string, to: string): string[] {
    return this.working.move(from, to);
  }

  /** A working-tree file. FileNotFoundError, IsADirectoryError, path errors. */
  readWorking(path: string): FileContent {
    return this.working.readWorking(path);
  }

  /** A file as committed at `revision` (nothing is checked out). */
  readAt(revision: string, path: string): FileContent {
    const tree = this.odb.readCommit(this.resolveCommit(revision)).tree;
    return readFileFrom(this.odb, new TreeView(this.odb, tree), validateFilePath(path));
  }

  /** Lists `path` (`''` = root) of the working tree, or of `options.commit`. */
  listTree(path: string, options: RepoListTreeOptions = {}): ListedEntry[] {
    const recursive = { recursive: options.recursive === true };
    if (options.commit === undefined)
      return listTree(this.odb, this.working.worktreeListing(), path, recursive);
    const view = new TreeView(
      this.odb,
      this.odb.readCommit(this.resolveCommit(options.commit)).tree,
    );
    return listTree(this.odb, view, path, recursive);
  }

  /** The contract's StatusResponse. */
  status(): RepoStatus {
    const head = readHead(this.refs);
    const status = workingStatus(this.odb, this.working, treeOfCommit(this.odb, head.oid));
    return { branch: head.branch ?? HEAD, ...status };
  }

  /** Index against HEAD (against the empty tree when unborn), sorted by path. */
  stagedChanges(): WorkingChange[] {
    return stagedChanges(this.odb, this.working, this.headTree());
  }

  /** Working tree against the index, tracked files only, sorted by path. */
  unstagedChanges(): WorkingChange[] {
    return unstagedChanges(this.working);
  }

  /** Commits the index on the current branch (or detached HEAD); see commit-index.ts. */
  commit(options: CommitOptions): CommitResult {
    this.refuseDuringRebase();
    return commitIndex(this, options);
  }

  /**
   * Brings the working state up to HEAD after HEAD moved without it (e.g. a push to the
   * checked-out branch), carrying local changes over with checkout's rule, like git's
   * `receive.denyCurrentBranch=updateInstead`. Returns false, changing nothing, when local
   * changes conflict with the move; true when the working state is (now) based on HEAD.
   */
  syncToHead(): boolean {
    if (this.rebaseState !== undefined) return false; // the stopped rebase owns the working state
    return followHead(this);
  }

  /** Switches branch, or detaches at a revision; see checkout.ts. */
  checkout(target: string, options: CheckoutOptions = {}): CheckoutResult {
    this.refuseDuringRebase();
    return checkout(this, target, options);
  }

  // ---- branches and tags ------------------------------------------------------------------

  createBranch(name: string, from: string = HEAD, options: CreateBranchOptions = {}): BranchInfo {
    return createBranch(this, name, from, options);
  }

  deleteBranch(name: string): Oid {
    return deleteBranch(this, name);
  }

  listBranches(): BranchInfo[] {
    return listBranches(this);
  }

  getBranch(name: string): BranchInfo {
    return getBranch(this, name);
  }

  createTag(name: string, target: string = HEAD, options: CreateTagOptions = {}): TagInfo {
    return createTag(this, name, target, options);
  }

  deleteTag(name: string): Oid {
    return deleteTag(this, name);
  }

  listTags(): TagInfo[] {
    return listTags(this);
  }

  getTag(name: string): TagInfo {
    return getTag(this, name);
  }

  // ---- history operations: merge, cherry-pick, revert, reset, rebase, stash ---------------
  // Each validates everything first and then writes, so a refusal leaves refs, index and
  // working tree unchanged; the current branch (or a detached HEAD) moves by compare-and-swap.

  /** Merges revision `from` into branch `to` (made current); see merge-branch.ts. */
  merge(from: string, to: string, options: MergeBranchOptions): MergeBranchResult {
    this.refuseDuringRebase();
    return mergeBranch(this, from, to, options);
  }

  /** Cherry-picks a commit onto the current branch (`git cherry-pick -x`); see cherry-pick-commit.ts. */
  cherryPick(commit: string, options: PickCommitOptions): PickCommitResult {
    this.refuseDuringRebase();
    return cherryPick(this, commit, options);
  }

  /** Reverts a commit on the current branch (`git revert --no-edit`); see revert-commit.ts. */
  revert(commit: string, options: PickCommitOptions): PickCommitResult {
    this.refuseDuringRebase();
    return revert(this, commit, options);
  }

  /** Moves the current branch (or detached HEAD) to `target`; see reset.ts for the modes. */
  reset(target: string, mode: ResetMode = 'mixed', options: ResetOptions = {}): ResetResult {
    this.refuseDuringRebase();
    return reset(this, target, mode, options);
  }

  /**
   * Rebases the current branch onto `onto`. All or nothing by default (rebase.ts: a conflict
   * throws MergeConflictError and nothing changes); with `onConflict: 'stop'` a conflict
   * returns `{status: 'stopped', ...}` and leaves a rebase in progress to continue or abort
   * (rebase-session.ts). Refused with REBASE_FAILED 409 while a rebase is in progress.
   */
  rebase(onto: string, options: RebaseOptions & { onConflict: 'stop' }): RebaseStepResult;
  rebase(onto: string, options: RebaseOptions & { onConflict?: 'throw' }): RebaseResult;
  rebase(
    onto: string,
    options: RebaseOptions & { onConflict?: 'throw' | 'stop' },
  ): RebaseResult | RebaseStepResult {
    this.refuseDuringRebase();
    if (options.onConflict !== 'stop') return rebase(this, onto, { identity: options.identity });
    return this.keep(rebaseUntilConflict(this, onto, options.identity));
  }

  /**
   * `git rebase --continue`: needs a rebase in progress (REBASE_FAILED 400) whose conflicted
   * paths are all resolved and staged (REBASE_FAILED 409 with the paths); may stop again. A
   * lost race on the branch throws ConcurrentUpdateError and keeps the rebase in progress.
   */
  rebaseContinue(options: { readonly identity: Identity }): RebaseStepResult {
    return this.keep(continueRebase(this, this.currentRebase(), options.identity));
  }

  /** `git rebase --abort`: back to the original head's tree; no ref moves. */
  rebaseAbort(): void {
    abortRebase(this, this.currentRebase());
    this.rebaseState = undefined;
  }

  /** The stopped rebase, or undefined (in memory only; see rebaseState). */
  rebaseInProgress(): RebaseState | undefined {
    return this.rebaseState;
  }

  private currentRebase(): RebaseState {
    if (this.rebaseState === undefined) throw new RebaseFailedError('no rebase in progress');
    return this.rebaseState;
  }

  private keep(step: RebaseStep): RebaseStepResult {
    this.rebaseState = step.state;
    return step.result;
  }

  /**
   * The one check every operation that would disturb a stopped rebase makes first (commit,
   * checkout, merge, cherry-pick, revert, reset, rebase, stash push/apply): REBASE_FAILED 409.
   */
  private refuseDuringRebase(): void {
    if (this.rebaseState !== undefined) throw new RebaseFailedError('rebase in progress');
  }

  /** Stashes local changes (`git stash push`); returns the new entry; see stash-push.ts. */
  stashPush(options: StashPushOptions): StashEntry {
    this.refuseDuringRebase();
    return stashPush(this, options);
  }

  /** Stash entries, newest first (index 0 = `stash@{0}`). */
  listStashes(): StashEntry[] {
    return listStashes(this);
  }

  /** The entry `id` names (`N`, `stash@{N}` or its uuid), or undefined. */
  findStash(id: string): StashEntry | undefined {
    return findStash(this, id);
  }

  /** Like findStash; StashNotFoundError on a miss. */
  getStash(id: string): StashEntry {
    return getStash(this, id);
  }

  /** Applies a stash entry (staged part to the index), optionally dropping it; see stash-apply.ts. */
  applyStash(id: string, options: StashApplyOptions = {}): StashApplyResult {
    this.refuseDuringRebase();
    return applyStash(this, id, options);
  }

  /** Drops a stash entry and returns it; see stash-drop.ts. */
  dropStash(id: string): StashEntry {
    return dropStash(this, id);
  }
}
