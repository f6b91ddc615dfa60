/**
 * Transactions (contract §7): private edits over the head of one branch, committed in one go.
 *
 * A transaction is a TreeEdit (a PathOverlay of changed paths over a shared TreeView of the
 * branch head's tree at begin), so it costs memory for what it changed, never for the size of
 * the repository; the repository's index and working tree are never touched. Content blobs go
 * to the object database as they are added (like the working tree's), so a rolled-back
 * transaction leaves unreferenced blobs behind, as an abandoned `git add` does.
 *
 * Commit rebuilds from the branch head as it is at commit time: when the branch moved since
 * begin, the transaction's tree is three-way merged onto the new head (mergeTrees with the
 * begin tree as base). The branch then moves by compare-and-swap, so a concurrent writer is
 * never overwritten; a lost race re-reads the head and merges again.
 *
 * Nothing here is timer-driven: expiry is checked on every access and by `sweep`, which the
 * server schedules. Times are milliseconds from the injected clock; commit times come from the
 * repository's own clock.
 */
import { randomUUID } from 'node:crypto';
import { BranchNotFoundError, ConcurrentUpdateError } from '../errors/ref-errors';
import { FileNotFoundError } from '../errors/path-errors';
import { CheckoutConflictError, NothingToCommitError } from '../errors/repo-errors';
import {
  EMPTY_CONTENT,
  NO_CHANGES,
  TxConflictError,
  TxLimitReachedError,
  TxNotFoundError,
  TxNotValidatedError,
  TxTooLargeError,
  ValidationFailedError,
  type ValidationProblem,
} from '../errors/transaction-errors';
import { messageSubject, type Commit } from '../objects/commit';
import { FileMode } from '../objects/file-mode';
import { LruCache } from '../objects/lru-cache';
import { ZERO_OID, type Oid } from '../objects/oid';
import { validateFilePath } from '../objects/path-safety';
import { comparePaths } from '../objects/tree-entry-order';
import { mergeTrees } from '../merge/tree-merge';
import { updateRef } from '../refs/ref-update';
import { branchRef, HEAD, resolveRef } from '../refs/resolve-ref';
import { planSwitch, type SwitchPlan } from './checkout';
import type { CommitResult } from './commit-index';
import { validateCommitMessage } from './commit-message';
import { readHead, treeOfCommit } from './head';
import { toSignature, type Identity } from './identity';
import type { FileInput, Repository } from './repository';
import { checkWritableContent, TreeEdit } from './tree-edit';
import { TreeView } from './tree-view';
import { readFileFrom, WRITABLE_MODES, type FileContent } from './working-state';

export interface TransactionManagerOptions {
  /** Idle time after which a transaction is discarded; default 10 minutes. */
  readonly idleTimeoutMs?: number;
  /** Age after which a transaction is discarded however busy; default 1 hour. */
  readonly maxLifetimeMs?: number;
  /** Open transactions at once; default 100. */
  readonly maxOpen?: number;
  /** Bytes of added content per transaction; default 100 MiB. */
  readonly maxSize?: number;
  /** Changed paths per transaction; default 10,000. */
  readonly maxFiles?: number;
  /** Milliseconds since the epoch; default Date.now. */
  readonly clock?: () => number;
  /** Prepended to the random part of each id (the server uses `tx_<repo_id>_`); default `tx_`. */
  readonly idPrefix?: string;
  /** Called once for each transaction discarded by expiry (on access or by `sweep`). */
  readonly onExpired?: (tx: TransactionInfo) => void;
}

export type TransactionState = 'open' | 'validated';

export interface TransactionFile {
  readonly path: string;
  readonly action: 'add' | 'remove';
  /** Bytes of the added content; 0 for a removal. */
  readonly size: number;
}

export interface TransactionInfo {
  readonly id: string;
  readonly branch: string;
  /** The branch head at begin; null when the branch was unborn. */
  readonly baseCommit: Oid | null;
  readonly owner: string | undefined;
  readonly state: TransactionState;
  /** Every changed path, sorted. */
  readonly files: readonly TransactionFile[];
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number;
}

/**
 * Who is asking. A transaction begun with an owner answers only that owner, or an admin;
 * anyone else gets TX_NOT_FOUND (its existence is not revealed).
 */
export interface TransactionAccess {
  readonly owner?: string;
  readonly admin?: boolean;
}

export interface TransactionAddOptions {
  /** 100644, 100755 or 120000; default the path's current mode in the transaction, else 100644. */
  readonly mode?: string;
}

/** The commit a transaction would make now (TransactionManager.preview). */
export interface TransactionPreview {
  readonly branch: string;
  /** The branch head the commit would have as parent; null on an unborn branch. */
  readonly parent: Oid | null;
  readonly tree: Oid;
}

export interface TransactionCommitOptions {
  readonly message: string;
  readonly author: Identity;
  /** Default: the author. */
  readonly committer?: Identity;
}

const MINUTE = 60_000;
/** How often commit re-reads a head that moved under it before giving up (CONCURRENT_UPDATE). */
const MAX_COMMIT_ATTEMPTS = 3;
/** Distinct base trees whose TreeView is kept for sharing between transactions. */
const SHARED_VIEWS = 64;

/** One open transaction; everything it holds is proportional to what it changed. */
interface OpenTransaction {
  readonly id: string;
  readonly branch: string;
  readonly owner: string | undefined;
  readonly baseCommit: Oid | null;
  readonly edit: TreeEdit;
  readonly createdAt: number;
  updatedAt: number;
  state: TransactionState;
  /** Bytes of content currently added (for max_size). */
  totalSize: number;
}

function bytes(content: FileInput): Uint8Array {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

export class TransactionManager {
  private readonly open = new Map<string, OpenTransaction>();
  private readonly views = new LruCache<Oid, TreeView>(SHARED_VIEWS);
  private readonly idleTimeoutMs: number;
  private readonly maxLifetimeMs: number;
  private readonly maxOpen: number;
  private readonly maxSize: number;
  private readonly maxFiles: number;
  private readonly clock: () => number;
  private readonly idPrefix: string;
  private readonly onExpired: ((tx: TransactionInfo) => void) | undefined;

  constructor(
    private readonly repo: Repository,
    options: TransactionManagerOptions = {},
  ) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 10 * MINUTE;
    this.maxLifetimeMs = options.maxLifetimeMs ?? 60 * MINUTE;
    this.maxOpen = options.maxOpen ?? 100;
    this.maxSize = options.maxSize ?? 100 * 1024 * 1024;
    this.maxFiles = options.maxFiles ?? 10_000;
    this.clock = options.clock ?? Date.now;
    this.idPrefix = options.idPrefix ?? 'tx_';
    this.onExpired = options.onExpired;
  }

  /** Open transactions (expired ones still count until an access or a sweep finds them). */
  get active(): number {
    return this.open.size;
  }

  /**
   * Opens a transaction on `branch` (default: the current branch) at its current head.
   * Throws BranchNotFoundError (also for a detached HEAD without `branch`) and
   * TxLimitReachedError. Returns the new id (`<idPrefix><uuid>`).
   */
  begin(branch?: string, owner?: string): string {
    if (this.open.size >= this.maxOpen) this.sweep();
    if (this.open.size >= this.maxOpen) throw new TxLimitReachedError(this.maxOpen);
    const name = branch ?? this.currentBranch();
    const baseCommit = this.repo.getBranch(name).commit;
    const baseTree = treeOfCommit(this.repo.odb, baseCommit);
    let view = this.views.get(baseTree);
    if (view === undefined) {
      view = new TreeView(this.repo.odb, baseTree);
      this.views.set(baseTree, view);
    }
    const now = this.clock();
    const id = `${this.idPrefix}${randomUUID()}`;
    this.open.set(id, {
      id,
      branch: name,
      owner,
      baseCommit,
      edit: new TreeEdit(this.repo.odb, view),
      createdAt: now,
      updatedAt: now,
      state: 'open',
      totalSize: 0,
    });
    return id;
  }

  /** The transaction's state and changed files. */
  get(id: string, access?: TransactionAccess): TransactionInfo {
    return this.describe(this.find(id, access));
  }

  /** A file as the transaction sees it (its changes over its base). FileNotFoundError. */
  read(id: string, path: string, access?: TransactionAccess): FileContent {
    const tx = this.find(id, access);
    return readFileFrom(this.repo.odb, tx.edit.view, validateFilePath(path));
  }

  /**
   * Adds or replaces a file (empty content is accepted here and refused by validate). Throws
   * path errors, InvalidFileContentError (bad mode, file/directory clash) and TxTooLargeError;
   * nothing changes when it throws. A validated transaction becomes open again.
   */
  add(
    id: string,
    path: string,
    content: FileInput,
    options: TransactionAddOptions = {},
    access?: TransactionAccess,
  ): void {
    const tx = this.find(id, access);
    validateFilePath(path);
    const data = bytes(content);
    const mode = options.mode ?? this.currentMode(tx, path);
    checkWritableContent(path, data, mode);

    const previous = tx.edit.change(path);
    const total = tx.totalSize - this.sizeOf(previous) + data.length;
    if (total > this.maxSize) throw new TxTooLargeError('max_size', this.maxSize, total);
    const files = tx.edit.size + (previous === undefined ? 1 : 0);
    if (files > this.maxFiles) throw new TxTooLargeError('max_files', this.maxFiles, files);
    tx.edit.checkPlaceable(path);

    tx.edit.put(path, { mode, oid: this.repo.odb.writeBlob(data) });
    tx.totalSize = total;
    this.touch(tx);
  }

  /**
   * Removes a file, or a directory with everything below it; returns the removed paths.
   * FileNotFoundError when the path is neither in the base nor added. A validated
   * transaction becomes open again.
   */
  remove(id: string, path: string, access?: TransactionAccess): string[] {
    const tx = this.find(id, access);
    validateFilePath(path);
    const leaves = tx.edit.leavesAt(path);
    if (leaves.length === 0) throw new FileNotFoundError(path);
    let files = tx.edit.size;
    let freed = 0;
    for (const leaf of leaves) {
      const previous = tx.edit.change(leaf);
      freed += this.sizeOf(previous);
      if (previous === undefined)
        files++; // a base file gets a deletion mark
      else if (tx.edit.base.file(leaf) === undefined) files--; // an added file just goes
    }
    if (files > this.maxFiles) throw new TxTooLargeError('max_files', this.maxFiles, files);
    tx.edit.delete(path);
    tx.totalSize -= freed;
    this.touch(tx);
    return leaves;
  }

  /**
   * Checks the transaction can be committed: no empty file, and some change at all. Throws
   * ValidationFailedError listing every problem (the transaction stays open); on success the
   * state becomes `validated`.
   */
  validate(id: string, access?: TransactionAccess): void {
    const tx = this.find(id, access);
    const problems: ValidationProblem[] = [];
    for (const [path, change] of tx.edit.entries())
      if (change !== null && this.sizeOf(change) === 0)
        problems.push({ path, reason: EMPTY_CONTENT });
    problems.sort((a, b) => comparePaths(a.path, b.path));
    if (tx.edit.isNoOp) problems.push({ path: '', reason: NO_CHANGES });
    tx.updatedAt = this.clock();
    if (problems.length > 0) {
      tx.state = 'open';
      throw new ValidationFailedError(problems);
    }
    tx.state = 'validated';
  }

  /**
   * Commits a validated transaction on its branch and forgets it. The tree is built from the
   * branch head at this moment: if the branch moved since begin, the changes are merged onto
   * it. Throws TxNotValidatedError; TxConflictError (the transaction stays, for rollback or a
   * retry); NothingToCommitError when the head already holds every change; BranchNotFoundError
   * when the branch was deleted; InvalidCommitMessageError / InvalidIdentityError.
   * When the branch is checked out, the repository's working state follows the new head.
   */
  commit(id: string, options: TransactionCommitOptions, access?: TransactionAccess): CommitResult {
    const tx = this.find(id, access);
    if (tx.state !== 'validated') throw new TxNotValidatedError(id);
    const { odb, refs, graph, clock } = this.repo;
    const message = validateCommitMessage(options.message);
    const author = toSignature(options.author, clock, 'author');
    const committer = options.committer
      ? toSignature(options.committer, clock, 'committer')
      : author;
    const ref = branchRef(tx.branch);
    const changedTree = tx.edit.build();

    for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      const { tip, tipTree, tree } = this.propose(tx, changedTree);
      // On the checked-out branch the shared working state must follow the new head (git's
      // updateInstead); plan that before moving anything, so local changes it would overwrite
      // refuse the commit instead of being reverted by the next commit of the stale index.
      const checkedOut = readHead(refs).ref === ref;
      const follow = checkedOut ? this.planFollow(tipTree, tree) : undefined;

      const commit: Commit = {
        tree,
        parents: tip === null ? [] : [tip],
        author,
        committer,
        extraHeaders: [],
        message,
      };
      const oid = odb.writeCommit(commit);
      const reflog = {
        committer,
        message: `commit${tip === null ? ' (initial)' : ''}: ${messageSubject(message)}`,
      };
      const result = updateRef(refs, graph, { name: ref, expect: tip, next: oid, reflog });
      if (result.status === 'lock-failure') continue; // someone moved the branch: merge again
      if (result.status === 'rejected')
        throw new ConcurrentUpdateError(ref, tip, result.current ?? null);

      this.open.delete(id);
      if (follow !== undefined) {
        refs.appendReflog(HEAD, { oldOid: tip ?? ZERO_OID, newOid: oid, ...reflog });
        this.repo.working.replace(follow.tree, follow.staged, follow.unstaged);
      }
      return { oid, commit, branch: tx.branch };
    }
    throw new ConcurrentUpdateError(ref, tx.baseCommit, resolveRef(refs, ref).oid);
  }

  /**
   * What `commit` would commit now, without committing: the branch, its current head (the
   * parent) and the new tree. Same refusals as commit (TxNotValidatedError, TxConflictError,
   * NothingToCommitError, BranchNotFoundError). Lets a caller check the change first (a
   * pre-commit hook) and confirm nothing moved before it commits.
   */
  preview(id: string, access?: TransactionAccess): TransactionPreview {
    const tx = this.find(id, access);
    if (tx.state !== 'validated') throw new TxNotValidatedError(id);
    const { tip, tree } = this.propose(tx, tx.edit.build());
    return { branch: tx.branch, parent: tip, tree };
  }

  /** The branch head now and the tree a commit on it would have (merged when it moved). */
  private propose(
    tx: OpenTransaction,
    changedTree: Oid,
  ): { tip: Oid | null; tipTree: Oid; tree: Oid } {
    const tip = resolveRef(this.repo.refs, branchRef(tx.branch)).oid;
    if (tip === null && tx.baseCommit !== null) throw new BranchNotFoundError(tx.branch);
    const tipTree = treeOfCommit(this.repo.odb, tip);
    const tree = tip === tx.baseCommit ? changedTree : this.mergeOnto(tx, tipTree, changedTree);
    if (tree === tipTree) throw new NothingToCommitError();
    return { tip, tipTree, tree };
  }

  /** How the working state moves from `headTree` to `tree`; TX_CONFLICT where it cannot. */
  private planFollow(headTree: Oid, tree: Oid): SwitchPlan {
    try {
      return planSwitch(this.repo.odb, this.repo.working, headTree, tree, false);
    } catch (error) {
      if (error instanceof CheckoutConflictError) throw new TxConflictError(error.paths);
      throw error;
    }
  }

  /** Discards the transaction. */
  rollback(id: string, access?: TransactionAccess): void {
    this.open.delete(this.find(id, access).id);
  }

  /**
   * Discards every transaction idle longer than the idle timeout or older than the maximum
   * lifetime at `now`, calling onExpired for each; returns what was discarded.
   */
  sweep(now: number = this.clock()): TransactionInfo[] {
    const expired: TransactionInfo[] = [];
    for (const tx of this.open.values()) {
      if (this.expiresAt(tx) < now) expired.push(this.expire(tx));
    }
    return expired;
  }

  /** Forgets every transaction without notice (the repository is going away). */
  clear(): void {
    this.open.clear();
    this.views.clear();
  }

  // ---- internals --------------------------------------------------------------------------

  /** The live transaction `id` visible to `access`; discards it first if it has expired. */
  private find(id: string, access: TransactionAccess | undefined): OpenTransaction {
    const tx = this.open.get(id);
    if (tx === undefined) throw new TxNotFoundError(id);
    if (this.expiresAt(tx) < this.clock()) {
      this.expire(tx);
      throw new TxNotFoundError(id);
    }
    if (tx.owner !== undefined && access?.admin !== true && access?.owner !== tx.owner)
      throw new TxNotFoundError(id);
    return tx;
  }

  private expire(tx: OpenTransaction): TransactionInfo {
    this.open.delete(tx.id);
    const info = this.describe(tx);
    this.onExpired?.(info);
    return info;
  }

  /** The last instant the transaction is alive: idle timeout or lifetime, whichever is first. */
  private expiresAt(tx: OpenTransaction): number {
    return Math.min(tx.updatedAt + this.idleTimeoutMs, tx.createdAt + this.maxLifetimeMs);
  }

  private touch(tx: OpenTransaction): void {
    tx.updatedAt = this.clock();
    tx.state = 'open';
  }

  private currentBranch(): string {
    const head = readHead(this.repo.refs);
    if (head.branch === null)
      throw new BranchNotFoundError(HEAD, 'no current branch: HEAD is detached');
    return head.branch;
  }

  private currentMode(tx: OpenTransaction, path: string): string {
    const current = tx.edit.view.file(path)?.mode;
    return current !== undefined && WRITABLE_MODES.includes(current) ? current : FileMode.Regular;
  }

  /** Bytes of an edit's content (0 for a deletion or no edit). */
  private sizeOf(change: { readonly oid: Oid } | null | undefined): number {
    return change ? this.repo.odb.readBlob(change.oid).length : 0;
  }

  /** The transaction's changes merged onto the branch's current tree; TxConflictError. */
  private mergeOnto(tx: OpenTransaction, tipTree: Oid, changedTree: Oid): Oid {
    const merged = mergeTrees(this.repo.odb, tx.edit.baseTree, tipTree, changedTree, {
      labels: { ours: tx.branch, theirs: `transaction ${tx.id}` },
    });
    if (!merged.clean) {
      const paths = new Set(merged.conflicts.map((conflict) => conflict.path));
      throw new TxConflictError([...paths].sort(comparePaths));
    }
    return merged.tree;
  }

  private describe(tx: OpenTransaction): TransactionInfo {
    const files: TransactionFile[] = [];
    for (const [path, change] of tx.edit.entries()) {
      files.push(
        change === null
          ? { path, action: 'remove', size: 0 }
          : { path, action: 'add', size: this.sizeOf(change) },
      );
    }
    files.sort((a, b) => comparePaths(a.path, b.path));
    return {
      id: tx.id,
      branch: tx.branch,
      baseCommit: tx.baseCommit,
      owner: tx.owner,
      state: tx.state,
      files,
      createdAt: tx.createdAt,
      updatedAt: tx.updatedAt,
      expiresAt: this.expiresAt(tx),
    };
  }
}
