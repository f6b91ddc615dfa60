/**
 * WebSocket upgrades of GET `/api/v1/repos/:repo_id/watch` (api-contract.md §6.5), taken from
 * the HTTP server's `upgrade` event (ws with `noServer`), so Express never sees them. The
 * upgrade is authenticated like any request (AuthenticationService on the headers, then
 * AccessPolicy for `repo:read`: 401, 404 for a repository the caller cannot read, 403) and
 * counted against events.max_connections; a refusal is the flat error JSON with its status.
 * Each heartbeat re-checks access, so a stream whose access was revoked closes with 1008.
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer } from 'ws';
import { isGitError } from '../../../core';
import { STATUS_BY_KIND } from '../../../http/git-error-kind';
import { AccessPolicy } from '../../auth/access-policy';
import { AuthenticationService } from '../../auth/authentication.service';
import type { Principal } from '../../auth/principal';
import { RepositoryRegistry } from '../../git-core/repository-registry';
import { RepositoryEventBus } from '../repository-event-bus';
import { EventStreamHub } from './event-stream-hub';
import { parseEventSelection } from './event-selection';
import { CLOSE_POLICY, WsClient } from './ws-client';

const WATCH_PATH = /^\/api\/v1\/repos\/([^/]+)\/watch\/?$/;
/** Client frames are small JSON messages. */
const MAX_CLIENT_FRAME = 64 * 1024;

interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

@Injectable()
export class WatchGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Watch');
  private readonly server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_FRAME,
    perMessageDeflate: false,
  });
  private readonly principals = new WeakMap<WsClient, Principal | null>();
  private detach: (() => void) | undefined;
  private revocationTimer: NodeJS.Timeout | undefined;
  private readonly clients = new Set<WsClient>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly registry: RepositoryRegistry,
    private readonly bus: RepositoryEventBus,
    private readonly hub: EventStreamHub,
    private readonly authentication: AuthenticationService,
    private readonly access: AccessPolicy,
  ) {}

  onApplicationBootstrap(): void {
    const http = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (http === undefined) return;
    const listener = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
      this.onUpgrade(http, request, socket, head).catch((error: unknown) => {
        this.logger.error(
          `upgrade failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        refuse(socket, { status: 500, code: 'INTERNAL_ERROR', message: 'internal error' });
      });
    };
    http.on('upgrade', listener);
    this.detach = () => http.off('upgrade', listener);
    this.revocationTimer = setInterval(() => this.checkAccess(), this.hub.heartbeatInterval);
    this.revocationTimer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.revocationTimer);
    this.detach?.();
    this.server.close();
  }

  private async onUpgrade(
    http: Server,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = WATCH_PATH.exec(url.pathname);
    if (match === null) {
      // Another component may serve this upgrade; refuse it only when none listens.
      if (http.listenerCount('upgrade') <= 1) {
        refuse(socket, {
          status: 404,
          code: 'ENDPOINT_NOT_FOUND',
          message: `endpoint not found: ${request.method ?? 'GET'} ${url.pathname}`,
        });
      }
      return;
    }
    let repoId: string;
    try {
      repoId = decodeURIComponent(match[1]!);
    } catch {
      refuse(socket, notFound(match[1]!));
      return;
    }
    const principal = await this.authentication.authenticateHeaders(request.headers);
    const decision = this.access.check(principal, 'repo:read', repoId);
    if (decision === 'unauthenticated') {
      refuse(socket, { status: 401, code: 'UNAUTHORIZED', message: 'authentication required' });
      return;
    }
    if (decision === 'not-found') {
      refuse(socket, notFound(repoId));
      return;
    }
    if (decision === 'forbidden') {
      refuse(socket, { status: 403, code: 'FORBIDDEN', message: 'Insufficient permissions' });
      return;
    }
    let selection;
    try {
      this.registry.record(repoId);
      selection = parseEventSelection(url.searchParams.get('events') ?? undefined);
      this.hub.reserve();
    } catch (error) {
      refuse(socket, refusalOf(error));
      return;
    }
    const lastEventId = url.searchParams.get('last_event_id') ?? undefined;
    let upgraded = false;
    // A handshake that fails (bad key, client gone) gives its slot back.
    socket.once('close', () => {
      if (!upgraded) this.hub.release();
    });
    this.server.handleUpgrade(request, socket, head, (ws) => {
      upgraded = true;
      const client = new WsClient(
        repoId,
        ws,
        selection,
        this.hub.clientBuffer,
        (last) => this.bus.replay(repoId, last),
        (ended) => {
          this.clients.delete(ended);
          this.hub.remove(ended);
        },
      );
      this.principals.set(client, principal);
      this.clients.add(client);
      client.start(lastEventId);
      this.hub.add(client);
    });
  }

  /** Closes streams whose caller lost read access (revoked key, deactivated user, grant removed). */
  private checkAccess(): void {
    for (const client of [...this.clients]) {
      const principal = this.principals.get(client) ?? null;
      if (this.access.check(principal, 'repo:read', client.repository) !== 'allowed') {
        client.close(CLOSE_POLICY, 'access revoked');
      }
    }
  }
}

function notFound(repoId: string): Refusal {
  return { status: 404, code: 'REPO_NOT_FOUND', message: `repository ${repoId} not found` };
}

function refusalOf(error: unknown): Refusal {
  if (isGitError(error)) {
    return { status: STATUS_BY_KIND[error.kind], code: error.code, message: error.message };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: 'internal error' };
}

/** Answers a refused upgrade with the flat error JSON and closes the socket. */
function refuse(socket: Duplex, refusal: Refusal): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: refusal.message, code: refusal.code });
  const retry = refusal.status === 503 ? 'Retry-After: 1\r\n' : '';
  const challenge = refusal.status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '';
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${retry}${challenge}Connection: close\r\n\r\n${body}`,
  );
}
