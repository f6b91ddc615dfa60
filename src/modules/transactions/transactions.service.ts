/**
 * Transactions (api-contract.md §7): one engine TransactionManager per live repository, kept in
 * memory only. Mutations run as the repository's serialized writes (added blobs and commits are
 * flushed before answering); expiry is swept on a timer configured by transactions.*.
 */
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  TransactionManager,
  type CommitResult,
  type Repository,
  type TransactionAccess,
  type TransactionInfo,
} from '../../core';
import { TransactionsConfig } from '../../config/config.schema';
import { addGaugeSource } from '../../metrics/gauge-sources';
import { TRANSACTIONS_ACTIVE } from '../../metrics/metric-names';
import { decodeContent } from '../files/file-content';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { transactionEvent } from '../hooks/event-payloads';
import { RepositoryEvents } from '../hooks/repository-events';
import { proposeTransactionCommit } from '../hooks/server-hooks/commit-proposals';
import { ServerHookService } from '../hooks/server-hooks/server-hook.service';
import { operationIdentity } from '../repos/operations/repo-identity';
import type {
  BeginTransactionDto,
  RepoTransaction,
  TransactionAddDto,
  TransactionCommitDto,
} from './dto/transaction.dto';

/** The sweep runs at least this often, and never more often than every second. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

interface Managed {
  readonly repository: Repository;
  readonly manager: TransactionManager;
}

@Injectable()
export class TransactionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Transactions');
  private readonly managers = new Map<string, Managed>();
  private timer: NodeJS.Timeout | undefined;
  private removeGaugeSource: (() => void) | undefined;
  private removePinSource: (() => void) | undefined;

  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly config: TransactionsConfig,
    private readonly events: RepositoryEvents,
    private readonly serverHooks: ServerHookService,
  ) {}

  onModuleInit(): void {
    const every = Math.max(1000, Math.min(this.config.idle_timeout, MAX_SWEEP_INTERVAL_MS));
    this.timer = setInterval(() => this.sweep(), every).unref();
    this.removeGaugeSource = addGaugeSource(TRANSACTIONS_ACTIVE, () => this.active());
    // Open transactions hold this Repository instance: the pool must not unload it under them.
    this.removePinSource = this.registry.addPinSource(
      (id) => (this.managers.get(id)?.manager.active ?? 0) > 0,
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.removeGaugeSource?.();
    this.removePinSource?.();
  }

  /** Discards expired transactions of every repository; returns how many. */
  sweep(now: number = Date.now()): number {
    let expired = 0;
    for (const { manager } of this.managers.values()) expired += manager.sweep(now).length;
    return expired;
  }

  /** Open transactions over all repositories. */
  active(): number {
    let count = 0;
    for (const { manager } of this.managers.values()) count += manager.active;
    return count;
  }

  async begin(
    repoId: string,
    body: BeginTransactionDto | undefined,
    access: TransactionAccess,
  ): Promise<RepoTransaction> {
    const manager = await this.manager(repoId);
    const id = manager.begin(body?.branch, access.owner);
    return { repoId, info: manager.get(id, access) };
  }

  async get(repoId: string, txId: string, access: TransactionAccess): Promise<RepoTransaction> {
    const manager = await this.manager(repoId);
    return { repoId, info: manager.get(txId, access) };
  }

  add(
    repoId: string,
    txId: string,
    body: TransactionAddDto,
    access: TransactionAccess,
  ): Promise<string> {
    return this.registry.write(repoId, ({ repository }) => {
      const content = decodeContent(body.content, body.encoding);
      this.managerOf(repoId, repository).add(txId, body.path, content, {}, access);
      return body.path;
    });
  }

  async remove(
    repoId: string,
    txId: string,
    path: string,
    access: TransactionAccess,
  ): Promise<string> {
    const manager = await this.manager(repoId);
    manager.remove(txId, path, access);
    return path;
  }

  async validate(repoId: string, txId: string, access: TransactionAccess): Promise<void> {
    const manager = await this.manager(repoId);
    manager.validate(txId, access);
  }

  commit(
    repoId: string,
    txId: string,
    body: TransactionCommitDto,
    access: TransactionAccess,
  ): Promise<CommitResult> {
    let committed: TransactionInfo | undefined;
    // A pre-commit hook checks the transaction's commit inside the write turn (409 HOOK_REJECTED).
    const check = this.serverHooks.preCommitCheck(repoId, (target) =>
      proposeTransactionCommit(this.managerOf(repoId, target.repository), txId, access),
    );
    return this.events.write(
      repoId,
      (target) => {
        check?.confirm(target);
        const author = operationIdentity(target, { author: body.author, email: body.email });
        const manager = this.managerOf(repoId, target.repository);
        committed = manager.get(txId, access);
        const result = manager.commit(
          txId,
          { message: body.message, author: author.identity },
          access,
        );
        author.remember();
        return result;
      },
      (result) => (committed ? [transactionEvent('committed', committed, result.oid)] : []),
      check?.before,
    );
  }

  async rollback(repoId: string, txId: string, access: TransactionAccess): Promise<void> {
    const manager = await this.manager(repoId);
    const info = manager.get(txId, access);
    manager.rollback(txId, access);
    this.events.publishAll(repoId, [transactionEvent('rolled_back', info, null)]);
  }

  private async manager(repoId: string): Promise<TransactionManager> {
    const { repository } = await this.registry.open(repoId);
    return this.managerOf(repoId, repository);
  }

  /** The repository's manager; a new one when the repository was deleted and re-created. */
  private managerOf(repoId: string, repository: Repository): TransactionManager {
    const known = this.managers.get(repoId);
    if (known !== undefined && known.repository === repository) return known.manager;
    known?.manager.clear();
    const manager = new TransactionManager(repository, {
      idleTimeoutMs: this.config.idle_timeout,
      maxLifetimeMs: this.config.max_lifetime,
      maxOpen: this.config.max_open_per_repo,
      maxSize: this.config.max_size,
      maxFiles: this.config.max_files,
      idPrefix: `tx_${repoId}_`,
      onExpired: (tx: TransactionInfo) => {
        this.logger.log(`transaction ${tx.id} expired`);
        // Expiry is found by a timer or another request: no one in particular caused it.
        this.events.publishAll(repoId, [transactionEvent('expired', tx, null)], null);
      },
    });
    this.managers.set(repoId, { repository, manager });
    return manager;
  }
}
