/**
 * The Job of api-contract.md §11.2 as stored in the metadata store (collection `jobs`) and shown
 * by the jobs routes, plus what a running job's work gets to report progress and see a cancel.
 */
import type { JsonDocument } from '../../../core';

export const JOB_TYPES = ['import', 'export', 'migrate', 'backup', 'restore', 'index'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const FINISHED_STATUSES: ReadonlySet<JobStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
]);

export interface JobProgress {
  readonly phase: string;
  readonly current: number;
  readonly total: number;
  readonly percent: number;
  readonly message: string;
}

/** A file a finished job produced (async export), served by GET /jobs/:id/download. */
export interface JobArtifact {
  readonly path: string;
  readonly filename: string;
  readonly content_type: string;
  readonly size: number;
}

export interface Job {
  readonly id: string;
  readonly type: JobType;
  readonly status: JobStatus;
  readonly progress: JobProgress;
  readonly repo_id?: string;
  readonly created_by: string;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly result?: JsonDocument;
  readonly error?: { readonly error: string; readonly code: string };
  /** Internal (never shown): the produced file. */
  readonly artifact?: JobArtifact;
}

/** What the work of a job sees while it runs. */
export interface JobContext {
  readonly jobId: string;
  /** Aborted when the job is cancelled; long work checks it between steps. */
  readonly signal: AbortSignal;
  /** Updates the job's progress (persisted at most about once a second). */
  progress(phase: string, current: number, total: number, message?: string): void;
  /** Throws JobCancelledError when the job was cancelled. */
  checkCancelled(): void;
  /** Attaches the file the job produced (served for download once the job completed). */
  setArtifact(artifact: JobArtifact): void;
}

/** The work of one job: resolves with the job's `result`. */
export type JobWork = (context: JobContext) => Promise<JsonDocument>;

export interface JobSubmission {
  readonly type: JobType;
  readonly repoId?: string;
  /** The creator's user id, or `anonymous` while auth is off. */
  readonly createdBy: string;
  readonly work: JobWork;
  /** Undoes partial work after a cancel or failure (e.g. removes a created repository). */
  readonly undo?: () => Promise<void>;
  /** The code a failure that is not a GitError gets (default INTERNAL_ERROR). */
  readonly failureCode?: string;
}

/** The Job without internal fields, as the API shows it. */
export function publicJob(job: Job): Omit<Job, 'artifact'> {
  const { artifact, ...shown } = job;
  void artifact;
  return shown;
}
