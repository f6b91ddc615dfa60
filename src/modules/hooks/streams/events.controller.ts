/**
 * GET `/api/v1/repos/:repo_id/events` (Server-Sent Events) and the plain-HTTP side of
 * `/watch` (api-contract.md §6.5): without a WebSocket upgrade `/watch` is 426; the upgrade
 * itself never reaches Express (WatchGateway takes it from the HTTP server).
 */
import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { API_V1 } from '../../../http/api-version';
import { Endpoint } from '../../../http/endpoint.decorator';
import { HttpError } from '../../../http/http-error';
import { REPO_READ_ERRORS } from '../../git-core/route-errors';
import { RepositoryRegistry } from '../../git-core/repository-registry';
import { RepositoryEventBus } from '../repository-event-bus';
import { EventStreamHub } from './event-stream-hub';
import { parseEventSelection } from './event-selection';
import { SseClient, sseBlock } from './sse-client';

export class StreamQueryDto {
  @ApiPropertyOptional({ type: String, description: 'Comma-separated event names (default: all)' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  events?: string;

  @ApiPropertyOptional({
    type: String,
    description: 'Resume after this event id (or the Last-Event-ID header)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  last_event_id?: string;
}

export class UpgradeRequiredDto {
  @ApiProperty({ type: String }) error: string;
  @ApiProperty({ type: String, example: 'UPGRADE_REQUIRED' }) code: string;
}

const RETRY_MS = 3000;
const STREAM_ERRORS = [
  ...REPO_READ_ERRORS,
  { status: 400, codes: ['INVALID_EVENT'] },
  { status: 503, codes: ['TOO_MANY_STREAMS'] },
];

@ApiTags('events')
@Controller(`${API_V1}/repos/:repo_id`)
export class EventsController {
  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly bus: RepositoryEventBus,
    private readonly hub: EventStreamHub,
  ) {}

  @Get('events')
  @Endpoint({
    summary: "Stream the repository's events (Server-Sent Events)",
    operationId: 'eventsStream',
    permission: 'repo:read',
    requestTimeout: false,
    responses: [
      {
        status: 200,
        description: 'An open text/event-stream',
        content: { 'text/event-stream': { schema: { type: 'string' } } },
      },
    ],
    errors: STREAM_ERRORS,
  })
  stream(
    @Param('repo_id') repoId: string,
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventHeader: string | undefined,
    @Res() response: Response,
  ): void {
    this.registry.record(repoId);
    const selection = parseEventSelection(query.events);
    const lastEventId = lastEventHeader ?? query.last_event_id;
    this.hub.reserve();
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    if (response.req.method === 'HEAD') {
      this.hub.release();
      response.end();
      return;
    }
    // The stream outlives server.write_timeout; heartbeats keep it and its proxies alive.
    response.setTimeout(0);
    response.socket?.setNoDelay(true);
    const client = new SseClient(repoId, response, selection, this.hub.clientBuffer, (ended) =>
      this.hub.remove(ended),
    );
    response.write(`retry: ${RETRY_MS}\n\n`);
    response.write(
      sseBlock('connected', {
        message: 'Event stream connected',
        repository: repoId,
        timestamp: new Date().toISOString(),
      }),
    );
    // Replay and subscription happen in one turn: no event can fall between them.
    if (lastEventId !== undefined && lastEventId !== '') {
      const replay = this.bus.replay(repoId, lastEventId);
      if (replay.gap) client.notice('gap', { last_event_id: lastEventId });
      for (const envelope of replay.events) client.send(envelope);
    }
    this.hub.add(client);
  }

  @Get('watch')
  @Endpoint({
    summary: "Stream the repository's events over a WebSocket (upgrade required)",
    description:
      'A WebSocket (RFC 6455) upgrade. Server frames: {"type":"connected",…}, then ' +
      '{"type":"event", …envelope}. Client frames: {"type":"subscribe","events":[…]}, ' +
      '{"type":"resume","last_event_id":"…"}. Without an upgrade: 426 UPGRADE_REQUIRED.',
    operationId: 'eventsWatch',
    permission: 'repo:read',
    responses: [{ status: 101, description: 'Switching protocols (WebSocket)' }],
    errors: [...REPO_READ_ERRORS, { status: 426, codes: ['UPGRADE_REQUIRED'] }],
  })
  watch(@Param('repo_id') repoId: string): never {
    this.registry.record(repoId);
    throw new HttpError(
      426,
      'UPGRADE_REQUIRED',
      'this endpoint needs a WebSocket upgrade',
      undefined,
      {
        Upgrade: 'websocket',
      },
    );
  }
}
