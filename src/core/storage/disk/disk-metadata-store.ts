/**
 * The disk driver's metadata: the memory metadata store plus a journal, with the same
 * durability rules as repositories. Under `<storage.path>/meta/`:
 *
 *   journal/<seq>.journal   records of changed documents (JSON: [collection, id, document|null])
 *   snapshot.json           every document, and the last journal record it includes
 *
 * A checkpoint rewrites snapshot.json (temp → fsync → rename) and deletes the journal segments
 * it covers. Secrets are single files `<storage.path>/<name>` (mode 0600), created once by an
 * exclusive hard link of a fsynced temporary, so two processes racing agree on one value.
 */
import { join } from 'node:path';
import { StorageUnavailableError } from '../../errors/storage-errors';
import { MemoryMetadataStore } from '../memory/memory-metadata-store';
import { checkSecretName, normalizeDocument, type JsonDocument } from '../metadata-store';
import type { StorageLogger } from '../storage-driver';
import { ensureDirectory, temporaryPath, writeFileDurably, writeFully } from './durable-file';
import type { FailureLatch } from './failure-latch';
import { errorCode, isNotFoundError, type FileSystem } from './file-system';
import { Journal } from './journal';

export const METADATA_BATCH_RECORD = 2;

/** [collection, id, document or null for deleted] */
type WireChange = [string, string, JsonDocument | null];

interface Snapshot {
  readonly version: 1;
  readonly seq: number;
  readonly collections: Record<string, Record<string, JsonDocument>>;
}

export interface DiskMetadataStoreOptions {
  /** storage.path */
  readonly root: string;
  readonly fs: FileSystem;
  readonly latch: FailureLatch;
  readonly logger: StorageLogger;
}

function keyOf(collection: string, id: string): string {
  return `${collection}\0${id}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class DiskMetadataStore extends MemoryMetadataStore {
  private dirty = new Set<string>();
  private journal: Journal | undefined;
  private snapshotSeq = 0;
  private checkpointChain: Promise<void> = Promise.resolve();
  private readonly secretFiles = new Map<string, Promise<string>>();
  private closed = false;

  constructor(private readonly options: DiskMetadataStoreOptions) {
    super();
  }

  private get directory(): string {
    return join(this.options.root, 'meta');
  }

  private get tempDirectory(): string {
    return join(this.options.root, 'meta', 'tmp');
  }

  private get snapshotPath(): string {
    return join(this.directory, 'snapshot.json');
  }

  /** Loads the snapshot and replays the journal; throws JournalCorruptError or a parse error. */
  async open(): Promise<void> {
    const { fs, latch, logger, root } = this.options;
    await fs.remove(this.tempDirectory);
    await ensureDirectory(fs, this.tempDirectory, root);
    let text: string | undefined;
    try {
      text = (await fs.readFile(this.snapshotPath)).toString('utf8');
    } catch (error: unknown) {
      if (!isNotFoundError(error)) throw error;
    }
    if (text !== undefined) this.loadSnapshot(JSON.parse(text));
    const { journal, records } = await Journal.open(
      {
        fs,
        directory: join(this.directory, 'journal'),
        tempDirectory: this.tempDirectory,
        root,
        latch,
        logger,
        label: 'metadata',
        fileMode: 0o600,
      },
      this.snapshotSeq,
    );
    this.journal = journal;
    for (const record of records) {
      if (record.type !== METADATA_BATCH_RECORD)
        throw new Error(`metadata journal record ${record.seq} has type ${record.type}`);
      const changes: unknown = JSON.parse(record.payload.toString('utf8'));
      if (!Array.isArray(changes))
        throw new Error(`metadata journal record ${record.seq} is not a list`);
      for (const change of changes as WireChange[]) this.apply(change);
    }
  }

  private loadSnapshot(value: unknown): void {
    if (
      !isRecord(value) ||
      value.version !== 1 ||
      typeof value.seq !== 'number' ||
      !isRecord(value.collections)
    ) {
      throw new Error('meta/snapshot.json is not a version 1 snapshot');
    }
    this.snapshotSeq = value.seq;
    for (const [collection, documents] of Object.entries(value.collections)) {
      if (!isRecord(documents))
        throw new Error(`meta/snapshot.json: collection ${collection} is not an object`);
      for (const [id, document] of Object.entries(documents))
        this.apply([collection, id, document as JsonDocument]);
    }
  }

  private apply([collection, id, document]: WireChange): void {
    if (document === null) super.delete(collection, id);
    else this.store(collection, id, normalizeDocument(document));
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
    const journal = this.journal;
    if (this.options.latch.error !== undefined) return Promise.reject(this.options.latch.error);
    if (journal === undefined || this.closed) {
      return Promise.reject(new StorageUnavailableError('metadata store is not open'));
    }
    if (this.dirty.size === 0) return journal.whenDurable();
    const changes: WireChange[] = [...this.dirty].map((key) => {
      const [collection, id] = key.split('\0') as [string, string];
      return [collection, id, this.get(collection, id) ?? null];
    });
    this.dirty = new Set();
    return journal.append(METADATA_BATCH_RECORD, Buffer.from(JSON.stringify(changes), 'utf8'));
  }

  /** Rewrites snapshot.json when anything changed since the last one, then trims the journal. */
  checkpoint(): Promise<void> {
    const run = this.checkpointChain.then(() => this.runCheckpoint());
    this.checkpointChain = run.catch(() => undefined);
    return run;
  }

  private async runCheckpoint(): Promise<void> {
    const journal = this.journal;
    if (journal === undefined || this.closed) return;
    if (this.dirty.size === 0 && journal.lastSeq === this.snapshotSeq) return;
    const sealed = this.flush();
    const seq = journal.rotate();
    const collections: Record<string, Record<string, JsonDocument>> = {};
    for (const collection of this.collectionNames()) {
      collections[collection] = Object.fromEntries(
        this.list(collection).map(({ id, document }) => [id, document]),
      );
    }
    const snapshot: Snapshot = { version: 1, seq, collections };
    const text = JSON.stringify(snapshot);
    await sealed;
    try {
      await writeFileDurably(this.options.fs, this.tempDirectory, {
        path: this.snapshotPath,
        data: text,
        mode: 0o600,
      });
    } catch (error: unknown) {
      throw this.options.latch.fail('metadata checkpoint', error);
    }
    this.snapshotSeq = seq;
    await journal.removeSegmentsThrough(seq);
  }

  async close(): Promise<void> {
    if (this.closed || this.journal === undefined) return;
    try {
      if (!this.options.latch.failed) await this.checkpoint();
    } finally {
      this.closed = true;
      await this.journal.close();
    }
  }

  override secret(name: string, generate: () => string): Promise<string> {
    checkSecretName(name);
    let value = this.secretFiles.get(name);
    if (value === undefined) {
      value = this.readOrCreateSecret(name, generate);
      this.secretFiles.set(name, value);
      value.catch(() => this.secretFiles.delete(name));
    }
    return value;
  }

  private async readSecret(path: string): Promise<string | undefined> {
    try {
      const text = (await this.options.fs.readFile(path)).toString('utf8').replace(/\r?\n$/, '');
      if (text === '') throw new StorageUnavailableError(`secret file ${path} is empty`);
      return text;
    } catch (error: unknown) {
      if (isNotFoundError(error)) return undefined;
      throw error;
    }
  }

  private async readOrCreateSecret(name: string, generate: () => string): Promise<string> {
    const { fs, root, latch } = this.options;
    latch.check();
    const path = join(root, name);
    const existing = await this.readSecret(path);
    if (existing !== undefined) return existing;
    const value = generate();
    if (value === '' || /[\r\n]/.test(value))
      throw new RangeError(`generated secret ${name} must be one non-empty line`);
    const temp = temporaryPath(this.tempDirectory, path);
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await writeFully(handle, Buffer.from(value, 'utf8'), 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.link(temp, path);
    } catch (error: unknown) {
      if (errorCode(error) !== 'EEXIST') throw error;
      // Another process created it first: its value is the one everybody uses.
      await fs.unlink(temp);
      const winner = await this.readSecret(path);
      if (winner === undefined) throw new StorageUnavailableError(`secret file ${path} vanished`);
      return winner;
    }
    await fs.unlink(temp);
    await fs.syncDirectory(root);
    return value;
  }
}
