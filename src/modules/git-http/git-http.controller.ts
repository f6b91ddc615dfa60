/**
 * The git smart-HTTP routes (api-contract.md §11.1), served at the root: `/<repo>.git/info/refs`,
 * `/<repo>.git/git-upload-pack`, `/<repo>.git/git-receive-pack`. They speak git, not JSON:
 * errors before any git data are plain text with the contract's status (401 with a Basic
 * challenge, 403, 404 "repository not found", 413); protocol failures are an `ERR` pkt-line in
 * a 200, as git's own server answers. The routes are `public` for the global auth guard and
 * authenticate in GitHttpService (Basic or Bearer), and are exempt from the request timeout.
 */
import { Controller, Get, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { encodePktText, isGitError, protocolVersionOf, type ByteSink } from '../../core';
import { Endpoint } from '../../http/endpoint.decorator';
import { AuditAction } from '../auth/audit-context';
import type { RequestWithPrincipal } from '../auth/principal';
import { drainBody, readRequestBody } from './git-request-body';
import {
  GitHttpRefusal,
  GitHttpService,
  MAX_NEGOTIATION_BYTES,
  type GitService,
} from './git-http.service';

const SERVICES: ReadonlySet<string> = new Set(['git-upload-pack', 'git-receive-pack']);
/** Bytes of an unread push body still read after a refusal, so the client sees the answer. */
const DRAIN_LIMIT = 64 * 1024 * 1024;
const TEXT = { 'text/plain': { schema: { type: 'string' } } };

function noCache(response: Response): void {
  response.setHeader('Cache-Control', 'no-cache, max-age=0, must-revalidate');
  response.setHeader('Expires', 'Fri, 01 Jan 1980 00:00:00 GMT');
  response.setHeader('Pragma', 'no-cache');
}

function sendText(
  response: Response,
  status: number,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.status(status).set(headers).type('text/plain; charset=utf-8').send(`${message}\n`);
}

/** A sink writing into the response with backpressure; headers go out with the first bytes. */
function responseSink(response: Response, contentType: string): ByteSink {
  return async (chunk) => {
    if (response.destroyed) throw new Error('client closed the connection');
    if (!response.headersSent) {
      response.status(200).setHeader('Content-Type', contentType);
      noCache(response);
    }
    if (response.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    });
  };
}

@ApiTags('git')
@Controller()
export class GitHttpController {
  private readonly logger = new Logger('GitHttp');

  constructor(private readonly git: GitHttpService) {}

  @Get(':repo_id.git/info/refs')
  @Endpoint({
    summary: 'Git smart-HTTP ref advertisement',
    description:
      '`?service=git-upload-pack` (repo:read, or public repository) or `git-receive-pack` ' +
      '(repo:write). HTTP Basic with an API key or JWT as password. Without `service`: 403.',
    operationId: 'gitInfoRefs',
    public: true,
    requestTimeout: false,
    responses: [{ status: 200, description: 'pkt-line advertisement', content: TEXT }],
  })
  async infoRefs(
    @Param('repo_id') repoId: string,
    @Query('service') service: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (typeof service !== 'string' || !SERVICES.has(service)) {
      sendText(response, 403, 'dumb HTTP protocol not supported');
      return;
    }
    await this.guarded(response, service as GitService, async () => {
      await this.git.authorize(request, repoId, service as GitService);
      const version = protocolVersionOf(request.headers['git-protocol'] as string | undefined);
      const body = await this.git.advertise(
        repoId,
        service as GitService,
        service === 'git-upload-pack' ? version : 0,
      );
      response.status(200).setHeader('Content-Type', `application/x-${service}-advertisement`);
      noCache(response);
      response.end(body);
    });
  }

  @Post(':repo_id.git/git-upload-pack')
  @AuditAction(null) // a fetch changes nothing
  @Endpoint({
    summary: 'Git smart-HTTP fetch (upload-pack, protocol v0/v1/v2)',
    operationId: 'gitUploadPack',
    public: true,
    requestTimeout: false,
    responses: [{ status: 200, description: 'pkt-line result with the pack', content: TEXT }],
  })
  async uploadPack(
    @Param('repo_id') repoId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.guarded(response, 'git-upload-pack', async () => {
      await this.git.authorize(request, repoId, 'git-upload-pack');
      const version = protocolVersionOf(request.headers['git-protocol'] as string | undefined);
      const body = await readRequestBody(request, MAX_NEGOTIATION_BYTES);
      const sink = responseSink(response, 'application/x-git-upload-pack-result');
      await this.git.uploadPack(repoId, version, body, sink);
      if (!response.headersSent) await sink(Buffer.alloc(0));
      response.end();
    });
  }

  @Post(':repo_id.git/git-receive-pack')
  @AuditAction('git.push')
  @Endpoint({
    summary: 'Git smart-HTTP push (receive-pack)',
    operationId: 'gitReceivePack',
    public: true,
    requestTimeout: false,
    responses: [{ status: 200, description: 'pkt-line report-status', content: TEXT }],
  })
  async receivePack(
    @Param('repo_id') repoId: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.guarded(response, 'git-receive-pack', async () => {
      const principal = await this.git.authorize(request, repoId, 'git-receive-pack');
      // The audit entry and event sender name the pusher (the guard saw a public route).
      (request as RequestWithPrincipal).principal = principal;
      const push = await this.git.readPush(request);
      const result =
        push.commands.length === 0
          ? { report: Buffer.alloc(0) }
          : await this.git.receivePack(repoId, push, principal);
      const drained = await drainBody(push.pack, DRAIN_LIMIT);
      response.status(200).setHeader('Content-Type', 'application/x-git-receive-pack-result');
      noCache(response);
      if (!drained) response.setHeader('Connection', 'close');
      response.end(result.report);
    });
  }

  /** Runs a handler body, turning every failure into the git-appropriate answer. */
  private async guarded(
    response: Response,
    service: GitService,
    run: () => Promise<void>,
  ): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.git.countFailure(service, error instanceof GitHttpRefusal ? 'denied' : 'error');
      if (error instanceof GitHttpRefusal) {
        sendText(response, error.status, error.message, error.headers);
        return;
      }
      if (isGitError(error)) {
        if (error.kind === 'too-large') {
          sendText(response, 413, error.message);
        } else if (error.kind === 'invalid-argument') {
          // What git's server does: an ERR packet the client shows as "remote error: ...".
          if (!response.headersSent) {
            response.status(200).setHeader('Content-Type', `application/x-${service}-result`);
            noCache(response);
          }
          response.end(encodePktText(`ERR ${error.message.slice(0, 1000)}`));
        } else if (error.kind === 'not-found') {
          sendText(response, 404, 'repository not found');
        } else if (error.kind === 'unavailable') {
          sendText(response, 503, error.message, { 'Retry-After': '1' });
        } else {
          sendText(response, 409, error.message);
        }
        return;
      }
      this.logger.error(
        `git ${service} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendText(response, 500, 'internal server error');
    }
  }
}
