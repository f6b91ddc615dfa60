/**
 * A WebSocket event stream (api-contract.md §6.5): `{"type":"event", …envelope}` text frames,
 * a protocol ping per heartbeat (a peer that did not answer the previous one is dropped), the
 * client's `subscribe` and `resume` frames, close 1009 when it falls more than
 * events.client_buffer behind, 4404 when the repository is deleted, 1001 at shutdown.
 */
import type { WebSocket } from 'ws';
import type { EventEnvelope } from '../domain-event';
import type { Replay } from '../repository-event-bus';
import { parseEventSelection } from './event-selection';
import type { EventSelection, StreamClient, StreamEnd } from './stream-client';

export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_REPOSITORY_DELETED = 4404;

export class WsClient implements StreamClient {
  readonly kind = 'ws';
  private alive = true;
  private ended = false;

  constructor(
    readonly repository: string,
    private readonly socket: WebSocket,
    private selection: EventSelection,
    private readonly maxBehind: number,
    private readonly replay: (lastEventId: string) => Replay,
    private readonly onEnd: (client: WsClient) => void,
  ) {
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('message', (data: Buffer, isBinary: boolean) =>
      this.onMessage(isBinary ? '' : data.toString('utf8'), isBinary),
    );
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  start(lastEventId: string | undefined): void {
    this.frame({
      type: 'connected',
      repository: this.repository,
      timestamp: new Date().toISOString(),
    });
    if (lastEventId !== undefined && lastEventId !== '') this.resume(lastEventId);
  }

  send(envelope: EventEnvelope): void {
    if (this.selection !== null && !this.selection.has(envelope.event)) return;
    this.frame({ type: 'event', ...envelope });
  }

  heartbeat(): void {
    if (this.ended) return;
    if (!this.alive) {
      this.socket.terminate();
      this.finish();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  end(reason: StreamEnd): void {
    if (reason === 'closed') this.close(CLOSE_REPOSITORY_DELETED, 'repository deleted');
    else this.close(CLOSE_GOING_AWAY, 'server shutting down');
  }

  /** Ends the stream with `code` (1008 when access was revoked). */
  close(code: number, reason: string): void {
    if (this.ended) return;
    this.socket.close(code, reason);
    this.finish();
  }

  private onMessage(text: string, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    const frame = (typeof message === 'object' && message !== null ? message : {}) as Record<
      string,
      unknown
    >;
    try {
      if (frame.type === 'subscribe' && Array.isArray(frame.events)) {
        this.selection = parseEventSelection(
          frame.events.filter((e): e is string => typeof e === 'string'),
        );
        this.frame({
          type: 'subscribed',
          events: this.selection === null ? ['*'] : [...this.selection],
        });
      } else if (frame.type === 'resume' && typeof frame.last_event_id === 'string') {
        this.resume(frame.last_event_id);
      } else {
        this.frame({ type: 'error', error: 'unknown message', code: 'INVALID_REQUEST' });
      }
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.frame({
        type: 'error',
        error: error instanceof Error ? error.message : String(error),
        code: typeof code === 'string' ? code : 'INVALID_REQUEST',
      });
    }
  }

  private resume(lastEventId: string): void {
    const replay = this.replay(lastEventId);
    if (replay.gap) this.frame({ type: 'gap', last_event_id: lastEventId });
    for (const envelope of replay.events) this.send(envelope);
  }

  private frame(value: unknown): void {
    if (this.ended) return;
    if (this.socket.bufferedAmount > this.maxBehind) {
      this.close(CLOSE_TOO_BIG, 'client too slow');
      return;
    }
    this.socket.send(JSON.stringify(value));
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(this);
  }
}
