/**
 * The postgres driver (DESIGN §3): repositories, refs, reflogs, metadata and secrets in one
 * PostgreSQL database shared by every node. A write is acknowledged when its transaction
 * committed with synchronous_commit=on; refs move by compare-and-swap inside SQL, so two
 * processes never both win (postgres-repository.ts). Other nodes learn of changes through
 * LISTEN/NOTIFY and update their memory; `onExternalRefChange` reports it to the server.
 *
 * Every database call is bounded by `statementTimeoutMs` (connect, statement, client-side
 * read), so a database that is down or stuck yields StorageUnavailableError instead of a hang,
 * and the pool reconnects by itself once it is back (RELIABILITY I1).
 */
import { OpenRepositories } from '../open-repositories';
import { randomUUID } from 'node:crypto';
import { Pool, type ClientConfig } from 'pg';
import {
  InvalidRepoIdError,
  RepoExistsError,
  RepoNotFoundError,
  StorageUnavailableError,
} from '../../errors/storage-errors';
import { checkRepositoryId, isRepositoryId } from '../repository-id';
import {
  StorageDriver,
  stderrStorageLogger,
  type RepositoryStores,
  type StorageLogger,
} from '../storage-driver';
import { PostgresChangeListener } from './postgres-change-listener';
import { asStorageError, withTimeout } from './postgres-errors';
import { PostgresMetadataStore, type DocumentKey } from './postgres-metadata-store';
import { migrate } from './postgres-migrations';
import { CHANGE_CHANNEL, PostgresRepository, type ObjectCompression } from './postgres-repository';
import { inTransaction } from './postgres-transaction';

export interface PostgresStorageOptions {
  /** storage.postgres_url */
  readonly url: string;
  /** storage.postgres_pool_size (default 10). */
  readonly poolSize?: number;
  /** storage.postgres_statement_timeout (default 5 s). */
  readonly statementTimeoutMs?: number;
  /** How object bodies are stored (default 'none': see the report in postgres-repository.ts). */
  readonly objectCompression?: ObjectCompression;
  readonly logger?: StorageLogger;
  /** Identifies this process in NOTIFY payloads (default: a random UUID). */
  readonly nodeId?: string;
}

interface ChangeMessage {
  readonly n?: unknown;
  readonly r?: unknown;
  readonly refs?: unknown;
  readonly m?: unknown;
  readonly d?: unknown;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

export class PostgresStorageDriver extends StorageDriver {
  readonly durable = true;
  readonly metadata: PostgresMetadataStore;
  readonly nodeId: string;
  private readonly logger: StorageLogger;
  private readonly timeoutMs: number;
  private pool: Pool | undefined;
  private listener: PostgresChangeListener | undefined;
  private readonly repositories = new OpenRepositories<PostgresRepository>();

  constructor(private readonly options: PostgresStorageOptions) {
    super();
    this.nodeId = options.nodeId ?? randomUUID();
    this.logger = options.logger ?? stderrStorageLogger;
    this.timeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    this.metadata = new PostgresMetadataStore(this.nodeId);
  }

  private connectionConfig(): ClientConfig {
    return {
      connectionString: this.options.url,
      connectionTimeoutMillis: this.timeoutMs,
      statement_timeout: this.timeoutMs,
      // Client side too: a stopped server never answers, so the server-side limit never fires.
      query_timeout: this.timeoutMs,
      idle_in_transaction_session_timeout: this.timeoutMs * 2,
      keepAlive: true,
      application_name: 'govc-ts',
      options: '-c synchronous_commit=on',
    };
  }

  private get activePool(): Pool {
    if (this.pool === undefined) throw new StorageUnavailableError('postgres storage is not open');
    return this.pool;
  }

  async open(): Promise<void> {
    const pool = new Pool({
      ...this.connectionConfig(),
      max: this.options.poolSize ?? DEFAULT_POOL_SIZE,
    });
    // An idle connection that dies (server restart) is reported here; the pool replaces it.
    pool.on('error', (error: Error) =>
      this.logger.warn('postgres pool connection lost', { error: error.message }),
    );
    try {
      await migrate(pool);
      await this.metadata.open(pool);
      this.listener = new PostgresChangeListener({
        connection: this.connectionConfig(),
        logger: this.logger,
        onMessage: (payload) => this.onChange(payload),
        onResync: () => this.resync(),
      });
      await this.listener.start();
    } catch (error: unknown) {
      await this.listener?.stop();
      await pool.end().catch(() => undefined);
      throw asStorageError(error, 'open');
    }
    this.pool = pool;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    if (pool === undefined) return;
    const errors = await this.repositories.closeAll();
    await this.metadata.flush().catch((error: unknown) => errors.push(error));
    this.pool = undefined;
    // Ending a connection waits for the server's goodbye, which a stalled server never sends:
    // bounded, so shutdown never hangs on the database (the sockets are dropped with the process).
    const ending = Promise.all([this.listener?.stop(), pool.end()]);
    await withTimeout(ending, this.timeoutMs, 'disconnect').catch((error: unknown) =>
      this.logger.warn('postgres connections did not close in time', { error: String(error) }),
    );
    if (errors.length > 0) throw errors[0];
  }

  async probe(): Promise<void> {
    try {
      await withTimeout(this.activePool.query('SELECT 1'), this.timeoutMs, 'probe');
    } catch (error: unknown) {
      throw asStorageError(error, 'probe');
    }
  }

  async listRepositories(): Promise<string[]> {
    try {
      const result = await this.activePool.query<{ id: string }>(
        'SELECT id FROM govc_repositories ORDER BY id COLLATE "C"',
      );
      return result.rows.map((row) => row.id);
    } catch (error: unknown) {
      throw asStorageError(error, 'list repositories');
    }
  }

  async createRepository(id: string): Promise<void> {
    checkRepositoryId(id);
    let result;
    try {
      result = await this.activePool.query(
        'INSERT INTO govc_repositories (id) VALUES ($1) ON CONFLICT (id) DO NOTHING',
        [id],
      );
    } catch (error: unknown) {
      throw asStorageError(error, 'create repository');
    }
    if (result.rowCount === 0) throw new RepoExistsError(id);
  }

  openRepository(id: string): Promise<RepositoryStores> {
    return this.repositories.open(id, () => this.load(id));
  }

  private async load(id: string): Promise<PostgresRepository> {
    if (!isRepositoryId(id)) throw new RepoNotFoundError(id);
    return PostgresRepository.open({
      id,
      pool: this.activePool,
      nodeId: this.nodeId,
      logger: this.logger,
      compression: this.options.objectCompression ?? 'none',
      onExternalRefChange: (ref) => this.emitExternalRefChange({ repo: id, ref }),
    });
  }

  closeRepository(id: string): Promise<void> {
    return this.repositories.close(id);
  }

  async deleteRepository(id: string): Promise<void> {
    if (!isRepositoryId(id)) throw new RepoNotFoundError(id);
    const opening = this.repositories.forget(id);
    await opening?.catch(() => undefined);
    let deleted: number | null;
    try {
      deleted = await inTransaction(this.activePool, async (client) => {
        const result = await client.query('DELETE FROM govc_repositories WHERE id = $1', [id]);
        await client.query('SELECT pg_notify($1, $2)', [
          CHANGE_CHANNEL,
          JSON.stringify({ n: this.nodeId, r: id, d: true }),
        ]);
        return result.rowCount;
      });
    } catch (error: unknown) {
      throw asStorageError(error, 'delete repository');
    }
    if (deleted === 0) throw new RepoNotFoundError(id);
  }

  repositoryLocator(id: string): string {
    if (!isRepositoryId(id)) throw new InvalidRepoIdError(id, 'not a repository id');
    return `postgres:${id}`;
  }

  /** A NOTIFY from any node (ours are skipped): reload what it names, if it is in memory. */
  private onChange(payload: string): void {
    let message: ChangeMessage;
    try {
      message = JSON.parse(payload) as ChangeMessage;
    } catch {
      return;
    }
    if (message.n === this.nodeId) return;
    if (typeof message.r === 'string') {
      const id = message.r;
      const opening = this.repositories.get(id);
      if (opening === undefined) return;
      if (message.d === true) {
        void this.repositories.forget(id);
        return;
      }
      const refs = Array.isArray(message.refs)
        ? message.refs.filter((ref): ref is string => typeof ref === 'string')
        : 'all';
      void opening
        .then((repository) => repository.refresh(refs))
        .catch((error: unknown) =>
          this.logger.warn('could not take a change from another node', {
            repo: id,
            error: String(error),
          }),
        );
    }
    if (message.m !== undefined) {
      const keys = Array.isArray(message.m)
        ? message.m.filter(
            (key): key is DocumentKey =>
              Array.isArray(key) && typeof key[0] === 'string' && typeof key[1] === 'string',
          )
        : 'all';
      this.metadata
        .reload(keys)
        .catch((error: unknown) =>
          this.logger.warn('could not reload metadata', { error: String(error) }),
        );
    }
  }

  /** After the listener reconnected: everything in memory may be stale. */
  private resync(): void {
    for (const [id, opening] of this.repositories.entries()) {
      void opening
        .then((repository) => repository.refresh('all'))
        .catch((error: unknown) =>
          this.logger.warn('resync failed', { repo: id, error: String(error) }),
        );
    }
    this.metadata
      .reload('all')
      .catch((error: unknown) =>
        this.logger.warn('metadata resync failed', { error: String(error) }),
      );
  }
}
