/**
 * The memory driver: repositories and metadata live in this process only and vanish with it
 * (`durable` is false; DESIGN §3). Tests and ephemeral sandboxes use it; it also shows the
 * driver contract in its simplest form.
 */
import { RepoExistsError, RepoNotFoundError } from '../../errors/storage-errors';
import { checkRepositoryId } from '../repository-id';
import { StorageDriver, type RepositoryStores } from '../storage-driver';
import { MemoryMetadataStore } from './memory-metadata-store';
import { MemoryObjectStore } from './memory-object-store';
import { MemoryRefStore } from './memory-ref-store';

/** `body`'s value, or its exception, as a promise (the port is asynchronous, memory is not). */
function settled<T>(body: () => T): Promise<T> {
  try {
    return Promise.resolve(body());
  } catch (error: unknown) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

export class MemoryStorageDriver extends StorageDriver {
  readonly durable = false;
  readonly metadata = new MemoryMetadataStore();
  private readonly repositories = new Map<string, RepositoryStores>();

  async open(): Promise<void> {
    // Nothing to recover: memory starts empty.
  }

  async close(): Promise<void> {
    // Nothing to persist; the repositories stay readable until the process ends.
  }

  async probe(): Promise<void> {
    // Memory is always available.
  }

  listRepositories(): Promise<string[]> {
    return Promise.resolve([...this.repositories.keys()].sort());
  }

  createRepository(id: string): Promise<void> {
    return settled(() => {
      checkRepositoryId(id);
      if (this.repositories.has(id)) throw new RepoExistsError(id);
      this.repositories.set(id, { objects: new MemoryObjectStore(), refs: new MemoryRefStore() });
    });
  }

  openRepository(id: string): Promise<RepositoryStores> {
    return settled(() => {
      const stores = this.repositories.get(id);
      if (stores === undefined) throw new RepoNotFoundError(id);
      return stores;
    });
  }

  async closeRepository(): Promise<void> {
    // Closing would lose the repository: memory repositories stay loaded (never evictable).
  }

  deleteRepository(id: string): Promise<void> {
    return settled(() => {
      if (!this.repositories.delete(id)) throw new RepoNotFoundError(id);
    });
  }

  repositoryLocator(): string {
    return ':memory:';
  }
}
