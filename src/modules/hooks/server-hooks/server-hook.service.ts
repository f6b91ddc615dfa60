/**
 * Server-side hook scripts (api-contract.md §6.6): their configuration per repository, explicit
 * runs (`hooks/execute`), and the runs that guard or follow operations — `pre-commit` before REST
 * and transaction commits (inside the repository's write turn, so what the script checked is
 * what gets committed), `post-commit` after them, `post-merge`/`post-checkout` after the matching
 * domain events, the push hooks for the smart-HTTP receive-pack (runRefUpdateHooks), and the
 * reality benchmark's scorer (§8).
 *
 * Hooks run code on the server as the server's OS user: configuring one needs `system:admin`.
 * Each run gets a fresh private temp directory (script file 0700, HOME, a checkout of the tree
 * it concerns), a clean environment (hook-environment.ts) and a slot among
 * hooks.server_hooks.max_concurrent; everything is removed afterwards.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ConcurrentUpdateError,
  ZERO_OID,
  diffTrees,
  type BenchmarkScorer,
  type ObjectDatabase,
  type Oid,
} from '../../../core';
import { HooksConfig, StorageConfig, type ServerHooksConfig } from '../../../config/config.schema';
import type { Principal } from '../../auth/principal';
import { RepositoryRegistry, type OpenRepository } from '../../git-core/repository-registry';
import type { EventEnvelope } from '../domain-event';
import { RepositoryEventBus } from '../repository-event-bus';
import {
  checkEnvironment,
  hookEnvironment,
  visibleEnvironment,
  type GovcVariables,
  type HookVariables,
} from './hook-environment';
import { HookStartError, runHookProcess, type HookProcessResult } from './hook-process';
import { HookSlots } from './hook-slots';
import {
  HookBusyError,
  HookExecutionFailedError,
  HookNotConfiguredError,
  HookRejectedError,
  InvalidHookRequestError,
  InvalidHookTypeError,
  ServerHooksDisabledError,
} from './server-hook-errors';
import { CHECKOUT_LIMITS, MAX_SCRIPT_BYTES } from './server-hook-limits';
import {
  SERVER_HOOK_COLLECTION,
  ServerHookStore,
  type StoredServerHook,
} from './server-hook-store';
import { isServerHookType, type RefUpdateHookType, type ServerHookType } from './server-hook-types';
import { CheckoutTooLargeError, checkoutTree } from './tree-checkout';

export interface PutServerHookInput {
  readonly script: string;
  readonly timeout?: number;
  readonly enabled?: boolean;
  readonly environment?: unknown;
}

export interface ExecuteServerHookInput {
  readonly script?: string;
  readonly environment?: unknown;
  readonly timeout?: number;
  readonly branch?: string;
  readonly commit?: string;
  readonly stdin?: string;
}

/** One run's outcome and the environment the reply may show. */
export interface ExecutionReport {
  readonly result: HookProcessResult;
  readonly environment: Record<string, string>;
}

/** The commit a pre-commit hook is asked about. */
export interface ProposedCommit {
  /** The branch that would move; null with a detached HEAD. */
  readonly branch: string | null;
  /** The commit's parent (the current head); null on an unborn branch. */
  readonly parent: Oid | null;
  readonly tree: Oid;
}

/**
 * Computes the proposed commit inside the write turn; undefined when there is nothing to
 * check (the commit will refuse by itself, e.g. nothing to commit).
 */
export type CommitProposer = (target: OpenRepository) => ProposedCommit | undefined;

/** A pre-commit check for one commit request; see ServerHookService.preCommitCheck. */
export interface PreCommitCheck {
  /** Runs the hook; pass it as RepositoryRegistry.write's `before`. Throws HookRejectedError. */
  readonly before: (target: OpenRepository) => Promise<void>;
  /** Call first in the mutation: refuses (CONCURRENT_UPDATE) if the proposal changed since. */
  readonly confirm: (target: OpenRepository) => void;
}

/** One ref of a push (the smart-HTTP receive-pack); null = the ref is created / deleted. */
export interface RefUpdate {
  readonly ref: string;
  readonly oldOid: Oid | null;
  readonly newOid: Oid | null;
}

/** Who pushes: named in the log line of a declined push. */
export interface RefUpdateContext {
  readonly principal?: Principal | null;
}

export interface RefUpdateVerdict {
  readonly ref: string;
  readonly accepted: boolean;
  /** The hook's output ('' when no hook ran). */
  readonly output: string;
}

interface RunSpec {
  readonly repoId: string;
  readonly type: ServerHookType;
  readonly script: string;
  readonly timeoutMs: number;
  readonly configured: HookVariables;
  readonly requested: HookVariables;
  readonly govc: GovcVariables;
  /** Tree to check out as the working directory; null = an empty directory. */
  readonly tree: { readonly odb: ObjectDatabase; readonly oid: Oid } | null;
  readonly stdin?: string;
  readonly args?: readonly string[];
  readonly stderr?: 'merge' | 'ignore';
}

@Injectable()
export class ServerHookService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ServerHooks');
  private readonly config: ServerHooksConfig;
  private readonly store: ServerHookStore;
  private readonly slots: HookSlots;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly registry: RepositoryRegistry,
    hooks: HooksConfig,
    private readonly storage: StorageConfig,
    private readonly bus: RepositoryEventBus,
  ) {
    this.config = hooks.server_hooks;
    this.store = new ServerHookStore(registry);
    this.slots = new HookSlots(this.config.max_concurrent);
  }

  onModuleInit(): void {
    this.registry.deleteWithRepository(SERVER_HOOK_COLLECTION);
    this.unsubscribe = this.bus.subscribe((envelope) => this.onEvent(envelope));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  // ---- configuration ------------------------------------------------------------------------

  /** Creates or replaces a hook; `created` is true for a new one. */
  async put(
    repoId: string,
    typeName: string,
    input: PutServerHookInput,
    principal: Principal | null,
  ): Promise<{ created: boolean; type: ServerHookType; hook: StoredServerHook }> {
    this.registry.record(repoId);
    const type = hookType(typeName);
    this.checkEnabled();
    checkScriptSize(input.script);
    const hook: StoredServerHook = {
      script: input.script,
      enabled: input.enabled ?? true,
      timeout: this.timeoutSeconds(input.timeout, this.config.default_timeout / 1000),
      environment: checkEnvironment(input.environment),
      updatedAt: new Date().toISOString(),
      updatedBy: principal?.username ?? null,
    };
    const created = await this.store.put(repoId, type, hook);
    return { created, type, hook };
  }

  list(repoId: string): Array<[ServerHookType, StoredServerHook]> {
    this.registry.record(repoId);
    return this.store.list(repoId);
  }

  get(repoId: string, typeName: string): [ServerHookType, StoredServerHook] {
    this.registry.record(repoId);
    const type = hookType(typeName);
    const hook = this.store.get(repoId, type);
    if (hook === undefined) throw new HookNotConfiguredError(type);
    return [type, hook];
  }

  async delete(repoId: string, typeName: string): Promise<ServerHookType> {
    this.registry.record(repoId);
    const type = hookType(typeName);
    if (!(await this.store.delete(repoId, type))) throw new HookNotConfiguredError(type);
    return type;
  }

  // ---- explicit runs ------------------------------------------------------------------------

  /**
   * Runs the configured hook, or `input.script` (the caller must hold system:admin; the
   * controller checks), once, now. A non-zero exit is a result, not an error.
   */
  async execute(
    repoId: string,
    typeName: string,
    input: ExecuteServerHookInput,
  ): Promise<ExecutionReport> {
    const { repository, record, locator } = await this.registry.open(repoId);
    const type = hookType(typeName);
    this.checkEnabled();
    let configured: StoredServerHook | undefined;
    if (input.script === undefined) {
      configured = this.store.get(repoId, type);
      if (configured === undefined) throw new HookNotConfiguredError(type);
    } else {
      checkScriptSize(input.script);
    }
    const requested = checkEnvironment(input.environment);
    const timeout = this.timeoutSeconds(
      input.timeout,
      configured?.timeout ?? this.config.default_timeout / 1000,
    );
    const head = repository.head();
    const branch = input.branch ?? head.branch;
    const branchHead =
      input.branch === undefined ? head.oid : repository.getBranch(input.branch).commit;
    const commit = input.commit === undefined ? branchHead : repository.resolveCommit(input.commit);
    const govc: GovcVariables = {
      GOVC_REPO: repoId,
      GOVC_REPO_PATH: this.repoPath({ record, locator }),
      GOVC_BRANCH: branch ?? '',
      GOVC_COMMIT: commit ?? '',
      GOVC_HOOK_TYPE: type,
      ...(branch === null ? {} : { GOVC_REF: `refs/heads/${branch}` }),
    };
    const result = await this.runNow({
      repoId,
      type,
      script: input.script ?? configured?.script ?? '',
      timeoutMs: timeout * 1000,
      configured: configured?.environment ?? {},
      requested,
      govc,
      tree: commit === null ? null : { odb: repository.odb, oid: repository.graph.tree(commit) },
      stdin: input.stdin,
    });
    return { result, environment: visibleEnvironment(requested, govc) };
  }

  // ---- commits ------------------------------------------------------------------------------

  /**
   * The pre-commit check of one commit request, or undefined when the repository has no
   * enabled pre-commit hook (then the commit runs as if hooks did not exist). Use:
   *
   *     const check = hooks.preCommitCheck(id, propose);
   *     registry.write(id, (target) => { check?.confirm(target); ...commit... }, check?.before);
   *
   * `before` runs the hook inside the write turn, with the proposed tree checked out and the
   * changed paths on stdin; a non-zero exit throws HookRejectedError (409) and nothing changes.
   */
  preCommitCheck(repoId: string, propose: CommitProposer): PreCommitCheck | undefined {
    if (this.enabledHook(repoId, 'pre-commit') === undefined) return undefined;
    let checked: ProposedCommit | undefined;
    return {
      before: async (target) => {
        checked = propose(target);
        if (checked !== undefined) await this.runPreCommit(target, checked);
      },
      confirm: (target) => {
        const now = propose(target);
        if (now?.tree === checked?.tree && now?.parent === checked?.parent) return;
        const branch = now?.branch ?? checked?.branch ?? null;
        const ref = branch === null ? 'HEAD' : `refs/heads/${branch}`;
        throw new ConcurrentUpdateError(ref, checked?.parent ?? null, now?.parent ?? null);
      },
    };
  }

  // ---- pushes (for the git smart-HTTP receive-pack) ----------------------------------------

  /**
   * Runs a push hook before any ref moves and says, per ref, whether it may move. Call it
   * after the pushed objects are in the repository's object store (the working directory is a
   * checkout of the new commit) and before the ref updates; refuse declined refs with
   * `ng <ref> hook declined`.
   *
   * - `pre-receive` and `pre-push`: one run for the whole push, stdin `<old> <new> <ref>` per
   *   line; a non-zero exit declines every ref.
   * - `update`: one run per ref (arguments `<ref> <old> <new>`, as git passes them, and the same
   *   line on stdin); a non-zero exit declines that ref only.
   *
   * Without an enabled hook of that type (or with server hooks disabled) every ref is accepted.
   * A hook that cannot run (busy past its waiting line, could not start) declines: fail closed.
   */
  async runRefUpdateHooks(
    repoId: string,
    type: RefUpdateHookType,
    updates: readonly RefUpdate[],
    context: RefUpdateContext = {},
  ): Promise<RefUpdateVerdict[]> {
    const hook = this.enabledHook(repoId, type);
    if (hook === undefined) return updates.map(({ ref }) => ({ ref, accepted: true, output: '' }));
    const target = await this.registry.open(repoId);
    const verdicts: RefUpdateVerdict[] = [];
    if (type === 'update') {
      for (const update of updates) {
        const [verdict] = await this.runPushHook(target, type, hook, [update]);
        verdicts.push(verdict ?? { ref: update.ref, accepted: false, output: '' });
      }
    } else {
      verdicts.push(...(await this.runPushHook(target, type, hook, updates)));
    }
    const declined = verdicts.filter((verdict) => !verdict.accepted).map(({ ref }) => ref);
    if (declined.length > 0) {
      const pusher = context.principal?.username ?? 'anonymous';
      this.logger.log(`${type} hook of ${repoId} declined ${declined.join(', ')} (by ${pusher})`);
    }
    return verdicts;
  }

  /** Runs the post-receive hook in the background after a push moved refs. */
  postReceive(repoId: string, updates: readonly RefUpdate[]): void {
    const first = updates.find((update) => update.newOid !== null) ?? updates[0];
    if (first === undefined) return;
    this.background(
      repoId,
      'post-receive',
      {
        GOVC_BRANCH: branchOf(first.ref),
        GOVC_COMMIT: first.newOid ?? '',
        GOVC_REF: first.ref,
        GOVC_OLD_COMMIT: first.oldOid ?? '',
      },
      updateLines(updates),
    );
  }

  // ---- realities ----------------------------------------------------------------------------

  /**
   * The reality benchmark's scorer (§8) when a `benchmark` hook is enabled, else undefined. It
   * runs the hook on each side (GOVC_BRANCH/GOVC_COMMIT of that side, a checkout of its commit)
   * and returns the JSON object on the last non-empty line of stdout, whose numeric fields
   * join the metrics; a failed run or no JSON gives no figures (logged).
   */
  benchmarkScorer(repoId: string): BenchmarkScorer | undefined {
    const hook = this.enabledHook(repoId, 'benchmark');
    if (hook === undefined) return undefined;
    return async (side) => {
      const target = await this.registry.open(repoId);
      const result = await this.runNow({
        ...this.hookRun(target, 'benchmark', hook),
        govc: {
          ...this.baseVariables(target, 'benchmark'),
          GOVC_BRANCH: side.branch ?? '',
          GOVC_COMMIT: side.commit ?? '',
        },
        tree: side.commit === null ? null : this.treeOf(target, side.commit),
        stderr: 'ignore',
      });
      if (result.exitCode !== 0 || result.timedOut) {
        this.logger.warn(
          `benchmark hook of ${repoId} failed on ${side.role} (exit ${result.exitCode}${result.timedOut ? ', timed out' : ''})`,
        );
        return undefined;
      }
      return lastJsonLine(result.output);
    };
  }

  // ---- internals ----------------------------------------------------------------------------

  private checkEnabled(): void {
    if (!this.config.enabled) throw new ServerHooksDisabledError();
  }

  /** The hook that runs by itself for `type`: configured, enabled, and hooks not disabled. */
  private enabledHook(repoId: string, type: ServerHookType): StoredServerHook | undefined {
    if (!this.config.enabled) return undefined;
    const hook = this.store.get(repoId, type);
    return hook?.enabled === true ? hook : undefined;
  }

  /**
   * Seconds a run may take: `requested` (checked against max_timeout), else `fallback` (a
   * stored hook's), capped at max_timeout should that have been lowered since.
   */
  private timeoutSeconds(requested: number | undefined, fallback: number): number {
    const max = this.config.max_timeout / 1000;
    if (requested === undefined) return Math.min(fallback, max);
    if (!(requested > 0) || requested > max)
      throw new InvalidHookRequestError('timeout', `must be above 0 and at most ${max} seconds`);
    return requested;
  }

  /** `run` in a free slot now; HOOK_BUSY when every slot is taken. */
  private async runNow(spec: RunSpec): Promise<HookProcessResult> {
    const release = this.slots.tryAcquire();
    if (release === undefined) throw new HookBusyError(this.slots.max);
    try {
      return await this.run(spec);
    } finally {
      release();
    }
  }

  /** GOVC_REPO_PATH: the bare repository of the disk driver, else empty (§6.6). */
  private repoPath(target: Pick<OpenRepository, 'record' | 'locator'>): string {
    if (this.storage.driver !== 'disk' || target.record.memoryOnly) return '';
    return path.resolve(this.storage.path, target.locator);
  }

  /** The parts of a run a configured hook decides. */
  private hookRun(
    target: OpenRepository,
    type: ServerHookType,
    hook: StoredServerHook,
  ): Pick<RunSpec, 'repoId' | 'type' | 'script' | 'timeoutMs' | 'configured' | 'requested'> {
    return {
      repoId: target.record.id,
      type,
      script: hook.script,
      timeoutMs: this.timeoutSeconds(undefined, hook.timeout) * 1000,
      configured: hook.environment,
      requested: {},
    };
  }

  /** The tree of `commit`, to check out as the working directory. */
  private treeOf(target: OpenRepository, commit: Oid): NonNullable<RunSpec['tree']> {
    return { odb: target.repository.odb, oid: target.repository.graph.tree(commit) };
  }

  private baseVariables(target: OpenRepository, type: ServerHookType): GovcVariables {
    return {
      GOVC_REPO: target.record.id,
      GOVC_REPO_PATH: this.repoPath(target),
      GOVC_BRANCH: '',
      GOVC_COMMIT: '',
      GOVC_HOOK_TYPE: type,
    };
  }

  private async runPreCommit(target: OpenRepository, proposed: ProposedCommit): Promise<void> {
    const hook = this.enabledHook(target.record.id, 'pre-commit');
    if (hook === undefined) return; // deleted or disabled since the request arrived
    const { odb, graph } = target.repository;
    const parentTree = proposed.parent === null ? null : graph.tree(proposed.parent);
    const changed = diffTrees(odb, parentTree, proposed.tree, { renames: false });
    const result = await this.runNow({
      ...this.hookRun(target, 'pre-commit', hook),
      govc: {
        ...this.baseVariables(target, 'pre-commit'),
        GOVC_BRANCH: proposed.branch ?? '',
        GOVC_COMMIT: proposed.parent ?? '',
        GOVC_REF: proposed.branch === null ? 'HEAD' : `refs/heads/${proposed.branch}`,
        GOVC_OLD_COMMIT: proposed.parent ?? '',
      },
      tree: { odb, oid: proposed.tree },
      stdin: changed.map((change) => `${change.path}\n`).join(''),
    });
    if (result.exitCode !== 0 || result.timedOut)
      throw new HookRejectedError('pre-commit', result.exitCode, result.output, result.timedOut);
  }

  /** One run of a push hook over `updates`: every ref accepted or every ref declined. */
  private async runPushHook(
    target: OpenRepository,
    type: RefUpdateHookType,
    hook: StoredServerHook,
    updates: readonly RefUpdate[],
  ): Promise<RefUpdateVerdict[]> {
    const verdict = (accepted: boolean, output: string): RefUpdateVerdict[] =>
      updates.map(({ ref }) => ({ ref, accepted, output }));
    const first = updates.find((update) => update.newOid !== null) ?? updates[0];
    if (first === undefined) return [];
    const release = await this.slots.acquire();
    if (release === undefined) return verdict(false, 'server hooks are busy; retry the push');
    try {
      const result = await this.run({
        ...this.hookRun(target, type, hook),
        govc: {
          ...this.baseVariables(target, type),
          GOVC_BRANCH: branchOf(first.ref),
          GOVC_COMMIT: first.newOid ?? '',
          GOVC_REF: first.ref,
          GOVC_OLD_COMMIT: first.oldOid ?? '',
        },
        tree: first.newOid === null ? null : this.treeOf(target, first.newOid),
        stdin: updateLines(updates),
        args:
          type === 'update'
            ? [first.ref, first.oldOid ?? ZERO_OID, first.newOid ?? ZERO_OID]
            : undefined,
      });
      return verdict(result.exitCode === 0 && !result.timedOut, result.output);
    } catch (error) {
      this.logger.warn(`${type} hook of ${target.record.id} could not run: ${describe(error)}`);
      return verdict(false, `${type} hook could not run`);
    } finally {
      release();
    }
  }

  /** A post-* hook, off the request path: waits for a slot, logs the outcome, never throws. */
  private background(
    repoId: string,
    type: ServerHookType,
    variables: Partial<GovcVariables>,
    stdin?: string,
  ): void {
    let hook: StoredServerHook | undefined;
    try {
      hook = this.enabledHook(repoId, type);
    } catch {
      return; // the repository is gone
    }
    if (hook === undefined) return;
    const configured = hook;
    const waiting = this.slots.acquire();
    if (waiting === undefined) {
      this.logger.warn(`${type} hook of ${repoId} skipped: too many hooks waiting`);
      return;
    }
    void (async () => {
      const release = await waiting;
      try {
        const target = await this.registry.open(repoId);
        const commit = variables.GOVC_COMMIT ?? '';
        const parent =
          variables.GOVC_OLD_COMMIT ??
          (commit === '' ? '' : (target.repository.odb.readCommit(commit).parents[0] ?? ''));
        const govc: GovcVariables = {
          ...this.baseVariables(target, type),
          ...variables,
          GOVC_OLD_COMMIT: parent,
        };
        const result = await this.run({
          ...this.hookRun(target, type, configured),
          govc,
          tree: commit === '' ? null : this.treeOf(target, commit),
          stdin,
        });
        const outcome = result.timedOut ? 'timed out' : `exited with code ${result.exitCode}`;
        const line = `${type} hook of ${repoId} ${outcome} in ${result.durationMs} ms`;
        if (result.exitCode === 0) this.logger.log(line);
        else this.logger.warn(`${line}: ${result.output.slice(-2000)}`);
      } catch (error) {
        this.logger.warn(`${type} hook of ${repoId} could not run: ${describe(error)}`);
      } finally {
        release();
      }
    })();
  }

  /**
   * The post-* hooks follow the domain events, which are published once the change is
   * durable: post-commit after a REST or transaction commit, post-merge, post-checkout.
   */
  private onEvent(envelope: EventEnvelope): void {
    const data = envelope.data;
    const text = (key: string): string => (typeof data[key] === 'string' ? data[key] : '');
    if (envelope.event === 'commit') {
      const commit = (data.commit ?? {}) as Readonly<Record<string, unknown>>;
      const branch = text('branch');
      this.background(envelope.repository, 'post-commit', {
        GOVC_BRANCH: branch,
        GOVC_COMMIT: typeof commit.hash === 'string' ? commit.hash : '',
        GOVC_REF: branch === '' ? 'HEAD' : `refs/heads/${branch}`,
        GOVC_OLD_COMMIT: typeof commit.parent === 'string' ? commit.parent : '',
      });
    } else if (envelope.event === 'transaction' && data.action === 'committed') {
      this.background(envelope.repository, 'post-commit', {
        GOVC_BRANCH: text('branch'),
        GOVC_COMMIT: text('commit'),
        GOVC_REF: `refs/heads/${text('branch')}`,
      });
    } else if (envelope.event === 'merge' && text('commit') !== '') {
      this.background(envelope.repository, 'post-merge', {
        GOVC_BRANCH: text('to'),
        GOVC_COMMIT: text('commit'),
        GOVC_REF: `refs/heads/${text('to')}`,
      });
    } else if (envelope.event === 'branch' && data.action === 'checked_out') {
      this.background(envelope.repository, 'post-checkout', {
        GOVC_BRANCH: text('name'),
        GOVC_COMMIT: text('commit'),
        GOVC_REF: text('ref'),
      });
    }
  }

  /** One run in a private temp directory that is removed afterwards. */
  private async run(spec: RunSpec): Promise<HookProcessResult> {
    let root: string;
    try {
      root = await mkdtemp(path.join(tmpdir(), 'govc-hook-'));
    } catch (error) {
      throw new HookExecutionFailedError(spec.type, `no temporary directory: ${describe(error)}`);
    }
    // The checkout reads the repository's objects: keep the pool from evicting it meanwhile.
    const unpin = this.registry.pin(spec.repoId);
    try {
      const scriptPath = path.join(root, 'hook');
      const home = path.join(root, 'home');
      const work = path.join(root, 'work');
      try {
        await writeFile(scriptPath, spec.script, { mode: 0o700, flag: 'wx' });
        await mkdir(home, { mode: 0o700 });
        await mkdir(work, { mode: 0o700 });
        if (spec.tree !== null)
          await checkoutTree(spec.tree.odb, spec.tree.oid, work, CHECKOUT_LIMITS);
      } catch (error) {
        const reason =
          error instanceof CheckoutTooLargeError
            ? `checkout too large: ${error.message}`
            : `could not prepare its directory: ${describe(error)}`;
        throw new HookExecutionFailedError(spec.type, reason);
      }
      try {
        return await runHookProcess({
          scriptPath,
          direct: spec.script.startsWith('#!'),
          shell: this.config.shell,
          cwd: work,
          env: hookEnvironment(home, spec.configured, spec.requested, spec.govc),
          args: spec.args,
          stdin: spec.stdin,
          timeoutMs: spec.timeoutMs,
          maxOutput: this.config.max_output,
          stderr: spec.stderr,
        });
      } catch (error) {
        if (error instanceof HookStartError)
          throw new HookExecutionFailedError(spec.type, error.message);
        throw error;
      }
    } finally {
      unpin();
      await rm(root, { recursive: true, force: true, maxRetries: 2 }).catch((error: unknown) =>
        this.logger.warn(`could not remove hook directory ${root}: ${describe(error)}`),
      );
    }
  }
}

function hookType(name: string): ServerHookType {
  if (!isServerHookType(name)) throw new InvalidHookTypeError(name);
  return name;
}

function checkScriptSize(script: string): void {
  if (Buffer.byteLength(script, 'utf8') > MAX_SCRIPT_BYTES)
    throw new InvalidHookRequestError('script', `must be at most ${MAX_SCRIPT_BYTES} bytes`);
}

function branchOf(ref: string): string {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '';
}

function updateLines(updates: readonly RefUpdate[]): string {
  return updates.map((u) => `${u.oldOid ?? ZERO_OID} ${u.newOid ?? ZERO_OID} ${u.ref}\n`).join('');
}

/** The JSON object on the last non-empty line of `output`, if there is one. */
export function lastJsonLine(output: string): Record<string, unknown> | undefined {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const last = lines[lines.length - 1];
  if (last === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(last);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
