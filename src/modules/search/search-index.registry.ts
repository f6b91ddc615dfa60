/**
 * One search index and one commit-stats cache per repository, in memory (api-contract.md §5.3).
 * An index is built on first use and synced with HEAD before each query. Any other event of the
 * repository marks a built index stale and schedules a sync right after the event (off the
 * request path, once per burst), so the next query finds it current; a repository event
 * (created, deleted, imported, restored) drops it so a new repository under the id starts fresh.
 */
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { CommitStatsCache, RepositorySearchIndex, type Repository } from '../../core';
import { SearchConfig } from '../../config/config.schema';
import { RepositoryEventBus } from '../hooks/repository-event-bus';

/** Repositories whose index is kept at once. */
export const MAX_INDEXES = 64;

interface Entry {
  readonly repository: Repository;
  readonly index: RepositorySearchIndex;
  readonly stats: CommitStatsCache;
}

@Injectable()
export class SearchIndexRegistry implements OnModuleDestroy {
  private readonly logger = new Logger('Search');
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, NodeJS.Immediate>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly config: SearchConfig,
    events: RepositoryEventBus,
  ) {
    this.unsubscribe = events.subscribe((event) => {
      if (event.event === 'repository') {
        this.entries.delete(event.repository);
        return;
      }
      const entry = this.entries.get(event.repository);
      if (entry === undefined || !entry.index.isBuilt) return;
      entry.index.markStale();
      this.scheduleSync(event.repository, entry);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    for (const timer of this.pending.values()) clearImmediate(timer);
    this.pending.clear();
    this.entries.clear();
  }

  private scheduleSync(id: string, entry: Entry): void {
    if (this.pending.has(id)) return;
    const timer = setImmediate(() => {
      this.pending.delete(id);
      if (this.entries.get(id) !== entry) return;
      try {
        entry.index.sync(entry.repository);
      } catch (error) {
        // The next query syncs again and reports a fault itself.
        this.logger.warn(
          `search index of ${id} not updated: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
    timer.unref();
    this.pending.set(id, timer);
  }

  /**
   * The repository's entry, created (not yet built) on first use; a replaced repository resets
   * it. Entries are kept in use order and the least recently used beyond MAX_INDEXES is dropped
   * (it is rebuilt on its next query), so memory stays bounded however many repositories exist.
   */
  private entry(id: string, repository: Repository): Entry {
    const existing = this.entries.get(id);
    if (existing !== undefined && existing.repository === repository) {
      this.entries.delete(id);
      this.entries.set(id, existing);
      return existing;
    }
    this.entries.delete(id);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < MAX_INDEXES) break;
      this.entries.delete(oldest);
    }
    const created: Entry = {
      repository,
      index: new RepositorySearchIndex({ maxFileSize: this.config.index.max_file_size }),
      stats: new CommitStatsCache(),
    };
    this.entries.set(id, created);
    return created;
  }

  /** The index, brought up to date with HEAD. */
  synced(id: string, repository: Repository): RepositorySearchIndex {
    const { index } = this.entry(id, repository);
    index.sync(repository);
    return index;
  }

  /** The index as it is (statistics must not pay for a sync). */
  current(id: string, repository: Repository): RepositorySearchIndex {
    return this.entry(id, repository).index;
  }

  stats(id: string, repository: Repository): CommitStatsCache {
    return this.entry(id, repository).stats;
  }

  rebuild(id: string, repository: Repository): RepositorySearchIndex {
    const { index } = this.entry(id, repository);
    index.rebuild(repository);
    return index;
  }
}
