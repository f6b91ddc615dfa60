/**
 * Migration from GitHub or GitLab (api-contract.md §11.2): lists an organisation's, group's or
 * user's repositories through the REST API (GitHub paging by `Link: rel="next"`, GitLab by
 * `X-Next-Page`), maps each name to a valid repository id (`prefix` + name, other characters
 * → `-`), skips ids that exist, and imports each by git over smart HTTP through the import
 * path. The token authenticates the API calls and the fetches of this job only: it lives in
 * the job's closure, never in the job document, an error message or a log line. API calls and
 * fetches go through the same outbound address policy as URL imports.
 */
import { Injectable } from '@nestjs/common';
import { GitError, guardedRequest, RemoteUnreachableError, type JsonDocument } from '../../core';
import { MigrationConfig } from '../../config/config.schema';
import { HttpError } from '../../http/http-error';
import type { Principal } from '../auth/principal';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { isAcceptableRepositoryId } from '../git-core/repository-id-policy';
import type { MigrateRequestDto } from './dto/migrate.dto';
import { ImportExportAccess } from './importexport-access';
import {
  ImportSourceUnreachableError,
  InsufficientPermissionError,
  UnsupportedSourceError,
} from './importexport-errors';
import { ImportService, senderOf, type ImportState } from './import.service';
import type { Job, JobContext } from './jobs/job';
import { JobsService } from './jobs/jobs.service';

const MAX_PAGES = 200;
const MAX_PAGE_BYTES = 32 * 1024 * 1024;

/** One repository the source API listed. */
export interface SourceRepository {
  readonly fullName: string;
  readonly name: string;
  readonly cloneUrl: string;
  readonly private: boolean;
  readonly fork: boolean;
}

/** `prefix` + `name` as a repository id: invalid characters → `-`, at most 64 characters. */
export function mapRepositoryId(name: string, prefix = ''): string {
  const mapped = `${prefix}${name}`.replace(/[^a-zA-Z0-9_-]/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return mapped.slice(0, 64);
}

@Injectable()
export class MigrationService {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly jobs: JobsService,
    private readonly imports: ImportService,
    private readonly access: ImportExportAccess,
    private readonly config: MigrationConfig,
  ) {}

  start(body: MigrateRequestDto, principal: Principal | null): Job {
    if (!this.access.isAdmin(principal)) throw new InsufficientPermissionError('system:admin');
    if (body.source !== 'github' && body.source !== 'gitlab') {
      throw new UnsupportedSourceError(`unsupported migration source '${body.source}'`, {
        source: body.source,
      });
    }
    const owner = body.source === 'github' ? body.org : body.group;
    if ((owner === undefined || owner === '') && (body.user === undefined || body.user === '')) {
      const field = body.source === 'github' ? 'org' : 'group';
      throw new HttpError(400, 'INVALID_REQUEST', `give "${field}" or "user"`, {
        fields: [{ field, message: `${field} or user is required` }],
      });
    }
    const base =
      body.base_url ??
      (body.source === 'github' ? this.config.github_api_url : this.config.gitlab_api_url);
    try {
      const url = new URL(base);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    } catch {
      throw new HttpError(400, 'INVALID_REQUEST', '"base_url" is not an http(s) URL', {
        fields: [{ field: 'base_url', message: 'must be an http(s) URL' }],
      });
    }
    // Copied out of the request: the job keeps nothing else of it.
    const request = { ...body, base_url: base.replace(/\/+$/, '') };
    const sender = senderOf(principal);
    const created: Array<{ id: string; state: ImportState }> = [];
    return this.jobs.submit({
      type: 'migrate',
      createdBy: this.access.creator(principal),
      failureCode: 'IMPORT_FAILED',
      work: (context) => this.migrate(request, context, sender, created),
      undo: async () => {
        for (const { id, state } of created.reverse()) await this.imports.undo(id, state);
      },
    });
  }

  private async migrate(
    body: MigrateRequestDto & { base_url: string },
    context: JobContext,
    sender: ReturnType<typeof senderOf>,
    created: Array<{ id: string; state: ImportState }>,
  ): Promise<JsonDocument> {
    context.progress('listing', 0, 0, `listing ${body.source} repositories`);
    const listed = await this.listRepositories(body, context);
    const wanted = listed.filter(
      (repo) =>
        (body.repos === undefined ||
          body.repos.includes(repo.name) ||
          body.repos.includes(repo.fullName)) &&
        (body.include_private !== false || !repo.private) &&
        (body.include_forks === true || !repo.fork),
    );
    const results: JsonDocument[] = [];
    let done = 0;
    for (const repo of wanted) {
      context.checkCancelled();
      context.progress('importing', done++, wanted.length, repo.fullName);
      const repoId = mapRepositoryId(repo.name, body.prefix ?? '');
      if (!isAcceptableRepositoryId(repoId)) {
        results.push({
          source: repo.fullName,
          repo_id: repoId,
          status: 'failed',
          error: { error: 'no valid repository id for this name', code: 'INVALID_REPO_ID' },
        });
        continue;
      }
      if (this.exists(repoId)) {
        results.push({
          source: repo.fullName,
          repo_id: repoId,
          status: 'skipped',
          error: { error: 'repository exists', code: 'REPO_EXISTS' },
        });
        continue;
      }
      const state: ImportState = { created: false, applied: [] };
      try {
        const source = this.imports.checkRemote({
          url: repo.cloneUrl,
          ...(body.token === undefined
            ? {}
            : {
                token: body.token,
                username: body.source === 'github' ? 'x-access-token' : 'oauth2',
              }),
        });
        await this.imports.importInto(
          repoId,
          false,
          (ctx) => this.imports.loadRemote(source, ctx),
          context,
          sender,
          state,
        );
        created.push({ id: repoId, state });
        results.push({ source: repo.fullName, repo_id: repoId, status: 'imported' });
      } catch (error: unknown) {
        await this.imports.undo(repoId, state).catch(() => undefined);
        if (context.signal.aborted) throw error;
        results.push({
          source: repo.fullName,
          repo_id: repoId,
          status: 'failed',
          error: {
            error: error instanceof Error ? error.message : String(error),
            code: error instanceof GitError ? error.code : 'IMPORT_FAILED',
          },
        });
      }
    }
    return { repositories: results };
  }

  private exists(id: string): boolean {
    return this.registry.list().some((record) => record.id === id);
  }

  /** Every repository of the owner, following the API's paging. */
  async listRepositories(
    body: MigrateRequestDto & { base_url: string },
    context: JobContext,
  ): Promise<SourceRepository[]> {
    const github = body.source === 'github';
    const owner = github ? body.org : body.group;
    const base = body.base_url;
    let next: string | undefined;
    if (github) {
      next =
        owner !== undefined && owner !== ''
          ? `${base}/orgs/${encodeURIComponent(owner)}/repos?per_page=100&type=all`
          : `${base}/users/${encodeURIComponent(body.user!)}/repos?per_page=100&type=all`;
    } else {
      next =
        owner !== undefined && owner !== ''
          ? `${base}/groups/${encodeURIComponent(owner)}/projects?per_page=100&include_subgroups=true`
          : `${base}/users/${encodeURIComponent(body.user!)}/projects?per_page=100`;
    }
    const repos: SourceRepository[] = [];
    for (let page = 0; next !== undefined && page < MAX_PAGES; page++) {
      context.checkCancelled();
      const { items, headers } = await this.getJson(next, body.token, context);
      for (const item of items) {
        const repo = github ? fromGitHub(item) : fromGitLab(item);
        if (repo !== undefined) repos.push(repo);
      }
      next = github ? nextFromLink(headers.link) : nextFromGitLab(next, headers['x-next-page']);
    }
    return repos;
  }

  private async getJson(
    url: string,
    token: string | undefined,
    context: JobContext,
  ): Promise<{ items: unknown[]; headers: Record<string, string | undefined> }> {
    try {
      const response = await guardedRequest(new URL(url), {
        method: 'GET',
        headers: {
          Accept: 'application/json',
          'User-Agent': 'govc-migration',
          ...(token === undefined || token === '' ? {} : { Authorization: `Bearer ${token}` }),
        },
        policy: this.imports.outboundPolicy(),
        signal: context.signal,
      });
      const parts: Buffer[] = [];
      let size = 0;
      for await (const chunk of response) {
        size += (chunk as Buffer).length;
        if (size > MAX_PAGE_BYTES) throw new ImportSourceUnreachableError('API page too large');
        parts.push(chunk as Buffer);
      }
      const parsed: unknown = JSON.parse(Buffer.concat(parts).toString('utf8'));
      if (!Array.isArray(parsed))
        throw new ImportSourceUnreachableError('API answered something other than a list');
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(response.headers)) {
        headers[key] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { items: parsed, headers };
    } catch (error: unknown) {
      if (context.signal.aborted) throw error;
      if (error instanceof RemoteUnreachableError)
        throw new ImportSourceUnreachableError(error.message, error.details);
      if (error instanceof GitError) throw error;
      throw new ImportSourceUnreachableError(
        `the ${new URL(url).host} API failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

function record(item: unknown): Record<string, unknown> | undefined {
  return typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : undefined;
}

function fromGitHub(item: unknown): SourceRepository | undefined {
  const r = record(item);
  if (r === undefined || typeof r.name !== 'string' || typeof r.clone_url !== 'string')
    return undefined;
  return {
    name: r.name,
    fullName: typeof r.full_name === 'string' ? r.full_name : r.name,
    cloneUrl: r.clone_url,
    private: r.private === true,
    fork: r.fork === true,
  };
}

function fromGitLab(item: unknown): SourceRepository | undefined {
  const r = record(item);
  if (r === undefined || typeof r.http_url_to_repo !== 'string') return undefined;
  const name =
    typeof r.path === 'string' ? r.path : typeof r.name === 'string' ? r.name : undefined;
  if (name === undefined) return undefined;
  return {
    name,
    fullName: typeof r.path_with_namespace === 'string' ? r.path_with_namespace : name,
    cloneUrl: r.http_url_to_repo,
    private: r.visibility !== 'public',
    fork: r.forked_from_project !== undefined && r.forked_from_project !== null,
  };
}

/** The `rel="next"` URL of a Link header. */
export function nextFromLink(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match !== null) return match[1];
  }
  return undefined;
}

function nextFromGitLab(current: string, nextPage: string | undefined): string | undefined {
  if (nextPage === undefined || !/^\d+$/.test(nextPage.trim())) return undefined;
  const url = new URL(current);
  url.searchParams.set('page', nextPage.trim());
  return url.toString();
}
