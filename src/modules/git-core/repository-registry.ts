/**
 * The repositories of this server: their records, and one live engine `Repository` per id
 * (api-contract.md §3.1). Everything above git-core reaches a repository through here.
 *
 * - Records live in the storage driver's MetadataStore (collection `repos`); memory-only
 *   repositories (`memory_only: true`, "never persisted") live, records included, in a private
 *   MemoryStorageDriver, so nothing of theirs reaches disk or a database. Both share one id
 *   namespace and count against server.max_repos.
 * - A repository is loaded through `driver.openRepository` on first use and stays in the pool
 *   (api-contract.md §10.2); reads get it directly and never wait for writes. The pool keeps at
 *   most pool.max_repositories loaded: a load past it first evicts the least recently used
 *   evictable repository, or fails with 503 POOL_FULL when none can go. Evictions (capacity,
 *   idle after pool.max_idle_time, manual) run as a write of the evicted repository, so no write
 *   is in progress, and unload it only after a successful flush; the driver's closeRepository
 *   then checkpoints it, and the next access reloads it. Never evicted: memory-driver and
 *   memory_only repositories (nothing could reload them), pinned ones (`pin`, `withPin`, pin
 *   sources: an open transaction, a running job or push), and ones holding state nothing
 *   persists (a working tree or index with changes, a stopped rebase).
 * - What a read can observe (contract §0.1: reads never wait): the engine state in memory, which
 *   includes a write whose flush is under way — applied, not yet acknowledged. Normally that
 *   window is one group-commit fsync or one SQL round trip. A crash inside it loses the write
 *   (it was never acknowledged). If its flush fails, the write answers 503 and its outcome is
 *   unknown, as after a timeout: disk refuses every write until a restart while memory keeps
 *   showing it, and the restart keeps it only if its journal record reached the disk; postgres
 *   keeps it queued and commits it with the next successful flush. No acknowledged write ever
 *   depends on such a write: acknowledgements follow the order of the writes, and each one means
 *   everything before it is durable (journal order; the postgres worker commits in order, and a
 *   failure fails or carries everything queued behind it).
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
  StorageDriver,
  StorageUnavailableError,
  type MetadataStore,
} from '../../core';
import { PoolConfig, ServerConfig, StorageConfig } from '../../config/config.schema';
import { ReadinessService } from '../health/readiness.service';
import { RepositoryCounter } from '../health/repository-counter';
import { StorageProbe, type StorageProbeReport } from '../health/storage-probe';
import { MaxReposReachedError, PoolFullError } from './capacity-errors';
import { checkNewRepositoryId, isAcceptableRepositoryId } from './repository-id-policy';
import {
  REPOSITORY_COLLECTION,
  fromRecordDocument,
  toRecordDocument,
  type RepositoryRecord,
} from './repository-record';
import { RepositoryWriteQueue, type StagedWrite } from './repository-write-queue';
import { PooledRepository } from './pooled-repository';
import { StorageMetrics, type EvictionReason } from './storage-metrics';

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

/** One loaded repository in the pool stats (times in ms since the epoch). */
export interface PooledRepositoryStats {
  readonly id: string;
  readonly locator: string;
  readonly loadedAt: number;
  readonly lastAccessed: number;
  readonly accessCount: number;
  readonly memoryBytes: number;
  readonly pinned: boolean;
  /** Holds state not yet durable: queued or unacknowledged writes, or memory-only working state. */
  readonly dirty: boolean;
  /** False for memory-driver and memory_only repositories, which are never evicted. */
  readonly evictable: boolean;
  readonly idleMs: number;
}

export interface PoolStats {
  readonly repositories: readonly PooledRepositoryStats[];
  readonly loadsTotal: number;
  /** Accesses served by a repository already loaded. */
  readonly hits: number;
  readonly evictionsTotal: number;
  readonly lastCleanup: Date | undefined;
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
  /** Home of memory-only repositories, whatever the configured driver. */
  private readonly scratch = new MemoryStorageDriver();
  /** The pool: every repository loaded (or loading) in memory. */
  private readonly pool = new Map<string, PooledRepository>();
  /** Pins held through pin()/withPin(), by repository id. */
  private readonly pins = new Map<string, number>();
  private readonly pinSources = new Set<(id: string) => boolean>();
  private readonly unloadListeners = new Set<(id: string) => void>();
  /** Loads that need a free slot pass here one at a time (so two never take the same victim). */
  private admission: Promise<unknown> = Promise.resolve();
  /** Closes of evicted repositories still checkpointing; shutdown waits for them. */
  private readonly closing = new Set<Promise<void>>();
  private loadsTotal = 0;
  private hits = 0;
  private evictionsTotal = 0;
  private lastCleanup: Date | undefined;
  private readonly queues = new Map<string, RepositoryWriteQueue>();
  private readonly catalog = new RepositoryWriteQueue('(catalog)', MAX_QUEUED_CATALOG_CHANGES);
  /** Collections whose document `<repo id>` is deleted with the repository (deleteWithRepository). */
  private readonly dependentCollections = new Set<string>();
  private openFailure: unknown;
  private opened = false;

  constructor(
    private readonly storage: StorageConfig,
    private readonly server: ServerConfig,
    private readonly readiness: ReadinessService,
    /** The configured driver (storage-driver.factory.ts; tests may provide another). */
    private readonly driver: StorageDriver,
    private readonly poolConfig: PoolConfig,
    private readonly metrics: StorageMetrics,
  ) {
    super();
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async onModuleInit(): Promise<void> {
    this.readiness.register(STORAGE_COMPONENT);
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
    // Evicted repositories still checkpointing: their close must land before the driver's.
    await Promise.allSettled([...this.closing]);
    this.pool.clear();
    this.metrics.setLoaded(0);
    // Also after a failed start: a driver that opened before a later step failed lets go of
    // its files and connections (closing a driver that never opened does nothing).
    await this.driver.close();
    await this.scratch.close();
  }

  /** StorageProbe for /health: a real durable-write check of the configured driver. */
  async probe(): Promise<StorageProbeReport> {
    this.checkOpen();
    await this.driver.probe();
    const what: Record<StorageConfig['driver'], string> = {
      disk: 'probe written and fsynced',
      postgres: 'SELECT 1 answered',
      memory: 'nothing persisted',
    };
    return { message: `${this.storage.driver} driver: ${what[this.storage.driver]}` };
  }

  /**
   * The configured driver's durable MetadataStore, for the server's own documents (users, API
   * keys, roles, audit log). StorageUnavailableError while storage is not open.
   */
  metadataStore(): MetadataStore {
    this.checkOpen();
    return this.driver.metadata;
  }

  /** Whether storage opened at start (it stays so until shutdown). */
  isStorageOpen(): boolean {
    return this.opened;
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
   * Creates an empty repository (HEAD → refs/heads/main, unborn), loaded in the pool. Throws
   * InvalidRepoIdError, RepoExistsError, MaxReposReachedError, RepoBusyError, PoolFullError or
   * storage errors.
   */
  async create(input: NewRepository): Promise<OpenRepository> {
    this.checkOpen();
    checkNewRepositoryId(input.id);
    return this.catalog.run(async () => {
      if (this.findRecord(input.id) !== undefined) throw new RepoExistsError(input.id);
      if (this.count() >= this.server.max_repos) {
        throw new MaxReposReachedError(this.server.max_repos);
      }
      // Room first: a repository is never created and then refused a place in memory.
      await this.admit(() => this.makeRoom(input.id));
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
      const entry = new PooledRepository(
        record.id,
        this.isEvictable(record),
        Promise.resolve(repository),
        Date.now(),
      );
      entry.repository = repository;
      entry.touch(Date.now());
      this.pool.set(record.id, entry);
      this.metrics.setLoaded(this.pool.size);
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
        for (const collection of this.dependentCollections) driver.metadata.delete(collection, id);
        this.pool.delete(id);
        this.metrics.setLoaded(this.pool.size);
        this.notifyUnload(id);
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
   * another apply in that order. `before` (optional) runs first, inside the write's turn, so
   * nothing else writes the repository while it awaits (a pre-commit hook script); if it throws,
   * the mutation does not run.
   */
  async write<T>(
    id: string,
    mutate: (target: RepositoryWrite) => T,
    before?: (target: OpenRepository) => Promise<void>,
  ): Promise<T> {
    this.record(id);
    return this.queueFor(id).run(async (): Promise<StagedWrite<T>> => {
      const record = this.record(id);
      const repository = await this.load(record);
      const driver = this.driverOf(record);
      if (before !== undefined)
        await before({ record, locator: driver.repositoryLocator(id), repository });
      let config: Record<string, string> | undefined;
      const value = mutate({
        record,
        locator: driver.repositoryLocator(id),
        repository,
        setConfig: (values) => {
          // Clients that send the same author on every commit change nothing: no record write.
          const current = config ?? record.config;
          if (Object.entries(values).every(([key, value]) => current[key] === value)) return;
          config = { ...current, ...values };
        },
      });
      const started = process.hrtime.bigint();
      const flushes: Array<Promise<void>> = [repository.odb.store.flush(), repository.refs.flush()];
      if (config !== undefined) {
        driver.metadata.put(REPOSITORY_COLLECTION, id, toRecordDocument({ ...record, config }));
        flushes.push(driver.metadata.flush());
      }
      const label = record.memoryOnly ? 'memory' : this.storage.driver;
      const durable = Promise.all(flushes).then(
        () => this.metrics.flushed(label, secondsSince(started)),
        (error: unknown) => {
          this.metrics.flushFailed(label);
          throw error;
        },
      );
      return { value, durable };
    });
  }

  /**
   * The metadata store holding `id`'s record, for documents that live and die with the
   * repository (server hooks): the configured driver's, or the memory-only one's, so nothing of
   * a memory-only repository is persisted. RepoNotFoundError on a miss.
   */
  metadataFor(id: string): MetadataStore {
    return this.driverOf(this.record(id)).metadata;
  }

  /** Declares a metadata collection keyed by repository id: its document goes with the repository. */
  deleteWithRepository(collection: string): void {
    this.dependentCollections.add(collection);
  }

  // ---- pool ---------------------------------------------------------------------------------

  /**
   * Pins `id`: it is not evicted until the returned release is called (once; later calls do
   * nothing). For work that holds the repository across requests: an open transaction, a
   * running job, a push in progress.
   */
  pin(id: string): () => void {
    this.pins.set(id, (this.pins.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.pins.get(id) ?? 1) - 1;
      if (left > 0) this.pins.set(id, left);
      else this.pins.delete(id);
    };
  }

  /** Runs `work` with `id` pinned (see pin). */
  async withPin<T>(id: string, work: () => Promise<T>): Promise<T> {
    const release = this.pin(id);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * Registers a check that pins repositories while it answers true (e.g. "has open
   * transactions"), asked at each eviction. Returns the unregister function.
   */
  addPinSource(isPinned: (id: string) => boolean): () => void {
    this.pinSources.add(isPinned);
    return () => void this.pinSources.delete(isPinned);
  }

  /**
   * Calls `listener` with the id of every repository the pool unloads (evicted or deleted), so
   * per-repository caches holding its Repository instance (search indexes, managers) can let go
   * of it and its memory is really freed. Returns the unsubscribe function.
   */
  onUnload(listener: (id: string) => void): () => void {
    this.unloadListeners.add(listener);
    return () => void this.unloadListeners.delete(listener);
  }

  /** The pool as /api/v1/pool/stats reports it (api-contract.md §10.2), newest figures. */
  poolStats(): PoolStats {
    const now = Date.now();
    const repositories = [...this.pool.values()]
      .filter((entry) => entry.repository !== undefined)
      .map((entry): PooledRepositoryStats => ({
        id: entry.id,
        locator: this.durableLocator(entry),
        loadedAt: entry.loadedAt,
        lastAccessed: entry.lastAccessed,
        accessCount: entry.accessCount,
        memoryBytes: entry.memoryBytes(),
        pinned: this.isPinned(entry.id),
        dirty: entry.hasUnsavedState() || (this.queues.get(entry.id)?.size ?? 0) > 0,
        evictable: entry.durable,
        idleMs: now - entry.lastAccessed,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      repositories,
      loadsTotal: this.loadsTotal,
      hits: this.hits,
      evictionsTotal: this.evictionsTotal,
      lastCleanup: this.lastCleanup,
    };
  }

  /**
   * One cleanup pass: evicts every evictable repository idle for pool.max_idle_time or longer
   * (all of them with `force`), then, while the pool's estimated memory is above
   * pool.max_memory (when set), the least recently used evictable ones. Returns how many went.
   */
  async cleanup(options: { force?: boolean; reason: EvictionReason }): Promise<number> {
    const force = options.force === true;
    const maxIdle = this.poolConfig.max_idle_time;
    const idleEnough = (entry: PooledRepository): boolean =>
      force || Date.now() - entry.lastAccessed >= maxIdle;
    let evicted = 0;
    for (const entry of this.evictionCandidates().filter(idleEnough)) {
      if (await this.evict(entry, options.reason, () => idleEnough(entry))) evicted++;
    }
    const maxMemory = this.poolConfig.max_memory;
    if (maxMemory > 0) {
      let total = [...this.pool.values()].reduce((sum, entry) => sum + entry.memoryBytes(), 0);
      for (const entry of this.evictionCandidates()) {
        if (total <= maxMemory) break;
        const bytes = entry.memoryBytes();
        if (await this.evict(entry, 'capacity')) {
          evicted++;
          total -= bytes;
        }
      }
    }
    this.lastCleanup = new Date();
    return evicted;
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

  /** The repository from the pool, loading it (after making room) on a miss. */
  private load(record: RepositoryRecord): Promise<Repository> {
    const entry = this.pool.get(record.id);
    if (entry !== undefined) {
      entry.touch(Date.now());
      this.hits++;
      return entry.loading;
    }
    return this.admit(async () => {
      const existing = this.pool.get(record.id);
      if (existing !== undefined) {
        existing.touch(Date.now());
        this.hits++;
        return existing;
      }
      await this.makeRoom(record.id);
      return this.startLoad(record);
    }).then((admitted) => admitted.loading);
  }

  /** Runs `step` after every earlier admission step (one pool slot decision at a time). */
  private admit<T>(step: () => Promise<T>): Promise<T> {
    const run = this.admission.then(step);
    this.admission = run.catch(() => undefined);
    return run;
  }

  private startLoad(record: RepositoryRecord): PooledRepository {
    const started = process.hrtime.bigint();
    const loading = this.driverOf(record)
      .openRepository(record.id)
      .then((stores) => new Repository(stores));
    const entry = new PooledRepository(record.id, this.isEvictable(record), loading, Date.now());
    entry.touch(Date.now());
    this.pool.set(record.id, entry);
    this.loadsTotal++;
    this.metrics.setLoaded(this.pool.size);
    loading.then(
      (repository) => {
        entry.repository = repository;
        this.metrics.loadedIn(secondsSince(started));
      },
      () => {
        // A failed load is not kept: the next request tries again.
        if (this.pool.get(record.id) === entry) this.pool.delete(record.id);
        this.metrics.setLoaded(this.pool.size);
      },
    );
    return entry;
  }

  /** Evicts least recently used repositories until one more fits; PoolFullError when none can go. */
  private async makeRoom(forId: string): Promise<void> {
    const max = this.poolConfig.max_repositories;
    const declined = new Set<PooledRepository>();
    while (this.pool.size >= max) {
      const victim = this.evictionCandidates().find((entry) => !declined.has(entry));
      if (victim === undefined) throw new PoolFullError(forId, max);
      if (!(await this.evict(victim, 'capacity'))) declined.add(victim);
    }
  }

  /** Loaded, evictable, unpinned entries without unsaved state or queued writes, LRU first. */
  private evictionCandidates(): PooledRepository[] {
    return [...this.pool.values()]
      .filter(
        (entry) =>
          !entry.evicting && this.mayEvict(entry) && (this.queues.get(entry.id)?.size ?? 0) === 0,
      )
      .sort((a, b) => a.lastUse - b.lastUse);
  }

  private mayEvict(entry: PooledRepository): boolean {
    return (
      entry.durable &&
      entry.repository !== undefined &&
      !this.isPinned(entry.id) &&
      !entry.hasUnsavedState()
    );
  }

  private isPinned(id: string): boolean {
    if ((this.pins.get(id) ?? 0) > 0) return true;
    for (const source of this.pinSources) if (source(id)) return true;
    return false;
  }

  /**
   * Unloads `entry` if it still may go, as the repository's next write: nothing else writes it
   * meanwhile, and it is dropped only after a successful flush (so everything it holds is
   * durable); the driver's close (a checkpoint for disk) then runs in the background, and a
   * later load waits for it (OpenRepositories). False when it stayed.
   */
  private async evict(
    entry: PooledRepository,
    reason: EvictionReason,
    stillWanted: () => boolean = () => true,
  ): Promise<boolean> {
    if (entry.evicting) return false;
    entry.evicting = true;
    const queue = this.queueFor(entry.id);
    const declined = { value: false, durable: Promise.resolve() };
    try {
      return await queue.run(async (): Promise<StagedWrite<boolean>> => {
        const mayGo = (): boolean =>
          this.pool.get(entry.id) === entry &&
          this.mayEvict(entry) &&
          queue.size === 1 &&
          stillWanted();
        if (!mayGo()) return declined;
        const repository = entry.repository!;
        try {
          await Promise.all([repository.odb.store.flush(), repository.refs.flush()]);
        } catch (error: unknown) {
          this.logger.warn(`not evicting ${entry.id}: its flush failed: ${describe(error)}`);
          return declined;
        }
        // The flush awaited: a pin may have been taken meanwhile.
        if (!mayGo()) return declined;
        this.pool.delete(entry.id);
        this.notifyUnload(entry.id);
        this.evictionsTotal++;
        this.metrics.evicted(reason);
        this.metrics.setLoaded(this.pool.size);
        const closing = this.driver.closeRepository(entry.id).catch((error: unknown) => {
          this.logger.error(`closing evicted repository ${entry.id} failed: ${describe(error)}`);
        });
        this.closing.add(closing);
        void closing.finally(() => this.closing.delete(closing));
        return { value: true, durable: Promise.resolve() };
      });
    } catch {
      return false; // a full write queue (REPO_BUSY): the repository is anything but idle
    } finally {
      entry.evicting = false;
    }
  }

  private notifyUnload(id: string): void {
    for (const listener of this.unloadListeners) {
      try {
        listener(id);
      } catch (error: unknown) {
        this.logger.error(`an unload listener failed for ${id}: ${describe(error)}`);
      }
    }
  }

  /** memory-driver and memory_only repositories live only in memory: nothing could reload them. */
  private isEvictable(record: RepositoryRecord): boolean {
    return !record.memoryOnly && this.driver.durable;
  }

  private durableLocator(entry: PooledRepository): string {
    const record = this.findRecord(entry.id);
    return record === undefined ? '' : this.driverOf(record).repositoryLocator(entry.id);
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
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
