/**
 * One repository of the postgres driver while it is loaded: the memory stores the engine uses,
 * the changes queued since the last flush, and a worker that commits sealed batches one at a
 * time, each as ONE SQL transaction: a call of the `govc_flush` function (postgres-migrations.ts)
 * which, in one statement and one round trip,
 *
 *   locks the repository row (orders commits of one repository, across nodes),
 *   inserts the new objects (ON CONFLICT DO NOTHING),
 *   compare-and-swaps every ref that changed, in SQL: UPDATE ... WHERE the row still holds the
 *     value this process last saw; no row → another process moved it → ConcurrentUpdateError
 *     (unless the row already holds the new value: a retry of a batch whose commit succeeded
 *     while its answer was lost, so retries are idempotent),
 *   rewrites or appends the reflogs, and NOTIFYs the other nodes (delivered on commit);
 *
 * with synchronous_commit=on, so it is durable when it returns.
 *
 * A lost CAS rolls everything back, reloads the refs involved (memory shows the winner's value)
 * and fails that flush and every flush queued behind it: they were built on the losing value.
 * A database fault (StorageUnavailableError) puts the batches back in the queue, so the next
 * flush carries them again once the database is back.
 *
 * `refresh` takes other nodes' changes (after a NOTIFY): new objects by their sequence number,
 * then the refs and reflogs named; refs with local changes not yet committed — still pending,
 * or sealed in a batch waiting in the queue — are left alone (their commit will find out).
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { Pool } from 'pg';
import { ConcurrentUpdateError } from '../../errors/ref-errors';
import { RepoNotFoundError, StorageUnavailableError } from '../../errors/storage-errors';
import { isObjectType, type ObjectType } from '../../objects/git-object';
import { isEmptyBatch, PendingChanges, type ChangeBatch } from '../change-batch';
import { PersistentObjectStore } from '../persistent-object-store';
import { PersistentRefStore } from '../persistent-ref-store';
import type { Ref, RefName, ReflogEntry } from '../ref-store';
import type { RepositoryStores, StorageLogger } from '../storage-driver';
import { asStorageError } from './postgres-errors';

export type ObjectCompression = 'none' | 'zlib';

/** The NOTIFY channel of every change (refs, metadata, deleted repositories). */
export const CHANGE_CHANNEL = 'govc_changes';
/** NOTIFY payloads must stay under 8000 bytes; longer ref lists become "reload all". */
const MAX_NOTIFY_BYTES = 7000;
const TYPE_CODES: Readonly<Record<ObjectType, number>> = { commit: 1, tree: 2, blob: 3, tag: 4 };
const TYPES_BY_CODE: ReadonlyArray<ObjectType | undefined> = [
  undefined,
  'commit',
  'tree',
  'blob',
  'tag',
];
/** Objects above this go in a statement of their own (binary parameter, no hex array). */
const LARGE_OBJECT_BYTES = 1024 * 1024;
/** Objects per insert statement, and their bytes (sent as hex: twice this on the wire). */
const ROWS_PER_STATEMENT = 2000;
const OBJECTS_PER_PAGE = 5000;
const BYTES_PER_STATEMENT = 8 * 1024 * 1024;

interface ObjectRowInput {
  readonly oid: Buffer;
  readonly type: number;
  readonly compression: number;
  readonly body: Buffer;
}

function chunkRows(rows: readonly ObjectRowInput[]): ObjectRowInput[][] {
  const chunks: ObjectRowInput[][] = [];
  let current: ObjectRowInput[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (
      current.length > 0 &&
      (current.length >= ROWS_PER_STATEMENT || bytes + row.body.length > BYTES_PER_STATEMENT)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += row.body.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface PostgresRepositoryOptions {
  readonly id: string;
  readonly pool: Pool;
  readonly nodeId: string;
  readonly logger: StorageLogger;
  readonly compression: ObjectCompression;
  /** Called for each ref another node moved, after memory shows the new value. */
  readonly onExternalRefChange: (ref: RefName) => void;
}

interface BatchTask {
  readonly kind: 'batch';
  readonly batch: ChangeBatch;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface RefreshTask {
  readonly kind: 'refresh';
  readonly refs: readonly RefName[] | 'all';
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

type Task = BatchTask | RefreshTask;

interface ObjectRow {
  oid: string;
  type: number;
  compression: number;
  body: Buffer;
  seq: string;
}

interface RefRow {
  name: string;
  oid: string | null;
  symbolic: string | null;
}

interface ReflogRow {
  name: string;
  old_oid: string;
  new_oid: string;
  committer_name: string;
  committer_email: string;
  committed_at: string;
  timezone: string;
  message: string;
}

function sameRef(a: Ref | null, b: Ref | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'direct') return b.kind === 'direct' && a.oid === b.oid;
  return b.kind === 'symbolic' && a.target === b.target;
}

function refFromRow(row: RefRow): Ref {
  return row.symbolic !== null
    ? { name: row.name, kind: 'symbolic', target: row.symbolic }
    : { name: row.name, kind: 'direct', oid: row.oid ?? '' };
}

function describeRef(ref: Ref | null): string | null {
  if (ref === null) return null;
  return ref.kind === 'direct' ? ref.oid : `ref: ${ref.target}`;
}

function entryFromRow(row: ReflogRow): ReflogEntry {
  return {
    oldOid: row.old_oid,
    newOid: row.new_oid,
    committer: {
      name: row.committer_name,
      email: row.committer_email,
      timestamp: Number(row.committed_at),
      timezone: row.timezone,
    },
    message: row.message,
  };
}

/** A lost compare-and-swap inside the transaction: rolled back, then reported. */
class RefConflict extends Error {
  constructor(readonly error: ConcurrentUpdateError) {
    super(error.message);
  }
}

export class PostgresRepository implements RepositoryStores {
  readonly objects: PersistentObjectStore;
  readonly refs: PersistentRefStore;
  private readonly pending = new PendingChanges();
  /** Each ref as the database held it when this process last looked. */
  private readonly durable = new Map<RefName, Ref>();
  /** The highest object seq loaded: other nodes' objects are the ones above it. */
  private objectWatermark = 0;
  private tasks: Task[] = [];
  private working = false;
  /** The worker draining `tasks` (settled once `working` is false). */
  private worker: Promise<void> = Promise.resolve();
  /** The promise of the last queued batch (what an empty flush waits for). */
  private tail: Promise<void> = Promise.resolve();
  /** Set when a lost CAS discarded unflushed ref changes: the next flush reports it. */
  private discarded: ConcurrentUpdateError | undefined;
  private closed = false;

  private constructor(private readonly options: PostgresRepositoryOptions) {
    const persist = (): Promise<void> => this.flush();
    this.objects = new PersistentObjectStore(this.pending, persist);
    this.refs = new PersistentRefStore(this.pending, persist);
  }

  static async open(options: PostgresRepositoryOptions): Promise<PostgresRepository> {
    const repository = new PostgresRepository(options);
    try {
      const exists = await options.pool.query('SELECT 1 FROM govc_repositories WHERE id = $1', [
        options.id,
      ]);
      if (exists.rowCount === 0) throw new RepoNotFoundError(options.id);
      await repository.loadObjects();
      await repository.loadRefs('all');
    } catch (error: unknown) {
      throw asStorageError(error, `loading repository ${options.id}`);
    }
    return repository;
  }

  get id(): string {
    return this.options.id;
  }

  /** True while changes are queued or being committed. */
  get dirty(): boolean {
    return !this.pending.isEmpty || this.tasks.length > 0;
  }

  flush(): Promise<void> {
    if (this.closed)
      return Promise.reject(new StorageUnavailableError(`repository ${this.options.id} is closed`));
    if (this.discarded !== undefined) {
      const error = this.discarded;
      this.discarded = undefined;
      return Promise.reject(error);
    }
    const batch = this.pending.seal((name) => this.refs.read(name));
    if (isEmptyBatch(batch)) return this.tail;
    const done = new Promise<void>((resolve, reject) =>
      this.enqueue({ kind: 'batch', batch, resolve, reject }),
    );
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Takes other nodes' changes to `refs` (or to every ref) and any new objects. */
  refresh(refs: readonly RefName[] | 'all'): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.enqueue({ kind: 'refresh', refs, resolve, reject }),
    );
  }

  /**
   * Flushes what is queued and stops once the worker is idle; later flushes reject. (It waits
   * for the worker itself, not for `tail`: with only refresh tasks left, `tail` is already
   * settled, and awaiting it in a loop spun on microtasks forever, starving the very I/O the
   * worker waited for — a hang of the whole process.)
   */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      while (this.working) await this.worker;
      this.closed = true;
    }
  }

  private enqueue(task: Task): void {
    this.tasks.push(task);
    if (!this.working) {
      this.working = true;
      this.worker = this.work();
    }
  }

  private async work(): Promise<void> {
    try {
      while (this.tasks.length > 0) {
        const task = this.tasks[0]!;
        if (task.kind === 'refresh') {
          this.tasks.shift();
          await this.loadChanges(task.refs).then(task.resolve, (error: unknown) =>
            task.reject(asStorageError(error, 'refresh')),
          );
          continue;
        }
        try {
          await this.commit(task.batch);
          this.tasks.shift();
          task.resolve();
        } catch (error: unknown) {
          await this.failQueuedBatches(
            error instanceof RefConflict ? error.error : asStorageError(error, 'flush'),
          );
        }
      }
    } catch (error: unknown) {
      this.options.logger.error('postgres repository worker failed', {
        repo: this.options.id,
        error: String(error),
      });
    } finally {
      // Synchronously with the loop's last check: a task enqueued after it starts a new worker.
      this.working = false;
    }
  }

  /** Fails every queued batch (see the file header for what happens to their changes). */
  private async failQueuedBatches(error: Error): Promise<void> {
    const failed = this.tasks.filter((task): task is BatchTask => task.kind === 'batch');
    this.tasks = this.tasks.filter((task) => task.kind !== 'batch');
    const conflict = error instanceof ConcurrentUpdateError;
    for (const task of [...failed].reverse()) this.pending.requeue(task.batch, { refs: !conflict });
    if (conflict) {
      const names = new Set<RefName>();
      for (const { batch } of failed) {
        for (const state of batch.refs) names.add(state.name);
        for (const change of batch.reflogs) names.add(change.name);
      }
      const dropped = this.pending.dropRefChanges();
      for (const name of dropped) names.add(name);
      if (dropped.length > 0) this.discarded = error;
      await this.loadChanges([...names]).catch((reloadError: unknown) => {
        this.options.logger.error('could not reload refs after a lost compare-and-swap', {
          repo: this.options.id,
          error: String(reloadError),
        });
      });
    }
    for (const task of failed) task.reject(error);
  }

  /**
   * Commits a batch: objects over 1 MiB first, each in a statement of its own (a binary
   * parameter; an object no ref reaches is harmless, as in git), then everything else in one
   * call of `govc_flush` (postgres-migrations.ts), which is one transaction and one round trip.
   */
  private async commit(batch: ChangeBatch): Promise<void> {
    const { pool, id, compression } = this.options;
    const rows = batch.objects.map(({ oid, object }): ObjectRowInput => ({
      oid: Buffer.from(oid, 'hex'),
      type: TYPE_CODES[object.type],
      compression: compression === 'zlib' ? 1 : 0,
      body:
        compression === 'zlib'
          ? deflateSync(object.body, { level: 1 })
          : Buffer.from(object.body.buffer, object.body.byteOffset, object.body.byteLength),
    }));
    for (const row of rows.filter((candidate) => candidate.body.length > LARGE_OBJECT_BYTES)) {
      await pool.query(
        `INSERT INTO govc_objects (repo_id, oid, type, compression, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (repo_id, oid) DO NOTHING`,
        [id, row.oid, row.type, row.compression, row.body],
      );
    }
    const chunks = chunkRows(rows.filter((row) => row.body.length <= LARGE_OBJECT_BYTES));
    // A big unit of work (an import) would not fit one statement's time limit: its objects go
    // first, chunk by chunk, and govc_flush gets only the refs.
    if (chunks.length > 1) {
      for (const chunk of chunks) {
        await pool.query(
          `INSERT INTO govc_objects (repo_id, oid, type, compression, body)
           SELECT $1, u.oid, u.type, u.compression, u.body
           FROM unnest($2::bytea[], $3::smallint[], $4::smallint[], $5::bytea[]) AS u(oid, type, compression, body)
           ON CONFLICT (repo_id, oid) DO NOTHING`,
          [
            id,
            chunk.map((row) => row.oid),
            chunk.map((row) => row.type),
            chunk.map((row) => row.compression),
            chunk.map((row) => row.body),
          ],
        );
      }
    }
    const small = chunks.length === 1 ? chunks[0]! : [];
    const refs = batch.refs.flatMap(({ name, ref }) => {
      const seen = this.durable.get(name) ?? null;
      if (sameRef(seen, ref)) return [];
      return [
        {
          name,
          seen: seen !== null,
          seen_oid: seen?.kind === 'direct' ? seen.oid : null,
          seen_symbolic: seen?.kind === 'symbolic' ? seen.target : null,
          present: ref !== null,
          oid: ref?.kind === 'direct' ? ref.oid : null,
          symbolic: ref?.kind === 'symbolic' ? ref.target : null,
        },
      ];
    });
    const reflogs = batch.reflogs.map((change) => ({
      name: change.name,
      reset: change.reset,
      base: change.base,
      entries: change.entries.map((e) => [
        e.oldOid,
        e.newOid,
        e.committer.name,
        e.committer.email,
        e.committer.timestamp,
        e.committer.timezone,
        e.message,
      ]),
    }));
    try {
      await pool.query(
        'SELECT govc_flush($1, $2::bytea[], $3::smallint[], $4::smallint[], $5::bytea[], $6::jsonb, $7::jsonb, $8)',
        [
          id,
          small.map((row) => row.oid),
          small.map((row) => row.type),
          small.map((row) => row.compression),
          small.map((row) => row.body),
          JSON.stringify(refs),
          JSON.stringify(reflogs),
          this.notifyPayload(batch),
        ],
      );
    } catch (error: unknown) {
      throw this.translate(error);
    }
    for (const { name, ref } of batch.refs) {
      if (ref === null) this.durable.delete(name);
      else this.durable.set(name, ref);
    }
  }

  /** govc_flush's own errors: GV409 a lost compare-and-swap, GV404 a deleted repository. */
  private translate(error: unknown): unknown {
    if (typeof error !== 'object' || error === null || !('code' in error)) return error;
    const { message, detail } = error as { message?: unknown; detail?: unknown };
    if (error.code === 'GV404') return new RepoNotFoundError(this.options.id);
    if (error.code !== 'GV409' || typeof message !== 'string') return error;
    const expected = describeRef(this.durable.get(message) ?? null);
    const actual = typeof detail === 'string' && detail !== '' ? detail : null;
    return new RefConflict(new ConcurrentUpdateError(message, expected, actual));
  }

  private notifyPayload(batch: ChangeBatch): string | null {
    const names = [
      ...new Set([
        ...batch.refs.map((state) => state.name),
        ...batch.reflogs.map((change) => change.name),
      ]),
    ];
    if (names.length === 0 && batch.objects.length === 0) return null;
    const payload = JSON.stringify({ n: this.options.nodeId, r: this.options.id, refs: names });
    return Buffer.byteLength(payload) <= MAX_NOTIFY_BYTES
      ? payload
      : JSON.stringify({ n: this.options.nodeId, r: this.options.id, refs: 'all' });
  }

  /** Loads the objects above the watermark, a page at a time (each query stays short). */
  private async loadObjects(): Promise<void> {
    const { pool, id } = this.options;
    for (;;) {
      const result = await pool.query<ObjectRow>(
        `SELECT encode(oid, 'hex') AS oid, type, compression, body, seq FROM govc_objects
         WHERE repo_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [id, this.objectWatermark, OBJECTS_PER_PAGE],
      );
      for (const row of result.rows) {
        const type = TYPES_BY_CODE[row.type];
        if (type === undefined || !isObjectType(type))
          throw new Error(`object ${row.oid} has unknown type ${row.type}`);
        if (!this.objects.has(row.oid)) {
          this.objects.restore(row.oid, {
            type,
            body: row.compression === 1 ? inflateSync(row.body) : row.body,
          });
        }
        this.objectWatermark = Math.max(this.objectWatermark, Number(row.seq));
      }
      if (result.rows.length < OBJECTS_PER_PAGE) return;
    }
  }

  /** Loads refs and reflogs from the database into memory (all, or the named ones). */
  private async loadRefs(which: readonly RefName[] | 'all'): Promise<RefName[]> {
    const { pool, id } = this.options;
    const filter = which === 'all' ? '' : 'AND name = ANY($2::text[])';
    const params = which === 'all' ? [id] : [id, which];
    const refRows = await pool.query<RefRow>(
      `SELECT name, oid, symbolic FROM govc_refs WHERE repo_id = $1 ${filter}`,
      params,
    );
    const logRows = await pool.query<ReflogRow>(
      `SELECT name, old_oid, new_oid, committer_name, committer_email, committed_at, timezone, message
       FROM govc_reflog WHERE repo_id = $1 ${filter} ORDER BY name, position`,
      params,
    );
    const refs = new Map(refRows.rows.map((row) => [row.name, refFromRow(row)]));
    const logs = new Map<RefName, ReflogEntry[]>();
    for (const row of logRows.rows) {
      const log = logs.get(row.name);
      if (log === undefined) logs.set(row.name, [entryFromRow(row)]);
      else log.push(entryFromRow(row));
    }
    const names =
      which === 'all'
        ? new Set([...refs.keys(), ...logs.keys(), ...this.refs.list('').map((ref) => ref.name)])
        : new Set(which);
    // Refs of batches sealed but not yet committed are local changes too: taking the database's
    // value here would move what their compare-and-swap expects, and a stale batch would then
    // overwrite another node's acknowledged write. Their commit decides (and reloads on a loss).
    const queued = this.queuedRefNames();
    const changed = new Set<RefName>();
    for (const name of names) {
      if (this.pending.touchesRef(name) || queued.has(name)) continue;
      const stored = refs.get(name) ?? null;
      if (stored === null) this.durable.delete(name);
      else this.durable.set(name, stored);
      if (!sameRef(this.refs.read(name) ?? null, stored)) {
        this.refs.restoreRef(name, stored);
        changed.add(name);
      }
      const log = logs.get(name) ?? [];
      if (log.length !== this.refs.reflog(name).length || changed.has(name)) {
        this.refs.restoreReflog({ name, reset: true, base: 0, entries: log });
      }
    }
    return [...changed];
  }

  /** Refs and reflogs named by batches still waiting in the worker's queue. */
  private queuedRefNames(): Set<RefName> {
    const names = new Set<RefName>();
    for (const task of this.tasks) {
      if (task.kind !== 'batch') continue;
      for (const state of task.batch.refs) names.add(state.name);
      for (const change of task.batch.reflogs) names.add(change.name);
    }
    return names;
  }

  private async loadChanges(which: readonly RefName[] | 'all'): Promise<void> {
    await this.loadObjects();
    const changed = await this.loadRefs(which);
    for (const name of changed) this.options.onExternalRefChange(name);
  }
}
