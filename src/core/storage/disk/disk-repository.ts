/**
 * One repository of the disk driver while it is loaded: the memory stores the engine uses,
 * the changes queued since the last flush, the repository's journal, and its checkpoints.
 *
 *   flush()       seals the queued changes into ONE journal record and resolves when that
 *                 record is fsynced (concurrent flushes share fsyncs: journal.ts); with nothing
 *                 queued it resolves when every earlier record is durable.
 *   checkpoint()  seals what is queued, rotates the journal, snapshots refs and reflogs at that
 *                 instant, writes pack + refs + reflogs + marker (repository-checkpoint.ts),
 *                 then deletes the journal segments the checkpoint covers.
 *
 * Opening loads the git directory, then replays the journal records after the marker.
 */
import { RepositoryCorruptError, StorageUnavailableError } from '../../errors/storage-errors';
import { EMPTY_TREE_OID } from '../../objects/object-database';
import type { Oid } from '../../objects/oid';
import type { PackWriteOptions } from '../../protocol/pack-writer';
import { isEmptyBatch, PendingChanges, type ObjectWrite } from '../change-batch';
import { PersistentObjectStore } from '../persistent-object-store';
import { PersistentRefStore } from '../persistent-ref-store';
import type { RefName, ReflogEntry } from '../ref-store';
import type { RepositoryStores, StorageLogger } from '../storage-driver';
import { decodeChangeBatch, encodeChangeBatch } from './change-batch-codec';
import type { FailureLatch } from './failure-latch';
import type { FileSystem } from './file-system';
import { checkStorableRefName, GitDirectory } from './git-directory';
import { loadGitDirectory, type OnDiskRefs } from './git-directory-loader';
import { Journal } from './journal';
import { writeCheckpoint, type CheckpointSnapshot } from './repository-checkpoint';

/** Journal record type of a repository unit of work. */
export const REPOSITORY_BATCH_RECORD = 1;

const EMPTY_TREE_LINE = `tree ${EMPTY_TREE_OID}\n`;
/** Annotated tags of tags are peeled at most this deep (git: unbounded, but real ones are 1–2). */
const MAX_PEEL_DEPTH = 16;
/**
 * A closing checkpoint with more objects than this skips the delta search: it costs ~0.3 ms per
 * object (measured), and shutdown has a deadline; the journal is durable either way.
 */
const MAX_DELTA_OBJECTS_ON_CLOSE = 10_000;

function textPrefix(body: Uint8Array, length: number): string {
  return Buffer.from(body.buffer, body.byteOffset, Math.min(length, body.byteLength)).toString(
    'latin1',
  );
}

function startsWith(body: Uint8Array, prefix: string): boolean {
  return textPrefix(body, prefix.length) === prefix;
}

export interface DiskRepositoryOptions {
  readonly id: string;
  readonly gitDir: string;
  readonly fs: FileSystem;
  readonly latch: FailureLatch;
  readonly logger: StorageLogger;
  /** A checkpoint starts once the journal grew this much since the last one. */
  readonly journalMaxBytes: number;
  readonly packOptions?: PackWriteOptions;
}

export class DiskRepository implements RepositoryStores {
  readonly objects: PersistentObjectStore;
  readonly refs: PersistentRefStore;
  readonly layout: GitDirectory;
  private readonly pending = new PendingChanges();
  private journal!: Journal;
  private disk!: OnDiskRefs;
  /** Journaled objects not yet in a pack, in journal order. */
  private unpacked: Oid[] = [];
  private dirtyReflogs = new Set<RefName>();
  /** The last journal record the newest checkpoint covers. */
  private checkpointedSeq = 0;
  private checkpointChain: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly options: DiskRepositoryOptions) {
    this.layout = new GitDirectory(options.gitDir);
    const persist = (): Promise<void> => this.flush();
    this.objects = new PersistentObjectStore(this.pending, persist);
    this.refs = new PersistentRefStore(this.pending, persist, { checkName: checkStorableRefName });
  }

  /** Loads the repository; throws RepositoryCorruptError when its files do not verify. */
  static async open(options: DiskRepositoryOptions): Promise<DiskRepository> {
    const repository = new DiskRepository(options);
    try {
      await repository.load();
    } catch (error: unknown) {
      if (error instanceof StorageUnavailableError) throw error;
      throw new RepositoryCorruptError(
        options.id,
        error instanceof Error ? error.message : String(error),
        { cause: error },
      );
    }
    return repository;
  }

  private async load(): Promise<void> {
    const { fs, latch, logger, id } = this.options;
    const loaded = await loadGitDirectory(fs, this.layout, this.objects, this.refs);
    this.disk = loaded.disk;
    this.checkpointedSeq = loaded.marker.seq;
    const { journal, records } = await Journal.open(
      {
        fs,
        directory: this.layout.journalDirectory,
        tempDirectory: this.layout.tempDirectory,
        root: this.layout.path,
        latch,
        logger,
        label: `repo ${id}`,
      },
      loaded.marker.seq,
    );
    this.journal = journal;
    // Temporaries of a checkpoint a crash interrupted: never renamed, so never part of git's view.
    await fs.remove(this.layout.tempDirectory);
    await fs.mkdir(this.layout.tempDirectory);
    for (const record of records) {
      if (record.type !== REPOSITORY_BATCH_RECORD)
        throw new Error(`journal record ${record.seq} has unknown type ${record.type}`);
      const batch = decodeChangeBatch(record.payload);
      for (const { oid, object } of batch.objects) {
        if (!this.objects.has(oid)) this.objects.restore(oid, object);
        this.unpacked.push(oid);
      }
      for (const { name, ref } of batch.refs) this.refs.restoreRef(name, ref);
      for (const change of batch.reflogs) {
        this.refs.restoreReflog(change);
        this.dirtyReflogs.add(change.name);
      }
    }
  }

  /** True when memory holds something no checkpoint has written to the git directory yet. */
  get needsCheckpoint(): boolean {
    return !this.pending.isEmpty || this.journal.lastSeq > this.checkpointedSeq;
  }

  /** Makes everything written so far durable in the journal (see the file header). */
  flush(): Promise<void> {
    const refusal =
      this.options.latch.error ??
      (this.closed
        ? new StorageUnavailableError(`repository ${this.options.id} is closed`)
        : undefined);
    if (refusal !== undefined) return Promise.reject(refusal);
    const batch = this.pending.seal((name) => this.refs.read(name));
    if (isEmptyBatch(batch)) return this.journal.whenDurable();
    const durable = this.journal.append(REPOSITORY_BATCH_RECORD, encodeChangeBatch(batch));
    for (const { oid } of batch.objects) this.unpacked.push(oid);
    for (const change of batch.reflogs) this.dirtyReflogs.add(change.name);
    if (this.journal.bytesSinceRotation > this.options.journalMaxBytes) {
      this.checkpoint().catch(() => undefined); // a failure is latched and logged already
    }
    return durable;
  }

  /** Writes a checkpoint (see the file header). Checkpoints of one repository run one at a time. */
  checkpoint(options: { closing?: boolean } = {}): Promise<void> {
    const run = this.checkpointChain.then(() => this.runCheckpoint(options.closing === true));
    this.checkpointChain = run.catch(() => undefined);
    return run;
  }

  private async runCheckpoint(closing: boolean): Promise<void> {
    if (this.closed || !this.needsCheckpoint) return;
    const sealed = this.flush();
    const seq = this.journal.rotate();
    const snapshot = this.takeSnapshot(seq);
    await sealed;
    const { fs, logger, id } = this.options;
    const packOptions =
      closing && snapshot.objects.length > MAX_DELTA_OBJECTS_ON_CLOSE
        ? { ...this.options.packOptions, deltas: false }
        : this.options.packOptions;
    try {
      await writeCheckpoint(
        { fs, layout: this.layout, logger, label: id, ...(packOptions ? { packOptions } : {}) },
        snapshot,
        this.disk,
      );
    } catch (error: unknown) {
      // The journal still holds everything; but a failed fsync means the disk cannot be trusted.
      throw this.options.latch.fail(`repo ${id}: checkpoint`, error);
    }
    this.checkpointedSeq = seq;
    await this.journal.removeSegmentsThrough(seq).catch((error: unknown) => {
      logger.warn('could not remove checkpointed journal segments', {
        repo: id,
        error: String(error),
      });
    });
  }

  /** Everything a checkpoint writes, taken synchronously so it is one consistent instant. */
  private takeSnapshot(seq: number): CheckpointSnapshot {
    const objects: ObjectWrite[] = [];
    let needsEmptyTree = false;
    for (const oid of this.unpacked) {
      const object = this.objects.get(oid);
      if (object === undefined) continue;
      objects.push({ oid, object });
      if (object.type === 'commit' && startsWith(object.body, EMPTY_TREE_LINE))
        needsEmptyTree = true;
    }
    // The engine never stores the empty tree (git knows it without an object); git fsck does not.
    if (needsEmptyTree && !this.objects.has(EMPTY_TREE_OID)) {
      this.objects.restore(EMPTY_TREE_OID, { type: 'tree', body: new Uint8Array(0) });
      objects.push({ oid: EMPTY_TREE_OID, object: { type: 'tree', body: new Uint8Array(0) } });
    }
    const refs = this.refs.list('');
    const peeled = new Map<RefName, Oid>();
    for (const ref of refs) {
      if (ref.kind !== 'direct') continue;
      const target = this.peel(ref.oid);
      if (target !== undefined) peeled.set(ref.name, target);
    }
    const reflogs = new Map<RefName, readonly ReflogEntry[]>();
    for (const name of this.dirtyReflogs) reflogs.set(name, [...this.refs.reflog(name)]);
    this.unpacked = [];
    this.dirtyReflogs = new Set();
    return { seq, objects, refs, peeled, reflogs };
  }

  /** The id an annotated tag finally points at, or undefined for anything but a tag. */
  private peel(oid: Oid): Oid | undefined {
    let current = oid;
    let object = this.objects.get(current);
    if (object?.type !== 'tag') return undefined;
    for (let depth = 0; object?.type === 'tag' && depth < MAX_PEEL_DEPTH; depth++) {
      const match = /^object ([0-9a-f]{40})\n/.exec(textPrefix(object.body, 48));
      if (match === null) return undefined;
      current = match[1]!;
      object = this.objects.get(current);
    }
    return object?.type === 'tag' ? undefined : current;
  }

  /**
   * Checkpoints (unless the driver failed) and closes the journal; later flushes reject. With
   * `checkpoint: false` (the repository is being deleted) only the journal is closed.
   */
  async close(options: { checkpoint: boolean } = { checkpoint: true }): Promise<void> {
    if (this.closed) return;
    try {
      if (options.checkpoint && !this.options.latch.failed)
        await this.checkpoint({ closing: true });
      else await this.checkpointChain;
    } finally {
      this.closed = true;
      await this.journal.close();
    }
  }
}
