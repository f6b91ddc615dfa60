/**
 * Git smart HTTP (api-contract.md §11.1) over the engine's protocol layer: who may fetch or push
 * (HTTP Basic with an API key or JWT as password, Bearer too; public repositories fetchable
 * anonymously), the ref advertisements, upload-pack (with a cache of generated packs) and
 * receive-pack: the pack is read and checked before the repository's serialized write; inside
 * it the server hooks run and the ref updates apply by compare-and-swap; once durable the push,
 * branch and tag events are published and post-receive runs.
 */
import { Injectable, Logger, Optional } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { BUILD_INFO } from '../../build-info';
import { GitConfig } from '../../config/config.schema';
import {
  advertiseReceivePack,
  advertiseUploadPack,
  applyPush,
  encodeReportStatus,
  isGitError,
  PackCache,
  PushRejectedError,
  readPushRequest,
  receivePackObjects,
  serveUploadPack,
  type ByteSink,
  type Oid,
  type ProtocolVersion,
  type PushCommand,
  type PushOutcome,
  type PushRequest,
  type RawObject,
  type Repository,
  type Signature,
  type TagInfo,
  type UploadPackStats,
} from '../../core';
import { AccessPolicy } from '../auth/access-policy';
import { AuthenticationService } from '../auth/authentication.service';
import type { Principal } from '../auth/principal';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { branchEvent, tagEvent, type EventSpec } from '../hooks/event-payloads';
import { describePush } from '../hooks/branch-moves';
import type { EventSender } from '../hooks/domain-event';
import { RepositoryEventBus } from '../hooks/repository-event-bus';
import { ServerHookService, type RefUpdate } from '../hooks/server-hooks/server-hook.service';
import { GitHttpMetrics } from './git-http.metrics';
import { requestBody } from './git-request-body';

export type GitService = 'git-upload-pack' | 'git-receive-pack';

/** Largest inflated upload-pack request (wants, haves, arguments). */
export const MAX_NEGOTIATION_BYTES = 10 * 1024 * 1024;

/** Why a request is refused before any git data: HTTP status and plain-text message. */
export class GitHttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export interface PushResult {
  readonly report: Buffer;
  readonly outcomes: readonly PushOutcome[];
}

@Injectable()
export class GitHttpService {
  private readonly logger = new Logger('GitHttp');
  readonly agent = `govc/${BUILD_INFO.version}`;
  private readonly packs = new PackCache();

  constructor(
    private readonly config: GitConfig,
    private readonly registry: RepositoryRegistry,
    private readonly authentication: AuthenticationService,
    private readonly policy: AccessPolicy,
    private readonly bus: RepositoryEventBus,
    private readonly metrics: GitHttpMetrics,
    @Optional() private readonly hooks?: ServerHookService,
  ) {}

  // ---- access ---------------------------------------------------------------------------------

  /**
   * The caller of a git request, checked for `service` on `repoId` (upload-pack: repo:read,
   * receive-pack: repo:write). Throws GitHttpRefusal: 401 with a Basic challenge, 404 for a
   * repository the caller cannot see, 403 for read without write.
   */
  async authorize(
    request: IncomingMessage,
    repoId: string,
    service: GitService,
  ): Promise<Principal | null> {
    const exists = this.repositoryExists(repoId);
    if (!this.authentication.isEnabled()) {
      if (!exists) throw new GitHttpRefusal(404, 'repository not found');
      return null;
    }
    const secret = credentialOf(request.headers.authorization);
    const principal =
      secret === undefined ? null : await this.authentication.authenticateSecret(secret);
    const challenge = { 'WWW-Authenticate': 'Basic realm="govc"' };
    if (secret !== undefined && principal === null) {
      throw new GitHttpRefusal(401, 'authentication failed', challenge);
    }
    if (!exists) {
      if (principal === null) throw new GitHttpRefusal(401, 'authentication required', challenge);
      throw new GitHttpRefusal(404, 'repository not found');
    }
    const permission = service === 'git-upload-pack' ? 'repo:read' : 'repo:write';
    switch (this.policy.check(principal, permission, repoId)) {
      case 'allowed':
        return principal;
      case 'unauthenticated':
        throw new GitHttpRefusal(401, 'authentication required', challenge);
      case 'not-found':
        throw new GitHttpRefusal(404, 'repository not found');
      default:
        throw new GitHttpRefusal(403, `permission denied: ${permission} required`);
    }
  }

  private repositoryExists(repoId: string): boolean {
    try {
      this.registry.record(repoId);
      return true;
    } catch (error) {
      if (isGitError(error) && error.code === 'REPO_NOT_FOUND') return false;
      throw error;
    }
  }

  // ---- advertisement --------------------------------------------------------------------------

  async advertise(repoId: string, service: GitService, version: ProtocolVersion): Promise<Buffer> {
    const { repository } = await this.registry.open(repoId);
    this.metrics.request(service, 'advertise');
    if (service === 'git-receive-pack') return advertiseReceivePack(repository.refs, this.agent);
    return advertiseUploadPack(repository, version, this.agent);
  }

  // ---- upload-pack ----------------------------------------------------------------------------

  /** Answers one upload-pack request into `sink`; ProtocolError / PktLineError for bad input. */
  async uploadPack(
    repoId: string,
    version: ProtocolVersion,
    body: Buffer,
    sink: ByteSink,
  ): Promise<UploadPackStats> {
    const { repository } = await this.registry.open(repoId);
    const stats = await serveUploadPack(repository, version, body, sink, {
      agent: this.agent,
      cache: this.packs,
      cacheScope: repoId,
    });
    this.metrics.packBytes('upload', stats.packBytes);
    this.metrics.request('git-upload-pack', stats.cacheHit ? 'ok_cached' : 'ok');
    return stats;
  }

  /** Counts a request that failed before or while answering. */
  countFailure(service: GitService, result: string): void {
    this.metrics.request(service, result);
  }

  // ---- receive-pack ---------------------------------------------------------------------------

  /** Reads the commands of a push; the pack stays in the returned request's stream. */
  readPush(request: IncomingMessage): Promise<PushRequest> {
    // Commands plus pack: the pack limit applies to the pack itself, this bounds the whole.
    return readPushRequest(requestBody(request, this.config.max_push_size + 16 * 1024 * 1024));
  }

  /**
   * Runs a push whose commands were read: receives and checks the pack, runs the hooks and
   * applies the updates; returns the report-status answer. Only storage faults throw.
   */
  async receivePack(
    repoId: string,
    push: PushRequest,
    principal: Principal | null,
  ): Promise<PushResult> {
    const sideBand = push.capabilities.has('side-band-64k');
    const { commands } = push;
    const { repository } = await this.registry.open(repoId);
    let objects = new Map<Oid, RawObject>();
    if (commands.some((command) => command.newOid !== null)) {
      try {
        const received = await receivePackObjects(push.pack, {
          limits: {
            maxPackBytes: this.config.max_push_size,
            maxObjectBytes: this.config.max_object_size,
            maxDeltaResultBytes: this.config.max_object_size,
            maxDeltaDepth: this.config.max_delta_depth,
          },
          existing: (oid) => repository.odb.store.get(oid),
        });
        objects = received.objects;
        this.metrics.packBytes('receive', received.packBytes);
      } catch (error) {
        if (!(error instanceof PushRejectedError)) throw error;
        this.metrics.request('git-receive-pack', 'rejected');
        const outcomes = commands.map((command): PushOutcome => ({
          ref: command.ref,
          error: 'unpacker error',
          before: null,
          after: null,
        }));
        return { report: encodeReportStatus(error.unpackReason, outcomes, sideBand), outcomes };
      }
    }

    const committer = pusherSignature(principal);
    const refused = new Map<string, string>();
    let beforeHeads: Oid[] = [];
    const outcomes = await this.registry.write(
      repoId,
      ({ repository: repo }) => {
        const result = applyPush(repo, commands, objects, {
          denyNonFastForwards: this.config.deny_non_fast_forwards,
          atomic: push.capabilities.has('atomic'),
          refused,
          committer,
        });
        return result;
      },
      async ({ repository: repo }) => {
        beforeHeads = repo.refs
          .list('refs/heads/')
          .flatMap((ref) => (ref.kind === 'direct' ? [ref.oid] : []));
        await this.reviewRefUpdates(repoId, repo, commands, objects, principal, refused);
      },
    );
    const accepted = outcomes.filter((o) => o.error === null && o.kind !== 'no-change');
    this.metrics.request('git-receive-pack', accepted.length > 0 ? 'ok' : 'refused');
    if (accepted.length > 0) {
      // Durable already; describing the pushes (commit walks) need not delay the client.
      setImmediate(() => {
        this.publishPushEvents(repoId, repository, accepted, beforeHeads, principal);
        this.hooks?.postReceive(
          repoId,
          accepted.map((o) => ({ ref: o.ref, oldOid: o.before, newOid: o.after })),
        );
      });
    }
    return { report: encodeReportStatus('ok', outcomes, sideBand), outcomes };
  }

  /**
   * The one place where a push's ref updates are reviewed before any ref moves: the server
   * hooks `pre-push`, `pre-receive` (whole push) and `update` (per ref). Runs inside the
   * repository's write, after the pushed objects were added to its object store (hooks check
   * out the new commits); refused refs go into `refused` with git's `hook declined` reason.
   */
  private async reviewRefUpdates(
    repoId: string,
    repository: Repository,
    commands: readonly PushCommand[],
    objects: ReadonlyMap<Oid, RawObject>,
    principal: Principal | null,
    refused: Map<string, string>,
  ): Promise<void> {
    const hooks = this.hooks;
    if (hooks === undefined || commands.length === 0) return;
    // Hooks may check out the new commits: the objects must be readable by then.
    for (const [oid, object] of objects) {
      if (!repository.odb.store.has(oid)) repository.odb.store.insert(oid, object);
    }
    const updates: RefUpdate[] = commands.map((c) => ({
      ref: c.ref,
      oldOid: c.oldOid,
      newOid: c.newOid,
    }));
    for (const type of ['pre-push', 'pre-receive'] as const) {
      const verdicts = await hooks.runRefUpdateHooks(repoId, type, updates, { principal });
      for (const verdict of verdicts) {
        if (!verdict.accepted && !refused.has(verdict.ref)) {
          refused.set(verdict.ref, `${type} hook declined`);
        }
      }
    }
    const remaining = updates.filter((update) => !refused.has(update.ref));
    const verdicts = await hooks.runRefUpdateHooks(repoId, 'update', remaining, { principal });
    for (const verdict of verdicts) {
      if (!verdict.accepted) refused.set(verdict.ref, 'hook declined');
    }
  }

  private publishPushEvents(
    repoId: string,
    repository: Repository,
    accepted: readonly PushOutcome[],
    beforeHeads: readonly Oid[],
    principal: Principal | null,
  ): void {
    const sender: EventSender | null =
      principal === null ? null : { id: principal.id, username: principal.username };
    const specs: EventSpec[] = [];
    for (const outcome of accepted) {
      try {
        specs.push(...describeOutcome(repository, outcome, beforeHeads));
      } catch (error) {
        this.logger.error(
          `push event for ${outcome.ref} not built: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    for (const spec of specs) {
      this.bus.publish({ repository: repoId, event: spec.event, data: spec.data, sender });
    }
  }
}

/** The branch/tag and push events of one accepted update. */
function describeOutcome(
  repository: Repository,
  outcome: PushOutcome,
  beforeHeads: readonly Oid[],
): EventSpec[] {
  const { ref, before, after } = outcome;
  const specs: EventSpec[] = [];
  if (ref.startsWith('refs/heads/')) {
    const name = ref.slice('refs/heads/'.length);
    if (before === null && after !== null) specs.push(branchEvent('created', name, after));
    if (after === null) specs.push(branchEvent('deleted', name, before));
    specs.push({
      event: 'push',
      data: describePush(repository, { ref, before, after }, 'git', beforeHeads),
    });
  } else if (ref.startsWith('refs/tags/')) {
    const name = ref.slice('refs/tags/'.length);
    if (after !== null) {
      if (before !== null) specs.push(tagEvent('deleted', tagInfo(repository, name, before)));
      specs.push(tagEvent('created', repository.getTag(name)));
    } else if (before !== null) {
      specs.push(tagEvent('deleted', tagInfo(repository, name, before)));
    }
  }
  return specs;
}

/** A deleted tag described from the object it pointed at. */
function tagInfo(repository: Repository, name: string, oid: Oid): TagInfo {
  const object = repository.odb.store.get(oid);
  if (object?.type === 'tag') {
    const tag = repository.odb.readTag(oid);
    return {
      name,
      commit: repository.odb.peel(oid),
      annotated: true,
      object: oid,
      message: tag.message,
      ...(tag.tagger !== undefined ? { tagger: tag.tagger } : {}),
    };
  }
  return { name, commit: oid, annotated: false };
}

/** The reflog identity of a push: the caller, or an anonymous pusher with auth off. */
function pusherSignature(principal: Principal | null): Signature {
  return {
    name: principal?.username ?? 'git push',
    email: principal?.email ?? 'push@govc.local',
    timestamp: Math.floor(Date.now() / 1000),
    timezone: '+0000',
  };
}

/** The secret of `Authorization: Basic` (the password; any user name) or `Bearer`. */
export function credentialOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return value === '' ? undefined : value;
  if (scheme.toLowerCase() !== 'basic' || value === '') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon < 0 ? decoded : decoded.slice(colon + 1);
  return password === '' ? undefined : password;
}
