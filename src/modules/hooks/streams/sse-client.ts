/**
 * A Server-Sent Events stream (api-contract.md §6.5) on an HTTP response: `id`/`event`/`data`
 * blocks, `: heartbeat` comments, and `overflow` then the end when the client is more than
 * events.client_buffer bytes behind (the socket's unsent bytes).
 */
import type { ServerResponse } from 'node:http';
import type { EventEnvelope } from '../domain-event';
import type { EventSelection, StreamClient, StreamEnd } from './stream-client';

/** One SSE block; `data` is JSON on one line (JSON.stringify never emits raw newlines). */
export function sseBlock(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class SseClient implements StreamClient {
  readonly kind = 'sse';
  private ended = false;

  constructor(
    readonly repository: string,
    private readonly response: ServerResponse,
    private readonly selection: EventSelection,
    private readonly maxBehind: number,
    private readonly onEnd: (client: SseClient) => void,
  ) {
    response.on('close', () => this.finish());
  }

  send(envelope: EventEnvelope): void {
    if (this.selection !== null && !this.selection.has(envelope.event)) return;
    this.write(sseBlock(envelope.event, envelope, envelope.id));
  }

  /** Sends a block whatever the filter says (gap notices). */
  notice(event: string, data: unknown): void {
    this.write(sseBlock(event, data));
  }

  heartbeat(now: Date): void {
    this.write(`: heartbeat ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}\n\n`);
  }

  end(reason: StreamEnd): void {
    if (this.ended) return;
    const message = reason === 'closed' ? 'repository deleted' : 'server shutting down';
    this.response.end(sseBlock(reason, { message, repository: this.repository }));
    this.finish();
  }

  private write(text: string): void {
    if (this.ended) return;
    if (this.response.writableLength > this.maxBehind) {
      this.response.end(
        sseBlock('overflow', { message: 'client too slow; reconnect with Last-Event-ID' }),
      );
      this.finish();
      return;
    }
    this.response.write(text);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(this);
  }
}
