/**
 * The storage driver port: one per server, it owns where repositories and metadata live
 * (memory, a data directory of bare git repositories, or PostgreSQL) and hands out each
 * repository's working set as an ObjectStore + RefStore pair.
 *
 * Repositories are loaded whole into memory by `openRepository` (reads never wait on storage);
 * the stores it returns persist what was written in their `flush()`. Opening an open repository
 * returns the same stores, so one process never has two working sets of one repository.
 */
import type { RefName } from './ref-store';
import type { MetadataStore } from './metadata-store';
import type { ObjectStore } from './object-store';
import type { RefStore } from './ref-store';

export interface RepositoryStores {
  readonly objects: ObjectStore;
  readonly refs: RefStore;
}

/** A ref another process moved (postgres): the local stores already show the new value. */
export interface ExternalRefChange {
  readonly repo: string;
  readonly ref: RefName;
}

export type ExternalRefChangeListener = (change: ExternalRefChange) => void;

/** Where drivers report what an operator must see (torn journal tails, failed fsyncs). */
export interface StorageLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** One JSON line per event on stderr: the default when the server passes no logger. */
export const stderrStorageLogger: StorageLogger = {
  info: (message, details) => writeLogLine('info', message, details),
  warn: (message, details) => writeLogLine('warn', message, details),
  error: (message, details) => writeLogLine('error', message, details),
};

function writeLogLine(level: string, message: string, details?: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ level, msg: message, ...details })}\n`);
}

export abstract class StorageDriver {
  /** True when an acknowledged flush survives a crash of the process. */
  abstract readonly durable: boolean;

  /** Repository records, users, keys, hooks and server secrets. */
  abstract readonly metadata: MetadataStore;

  private readonly refChangeListeners = new Set<ExternalRefChangeListener>();

  /** Connects and recovers (journal replay, migrations); nothing else may be called before. */
  abstract open(): Promise<void>;

  /** Flushes and checkpoints everything, then releases files and connections. */
  abstract close(): Promise<void>;

  /** Health: resolves when storage can take a durable write now; throws StorageUnavailableError. */
  abstract probe(): Promise<void>;

  /** Ids of every stored repository, sorted. */
  abstract listRepositories(): Promise<string[]>;

  /** Creates an empty repository; throws RepoExistsError or InvalidRepoIdError. */
  abstract createRepository(id: string): Promise<void>;

  /**
   * Loads a repository into memory (or returns the stores already loaded). Throws
   * RepoNotFoundError, or RepositoryCorruptError when its persisted state does not verify.
   */
  abstract openRepository(id: string): Promise<RepositoryStores>;

  /**
   * Makes an open repository durable (flush, and a checkpoint where the driver has one) and
   * drops it from memory; its stores must not be used afterwards. A no-op when it is not open.
   */
  abstract closeRepository(id: string): Promise<void>;

  /** Removes a repository and everything in it; throws RepoNotFoundError. */
  abstract deleteRepository(id: string): Promise<void>;

  /** Where the repository lives, for humans and pool stats: `repos/<id>.git`, `:memory:`. */
  abstract repositoryLocator(id: string): string;

  /**
   * Subscribes to refs moved by other processes (only the postgres driver has any); the
   * listener runs after the local stores were updated. Returns the unsubscribe function.
   */
  onExternalRefChange(listener: ExternalRefChangeListener): () => void {
    this.refChangeListeners.add(listener);
    return () => void this.refChangeListeners.delete(listener);
  }

  protected emitExternalRefChange(change: ExternalRefChange): void {
    for (const listener of this.refChangeListeners) listener(change);
  }
}
