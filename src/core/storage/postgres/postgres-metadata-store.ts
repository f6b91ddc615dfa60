/**
 * The postgres driver's metadata: the memory metadata store, loaded whole at open, plus
 * `govc_metadata` rows written by `flush()` in one transaction (last writer wins per document)
 * and announced to the other nodes by NOTIFY, which reload the documents named. Secrets are
 * rows of `govc_secrets`, inserted once (ON CONFLICT DO NOTHING), so every node reads the same.
 */
import type { Pool } from 'pg';
import { StorageUnavailableError } from '../../errors/storage-errors';
import { MemoryMetadataStore } from '../memory/memory-metadata-store';
import { checkSecretName, normalizeDocument, type JsonDocument } from '../metadata-store';
import { asStorageError } from './postgres-errors';
import { CHANGE_CHANNEL } from './postgres-repository';
import { inTransaction } from './postgres-transaction';

const MAX_NOTIFY_BYTES = 7000;

interface MetadataRow {
  collection: string;
  id: string;
  document: JsonDocument;
}

/** [collection, id] */
export type DocumentKey = readonly [string, string];

function keyOf(collection: string, id: string): string {
  return `${collection}\0${id}`;
}

function splitKey(key: string): [string, string] {
  return key.split('\0') as [string, string];
}

export class PostgresMetadataStore extends MemoryMetadataStore {
  private dirty = new Set<string>();
  /** Keys of flushes not committed yet, with how many flushes carry each. */
  private readonly writing = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();
  private pool: Pool | undefined;
  private readonly secretValues = new Map<string, Promise<string>>();

  constructor(private readonly nodeId: string) {
    super();
  }

  /** Loads every document; the store is usable from then on. */
  async open(pool: Pool): Promise<void> {
    this.pool = pool;
    await this.reload('all');
  }

  override put(collection: string, id: string, document: JsonDocument): void {
    super.put(collection, id, document);
    this.dirty.add(keyOf(collection, id));
  }

  override delete(collection: string, id: string): boolean {
    const existed = super.delete(collection, id);
    if (existed) this.dirty.add(keyOf(collection, id));
    return existed;
  }

  override flush(): Promise<void> {
    const pool = this.pool;
    if (pool === undefined)
      return Promise.reject(new StorageUnavailableError('metadata store is not open'));
    const keys = [...this.dirty];
    this.dirty = new Set();
    const changes = keys.map((key) => {
      const [collection, id] = splitKey(key);
      return { collection, id, document: this.get(collection, id) ?? null };
    });
    for (const key of keys) this.writing.set(key, (this.writing.get(key) ?? 0) + 1);
    const run = this.chain.then(async () => {
      if (changes.length === 0) return;
      try {
        await this.write(pool, changes);
      } catch (error: unknown) {
        // Not written: mark them again so the next flush carries the current documents.
        for (const key of keys) this.dirty.add(key);
        throw asStorageError(error, 'metadata flush');
      }
    });
    void run
      .catch(() => undefined)
      .then(() => {
        for (const key of keys) {
          const left = (this.writing.get(key) ?? 1) - 1;
          if (left > 0) this.writing.set(key, left);
          else this.writing.delete(key);
        }
      });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(
    pool: Pool,
    changes: ReadonlyArray<{ collection: string; id: string; document: JsonDocument | null }>,
  ): Promise<void> {
    await inTransaction(pool, async (client) => {
      for (const { collection, id, document } of changes) {
        if (document === null) {
          await client.query('DELETE FROM govc_metadata WHERE collection = $1 AND id = $2', [
            collection,
            id,
          ]);
        } else {
          await client.query(
            `INSERT INTO govc_metadata (collection, id, document) VALUES ($1, $2, $3::jsonb)
             ON CONFLICT (collection, id) DO UPDATE SET document = excluded.document, updated_at = now()`,
            [collection, id, JSON.stringify(document)],
          );
        }
      }
      let payload = JSON.stringify({
        n: this.nodeId,
        m: changes.map(({ collection, id }) => [collection, id]),
      });
      if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES)
        payload = JSON.stringify({ n: this.nodeId, m: 'all' });
      await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, payload]);
    });
  }

  /**
   * Takes other nodes' changes: the named documents, or all; documents changed here win, also
   * while their flush is on its way (taking the database's older value then would leave memory
   * behind the database, since our own NOTIFY is not taken).
   */
  async reload(which: readonly DocumentKey[] | 'all'): Promise<void> {
    const pool = this.pool;
    if (pool === undefined) return;
    const rows =
      which === 'all'
        ? (await pool.query<MetadataRow>('SELECT collection, id, document FROM govc_metadata')).rows
        : (
            await pool.query<MetadataRow>(
              `SELECT m.collection, m.id, m.document FROM govc_metadata m
               JOIN unnest($1::text[], $2::text[]) AS k(collection, id) ON m.collection = k.collection AND m.id = k.id`,
              [which.map(([collection]) => collection), which.map(([, id]) => id)],
            )
          ).rows;
    const found = new Set(rows.map((row) => keyOf(row.collection, row.id)));
    const local = (key: string): boolean => this.dirty.has(key) || this.writing.has(key);
    for (const row of rows) {
      if (!local(keyOf(row.collection, row.id)))
        this.store(row.collection, row.id, normalizeDocument(row.document));
    }
    const gone =
      which === 'all'
        ? this.collectionNames().flatMap((collection) =>
            this.list(collection).map(({ id }): DocumentKey => [collection, id]),
          )
        : which;
    for (const [collection, id] of gone) {
      const key = keyOf(collection, id);
      if (!found.has(key) && !local(key)) super.delete(collection, id);
    }
  }

  override secret(name: string, generate: () => string): Promise<string> {
    checkSecretName(name);
    let value = this.secretValues.get(name);
    if (value === undefined) {
      value = this.readOrCreateSecret(name, generate);
      this.secretValues.set(name, value);
      value.catch(() => this.secretValues.delete(name));
    }
    return value;
  }

  private async readOrCreateSecret(name: string, generate: () => string): Promise<string> {
    const pool = this.pool;
    if (pool === undefined) throw new StorageUnavailableError('metadata store is not open');
    try {
      const select = (): Promise<{ rows: Array<{ value: string }> }> =>
        pool.query<{ value: string }>('SELECT value FROM govc_secrets WHERE name = $1', [name]);
      const existing = (await select()).rows[0];
      if (existing !== undefined) return existing.value;
      await pool.query(
        'INSERT INTO govc_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
        [name, generate()],
      );
      const stored = (await select()).rows[0];
      if (stored === undefined) throw new StorageUnavailableError(`secret ${name} vanished`);
      return stored.value;
    } catch (error: unknown) {
      throw asStorageError(error, `secret ${name}`);
    }
  }
}
