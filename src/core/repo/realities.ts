/**
 * Parallel realities (contract §8): a reality is the branch `parallel/<name>`, nothing else.
 *
 * Creating realities writes refs only (one all-or-nothing RefStore.updateMany), so 100 of them
 * cost 100 refs and 100 small metadata records, and nothing is copied. Changes go through
 * `apply`, which commits on the reality from its own head with a TreeEdit (only the trees on
 * changed paths are rebuilt) and never touches the repository's index or working tree.
 *
 * Metadata (base ref, base commit, times) lives in memory beside the refs, as plain records
 * that a persistence layer can save and hand back (`records()`, options.records). A
 * `parallel/*` branch made some other way (a push) is still a reality, just without metadata.
 *
 * "Base" in comparisons is the fork point: the merge base of the reality's head and its base
 * branch's current tip (the base commit when the base was not a branch), like `git diff
 * base...reality`; `ahead` counts `git rev-list base..reality`.
 */
import { ConcurrentUpdateError, BranchNotFoundError } from '../errors/ref-errors';
import { MergeConflictError } from '../errors/operation-errors';
import { DeleteCurrentBranchError } from '../errors/repo-errors';
import {
  RealityExistsError,
  RealityNotFoundError,
  TooManyRealitiesError,
} from '../errors/transaction-errors';
import { toFileDiffs, type FileDiff, type FileDiffOptions } from '../diff/file-diffs';
import { diffTrees } from '../diff/tree-diff';
import { mergeCommits } from '../merge/commit-merge';
import { messageSubject, type Commit } from '../objects/commit';
import { FileMode } from '../objects/file-mode';
import { ZERO_OID, type Oid } from '../objects/oid';
import { validateFilePath } from '../objects/path-safety';
import type { Signature } from '../objects/signature';
import { validateBranchName } from '../refs/ref-name';
import { updateRef } from '../refs/ref-update';
import { BRANCH_PREFIX, branchRef, HEAD, resolveRef } from '../refs/resolve-ref';
import type { RefChange } from '../storage/ref-store';
import { countCommitsAhead } from '../walk/commits-ahead';
import { mergeBases } from '../walk/merge-base';
import type { CommitResult } from './commit-index';
import { validateCommitMessage } from './commit-message';
import { readHead, treeOfCommit } from './head';
import { DEFAULT_IDENTITY, toSignature, type Identity } from './identity';
import {
  measureSide,
  type BenchmarkMetrics,
  type BenchmarkScorer,
  type SideMeasurement,
} from './realities-benchmark';
import { conflictPaths } from './merge-branch';
import { mergeBranchMessage } from './merge-branch-message';
import type { FileInput, Repository } from './repository';
import { checkWritableContent, TreeEdit } from './tree-edit';
import { TreeView } from './tree-view';
import { WRITABLE_MODES } from './working-state';

/** The branch namespace of realities. */
export const REALITY_PREFIX = 'parallel/';
const REALITY_REF_PREFIX = BRANCH_PREFIX + REALITY_PREFIX;

/** A reality's metadata as plain, serializable data (times in ms since the epoch). */
export interface RealityRecord {
  /** The short name (`x` for branch `parallel/x`). */
  readonly name: string;
  /** The base as the creator gave it (`HEAD`, `main`, an id...). */
  readonly base: string;
  /** The branch the base named when created (HEAD → the current branch), else null. */
  readonly baseBranch: string | null;
  readonly baseCommit: Oid;
  readonly createdAt: number;
  /** Last create, apply or merge: what the TTL cleanup goes by. */
  readonly updatedAt: number;
}

export interface RealityInfo {
  /** The branch name, `parallel/<name>`. */
  readonly name: string;
  readonly shortName: string;
  readonly isolated: true;
  readonly ephemeral: true;
  /** Null for a `parallel/*` branch created outside this manager (no metadata). */
  readonly createdAt: number | null;
  readonly base: string | null;
  readonly baseCommit: Oid | null;
  readonly head: Oid;
  /** Commits on the reality that are not on its base (without metadata: not on HEAD). */
  readonly ahead: number;
}

export interface RealityManagerOptions {
  /** Realities per createMany; default 1000. */
  readonly maxPerRequest?: number;
  /** Milliseconds since the epoch; default Date.now. */
  readonly clock?: () => number;
  /** Metadata saved earlier (see `records()`). */
  readonly records?: readonly RealityRecord[];
}

/** path → new content, or null to delete the file (or directory); a Map or a plain object. */
export type RealityChanges =
  ReadonlyMap<string, FileInput | null> | Readonly<Record<string, FileInput | null>>;

export interface ApplyOptions {
  /** Default `Apply changes to reality <name>`. */
  readonly message?: string;
  readonly identity: Identity;
}

export interface ApplyResult {
  /** Absent when the changes change nothing (or there are none). */
  readonly commit?: CommitResult;
}

export interface RealityMergeOptions {
  /** Target branch; default the reality's base branch if it still exists, else the current branch. */
  readonly into?: string;
  /** Default: git's, `Merge branch 'parallel/<name>' into <into>` (merge-branch-message.ts). */
  readonly message?: string;
  /** Delete the reality after a successful merge. */
  readonly delete?: boolean;
  readonly identity?: Identity;
}

export interface RealityMergeResult {
  readonly from: string;
  readonly to: string;
  readonly fastForward: boolean;
  /** True when `into` already contained the reality (nothing moved). */
  readonly upToDate: boolean;
  /** The new tip of `into`. */
  readonly commit: Oid;
}

export interface BenchmarkOptions {
  /** Runs once per side after the measurements; numeric fields join the metrics. */
  readonly runScript?: BenchmarkScorer;
}

export interface SideBenchmark {
  readonly branch: string | null;
  readonly commit: Oid | null;
  readonly metrics: BenchmarkMetrics;
}

export interface RealityBenchmark {
  readonly reality: string;
  /** Milliseconds since the epoch. */
  readonly startTime: number;
  readonly endTime: number;
  readonly durationMs: number;
  readonly metrics: BenchmarkMetrics;
  readonly base: SideBenchmark;
  /** Reality score > base score; null unless both sides have a score. */
  readonly better: boolean | null;
}

/** `x` for `x` and for `parallel/x` (routes accept both spellings). */
export function realityName(input: string): string {
  return input.startsWith(REALITY_PREFIX) ? input.slice(REALITY_PREFIX.length) : input;
}

function bytes(content: FileInput): Uint8Array {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

function changeList(changes: RealityChanges): Array<[string, FileInput | null]> {
  if (changes instanceof Map) return [...(changes as ReadonlyMap<string, FileInput | null>)];
  return Object.entries(changes as Readonly<Record<string, FileInput | null>>);
}

export class RealityManager {
  private readonly meta = new Map<string, RealityRecord>();
  private readonly maxPerRequest: number;
  private readonly clock: () => number;

  constructor(
    private readonly repo: Repository,
    options: RealityManagerOptions = {},
  ) {
    this.maxPerRequest = options.maxPerRequest ?? 1000;
    this.clock = options.clock ?? Date.now;
    for (const record of options.records ?? []) this.meta.set(record.name, { ...record });
  }

  /**
   * Creates `parallel/<n>` for every name at the commit `base` resolves to, all or none.
   * Throws TooManyRealitiesError, InvalidBranchNameError, RealityExistsError (also for a name
   * given twice), RefNotFoundError / InvalidRefError for the base. `[]` creates nothing.
   */
  createMany(names: readonly string[], base: string = HEAD, identity?: Identity): RealityInfo[] {
    if (names.length > this.maxPerRequest)
      throw new TooManyRealitiesError(this.maxPerRequest, names.length);
    const shorts = names.map(realityName);
    const seen = new Set<string>();
    for (const name of shorts) {
      validateBranchName(REALITY_PREFIX + name);
      if (seen.has(name) || this.repo.refs.read(REALITY_REF_PREFIX + name) !== undefined)
        throw new RealityExistsError(REALITY_PREFIX + name);
      seen.add(name);
    }
    if (shorts.length === 0) return [];
    const baseCommit = this.repo.resolveCommit(base);
    const committer = toSignature(identity ?? DEFAULT_IDENTITY, this.repo.clock, 'identity');
    const reflog = { committer, message: `branch: Created from ${base}` };
    const changes: RefChange[] = shorts.map((name) => ({
      name: REALITY_REF_PREFIX + name,
      expect: null,
      next: baseCommit,
      reflog,
    }));
    const written = this.repo.refs.updateMany(changes);
    if (!written.ok) {
      const lost = written.results.findIndex((result) => result.status === 'lock-failure');
      throw new RealityExistsError(REALITY_PREFIX + (shorts[Math.max(lost, 0)] ?? ''));
    }
    const now = this.clock();
    const baseBranch = this.branchNamedBy(base);
    return shorts.map((name) => {
      const record: RealityRecord = {
        name,
        base,
        baseBranch,
        baseCommit,
        createdAt: now,
        updatedAt: now,
      };
      this.meta.set(name, record);
      // A new reality sits on its base's tip: nothing ahead, no walk needed.
      return this.describe(name, baseCommit, record, 0);
    });
  }

  /** Every reality, sorted by name. */
  list(): RealityInfo[] {
    const infos: RealityInfo[] = [];
    const present = new Set<string>();
    for (const ref of this.repo.refs.list(REALITY_REF_PREFIX)) {
      if (ref.kind !== 'direct') continue;
      const name = ref.name.slice(REALITY_REF_PREFIX.length);
      present.add(name);
      infos.push(this.describe(name, ref.oid, this.meta.get(name)));
    }
    // Branches deleted behind our back (git push --delete) take their metadata with them.
    for (const name of [...this.meta.keys()]) if (!present.has(name)) this.meta.delete(name);
    return infos;
  }

  /** One reality; RealityNotFoundError. `name` may carry the `parallel/` prefix. */
  get(name: string): RealityInfo {
    const short = realityName(name);
    return this.describe(short, this.headOf(short), this.meta.get(short));
  }

  /** The metadata of every reality that has some, for persistence. */
  records(): RealityRecord[] {
    return [...this.meta.values()].map((record) => ({ ...record }));
  }

  /**
   * One commit on `parallel/<name>` with its current head as parent and `changes` applied to
   * its tree; no commit when `changes` is empty or changes nothing. Deletions apply first and a
   * deletion of a missing path is a no-op (the map says what must be absent). Throws
   * RealityNotFoundError, path errors, InvalidFileContentError (file/directory clash),
   * InvalidCommitMessageError, ConcurrentUpdateError when the head moved during the write.
   */
  apply(name: string, changes: RealityChanges, options: ApplyOptions): ApplyResult {
    const short = realityName(name);
    const ref = REALITY_REF_PREFIX + short;
    const head = this.headOf(short);
    const entries = changeList(changes);
    if (entries.length === 0) return {};
    const { odb, refs, graph, clock } = this.repo;
    const message = validateCommitMessage(options.message ?? `Apply changes to reality ${short}`);
    const author = toSignature(options.identity, clock, 'author');
    for (const [path] of entries) validateFilePath(path);

    const edit = new TreeEdit(odb, new TreeView(odb, graph.tree(head)));
    for (const [path, content] of entries) if (content === null) edit.delete(path);
    for (const [path, content] of entries) {
      if (content === null) continue;
      // Like the working tree's write: an executable or symlink stays one.
      const current = edit.view.file(path)?.mode;
      const mode =
        current !== undefined && WRITABLE_MODES.includes(current) ? current : FileMode.Regular;
      const data = bytes(content);
      checkWritableContent(path, data, mode);
      edit.checkPlaceable(path);
      edit.put(path, { mode, oid: odb.writeBlob(data) });
    }
    const tree = edit.build();
    if (tree === edit.baseTree) return {};

    const commit: Commit = {
      tree,
      parents: [head],
      author,
      committer: author,
      extraHeaders: [],
      message,
    };
    const oid = odb.writeCommit(commit);
    const reflog = { committer: author, message: `commit: ${messageSubject(message)}` };
    const result = updateRef(refs, graph, { name: ref, expect: head, next: oid, reflog });
    if (result.status !== 'fast-forward')
      throw new ConcurrentUpdateError(ref, head, result.current ?? null);
    this.followHead(ref, head, oid, author, reflog.message);
    this.touch(short);
    return { commit: { oid, commit, branch: REALITY_PREFIX + short } };
  }

  /** Files that differ from reality `a` to reality `b` (head trees), with patches. */
  compare(a: string, b: string, options: FileDiffOptions = {}): FileDiff[] {
    const { odb, graph } = this.repo;
    const from = graph.tree(this.headOf(realityName(a)));
    const to = graph.tree(this.headOf(realityName(b)));
    return toFileDiffs(odb, diffTrees(odb, from, to), options);
  }

  /** What the reality changed since it forked from its base (`git diff base...reality`). */
  diffAgainstBase(name: string, options: FileDiffOptions = {}): FileDiff[] {
    const short = realityName(name);
    const head = this.headOf(short);
    const { odb } = this.repo;
    const fork = this.forkPoint(head, this.baseTip(this.meta.get(short)));
    return toFileDiffs(
      odb,
      diffTrees(odb, treeOfCommit(odb, fork), this.repo.graph.tree(head)),
      options,
    );
  }

  /**
   * Measures the reality and its base in one call (contract §8 metrics); `runScript` scores
   * each side. Throws RealityNotFoundError; whatever `runScript` throws is passed on.
   */
  async benchmark(name: string, options: BenchmarkOptions = {}): Promise<RealityBenchmark> {
    const short = realityName(name);
    const head = this.headOf(short);
    const record = this.meta.get(short);
    const baseTip = this.baseTip(record);
    const { odb, graph } = this.repo;
    const fork = this.forkPoint(head, baseTip);
    const forkTree = treeOfCommit(odb, fork);
    const startTime = this.clock();
    const realitySide: SideMeasurement = {
      side: { role: 'reality', branch: REALITY_PREFIX + short, commit: head },
      tree: graph.tree(head),
      fromTree: forkTree,
      commitsAhead: countCommitsAhead(graph, head, baseTip),
    };
    const baseBranch = this.baseBranchOf(record);
    const baseSide: SideMeasurement = {
      side: { role: 'base', branch: baseBranch, commit: baseTip },
      tree: treeOfCommit(odb, baseTip),
      fromTree: forkTree,
      commitsAhead: baseTip === null ? 0 : countCommitsAhead(graph, baseTip, head),
    };
    const metrics = await measureSide(odb, realitySide, options.runScript);
    const baseMetrics = await measureSide(odb, baseSide, options.runScript);
    const endTime = this.clock();
    const better =
      metrics.score !== undefined && baseMetrics.score !== undefined
        ? metrics.score > baseMetrics.score
        : null;
    return {
      reality: REALITY_PREFIX + short,
      startTime,
      endTime,
      durationMs: endTime - startTime,
      metrics,
      base: { branch: baseBranch, commit: baseTip, metrics: baseMetrics },
      better,
    };
  }

  /**
   * Merges the reality into a branch: fast-forward when possible, else a merge commit
   * (mergeCommits, git's default message). Into the checked-out branch this is the
   * repository's own merge (Repository.merge: clean index required, the working state moves
   * with checkout's rule); into any other branch only that ref moves, and HEAD, index and
   * working tree stay as they are. Throws RealityNotFoundError, BranchNotFoundError,
   * MergeConflictError (nothing changed), MergeFailedError (local changes in the way),
   * DeleteCurrentBranchError with `delete` while the reality is checked out,
   * ConcurrentUpdateError.
   */
  merge(name: string, options: RealityMergeOptions = {}): RealityMergeResult {
    const short = realityName(name);
    const from = REALITY_PREFIX + short;
    const head = this.headOf(short);
    const current = readHead(this.repo.refs);
    if (options.delete === true && current.branch === from)
      throw new DeleteCurrentBranchError(from);
    const into = options.into ?? this.baseBranchOf(this.meta.get(short)) ?? this.currentBranch();
    const identity = options.identity ?? DEFAULT_IDENTITY;
    let result: RealityMergeResult;
    if (into === current.branch) {
      const merged = this.repo.merge(from, into, {
        identity,
        ...(options.message !== undefined ? { message: options.message } : {}),
      });
      result = {
        from,
        to: into,
        fastForward: merged.type === 'fast-forward',
        upToDate: merged.type === 'up-to-date',
        commit: merged.commit,
      };
    } else {
      result = this.mergeIntoBranch(from, head, into, identity, options.message);
    }
    if (options.delete === true) this.delete(short);
    else if (!result.upToDate) this.touch(short);
    return result;
  }

  /** The merge of `head` into a branch that is not checked out: refs and objects only. */
  private mergeIntoBranch(
    from: string,
    head: Oid,
    into: string,
    identity: Identity,
    message: string | undefined,
  ): RealityMergeResult {
    const { odb, refs, graph, clock } = this.repo;
    const intoRef = branchRef(into);
    const intoTip = resolveRef(refs, intoRef).oid;
    if (intoTip === null) throw new BranchNotFoundError(into);
    if (graph.isAncestor(head, intoTip))
      return { from, to: into, fastForward: false, upToDate: true, commit: intoTip };
    const committer = toSignature(identity, clock, 'identity');
    const fastForward = graph.isAncestor(intoTip, head);
    let next = head;
    let reflog = `merge ${from}: Fast-forward`;
    if (!fastForward) {
      const text = validateCommitMessage(message ?? mergeBranchMessage(odb, refs, from, into));
      const merged = mergeCommits(odb, graph, intoTip, head, {
        labels: { ours: into, theirs: from },
      });
      if (!merged.clean) throw new MergeConflictError(conflictPaths(merged.conflicts));
      next = odb.writeCommit({
        tree: merged.tree,
        parents: [intoTip, head],
        author: committer,
        committer,
        extraHeaders: [],
        message: text,
      });
      reflog = `merge ${from}: Merge made by the 'ort' strategy.`;
    }
    const moved = updateRef(refs, graph, {
      name: intoRef,
      expect: intoTip,
      next,
      reflog: { committer, message: reflog },
    });
    if (moved.status === 'lock-failure' || moved.status === 'rejected')
      throw new ConcurrentUpdateError(intoRef, intoTip, moved.current ?? null);
    return { from, to: into, fastForward, upToDate: false, commit: next };
  }

  /** Deletes `parallel/<name>` and its metadata. RealityNotFoundError, DeleteCurrentBranchError. */
  delete(name: string): void {
    const short = realityName(name);
    this.headOf(short);
    this.repo.deleteBranch(REALITY_PREFIX + short);
    this.meta.delete(short);
  }

  /**
   * Deletes every reality with metadata untouched for `ttlSeconds` at `now` (ms); 0 or less
   * keeps everything. A checked-out reality is kept. Returns the deleted branch names.
   */
  sweep(now: number, ttlSeconds: number): string[] {
    if (!(ttlSeconds > 0)) return [];
    const deleted: string[] = [];
    const checkedOut = readHead(this.repo.refs).branch;
    for (const record of [...this.meta.values()]) {
      if (record.updatedAt + ttlSeconds * 1000 > now) continue;
      const branch = REALITY_PREFIX + record.name;
      if (branch === checkedOut) continue;
      if (this.repo.refs.read(REALITY_REF_PREFIX + record.name) !== undefined) {
        this.repo.deleteBranch(branch);
        deleted.push(branch);
      }
      this.meta.delete(record.name);
    }
    return deleted;
  }

  // ---- internals --------------------------------------------------------------------------

  /** The reality's head; RealityNotFoundError when the branch does not exist. */
  private headOf(short: string): Oid {
    const ref = this.repo.refs.read(REALITY_REF_PREFIX + short);
    if (ref?.kind !== 'direct') throw new RealityNotFoundError(REALITY_PREFIX + short);
    return ref.oid;
  }

  private describe(
    short: string,
    head: Oid,
    record: RealityRecord | undefined,
    ahead = countCommitsAhead(this.repo.graph, head, this.baseTip(record)),
  ): RealityInfo {
    return {
      name: REALITY_PREFIX + short,
      shortName: short,
      isolated: true,
      ephemeral: true,
      createdAt: record?.createdAt ?? null,
      base: record?.base ?? null,
      baseCommit: record?.baseCommit ?? null,
      head,
      ahead,
    };
  }

  /** The branch a base expression names: HEAD → the current branch; else a branch, or null. */
  private branchNamedBy(base: string): string | null {
    const refs = this.repo.refs;
    if (base === HEAD) return readHead(refs).branch;
    if (base.startsWith(BRANCH_PREFIX) && refs.read(base) !== undefined)
      return base.slice(BRANCH_PREFIX.length);
    if (/^[0-9a-f]{40}$/.test(base)) return null; // rev-parse takes a full id before branch names
    return refs.read(branchRef(base))?.kind === 'direct' ? base : null;
  }

  /** The record's base branch while it exists. */
  private baseBranchOf(record: RealityRecord | undefined): string | null {
    const branch = record?.baseBranch ?? null;
    return branch !== null && this.repo.refs.read(branchRef(branch))?.kind === 'direct'
      ? branch
      : null;
  }

  /** What the reality is compared with: its base branch's tip, its base commit, else HEAD. */
  private baseTip(record: RealityRecord | undefined): Oid | null {
    const branch = this.baseBranchOf(record);
    if (branch !== null) return resolveRef(this.repo.refs, branchRef(branch)).oid;
    return record?.baseCommit ?? readHead(this.repo.refs).oid;
  }

  /** Where the reality left its base: their first merge base, or null (unrelated / no base). */
  private forkPoint(head: Oid, baseTip: Oid | null): Oid | null {
    if (baseTip === null) return null;
    return mergeBases(this.repo.graph, head, baseTip)[0] ?? null;
  }

  private currentBranch(): string {
    const branch = readHead(this.repo.refs).branch;
    if (branch === null) throw new BranchNotFoundError(HEAD, 'no current branch: HEAD is detached');
    return branch;
  }

  /** When `ref` is checked out: HEAD's reflog, and the working state follows the new head. */
  private followHead(
    ref: string,
    from: Oid | null,
    to: Oid,
    committer: Signature,
    message: string,
  ): void {
    if (readHead(this.repo.refs).ref !== ref) return;
    this.repo.refs.appendReflog(HEAD, { oldOid: from ?? ZERO_OID, newOid: to, committer, message });
    this.repo.syncToHead();
  }

  private touch(short: string): void {
    const record = this.meta.get(short);
    if (record !== undefined) this.meta.set(short, { ...record, updatedAt: this.clock() });
  }
}
