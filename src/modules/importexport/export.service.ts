/**
 * Exports a repository (api-contract.md §11.2) as a git bundle (all refs, or one), a tar of the
 * bare repository as git stores it, or an archive of a revision's tree like `git archive`; tar
 * and archive optionally gzipped. The refs are read once, synchronously, when the export is
 * planned, so the export is one consistent snapshot whatever writes follow. Streams to the
 * response, or, with `async`, to a file a job produces for GET /jobs/:id/download.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import {
  bareRepositoryChunks,
  bundleChunks,
  HEAD,
  RefNotFoundError,
  resolveRef,
  treeArchiveChunks,
  type BundleRef,
  type Oid,
  type Repository,
  type RepositorySnapshot,
} from '../../core';
import type { Principal } from '../auth/principal';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { ImportExportAccess } from './importexport-access';
import { UnsupportedFormatError } from './importexport-errors';
import type { Job } from './jobs/job';
import { JobsService } from './jobs/jobs.service';

export const EXPORT_FORMATS = ['bundle', 'tar', 'archive'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  readonly format?: string;
  readonly ref?: string;
  readonly gzip?: boolean;
}

/** A planned export: what to call it and how to produce its bytes. */
export interface ExportPlan {
  readonly filename: string;
  readonly contentType: string;
  readonly chunks: () => AsyncIterable<Buffer> | Iterable<Buffer>;
  readonly gzip: boolean;
}

/** Refs a git client never sees (server bookkeeping) stay out of exports. */
const INTERNAL_PREFIX = 'refs/govc/';

@Injectable()
export class ExportService {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly jobs: JobsService,
    private readonly access: ImportExportAccess,
  ) {}

  /** Validates the request and snapshots the refs; throws UNSUPPORTED_FORMAT, REF_NOT_FOUND. */
  async plan(repoId: string, request: ExportRequest): Promise<ExportPlan> {
    const format = request.format ?? 'bundle';
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UnsupportedFormatError(format);
    }
    const { repository } = await this.registry.open(repoId);
    const gzip = request.gzip === true && format !== 'bundle';
    const suffix = gzip ? '.tar.gz' : '.tar';
    const tarType = gzip ? 'application/gzip' : 'application/x-tar';
    switch (format as ExportFormat) {
      case 'bundle': {
        const refs = bundleRefs(repository, request.ref);
        const lookup = snapshotLookup(repository);
        return {
          filename: `${repoId}.bundle`,
          contentType: 'application/x-git-bundle',
          gzip: false,
          chunks: () => bundleChunks(refs, lookup),
        };
      }
      case 'tar': {
        const snapshot = repositorySnapshot(repository);
        return {
          filename: `${repoId}.git${suffix}`,
          contentType: tarType,
          gzip,
          chunks: () => bareRepositoryChunks(snapshot, `${repoId}.git`),
        };
      }
      case 'archive': {
        const commit = repository.resolveCommit(request.ref ?? HEAD);
        return {
          filename: `${repoId}${suffix}`,
          contentType: tarType,
          gzip,
          chunks: () => treeArchiveChunks(repository.odb, commit),
        };
      }
    }
  }

  /** Writes the export to `sink` (gzipped when planned so), ending it. */
  async write(plan: ExportPlan, sink: Writable): Promise<void> {
    const source = Readable.from(plan.chunks());
    if (plan.gzip) await pipeline(source, createGzip(), sink);
    else await pipeline(source, sink);
  }

  /** `async=true`: the export runs as a job whose file is downloaded from the job. */
  async submit(repoId: string, request: ExportRequest, principal: Principal | null): Promise<Job> {
    const plan = await this.plan(repoId, request);
    return this.jobs.submit({
      type: 'export',
      repoId,
      createdBy: this.access.creator(principal),
      work: async (context) => {
        context.progress('writing', 0, 0, `writing ${plan.filename}`);
        const path = join(this.jobs.artifactDirectory(), `${context.jobId}-${plan.filename}`);
        context.setArtifact({
          path,
          filename: plan.filename,
          content_type: plan.contentType,
          size: 0,
        });
        const out = createWriteStream(path, { mode: 0o600 });
        context.signal.addEventListener('abort', () => out.destroy(new Error('cancelled')), {
          once: true,
        });
        await this.write(plan, out);
        const { size } = await stat(path);
        context.setArtifact({
          path,
          filename: plan.filename,
          content_type: plan.contentType,
          size,
        });
        return {
          filename: plan.filename,
          size,
          content_type: plan.contentType,
          format: request.format ?? 'bundle',
        };
      },
    });
  }
}

/** Object reads against the repository's store (objects never change once written). */
function snapshotLookup(repository: Repository): RepositorySnapshot['lookup'] {
  const store = repository.odb.store;
  return (oid: Oid) => store.get(oid);
}

function directRefs(repository: Repository): Array<{ name: string; oid: Oid }> {
  const refs: Array<{ name: string; oid: Oid }> = [];
  for (const ref of repository.refs.list('refs/')) {
    if (ref.kind === 'direct' && !ref.name.startsWith(INTERNAL_PREFIX)) {
      refs.push({ name: ref.name, oid: ref.oid });
    }
  }
  return refs;
}

/** The refs of a bundle: every ref plus HEAD, or the one named by `ref`. */
function bundleRefs(repository: Repository, ref: string | undefined): BundleRef[] {
  const refs = directRefs(repository);
  const head = resolveRef(repository.refs, HEAD);
  if (ref === undefined) {
    // git refuses to write an empty bundle too: there would be nothing to clone.
    if (refs.length === 0) throw new RefNotFoundError(HEAD);
    return head.oid === null ? refs : [...refs, { name: HEAD, oid: head.oid }];
  }
  if (ref === HEAD) {
    if (head.oid === null) throw new RefNotFoundError(ref);
    return [{ name: head.symbolic ? head.name : HEAD, oid: head.oid }];
  }
  const candidates = ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
  for (const name of candidates) {
    const found = refs.find((entry) => entry.name === name);
    if (found !== undefined) return [found];
  }
  throw new RefNotFoundError(ref);
}

/** Refs, HEAD and object lookup of the repository now, for a tar of it. */
export function repositorySnapshot(
  repository: Repository,
  includeInternal = false,
): RepositorySnapshot {
  const refs = includeInternal
    ? repository.refs
        .list('refs/')
        .flatMap((ref) => (ref.kind === 'direct' ? [{ name: ref.name, oid: ref.oid }] : []))
    : directRefs(repository);
  const headRef = repository.refs.read(HEAD);
  const head =
    headRef?.kind === 'symbolic'
      ? { symbolic: headRef.target }
      : headRef?.kind === 'direct'
        ? { oid: headRef.oid }
        : { symbolic: 'refs/heads/main' };
  return { refs, head, lookup: snapshotLookup(repository) };
}
