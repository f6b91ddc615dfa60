/**
 * The audit trail (api-contract.md §11.4): append-only entries, newest first on read, kept
 * `audit.retention` and at most MAX_ENTRIES.
 *
 * Storage choice: entries are grouped into chunk documents of CHUNK_SIZE entries in the
 * metadata collection `audit` (ids `c000000000042`, in order). Appending changes only the
 * newest chunk in memory; a timer writes the dirty chunk once a second (and at shutdown), so a
 * burst of requests costs one small document write per second instead of one per entry, and a
 * store whose flush is an fsync is not hit per request. Old chunks are deleted whole when past
 * retention or the cap. Queries read memory: the open chunk's own array and, for sealed chunks,
 * the metadata store's (frozen) copy, so each entry is held once (bounded by the cap).
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { JsonDocument, JsonValue, MetadataStore } from '../../core';
import { AuditConfig } from '../../config/config.schema';

export type AuditResult = 'success' | 'denied' | 'failure';

export interface AuditActor {
  readonly id: string;
  readonly username: string;
  readonly auth_method: string;
}

export interface AuditEntry {
  readonly id: string;
  readonly timestamp: string;
  readonly actor: AuditActor | null;
  readonly ip: string;
  readonly user_agent: string;
  readonly request_id: string;
  readonly action: string;
  readonly target: { readonly type: string; readonly id: string } | null;
  readonly repo_id: string | null;
  readonly result: AuditResult;
  readonly status: number;
  readonly details: Readonly<Record<string, JsonValue>>;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'timestamp'>;

export interface AuditQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly repoId?: string;
  readonly result?: AuditResult;
  readonly since?: number;
  readonly until?: number;
  readonly limit: number;
  readonly cursor?: string;
}

const COLLECTION = 'audit';
const CHUNK_SIZE = 100;
const MAX_ENTRIES = 100_000;
const WRITE_INTERVAL_MS = 1000;
const ID_DIGITS = 13;

interface Chunk {
  readonly id: string;
  /** The open chunk's own array; a sealed chunk shares the stored (frozen) document's. */
  entries: readonly AuditEntry[];
}

const entryId = (sequence: number): string => `a${String(sequence).padStart(ID_DIGITS, '0')}`;
const chunkId = (sequence: number): string => `c${String(sequence).padStart(ID_DIGITS, '0')}`;
const sequenceOf = (id: string): number => Number.parseInt(id.slice(1), 10);

@Injectable()
export class AuditLog implements OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private metadata: MetadataStore | undefined;
  /** Oldest first; only the last one takes new entries. */
  private readonly chunks: Chunk[] = [];
  /** The entries of the last chunk (the one array appended to). */
  private open: AuditEntry[] = [];
  private nextEntry = 1;
  private nextChunk = 1;
  private dirty = new Set<Chunk>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly config: AuditConfig) {}

  /** Loads the stored chunks (once storage is open); entries recorded before are kept. */
  load(metadata: MetadataStore): void {
    const early = this.chunks.splice(0).flatMap((chunk) => chunk.entries);
    this.dirty.clear();
    this.metadata = metadata;
    for (const { id, document } of metadata.list(COLLECTION)) {
      const entries = Array.isArray(document.entries)
        ? (document.entries as unknown as readonly AuditEntry[])
        : [];
      this.chunks.push({ id, entries });
      this.nextChunk = Math.max(this.nextChunk, sequenceOf(id) + 1);
      const last = entries.at(-1);
      if (last !== undefined) this.nextEntry = Math.max(this.nextEntry, sequenceOf(last.id) + 1);
    }
    const last = this.chunks.at(-1);
    if (last !== undefined && last.entries.length < CHUNK_SIZE) {
      this.open = [...last.entries];
      last.entries = this.open;
    } else {
      this.open = []; // the next entry opens a new chunk
    }
    // Entries recorded before the store opened get ids after the stored ones.
    for (const entry of early) this.append({ ...entry, id: entryId(this.nextEntry++) });
    this.prune();
    this.timer = setInterval(() => void this.persist(), WRITE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.persist();
  }

  get enabled(): boolean {
    return this.config.enabled;
  }

  record(input: AuditInput): void {
    if (!this.config.enabled) return;
    this.append({ id: entryId(this.nextEntry++), timestamp: new Date().toISOString(), ...input });
  }

  /** Matching entries, newest first, after `cursor` (the last id of the previous page). */
  query(query: AuditQuery): { entries: AuditEntry[]; next_cursor: string | null } {
    const before = query.cursor === undefined ? Infinity : sequenceOf(query.cursor);
    const prefix = query.action?.endsWith('*') ? query.action.slice(0, -1) : undefined;
    const matches = (entry: AuditEntry): boolean => {
      if (sequenceOf(entry.id) >= before) return false;
      if (query.actor !== undefined) {
        if (entry.actor === null) return false;
        if (entry.actor.id !== query.actor && entry.actor.username !== query.actor) return false;
      }
      if (query.action !== undefined) {
        if (
          prefix !== undefined ? !entry.action.startsWith(prefix) : entry.action !== query.action
        ) {
          return false;
        }
      }
      if (query.repoId !== undefined && entry.repo_id !== query.repoId) return false;
      if (query.result !== undefined && entry.result !== query.result) return false;
      const time = Date.parse(entry.timestamp);
      if (query.since !== undefined && time < query.since) return false;
      if (query.until !== undefined && time > query.until) return false;
      return true;
    };
    const found: AuditEntry[] = [];
    let more = false;
    outer: for (let c = this.chunks.length - 1; c >= 0; c--) {
      const entries = (this.chunks[c] as Chunk).entries;
      for (let e = entries.length - 1; e >= 0; e--) {
        const entry = entries[e] as AuditEntry;
        if (!matches(entry)) continue;
        if (found.length === query.limit) {
          more = true;
          break outer;
        }
        found.push(entry);
      }
    }
    const last = found.at(-1);
    return { entries: found, next_cursor: more && last !== undefined ? last.id : null };
  }

  private append(entry: AuditEntry): void {
    let chunk = this.chunks.at(-1);
    if (chunk === undefined || chunk.entries !== this.open || this.open.length >= CHUNK_SIZE) {
      this.open = [];
      chunk = { id: chunkId(this.nextChunk++), entries: this.open };
      this.chunks.push(chunk);
      this.prune();
    }
    this.open.push(entry);
    this.dirty.add(chunk);
  }

  /** Drops whole chunks past the cap or whose newest entry is past retention. */
  private prune(): void {
    const horizon = Date.now() - this.config.retention;
    while (this.chunks.length > 1) {
      const oldest = this.chunks[0] as Chunk;
      const newest = oldest.entries.at(-1);
      const expired = newest !== undefined && Date.parse(newest.timestamp) < horizon;
      if (!expired && this.chunks.length * CHUNK_SIZE <= MAX_ENTRIES) break;
      this.chunks.shift();
      this.dirty.delete(oldest);
      this.metadata?.delete(COLLECTION, oldest.id);
    }
  }

  private persist(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const metadata = this.metadata;
      if (metadata === undefined || this.dirty.size === 0) return;
      const chunks = [...this.dirty];
      this.dirty = new Set();
      for (const chunk of chunks) {
        const document: JsonDocument = { entries: chunk.entries as unknown as JsonValue[] };
        metadata.put(COLLECTION, chunk.id, document);
        // A sealed chunk no longer changes: keep only the store's copy in memory.
        const stored = metadata.get(COLLECTION, chunk.id)?.entries;
        if (chunk.entries !== this.open && Array.isArray(stored)) {
          chunk.entries = stored;
        }
      }
      try {
        await metadata.flush();
      } catch (error) {
        for (const chunk of chunks) this.dirty.add(chunk);
        this.logger.warn(`could not persist the audit log: ${String(error)}`);
      }
    });
    return this.writing;
  }
}
