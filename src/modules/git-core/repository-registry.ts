/**
 * The repositories of this server: their records, and one live engine `Repository` per id
 * (api-contract.md §3.1). Everything above git-core reaches a repository through here.
 *
 * - Records live in the storage driver's MetadataStore (collection `repos`); memory-only
 *   repositories (`memory_only: true`, "never persisted") live, records included, in a private
 *   MemoryStorageDriver, so nothing of theirs reaches disk or a database. Both share one id
 *   namespace and count against server.max_repos.
 * - A repository is loaded through `driver.openRepository` on first use and kept; reads get it
 *   directly and never wait for writes.
 * - Writes to one repository run one at a time in arrival order (RepositoryWriteQueue) and are
 *   acknowledged only when the stores' `flush()` resolved: with a durable driver that is the
 *   point where the write survives a crash. Creates and deletes are serialized among
 *   themselves, so the id check, the max_repos check and the write cannot interleave.
 * - Storage opens at start (readiness `storage` becomes ready only then) and closes after the
 *   HTTP server has drained. If it cannot open, the server still starts: readiness and /health
 *   say why, and every repository operation answers 503 STORAGE_UNAVAILABLE.
 */
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  MemoryStorageDriver,
  RepoExistsError,
  RepoNotFoundError,
  Repository,
  StorageUnavailableError,
  type StorageDriver,
  type StorageLogger,
} from '../../core';
import { ServerConfig, StorageConfig } from '../../config/config.schema';
import { ReadinessService } from '../health/readiness.service';
import { RepositoryCounter } from '../health/repository-counter';
import { StorageProbe, type StorageProbeReport } from '../health/storage-probe';
import { MaxReposReachedError } from './capacity-errors';
import { checkNewRepositoryId, isAcceptableRepositoryId } from './repository-id-policy';
import {
  REPOSITORY_COLLECTION,
  fromRecordDocument,
  toRecordDocument,
  type RepositoryRecord,
} from './repository-record';
import { RepositoryWriteQueue, type StagedWrite } from './repository-write-queue';
import { createStorageDriver } from './storage-driver.factory';

const STORAGE_COMPONENT = 'storage';
/** Creates and deletes waiting at once; past it they get REPO_BUSY like repository writes. */
const MAX_QUEUED_CATALOG_CHANGES = 1024;

export interface NewRepository {
  readonly id: string;
  readonly memoryOnly: boolean;
  readonly public: boolean;
}

/** A repository as the API shows it: its record, where it lives, its live engine instance. */
export interface OpenRepository {
  readonly record: RepositoryRecord;
  /** `:memory:` or a storage-relative locator such as `repos/<id>.git`. */
  readonly locator: string;
  readonly repository: Repository;
}

/** What a write's mutation may touch besides the engine: the repository's config. */
export interface RepositoryWrite extends OpenRepository {
  /** Sets config values (e.g. `user.name`); stored with the write and flushed with it. */
  readonly setConfig: (values: Readonly<Record<string, string>>) => void;
}

@Injectable()
export class RepositoryRegistry
  extends RepositoryCounter
  implements StorageProbe, OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger('Storage');
  private readonly driver: StorageDriver;
  private readonly warning: string | undefined;
  /** Home of memory-only repositories, whatever the configured driver. */
  private readonly scratch = new MemoryStorageDriver();
  private readonly loaded = new Map<string, Promise<Repository>>();
  private readonly queues = new Map<string, RepositoryWriteQueue>();
  private readonly catalog = new RepositoryWriteQueue('(catalog)', MAX_QUEUED_CATALOG_CHANGES);
  private openFailure: unknown;
  private opened = false;

  constructor(
    private readonly storage: StorageConfig,
    private readonly server: ServerConfig,
    private readonly readiness: ReadinessService,
  ) {
    super();
    const selected = createStorageDriver(storage, this.storageLogger());
    this.driver = selected.driver;
    this.warning = selected.warning;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async onModuleInit(): Promise<void> {
    this.readiness.register(STORAGE_COMPONENT);
    if (this.warning !== undefined) this.logger.warn(this.warning);
    try {
      await this.driver.open();
      await this.scratch.open();
      await this.reconcile();
      this.opened = true;
      this.readiness.markReady(STORAGE_COMPONENT);
    } catch (error) {
      this.openFailure = error;
      this.logger.error(
        `storage (${this.storage.driver}) failed to open; repositories are unavailable: ${describe(error)}`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const wasOpen = this.opened;
    this.opened = false;
    if (wasOpen) {
      // Requests have drained; wait for acknowledgements still on their way to storage.
      const queues = [this.catalog, ...this.queues.values()];
      await Promise.allSettled(queues.map((queue) => queue.idle()));
    }
    this.loaded.clear();
    // Also after a failed start: a driver that opened before a later step failed lets go of
    // its files and connections (closing a driver that never opened does nothing).
    await this.driver.close();
    await this.scratch.close();
  }

  /** StorageProbe for /health: a real durable-write check of the configured driver. */
  async probe(): Promise<StorageProbeReport> {
    this.checkOpen();
    await this.driver.probe();
    if (this.warning !== undefined) return { message: this.warning, warning: true };
    return {
      message: this.driver.durable
        ? `${this.storage.driver} driver: probe written and fsynced`
        : `${this.storage.driver} driver (nothing persisted)`,
    };
  }

  // ---- catalog ------------------------------------------------------------------------------

  /** RepositoryCounter for /health and the max_repos rule. */
  count(): number {
    if (!this.opened) return 0;
    return (
      this.driver.metadata.list(REPOSITORY_COLLECTION).length +
      this.scratch.metadata.list(REPOSITORY_COLLECTION).length
    );
  }

  /** Every record, sorted by id. */
  list(): RepositoryRecord[] {
    this.checkOpen();
    return [this.driver, this.scratch]
      .flatMap((driver) => driver.metadata.list(REPOSITORY_COLLECTION))
      .map(({ id, document }) => fromRecordDocument(id, document))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The record of `id`; RepoNotFoundError for unknown or unacceptable ids. */
  record(id: string): RepositoryRecord {
    this.checkOpen();
    const found = this.findRecord(id);
    if (found === undefined) throw new RepoNotFoundError(id);
    return found;
  }

  /**
   * Creates an empty repository (HEAD → refs/heads/main, unborn). Throws InvalidRepoIdError,
   * RepoExistsError, MaxReposReachedError, RepoBusyError or storage errors.
   */
  async create(input: NewRepository): Promise<OpenRepository> {
    this.checkOpen();
    checkNewRepositoryId(input.id);
    return this.catalog.run(async () => {
      if (this.findRecord(input.id) !== undefined) throw new RepoExistsError(input.id);
      if (this.count() >= this.server.max_repos) {
        throw new MaxReposReachedError(this.server.max_repos);
      }
      const driver = input.memoryOnly ? this.scratch : this.driver;
      await driver.createRepository(input.id);
      const stores = await driver.openRepository(input.id);
      const repository = new Repository(stores);
      const record: RepositoryRecord = {
        id: input.id,
        createdAt: new Date().toISOString(),
        memoryOnly: input.memoryOnly,
        public: input.public,
        config: {},
      };
      driver.metadata.put(REPOSITORY_COLLECTION, record.id, toRecordDocument(record));
      this.loaded.set(record.id, Promise.resolve(repository));
      const durable = Promise.all([
        stores.objects.flush(),
        stores.refs.flush(),
        driver.metadata.flush(),
      ]);
      const value = { record, locator: driver.repositoryLocator(record.id), repository };
      return { value, durable };
    });
  }

  /** Deletes a repository after the writes already queued on it. RepoNotFoundError on a miss. */
  async delete(id: string): Promise<void> {
    this.record(id);
    const queue = this.queueFor(id);
    const earlier = queue.idle();
    // Queued as a write: later writes run after it, find no record and answer REPO_NOT_FOUND.
    return queue.run(async () => {
      await earlier;
      const value = await this.catalog.run(async () => {
        const record = this.findRecord(id);
        if (record === undefined) throw new RepoNotFoundError(id);
        const driver = this.driverOf(record);
        await driver.deleteRepository(id);
        driver.metadata.delete(REPOSITORY_COLLECTION, id);
        this.loaded.delete(id);
        this.queues.delete(id);
        return { value: undefined, durable: driver.metadata.flush() };
      });
      return { value, durable: Promise.resolve() };
    });
  }

  // ---- repositories -------------------------------------------------------------------------

  /** The live repository for reads; loads it on first use. RepoNotFoundError on a miss. */
  async open(id: string): Promise<OpenRepository> {
    const record = this.record(id);
    const repository = await this.load(record);
    return { record, locator: this.driverOf(record).repositoryLocator(id), repository };
  }

  /**
   * Runs `mutate` (synchronous engine work) as the repository's next write, then resolves with
   * its result once the stores (and the record, when the config changed) are durable. A
   * mutation that throws changed nothing and flushes nothing. The write takes its place in the
   * queue during this call (before the returned promise settles), so calls made one after
   * another apply in that order.
   */
  async write<T>(id: string, mutate: (target: RepositoryWrite) => T): Promise<T> {
    this.record(id);
    return this.queueFor(id).run(async (): Promise<StagedWrite<T>> => {
      const record = this.record(id);
      const repository = await this.load(record);
      const driver = this.driverOf(record);
      let config: Record<string, string> | undefined;
      const value = mutate({
        record,
        locator: driver.repositoryLocator(id),
        repository,
        setConfig: (values) => {
          config = { ...(config ?? record.config), ...values };
        },
      });
      const flushes: Array<Promise<void>> = [repository.odb.store.flush(), repository.refs.flush()];
      if (config !== undefined) {
        driver.metadata.put(REPOSITORY_COLLECTION, id, toRecordDocument({ ...record, config }));
        flushes.push(driver.metadata.flush());
      }
      return { value, durable: Promise.all(flushes) };
    });
  }

  // ---- internals ----------------------------------------------------------------------------

  private checkOpen(): void {
    if (this.opened) return;
    const reason =
      this.openFailure === undefined
        ? 'storage is not open'
        : `storage failed to open: ${describe(this.openFailure)}`;
    throw new StorageUnavailableError(reason);
  }

  private findRecord(id: string): RepositoryRecord | undefined {
    if (!isAcceptableRepositoryId(id)) return undefined;
    for (const driver of [this.driver, this.scratch]) {
      const document = driver.metadata.get(REPOSITORY_COLLECTION, id);
      if (document !== undefined) return fromRecordDocument(id, document);
    }
    return undefined;
  }

  private driverOf(record: RepositoryRecord): StorageDriver {
    return record.memoryOnly ? this.scratch : this.driver;
  }

  private load(record: RepositoryRecord): Promise<Repository> {
    let loading = this.loaded.get(record.id);
    if (loading === undefined) {
      loading = this.driverOf(record)
        .openRepository(record.id)
        .then((stores) => new Repository(stores));
      this.loaded.set(record.id, loading);
      // A failed load is not kept: the next request tries again.
      loading.catch(() => {
        if (this.loaded.get(record.id) === loading) this.loaded.delete(record.id);
      });
    }
    return loading;
  }

  private queueFor(id: string): RepositoryWriteQueue {
    let queue = this.queues.get(id);
    if (queue === undefined) {
      queue = new RepositoryWriteQueue(id);
      this.queues.set(id, queue);
    }
    return queue;
  }

  /**
   * Makes records and stored repositories agree after a crash between the two writes of a
   * create or delete: a stored repository without a record gets one, a record without a
   * stored repository is dropped. Both are logged.
   */
  private async reconcile(): Promise<void> {
    const metadata = this.driver.metadata;
    const stored = new Set(await this.driver.listRepositories());
    for (const { id } of metadata.list(REPOSITORY_COLLECTION)) {
      if (!stored.has(id)) {
        this.logger.warn(`repository record ${id} has no stored repository; dropping the record`);
        metadata.delete(REPOSITORY_COLLECTION, id);
      }
    }
    for (const id of stored) {
      if (metadata.get(REPOSITORY_COLLECTION, id) === undefined) {
        this.logger.warn(`stored repository ${id} has no record; recording it`);
        const record: RepositoryRecord = {
          id,
          createdAt: new Date().toISOString(),
          memoryOnly: false,
          public: false,
          config: {},
        };
        metadata.put(REPOSITORY_COLLECTION, id, toRecordDocument(record));
      }
    }
    await metadata.flush();
  }

  private storageLogger(): StorageLogger {
    const line = (message: string, details?: Record<string, unknown>): string =>
      details === undefined ? message : `${message} ${JSON.stringify(details)}`;
    return {
      info: (message, details) => this.logger.log(line(message, details)),
      warn: (message, details) => this.logger.warn(line(message, details)),
      error: (message, details) => this.logger.error(line(message, details)),
    };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
