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
import { decodeContent } from '../files/file-content';
import { RepositoryRegistry } from '../git-core/repository-registry';
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

  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly config: TransactionsConfig,
  ) {}

  onModuleInit(): void {
    const every = Math.max(1000, Math.min(this.config.idle_timeout, MAX_SWEEP_INTERVAL_MS));
    this.timer = setInterval(() => this.sweep(), every).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
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
    return this.registry.write(repoId, (target) => {
      const author = operationIdentity(target, { author: body.author, email: body.email });
      const manager = this.managerOf(repoId, target.repository);
      const result = manager.commit(
        txId,
        { message: body.message, author: author.identity },
        access,
      );
      author.remember();
      return result;
    });
  }

  async rollback(repoId: string, txId: string, access: TransactionAccess): Promise<void> {
    const manager = await this.manager(repoId);
    manager.rollback(txId, access);
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
      onExpired: (tx: TransactionInfo) => this.logger.log(`transaction ${tx.id} expired`),
    });
    this.managers.set(repoId, { repository, manager });
    return manager;
  }
}
