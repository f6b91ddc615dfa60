/**
 * Runs long work as jobs (api-contract.md §11.2): at most jobs.max_concurrent at once, the rest
 * queued in submission order; each job is a document in the metadata store (collection `jobs`),
 * written on every status change and, throttled, on progress. At start, jobs a previous process
 * left queued or running are marked failed JOB_INTERRUPTED, and finished jobs older than
 * jobs.retention are dropped with their files. A cancel aborts the job's signal, waits for its
 * work to stop and its undo to run, and leaves it `cancelled`. Other modules submit jobs of
 * their own type (e.g. `index`) through `submit`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { GitError, type JsonDocument, type MetadataStore } from '../../../core';
import { JobsConfig, StorageConfig } from '../../../config/config.schema';
import { RepositoryRegistry } from '../../git-core/repository-registry';
import {
  JobCancelledError,
  JobNotCancellableError,
  JobNotFoundError,
} from '../importexport-errors';
import { addJobCountSource } from './jobs-metrics';
import {
  FINISHED_STATUSES,
  type Job,
  type JobArtifact,
  type JobContext,
  type JobProgress,
  type JobStatus,
  type JobSubmission,
  type JobType,
} from './job';

export const JOB_COLLECTION = 'jobs';
const PROGRESS_WRITE_INTERVAL_MS = 1000;
/** Longest a shutdown waits for running jobs to notice their abort. */
const SHUTDOWN_WAIT_MS = 5000;

interface Running {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

interface Queued {
  readonly id: string;
  readonly submission: JobSubmission;
}

export interface JobFilter {
  readonly type?: string;
  readonly status?: string;
  /** Only jobs of this creator (undefined: all). */
  readonly createdBy?: string;
}

@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly running = new Map<string, Running>();
  private readonly queue: Queued[] = [];
  /** Jobs whose state is held here while they run (the store is written from these). */
  private readonly live = new Map<string, Job>();
  private readonly lastProgressWrite = new Map<string, number>();
  private scratchDirectory: string | undefined;
  private stopping = false;
  private removeMetricSource: (() => void) | undefined;

  constructor(
    private readonly config: JobsConfig,
    private readonly storage: StorageConfig,
    private readonly registry: RepositoryRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.registry.isStorageOpen()) return;
    this.removeMetricSource = addJobCountSource(() => this.counts());
    const store = this.store();
    const now = new Date().toISOString();
    for (const { id, document } of store.list(JOB_COLLECTION)) {
      const job = document as unknown as Job;
      if (!FINISHED_STATUSES.has(job.status)) {
        this.logger.warn(
          `job ${id} (${job.type}) was ${job.status} at shutdown; marking it failed`,
        );
        store.put(
          JOB_COLLECTION,
          id,
          this.toDocument({
            ...job,
            status: 'failed',
            finished_at: now,
            error: { error: 'the server stopped while the job ran', code: 'JOB_INTERRUPTED' },
          }),
        );
      }
    }
    this.sweep(store);
    await store.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.removeMetricSource?.();
    this.queue.length = 0;
    for (const { controller } of this.running.values()) controller.abort();
    const all = Promise.allSettled([...this.running.values()].map((run) => run.done));
    await Promise.race([all, new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref())]);
  }

  /** Queues a job and returns it (status `queued`). */
  submit(submission: JobSubmission): Job {
    const store = this.store();
    this.sweep(store);
    const job: Job = {
      id: `job_${randomUUID()}`,
      type: submission.type,
      status: 'queued',
      progress: { phase: 'queued', current: 0, total: 0, percent: 0, message: '' },
      ...(submission.repoId === undefined ? {} : { repo_id: submission.repoId }),
      created_by: submission.createdBy,
      created_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
    };
    this.save(job, true);
    this.queue.push({ id: job.id, submission });
    this.pump();
    return job;
  }

  /** The job; JobNotFoundError on a miss. */
  get(id: string): Job {
    const live = this.live.get(id);
    if (live !== undefined) return live;
    const document = this.validId(id) ? this.store().get(JOB_COLLECTION, id) : undefined;
    if (document === undefined) throw new JobNotFoundError(id);
    return document as unknown as Job;
  }

  /** Jobs matching the filter, newest first. */
  list(filter: JobFilter = {}): Job[] {
    const jobs = this.store()
      .list(JOB_COLLECTION)
      .map(({ id, document }) => this.live.get(id) ?? (document as unknown as Job));
    return jobs
      .filter(
        (job) =>
          (filter.type === undefined || job.type === filter.type) &&
          (filter.status === undefined || job.status === filter.status) &&
          (filter.createdBy === undefined || job.created_by === filter.createdBy),
      )
      .sort((a, b) =>
        a.created_at !== b.created_at
          ? a.created_at < b.created_at
            ? 1
            : -1
          : a.id < b.id
            ? 1
            : -1,
      );
  }

  /**
   * Cancels a queued or running job and resolves with it once its work stopped and was undone.
   * JobNotCancellableError for a finished job.
   */
  async cancel(id: string): Promise<Job> {
    const job = this.get(id);
    if (FINISHED_STATUSES.has(job.status)) throw new JobNotCancellableError(id, job.status);
    const queuedAt = this.queue.findIndex((item) => item.id === id);
    if (queuedAt >= 0) {
      const [item] = this.queue.splice(queuedAt, 1);
      await item?.submission.undo?.().catch((error: unknown) => this.logUndoFailure(id, error));
      return this.finish(job, 'cancelled', {});
    }
    const run = this.running.get(id);
    if (run !== undefined) {
      run.controller.abort();
      await run.done;
    }
    return this.get(id);
  }

  /** A directory for files jobs produce (exports): `<storage.path>/jobs` or a temp directory. */
  artifactDirectory(): string {
    if (this.scratchDirectory === undefined) {
      if (this.storage.driver === 'disk') {
        this.scratchDirectory = resolve(this.storage.path, 'jobs');
        mkdirSync(this.scratchDirectory, { recursive: true });
      } else {
        this.scratchDirectory = mkdtempSync(join(tmpdir(), 'govc-jobs-'));
      }
    }
    return this.scratchDirectory;
  }

  /** Jobs per type and status, for the govc_jobs gauge. */
  counts(): Array<{ type: string; status: string; count: number }> {
    const counts = new Map<string, { type: string; status: string; count: number }>();
    if (!this.registry.isStorageOpen()) return [];
    for (const job of this.list()) {
      const key = `${job.type}/${job.status}`;
      const entry = counts.get(key) ?? { type: job.type, status: job.status, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    return [...counts.values()];
  }

  // ---- internals ----------------------------------------------------------------------------

  private store(): MetadataStore {
    return this.registry.metadataStore();
  }

  private validId(id: string): boolean {
    return /^job_[0-9a-f-]{36}$/.test(id);
  }

  private pump(): void {
    while (!this.stopping && this.running.size < this.config.max_concurrent) {
      const next = this.queue.shift();
      if (next === undefined) return;
      this.start(next);
    }
  }

  private start({ id, submission }: Queued): void {
    const controller = new AbortController();
    let job: Job = { ...this.get(id), status: 'running', started_at: new Date().toISOString() };
    job = { ...job, progress: { ...job.progress, phase: 'running' } };
    this.save(job, true);
    let artifact: JobArtifact | undefined;
    const context: JobContext = {
      jobId: id,
      signal: controller.signal,
      progress: (phase, current, total, message = '') => {
        const percent = total > 0 ? Math.min(100, Math.round((current / total) * 100)) : 0;
        const progress: JobProgress = { phase, current, total, percent, message };
        const now = Date.now();
        const write = now - (this.lastProgressWrite.get(id) ?? 0) >= PROGRESS_WRITE_INTERVAL_MS;
        if (write) this.lastProgressWrite.set(id, now);
        this.save({ ...this.get(id), progress }, false, write);
      },
      checkCancelled: () => {
        if (controller.signal.aborted) throw new JobCancelledError();
      },
      setArtifact: (value) => {
        artifact = value;
      },
    };
    const done = (async () => {
      try {
        const result = await submission.work(context);
        if (controller.signal.aborted) throw new JobCancelledError();
        const finished = this.get(id);
        const total = finished.progress.total;
        this.finish(finished, 'completed', {
          result,
          progress: { ...finished.progress, phase: 'done', current: total, percent: 100 },
          ...(artifact === undefined ? {} : { artifact }),
        });
      } catch (error: unknown) {
        await submission.undo?.().catch((undoError: unknown) => this.logUndoFailure(id, undoError));
        if (artifact !== undefined) rmSync(artifact.path, { force: true });
        if (error instanceof JobCancelledError || controller.signal.aborted) {
          const interrupted = this.stopping;
          this.finish(
            this.get(id),
            interrupted ? 'failed' : 'cancelled',
            interrupted
              ? {
                  error: { error: 'the server stopped while the job ran', code: 'JOB_INTERRUPTED' },
                }
              : {},
          );
        } else {
          this.finish(this.get(id), 'failed', { error: describeFailure(error, submission) });
          if (!(error instanceof GitError)) {
            this.logger.error(`job ${id} (${submission.type}) failed: ${String(error)}`);
          }
        }
      } finally {
        this.running.delete(id);
        this.lastProgressWrite.delete(id);
        this.pump();
      }
    })();
    this.running.set(id, { controller, done });
  }

  private finish(job: Job, status: JobStatus, extra: Partial<Job>): Job {
    const finished: Job = { ...job, ...extra, status, finished_at: new Date().toISOString() };
    this.save(finished, true);
    this.live.delete(job.id);
    return finished;
  }

  /** Keeps the job in memory while it is not finished and writes it (flushed when `durable`). */
  private save(job: Job, durable: boolean, write = true): void {
    if (FINISHED_STATUSES.has(job.status)) this.live.delete(job.id);
    else this.live.set(job.id, job);
    if (!write && !durable) return;
    try {
      const store = this.store();
      store.put(JOB_COLLECTION, job.id, this.toDocument(job));
      if (durable) {
        store
          .flush()
          .catch((error: unknown) =>
            this.logger.error(`job ${job.id}: storing its state failed: ${String(error)}`),
          );
      }
    } catch (error: unknown) {
      this.logger.error(`job ${job.id}: storing its state failed: ${String(error)}`);
    }
  }

  private toDocument(job: Job): JsonDocument {
    return JSON.parse(JSON.stringify(job)) as JsonDocument;
  }

  /** Drops finished jobs older than jobs.retention, with their files. */
  private sweep(store: MetadataStore): void {
    const cutoff = Date.now() - this.config.retention;
    for (const { id, document } of store.list(JOB_COLLECTION)) {
      const job = document as unknown as Job;
      if (!FINISHED_STATUSES.has(job.status)) continue;
      const finishedAt = Date.parse(job.finished_at ?? job.created_at);
      if (Number.isFinite(finishedAt) && finishedAt >= cutoff) continue;
      if (job.artifact !== undefined) rmSync(job.artifact.path, { force: true });
      store.delete(JOB_COLLECTION, id);
    }
  }

  private logUndoFailure(id: string, error: unknown): void {
    this.logger.error(`job ${id}: undoing its partial work failed: ${String(error)}`);
  }
}

export function isJobType(value: string): value is JobType {
  return ['import', 'export', 'migrate', 'backup', 'restore', 'index'].includes(value);
}

function describeFailure(
  error: unknown,
  submission: JobSubmission,
): { error: string; code: string } {
  if (error instanceof GitError) return { error: error.message, code: error.code };
  return {
    error: error instanceof Error ? error.message : String(error),
    code: submission.failureCode ?? 'INTERNAL_ERROR',
  };
}
