/**
 * Backup and restore of the whole server (api-contract.md §11.2). A backup is one file,
 * `<backup.path>/<backup_id>.tar.gz`: `manifest.json` first (version, created_at, each
 * repository with its HEAD, flags, config and the sha256 and size of its entry, and the
 * metadata collections), then one bundle per repository (`repos/<id>.bundle`, refs read in
 * one synchronous step: a consistent snapshot) and, optionally, one JSON file per metadata
 * collection. A sidecar `<backup_id>.json` describes the finished file for listing.
 *
 * Restore checks every entry's checksum before it answers (400 BACKUP_CORRUPT), then a job
 * re-creates the selected repositories (skipping existing ids unless `overwrite`, renaming on
 * request) through the same verified import path as uploads; other repositories are never
 * touched.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import {
  bundleChunks,
  endOfArchive,
  GitError,
  HEAD,
  readTar,
  RepoNotFoundError,
  tarEntry,
  tarStreamedEntry,
  type JsonDocument,
  type Oid,
} from '../../core';
import { BackupConfig, StorageConfig } from '../../config/config.schema';
import type { Principal } from '../auth/principal';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { isAcceptableRepositoryId } from '../git-core/repository-id-policy';
import { REPOSITORY_COLLECTION } from '../git-core/repository-record';
import { RepositoryEvents } from '../hooks/repository-events';
import type { BackupInfoDto, BackupRequestDto, RestoreRequestDto } from './dto/backup.dto';
import { ImportExportAccess } from './importexport-access';
import { BackupCorruptError, BackupNotFoundError, ImportFailedError } from './importexport-errors';
import { ImportService, senderOf, type ImportState } from './import.service';
import type { Job, JobContext } from './jobs/job';
import { JOB_COLLECTION, JobsService } from './jobs/jobs.service';
import type { RepositoryContent } from './repository-content';

export const BACKUP_FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
/** Collections never part of a backup: records are per repository, jobs are this server's. */
const EXCLUDED_COLLECTIONS = new Set([REPOSITORY_COLLECTION, JOB_COLLECTION]);
/** Metadata collections a backup carries when they exist (users, key hashes, roles, hooks...). */
export const BACKUP_COLLECTIONS = [
  'users',
  'api_keys',
  'roles',
  'webhooks',
  'server_hooks',
  'settings',
];

interface ManifestRepo {
  readonly id: string;
  readonly file: string | null;
  readonly sha256: string | null;
  readonly size: number;
  readonly refs: number;
  readonly head: string | null;
  readonly public: boolean;
  readonly memory_only: boolean;
  readonly config: Record<string, string>;
  readonly created_at: string;
}

interface ManifestMetadata {
  readonly collection: string;
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
  readonly documents: number;
}

interface Manifest {
  readonly version: number;
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
  readonly repos: ManifestRepo[];
  readonly metadata: ManifestMetadata[];
}

interface StagedFile {
  readonly entry: string;
  readonly path: string;
  readonly size: number;
}

@Injectable()
export class BackupService {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly jobs: JobsService,
    private readonly imports: ImportService,
    private readonly access: ImportExportAccess,
    private readonly config: BackupConfig,
    private readonly storage: StorageConfig,
    private readonly events: RepositoryEvents,
  ) {}

  directory(): string {
    return resolve(this.config.path === '' ? join(this.storage.path, 'backups') : this.config.path);
  }

  /** POST /backup: queues the job; the id is known at once. */
  start(body: BackupRequestDto, principal: Principal | null): { job: Job; backupId: string } {
    const createdAt = new Date();
    const backupId = `backup-${createdAt.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${randomBytes(3).toString('hex')}`;
    const requested = body.repos;
    if (requested !== undefined) for (const id of requested) this.registry.record(id);
    const job = this.jobs.submit({
      type: 'backup',
      createdBy: this.access.creator(principal),
      failureCode: 'INTERNAL_ERROR',
      work: (context) =>
        this.writeBackup(context, {
          id: backupId,
          name: body.name ?? backupId,
          createdAt: createdAt.toISOString(),
          repos: requested ?? this.registry.list().map((record) => record.id),
          includeMetadata: body.include_metadata ?? true,
        }),
    });
    return { job, backupId };
  }

  private async writeBackup(
    context: JobContext,
    plan: {
      id: string;
      name: string;
      createdAt: string;
      repos: string[];
      includeMetadata: boolean;
    },
  ): Promise<JsonDocument> {
    const directory = this.directory();
    await mkdir(directory, { recursive: true });
    const staging = join(directory, `.staging-${plan.id}`);
    await mkdir(staging, { recursive: true });
    try {
      const repos: ManifestRepo[] = [];
      const staged: StagedFile[] = [];
      let done = 0;
      for (const id of plan.repos) {
        context.checkCancelled();
        context.progress('repositories', done, plan.repos.length, id);
        const written = await this.stageRepository(id, staging);
        if (written !== undefined) {
          repos.push(written.repo);
          if (written.file !== undefined) staged.push(written.file);
        }
        done++;
      }
      const metadata: ManifestMetadata[] = [];
      if (plan.includeMetadata) {
        const store = this.registry.metadataStore();
        for (const collection of BACKUP_COLLECTIONS) {
          if (EXCLUDED_COLLECTIONS.has(collection)) continue;
          const documents = store.list(collection);
          if (documents.length === 0) continue;
          const data = Buffer.from(JSON.stringify({ collection, documents }), 'utf8');
          const entry = `metadata/${collection}.json`;
          const path = join(staging, `${collection}.json`);
          await writeFile(path, data, { mode: 0o600 });
          metadata.push({
            collection,
            file: entry,
            sha256: sha256(data),
            size: data.length,
            documents: documents.length,
          });
          staged.push({ entry, path, size: data.length });
        }
      }
      const manifest: Manifest = {
        version: BACKUP_FORMAT_VERSION,
        id: plan.id,
        name: plan.name,
        created_at: plan.createdAt,
        repos,
        metadata,
      };
      context.checkCancelled();
      context.progress('archiving', 0, staged.length, 'writing the archive');
      const target = join(directory, `${plan.id}.tar.gz`);
      const temporary = `${target}.tmp`;
      const hash = createHash('sha256');
      const out = createWriteStream(temporary, { mode: 0o600 });
      const gzip = createGzip();
      gzip.on('data', (chunk: Buffer) => hash.update(chunk));
      await pipeline(Readable.from(archiveChunks(manifest, staged)), gzip, out);
      await rename(temporary, target);
      const { size } = await stat(target);
      const info: BackupInfoDto = {
        id: plan.id,
        name: plan.name,
        created_at: plan.createdAt,
        size,
        repos: repos.map((repo) => repo.id),
        repo_count: repos.length,
        checksum: hash.digest('hex'),
        status: 'completed',
      };
      await writeFile(join(directory, `${plan.id}.json`), JSON.stringify(info), { mode: 0o600 });
      return {
        backup_id: plan.id,
        path: `${plan.id}.tar.gz`,
        size,
        repos: info.repos,
        repo_count: repos.length,
        checksum: info.checksum,
      };
    } catch (error: unknown) {
      await rm(join(directory, `${plan.id}.tar.gz.tmp`), { force: true });
      throw error;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** One repository's bundle, written to the staging directory, and its manifest entry. */
  private async stageRepository(
    id: string,
    staging: string,
  ): Promise<{ repo: ManifestRepo; file?: StagedFile } | undefined> {
    let open;
    try {
      open = await this.registry.open(id);
    } catch (error: unknown) {
      if (error instanceof RepoNotFoundError) return undefined; // deleted meanwhile
      throw error;
    }
    const { record, repository } = open;
    // One synchronous read: the refs of the bundle are one consistent snapshot.
    const refs = repository.refs
      .list('refs/')
      .flatMap((ref) => (ref.kind === 'direct' ? [{ name: ref.name, oid: ref.oid }] : []));
    const headRef = repository.refs.read(HEAD);
    const head = headRef?.kind === 'symbolic' ? headRef.target : null;
    const base = {
      id,
      refs: refs.length,
      head,
      public: record.public,
      memory_only: record.memoryOnly,
      config: { ...record.config },
      created_at: record.createdAt,
    };
    if (refs.length === 0) return { repo: { ...base, file: null, sha256: null, size: 0 } };
    const store = repository.odb.store;
    const path = join(staging, `${id}.bundle`);
    const hash = createHash('sha256');
    let size = 0;
    const out = createWriteStream(path, { mode: 0o600 });
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const chunk of bundleChunks(refs, (oid: Oid) => store.get(oid))) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        })(),
      ),
      out,
    );
    const entry = `repos/${id}.bundle`;
    return {
      repo: { ...base, file: entry, sha256: hash.digest('hex'), size },
      file: { entry, path, size },
    };
  }

  /** GET /backups: finished backups, newest first. */
  async list(): Promise<BackupInfoDto[]> {
    const directory = this.directory();
    let names: string[];
    try {
      names = await readdir(directory);
    } catch {
      return [];
    }
    const backups: BackupInfoDto[] = [];
    for (const name of names) {
      if (!name.endsWith('.tar.gz')) continue;
      const id = name.slice(0, -'.tar.gz'.length);
      backups.push(await this.describe(id));
    }
    return backups.sort((a, b) =>
      a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0,
    );
  }

  private async describe(id: string): Promise<BackupInfoDto> {
    const directory = this.directory();
    try {
      return JSON.parse(await readFile(join(directory, `${id}.json`), 'utf8')) as BackupInfoDto;
    } catch {
      // No sidecar (copied in by hand): read the manifest and hash the file.
      const path = join(directory, `${id}.tar.gz`);
      const { size, mtime } = await stat(path);
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      try {
        const manifest = await this.readManifest(path);
        return {
          id,
          name: manifest.name,
          created_at: manifest.created_at,
          size,
          repos: manifest.repos.map((repo) => repo.id),
          repo_count: manifest.repos.length,
          checksum: hash.digest('hex'),
          status: 'completed',
        };
      } catch {
        return {
          id,
          name: id,
          created_at: mtime.toISOString(),
          size,
          repos: [],
          repo_count: 0,
          checksum: hash.digest('hex'),
          status: 'corrupt',
        };
      }
    }
  }

  private backupPath(id: string): string {
    return join(this.directory(), `${id}.tar.gz`);
  }

  private async readManifest(path: string): Promise<Manifest> {
    for await (const entry of readTar(createReadStream(path).pipe(createGunzip()), {
      maxEntryBytes: 64 * 1024 * 1024,
    })) {
      if (entry.header.name !== MANIFEST) break;
      return parseManifest(entry.data);
    }
    throw new BackupCorruptError('backup has no manifest');
  }

  /**
   * Reads the archive, checking every entry against the manifest; calls `visit` with each
   * verified entry. BackupCorruptError on any mismatch, missing entry or unreadable archive.
   */
  private async scan(
    id: string,
    visit: (manifest: Manifest, name: string, data: Buffer) => Promise<void> | void = () =>
      undefined,
  ): Promise<Manifest> {
    const path = this.backupPath(id);
    let manifest: Manifest | undefined;
    const expected = new Map<string, { sha256: string; size: number }>();
    try {
      for await (const entry of readTar(createReadStream(path).pipe(createGunzip()))) {
        if (entry.header.type !== 'file') continue;
        if (manifest === undefined) {
          if (entry.header.name !== MANIFEST)
            throw new BackupCorruptError('backup does not start with its manifest');
          manifest = parseManifest(entry.data);
          for (const repo of manifest.repos) {
            if (repo.file !== null && repo.sha256 !== null)
              expected.set(repo.file, { sha256: repo.sha256, size: repo.size });
          }
          for (const meta of manifest.metadata)
            expected.set(meta.file, { sha256: meta.sha256, size: meta.size });
          continue;
        }
        const want = expected.get(entry.header.name);
        if (want === undefined) continue;
        if (entry.data.length !== want.size || sha256(entry.data) !== want.sha256) {
          throw new BackupCorruptError(`checksum mismatch in ${entry.header.name}`, {
            entry: entry.header.name,
          });
        }
        expected.delete(entry.header.name);
        await visit(manifest, entry.header.name, entry.data);
      }
    } catch (error: unknown) {
      if (error instanceof BackupCorruptError) throw error;
      if (error instanceof GitError || isStreamError(error)) {
        throw new BackupCorruptError(`backup archive is unreadable: ${describe(error)}`);
      }
      throw error;
    }
    if (manifest === undefined) throw new BackupCorruptError('backup has no manifest');
    if (expected.size > 0) {
      throw new BackupCorruptError('backup is missing entries', { missing: [...expected.keys()] });
    }
    return manifest;
  }

  /** POST /restore: 404 for an unknown backup, 400 BACKUP_CORRUPT now; the work runs as a job. */
  async restore(body: RestoreRequestDto, principal: Principal | null): Promise<Job> {
    try {
      await stat(this.backupPath(body.backup_id));
    } catch {
      throw new BackupNotFoundError(body.backup_id);
    }
    const manifest = await this.scan(body.backup_id);
    const selected = manifest.repos.filter(
      (repo) => body.repos === undefined || body.repos.includes(repo.id),
    );
    const sender = senderOf(principal);
    const restored: Array<{ id: string; state: ImportState }> = [];
    return this.jobs.submit({
      type: 'restore',
      createdBy: this.access.creator(principal),
      failureCode: 'BACKUP_CORRUPT',
      work: async (context) => {
        if (body.verify === true) return this.verifyBundles(body.backup_id, selected, context);
        const results = await this.restoreRepos(body, selected, context, sender, restored);
        const metadata =
          body.include_metadata === true ? await this.restoreMetadata(body.backup_id) : [];
        return { backup_id: body.backup_id, repositories: results, metadata };
      },
      undo: async () => {
        for (const { id, state } of restored.reverse()) await this.imports.undo(id, state);
      },
    });
  }

  private async verifyBundles(
    id: string,
    selected: ManifestRepo[],
    context: JobContext,
  ): Promise<JsonDocument> {
    const files = new Map(selected.filter((r) => r.file !== null).map((r) => [r.file!, r.id]));
    const results: JsonDocument[] = [];
    let done = 0;
    await this.scan(id, async (_manifest, name, data) => {
      const repoId = files.get(name);
      if (repoId === undefined) return;
      context.checkCancelled();
      context.progress('verifying', done++, files.size, repoId);
      try {
        await this.readBundleBuffer(data);
        results.push({ id: repoId, status: 'verified' });
      } catch (error: unknown) {
        results.push({ id: repoId, status: 'failed', error: describe(error) });
      }
    });
    const failed = results.filter((result) => result.status === 'failed').length;
    return { backup_id: id, verified: failed === 0, repositories: results };
  }

  private async restoreRepos(
    body: RestoreRequestDto,
    selected: ManifestRepo[],
    context: JobContext,
    sender: ReturnType<typeof senderOf>,
    restored: Array<{ id: string; state: ImportState }>,
  ): Promise<JsonDocument[]> {
    const byFile = new Map(selected.filter((r) => r.file !== null).map((r) => [r.file!, r]));
    const results: JsonDocument[] = [];
    let done = 0;
    const restoreOne = async (repo: ManifestRepo, data: Buffer | undefined): Promise<void> => {
      const target = body.rename?.[repo.id] ?? repo.id;
      context.checkCancelled();
      context.progress('restoring', done++, selected.length, target);
      try {
        if (!isAcceptableRepositoryId(target)) {
          results.push({
            source: repo.id,
            repo_id: target,
            status: 'failed',
            error: { error: 'invalid repository id', code: 'INVALID_REPO_ID' },
          });
          return;
        }
        let exists = this.exists(target);
        if (exists && body.overwrite !== true) {
          results.push({
            source: repo.id,
            repo_id: target,
            status: 'skipped',
            error: { error: 'repository exists', code: 'REPO_EXISTS' },
          });
          return;
        }
        if (exists) {
          // As a delete through the API: its hooks and streams get `deleted` first.
          await this.events.deleteRepository(target);
          exists = false;
        }
        const state: ImportState = { created: false, applied: [] };
        restored.push({ id: target, state });
        if (data === undefined) {
          await this.registry.create({
            id: target,
            memoryOnly: repo.memory_only,
            public: repo.public,
          });
          state.created = true;
        } else {
          const content = {
            ...(await this.readBundleBuffer(data)),
            ...(repo.head === null ? {} : { head: repo.head }),
          };
          await this.imports.importInto(
            target,
            false,
            () => Promise.resolve(content),
            context,
            sender,
            state,
            {
              action: 'restored',
              public: repo.public,
              memoryOnly: repo.memory_only,
            },
          );
        }
        if (Object.keys(repo.config).length > 0) {
          await this.registry.write(target, (write) => write.setConfig(repo.config));
        }
        results.push({ source: repo.id, repo_id: target, status: 'restored' });
      } catch (error: unknown) {
        if (context.signal.aborted) throw error;
        const code = error instanceof GitError ? error.code : 'IMPORT_FAILED';
        results.push({
          source: repo.id,
          repo_id: target,
          status: 'failed',
          error: { error: describe(error), code },
        });
      }
    };
    for (const repo of selected) if (repo.file === null) await restoreOne(repo, undefined);
    await this.scan(body.backup_id, async (_manifest, name, data) => {
      const repo = byFile.get(name);
      if (repo !== undefined) await restoreOne(repo, data);
    });
    return results;
  }

  private async restoreMetadata(id: string): Promise<JsonDocument[]> {
    const store = this.registry.metadataStore();
    const restored: JsonDocument[] = [];
    await this.scan(id, (manifest, name, data) => {
      const meta = manifest.metadata.find((entry) => entry.file === name);
      if (meta === undefined || EXCLUDED_COLLECTIONS.has(meta.collection)) return;
      const parsed = JSON.parse(data.toString('utf8')) as {
        documents: Array<{ id: string; document: JsonDocument }>;
      };
      for (const { id: docId, document } of parsed.documents)
        store.put(meta.collection, docId, document);
      restored.push({ collection: meta.collection, documents: parsed.documents.length });
    });
    await store.flush();
    return restored;
  }

  private async readBundleBuffer(data: Buffer): Promise<RepositoryContent> {
    try {
      return await this.imports.readBundleSource([data]);
    } catch (error: unknown) {
      if (error instanceof GitError) throw new ImportFailedError(error.message);
      throw error;
    }
  }

  private exists(id: string): boolean {
    try {
      this.registry.record(id);
      return true;
    } catch (error: unknown) {
      if (error instanceof RepoNotFoundError) return false;
      throw error;
    }
  }
}

/** The archive: manifest.json first, then every staged file streamed from disk. */
async function* archiveChunks(
  manifest: Manifest,
  staged: readonly StagedFile[],
): AsyncGenerator<Buffer> {
  const mtime = Math.floor(Date.parse(manifest.created_at) / 1000);
  const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  yield* tarEntry({ name: MANIFEST, type: 'file', mode: 0o644, mtime }, text);
  for (const file of staged) {
    yield* tarStreamedEntry(
      { name: file.entry, type: 'file', mode: 0o644, mtime, size: file.size },
      createReadStream(file.path),
    );
  }
  yield endOfArchive();
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function parseManifest(data: Buffer): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    throw new BackupCorruptError('manifest.json is not JSON');
  }
  const manifest = parsed as Manifest;
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    manifest.version !== BACKUP_FORMAT_VERSION ||
    !Array.isArray(manifest.repos) ||
    !Array.isArray(manifest.metadata)
  ) {
    throw new BackupCorruptError('manifest.json is not a backup manifest of a known version');
  }
  return manifest;
}

function isStreamError(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof (error as { code: unknown }).code === 'string'
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
