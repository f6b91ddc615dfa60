/**
 * Imports into a repository (api-contract.md §11.2): an uploaded bundle (read and fully verified
 * during the request, so a bad one is 400 INVALID_BUNDLE and nothing is created), a bare
 * repository directory on this server (system:admin, inside import.allowed_paths), or a remote
 * URL over smart HTTP (https unless import.allow_http; the outbound address policy of hooks.*
 * applies). The writing runs as a job: it creates the repository when it does not exist (and
 * removes it again if the job fails or is cancelled), writes objects and refs into the empty
 * repository, and emits `repository` `imported`.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import {
  fetchRemotePack,
  GitError,
  InvalidBundleError,
  listRemoteRefs,
  readBareRepository,
  readBundle,
  RejectedObjectError,
  RemoteProtocolError,
  RemoteUnreachableError,
  RepoNotFoundError,
  type OutboundPolicy,
  type PackLimits,
  type RawObject,
  type Oid,
} from '../../core';
import { GitConfig, HooksConfig, ImportConfig } from '../../config/config.schema';
import type { Principal } from '../auth/principal';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { checkNewRepositoryId } from '../git-core/repository-id-policy';
import type { EventSender } from '../hooks/domain-event';
import { RepositoryEventBus } from '../hooks/repository-event-bus';
import type { ImportRequestDto } from './dto/import.dto';
import { ImportExportAccess } from './importexport-access';
import {
  ImportFailedError,
  ImportSourceUnreachableError,
  InsufficientPermissionError,
  PathNotAllowedError,
  RepoNotEmptyError,
  UnsupportedSourceError,
} from './importexport-errors';
import type { Job, JobContext } from './jobs/job';
import { JobsService } from './jobs/jobs.service';
import {
  headFromOid,
  isEmptyRepository,
  removeRefs,
  summarize,
  verifyContent,
  writeContent,
  type ContentSummary,
  type ImportRef,
  type RepositoryContent,
} from './repository-content';
import { receiveUpload } from './upload-receiver';

/** Where the content of one import comes from; runs inside the job. */
export type ContentLoader = (context: JobContext) => Promise<RepositoryContent>;

export interface RemoteSource {
  readonly url: string;
  readonly username?: string;
  readonly token?: string;
  readonly refs?: readonly string[];
}

@Injectable()
export class ImportService {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly jobs: JobsService,
    private readonly bus: RepositoryEventBus,
    private readonly access: ImportExportAccess,
    private readonly config: ImportConfig,
    private readonly hooks: HooksConfig,
    private readonly git: GitConfig,
  ) {}

  /** Pack limits of imports: object size and delta depth from git.*, bytes from import.*. */
  packLimits(): Partial<PackLimits> {
    return {
      maxPackBytes: this.config.max_upload_size,
      maxObjectBytes: this.git.max_object_size,
      maxDeltaResultBytes: this.git.max_object_size,
      maxDeltaDepth: this.git.max_delta_depth,
    };
  }

  /** The address policy for URL imports (and migration API calls): the webhooks' one (§6.3). */
  outboundPolicy(): OutboundPolicy {
    return {
      allowPrivate: this.hooks.allow_private_targets,
      allowedHosts: this.hooks.allowed_hosts.map((host) => host.toLowerCase()),
    };
  }

  /**
   * Checks that `principal` may import into `repoId` and that it is empty; true when the
   * repository exists. Existing: repo:admin on it (404 when unreadable, 403 otherwise) and no
   * refs (409 REPO_NOT_EMPTY). New: a valid id and global repo:write.
   */
  async checkTarget(repoId: string, principal: Principal | null): Promise<boolean> {
    let exists = true;
    try {
      this.registry.record(repoId);
    } catch (error: unknown) {
      if (!(error instanceof RepoNotFoundError)) throw error;
      exists = false;
    }
    if (exists) {
      if (!this.access.allows(principal, 'repo:read', repoId)) throw new RepoNotFoundError(repoId);
      if (!this.access.allows(principal, 'repo:admin', repoId)) {
        throw new InsufficientPermissionError('repo:admin');
      }
      if (!(await isEmptyRepository(this.registry, repoId))) throw new RepoNotEmptyError(repoId);
      return true;
    }
    checkNewRepositoryId(repoId);
    if (!this.access.allows(principal, 'repo:write')) {
      throw new InsufficientPermissionError('repo:write');
    }
    return false;
  }

  /** (a) An uploaded bundle: verified now, written by the job. */
  async importUpload(repoId: string, request: Request, principal: Principal | null): Promise<Job> {
    const exists = await this.checkTarget(repoId, principal);
    const upload = await receiveUpload(request, this.config.max_upload_size);
    let content: RepositoryContent;
    try {
      content = await this.readBundleFile(upload.path);
    } finally {
      await upload.discard();
    }
    return this.submit(repoId, exists, principal, () => Promise.resolve(content));
  }

  /** Reads and verifies a bundle file; InvalidBundleError for anything wrong with it. */
  readBundleFile(path: string): Promise<RepositoryContent> {
    return this.readBundleSource(createReadStream(path));
  }

  /** Reads and verifies a bundle from chunks; InvalidBundleError for anything wrong with it. */
  async readBundleSource(
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<RepositoryContent> {
    const { header, objects } = await readBundle(source, {
      limits: this.packLimits(),
    });
    if (header.prerequisites.length > 0) {
      throw new InvalidBundleError(
        'the bundle needs prerequisite commits (an incremental bundle)',
        {
          prerequisites: header.prerequisites.length,
        },
      );
    }
    const map = new Map<Oid, RawObject>();
    for (const object of objects) map.set(object.oid, { type: object.type, body: object.body });
    const refs = header.refs.filter((ref) => ref.name !== 'HEAD');
    if (refs.length === 0) throw new InvalidBundleError('the bundle has no refs');
    const headOid = header.refs.find((ref) => ref.name === 'HEAD')?.oid;
    const content: RepositoryContent = {
      objects: map,
      refs,
      ...optionalHead(headFromOid(refs, headOid)),
    };
    try {
      verifyContent(content);
    } catch (error: unknown) {
      if (error instanceof RejectedObjectError) throw new InvalidBundleError(error.message);
      throw error;
    }
    return { ...content, verified: true };
  }

  /** (b) A bare repository directory on the server. */
  async importPath(
    repoId: string,
    body: ImportRequestDto,
    principal: Principal | null,
  ): Promise<Job> {
    if (!this.access.isAdmin(principal)) throw new InsufficientPermissionError('system:admin');
    if (body.path === undefined || body.path === '') {
      throw new UnsupportedSourceError('source "path" needs a "path"');
    }
    const path = await this.allowedPath(body.path);
    const exists = await this.checkTarget(repoId, principal);
    return this.submit(repoId, exists, principal, async (context) => {
      context.progress('reading', 0, 0, 'reading the repository directory');
      let loaded;
      try {
        loaded = await readBareRepository(path);
      } catch (error: unknown) {
        throw new ImportFailedError(`cannot read the repository at that path: ${describe(error)}`);
      }
      context.checkCancelled();
      const content: RepositoryContent = {
        objects: loaded.objects,
        refs: loaded.refs.filter((ref) => !ref.name.startsWith('refs/govc/')),
        ...optionalHead(loaded.head),
      };
      if (content.refs.length === 0) throw new ImportFailedError('the repository has no refs');
      return content;
    });
  }

  /** The real path of `requested` when it lies inside import.allowed_paths; else 403. */
  private async allowedPath(requested: string): Promise<string> {
    let real: string;
    try {
      real = await realpath(requested);
    } catch {
      throw new PathNotAllowedError(requested);
    }
    for (const root of this.config.allowed_paths) {
      let base: string;
      try {
        base = await realpath(root);
      } catch {
        continue;
      }
      if (real === base || real.startsWith(base.endsWith(sep) ? base : base + sep)) {
        if ((await stat(real)).isDirectory()) return real;
      }
    }
    throw new PathNotAllowedError(requested);
  }

  /** (c) A remote repository over smart HTTP. */
  async importUrl(
    repoId: string,
    body: ImportRequestDto,
    principal: Principal | null,
  ): Promise<Job> {
    const source = this.checkRemote(body);
    const exists = await this.checkTarget(repoId, principal);
    return this.submit(repoId, exists, principal, (context) => this.loadRemote(source, context));
  }

  /** Validates a remote source's URL scheme; UnsupportedSourceError otherwise. */
  checkRemote(body: {
    url?: string;
    username?: string;
    token?: string;
    refs?: readonly string[];
  }): RemoteSource {
    if (body.url === undefined || body.url === '')
      throw new UnsupportedSourceError('source "url" needs a "url"');
    let url: URL;
    try {
      url = new URL(body.url);
    } catch {
      throw new UnsupportedSourceError('"url" is not a valid URL');
    }
    const allowed =
      url.protocol === 'https:' || (url.protocol === 'http:' && this.config.allow_http);
    if (!allowed) {
      throw new UnsupportedSourceError(
        url.protocol === 'http:'
          ? 'http URLs are refused (set import.allow_http to allow them)'
          : `unsupported URL scheme '${url.protocol}'`,
      );
    }
    return {
      url: body.url,
      ...(body.username === undefined ? {} : { username: body.username }),
      ...(body.token === undefined ? {} : { token: body.token }),
      ...(body.refs === undefined ? {} : { refs: body.refs }),
    };
  }

  /** Lists and fetches the remote's refs; errors become IMPORT_SOURCE_UNREACHABLE/IMPORT_FAILED. */
  async loadRemote(source: RemoteSource, context: JobContext): Promise<RepositoryContent> {
    const options = {
      policy: this.outboundPolicy(),
      signal: context.signal,
      limits: this.packLimits(),
      ...(source.username === undefined ? {} : { username: source.username }),
      ...(source.token === undefined ? {} : { token: source.token }),
    };
    try {
      context.progress('listing', 0, 0, 'listing remote refs');
      const listing = await listRemoteRefs(source.url, options);
      const refs = selectRefs(listing.refs, source.refs);
      if (refs.length === 0) throw new ImportFailedError('the remote has no matching refs');
      context.checkCancelled();
      context.progress('fetching', 0, refs.length, 'fetching objects');
      const { objects } = await fetchRemotePack(
        source.url,
        refs.map((ref) => ref.oid),
        options,
      );
      const map = new Map<Oid, RawObject>();
      for (const object of objects) map.set(object.oid, { type: object.type, body: object.body });
      return { objects: map, refs, ...optionalHead(listing.head) };
    } catch (error: unknown) {
      if (context.signal.aborted) throw error;
      if (error instanceof RemoteUnreachableError) {
        throw new ImportSourceUnreachableError(error.message, error.details);
      }
      if (
        error instanceof RemoteProtocolError ||
        (error instanceof GitError && !isImportError(error))
      ) {
        throw new ImportFailedError(error.message);
      }
      throw error;
    }
  }

  /** Queues the job that loads, verifies and writes the content. */
  private submit(
    repoId: string,
    exists: boolean,
    principal: Principal | null,
    load: ContentLoader,
  ): Job {
    const sender = senderOf(principal);
    const state: ImportState = { created: false, applied: [] };
    return this.jobs.submit({
      type: 'import',
      repoId,
      createdBy: this.access.creator(principal),
      failureCode: 'IMPORT_FAILED',
      work: async (context) => {
        const summary = await this.importInto(repoId, exists, load, context, sender, state);
        return { ...summary };
      },
      undo: () => this.undo(repoId, state),
    });
  }

  /**
   * Loads, verifies and writes one repository's content inside a running job (also used by
   * migration); `state` records what to undo.
   */
  async importInto(
    repoId: string,
    exists: boolean,
    load: ContentLoader,
    context: JobContext,
    sender: EventSender | null,
    state: ImportState,
    options: ImportOptions = {},
  ): Promise<ContentSummary> {
    const action = options.action ?? 'imported';
    const content = await load(context);
    context.checkCancelled();
    if (content.verified !== true) {
      context.progress('verifying', 0, content.objects.size, 'checking objects');
      try {
        verifyContent(content, (done) => context.progress('verifying', done, content.objects.size));
      } catch (error: unknown) {
        if (error instanceof RejectedObjectError) throw new ImportFailedError(error.message);
        throw error;
      }
    }
    context.checkCancelled();
    if (!exists) {
      await this.registry.create({
        id: repoId,
        memoryOnly: options.memoryOnly ?? false,
        public: options.public ?? false,
      });
      state.created = true;
    }
    context.progress('writing', 0, content.objects.size, 'writing objects and refs');
    await writeContent(this.registry, repoId, content, `${action} by govc`, () =>
      context.checkCancelled(),
    );
    state.applied = content.refs;
    context.checkCancelled();
    const { locator } = await this.registry.open(repoId);
    this.bus.publish({
      repository: repoId,
      event: 'repository',
      data: { action, id: repoId, path: locator },
      sender,
    });
    return summarize(content);
  }

  /** Removes what a failed or cancelled import left: the repository it created, or its refs. */
  async undo(repoId: string, state: ImportState): Promise<void> {
    if (state.created) {
      await this.registry.delete(repoId).catch((error: unknown) => {
        if (!(error instanceof RepoNotFoundError)) throw error;
      });
    } else if (state.applied.length > 0) {
      await removeRefs(this.registry, repoId, state.applied);
    }
  }
}

export interface ImportOptions {
  readonly action?: 'imported' | 'restored';
  /** Flags of a repository the import creates. */
  readonly public?: boolean;
  readonly memoryOnly?: boolean;
}

export interface ImportState {
  created: boolean;
  applied: readonly ImportRef[];
}

export function senderOf(principal: Principal | null): EventSender | null {
  return principal === null ? null : { id: principal.id, username: principal.username };
}

function optionalHead(head: string | undefined): { head?: string } {
  return head === undefined ? {} : { head };
}

function isImportError(error: GitError): boolean {
  return error.code === 'IMPORT_FAILED' || error.code === 'IMPORT_SOURCE_UNREACHABLE';
}

/** The remote refs an import takes: all heads and tags, or those named (full or short names). */
function selectRefs(
  remote: ReadonlyArray<{ name: string; oid: Oid }>,
  wanted: readonly string[] | undefined,
): ImportRef[] {
  const candidates = remote.filter(
    (ref) => ref.name.startsWith('refs/heads/') || ref.name.startsWith('refs/tags/'),
  );
  if (wanted === undefined || wanted.length === 0) {
    return candidates.map((ref) => ({ name: ref.name, oid: ref.oid }));
  }
  const names = new Set(
    wanted.flatMap((name) => [name, `refs/heads/${name}`, `refs/tags/${name}`]),
  );
  return candidates
    .filter((ref) => names.has(ref.name))
    .map((ref) => ({ name: ref.name, oid: ref.oid }));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
