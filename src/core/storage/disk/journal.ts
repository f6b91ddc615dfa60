/**
 * An append-only journal of records in numbered segment files (`<first seq>.journal`), with
 * group commit: records appended while a write+fdatasync is running wait and go to disk
 * together in the next write, sharing one fdatasync. Each append resolves only after the
 * fdatasync that covers its record returned (RELIABILITY P1, B2); a failed write or sync
 * latches the driver (failure-latch.ts) and rejects that batch, everything queued and every
 * later append.
 *
 * Checkpoints call `rotate()`: records appended afterwards start a new segment, so once the
 * checkpoint covering the old segments is durable they are deleted whole, never rewritten.
 *
 * Recovery (`Journal.open`) reads every segment in order and checks the framing
 * (journal-record.ts) and that sequence numbers run on without a gap. Damage at the end of the
 * last segment is a torn tail — a write the crash interrupted, never acknowledged — dropped with
 * one log line and cut off the file; any other damage throws JournalCorruptError.
 */
import { join } from 'node:path';
import { ensureDirectory, writeFileDurably, writeFully } from './durable-file';
import type { FailureLatch } from './failure-latch';
import { isNotFoundError, type FileHandle, type FileSystem } from './file-system';
import { encodeJournalRecord, scanJournalSegment, type JournalRecord } from './journal-record';
import type { StorageLogger } from '../storage-driver';

/** Damage in the acknowledged part of a journal: the owner refuses to open. */
export class JournalCorruptError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'JournalCorruptError';
  }
}

export interface JournalOptions {
  readonly fs: FileSystem;
  /** The segments' directory (created when missing). */
  readonly directory: string;
  /** Where new segment files are prepared before their rename. */
  readonly tempDirectory: string;
  /** The directory `directory` lives in, for creating it durably. */
  readonly root: string;
  readonly latch: FailureLatch;
  readonly logger: StorageLogger;
  /** Names the journal's owner in log lines (`repo x`, `metadata`). */
  readonly label: string;
  /** Permission bits of new segment files (default 0o644; metadata holds credentials: 0o600). */
  readonly fileMode?: number;
}

const SEGMENT_NAME = /^(\d{20})\.journal$/;

interface Segment {
  readonly firstSeq: number;
  readonly path: string;
  /** The last sequence number written to it (firstSeq - 1 while empty). */
  lastSeq: number;
}

interface QueuedRecord {
  readonly seq: number;
  readonly bytes: Buffer;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

type QueueItem = QueuedRecord | 'rotate';

function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, '0')}.journal`;
}

export class Journal {
  private readonly segments: Segment[];
  private active: { segment: Segment; handle: FileHandle; size: number } | undefined;
  private queue: QueueItem[] = [];
  private draining: Promise<void> | undefined;
  private lastDurable: Promise<void> = Promise.resolve();
  private nextSeq: number;
  private appendedSinceRotation = 0;
  private closed = false;

  private constructor(
    private readonly options: JournalOptions,
    segments: Segment[],
    nextSeq: number,
  ) {
    this.segments = segments;
    this.nextSeq = nextSeq;
  }

  /**
   * Opens the journal and returns it with every record whose sequence number is above
   * `afterSeq` (what the last checkpoint did not cover), in order. Throws JournalCorruptError.
   */
  static async open(
    options: JournalOptions,
    afterSeq: number,
  ): Promise<{ journal: Journal; records: JournalRecord[] }> {
    const { fs, directory } = options;
    await ensureDirectory(fs, directory, options.root);
    const names = (await fs.list(directory))
      .map((entry) => SEGMENT_NAME.exec(entry.name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({ firstSeq: Number(match[1]), path: join(directory, match[0]) }))
      .sort((a, b) => a.firstSeq - b.firstSeq);
    const segments: Segment[] = [];
    const records: JournalRecord[] = [];
    let previousSeq: number | undefined;
    for (const [i, { firstSeq, path }] of names.entries()) {
      const bytes = await fs.readFile(path);
      const scan = scanJournalSegment(bytes);
      const where = `${options.label}: journal segment ${segmentName(firstSeq)}`;
      if (scan.damage !== undefined) {
        const isTail = i === names.length - 1 && !scan.damage.validRecordFollows;
        if (!isTail) {
          throw new JournalCorruptError(
            `${where}: ${scan.damage.reason} at byte ${scan.damage.offset}, before acknowledged records`,
          );
        }
        options.logger.warn(
          'dropped a torn journal tail (a write interrupted by a crash, never acknowledged)',
          {
            journal: options.label,
            segment: segmentName(firstSeq),
            offset: scan.damage.offset,
            bytes: bytes.length - scan.damage.offset,
            reason: scan.damage.reason,
          },
        );
        const handle = await fs.open(path, 'r+');
        try {
          await handle.truncate(scan.validLength);
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      let lastSeq = firstSeq - 1;
      for (const record of scan.records) {
        const expected = previousSeq === undefined ? firstSeq : previousSeq + 1;
        if (record.seq !== expected) {
          throw new JournalCorruptError(
            `${where}: record ${record.seq} where ${expected} was expected`,
          );
        }
        if (record.seq > afterSeq) {
          const wanted = records.length === 0 ? afterSeq + 1 : records[records.length - 1]!.seq + 1;
          if (record.seq !== wanted) {
            throw new JournalCorruptError(
              `${where}: records ${wanted}..${record.seq - 1} are missing`,
            );
          }
          records.push(record);
        }
        previousSeq = record.seq;
        lastSeq = record.seq;
      }
      segments.push({ firstSeq, path, lastSeq });
    }
    const nextSeq = Math.max(afterSeq, previousSeq ?? 0) + 1;
    return { journal: new Journal(options, segments, nextSeq), records };
  }

  /** The sequence number of the last record appended (0 before any). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Bytes appended since the last rotation (checkpoints start when this grows too large). */
  get bytesSinceRotation(): number {
    return this.appendedSinceRotation;
  }

  /** Appends a record; resolves once it is durable. Rejects with the latched failure. */
  append(type: number, payload: Uint8Array): Promise<void> {
    const refusal =
      this.options.latch.error ??
      (this.closed ? new Error(`${this.options.label}: journal is closed`) : undefined);
    if (refusal !== undefined) return Promise.reject(refusal);
    const seq = this.nextSeq++;
    const bytes = encodeJournalRecord(seq, type, payload);
    this.appendedSinceRotation += bytes.length;
    const durable = new Promise<void>((resolve, reject) =>
      this.queue.push({ seq, bytes, resolve, reject }),
    );
    // Keep a handled reference: whoever appended awaits the original and sees the rejection.
    this.lastDurable = durable.catch(() => undefined);
    this.kick();
    return durable;
  }

  /** Resolves once every record appended so far is durable; rejects once the driver failed. */
  async whenDurable(): Promise<void> {
    await this.lastDurable;
    this.options.latch.check();
  }

  /** Later appends go to a new segment. Returns the last sequence number of the old ones. */
  rotate(): number {
    this.queue.push('rotate');
    this.appendedSinceRotation = 0;
    this.kick();
    return this.lastSeq;
  }

  /** Deletes the closed segments whose records all have sequence numbers up to `seq`. */
  async removeSegmentsThrough(seq: number): Promise<void> {
    const removable = this.segments.filter(
      (segment) => segment !== this.active?.segment && segment.lastSeq <= seq,
    );
    for (const segment of removable) {
      await this.options.fs.unlink(segment.path).catch((error: unknown) => {
        if (!isNotFoundError(error)) throw error;
      });
      this.segments.splice(this.segments.indexOf(segment), 1);
    }
  }

  /** Waits for queued records, then closes the file. Later appends reject. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining !== undefined) await this.draining;
    await this.closeActive();
  }

  private kick(): void {
    if (this.draining !== undefined) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.queue[0] === 'rotate') {
        this.queue.shift();
        await this.closeActive().catch((error: unknown) => this.failAll([], error));
        continue;
      }
      const rotation = this.queue.indexOf('rotate');
      const batch = this.queue.splice(
        0,
        rotation < 0 ? this.queue.length : rotation,
      ) as QueuedRecord[];
      try {
        this.options.latch.check();
        const active = this.active ?? (await this.startSegment(batch[0]!.seq));
        const bytes =
          batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((record) => record.bytes));
        await writeFully(active.handle, bytes, active.size);
        active.size += bytes.length;
        await active.handle.datasync();
        active.segment.lastSeq = batch[batch.length - 1]!.seq;
        // Another journal of this driver may have failed meanwhile: then acknowledge nothing.
        this.options.latch.check();
      } catch (error: unknown) {
        this.failAll(batch, error);
        return;
      }
      for (const record of batch) record.resolve();
    }
  }

  /** Latches the failure and rejects `batch` and everything still queued. */
  private failAll(batch: readonly QueuedRecord[], cause: unknown): void {
    const error =
      this.options.latch.error ??
      this.options.latch.fail(`${this.options.label}: journal write`, cause);
    const queued = this.queue.filter((item): item is QueuedRecord => item !== 'rotate');
    this.queue = [];
    for (const record of [...batch, ...queued]) record.reject(error);
  }

  /** Creates the next segment durably (empty temp → fsync → rename → fsync dir) and opens it. */
  private async startSegment(
    firstSeq: number,
  ): Promise<{ segment: Segment; handle: FileHandle; size: number }> {
    const { fs, directory, tempDirectory } = this.options;
    const path = join(directory, segmentName(firstSeq));
    await writeFileDurably(fs, tempDirectory, {
      path,
      data: new Uint8Array(0),
      mode: this.options.fileMode ?? 0o644,
    });
    const handle = await fs.open(path, 'r+');
    const segment: Segment = { firstSeq, path, lastSeq: firstSeq - 1 };
    // A segment left empty by a crash has this very name: the new file replaced it.
    const replaced = this.segments.findIndex((existing) => existing.path === path);
    if (replaced >= 0) this.segments.splice(replaced, 1);
    this.segments.push(segment);
    this.active = { segment, handle, size: 0 };
    return this.active;
  }

  private async closeActive(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.handle.close();
  }
}
