/**
 * Every open event stream of the server (api-contract.md §6.5): the one bus listener that fans
 * events out to the streams of their repository, one heartbeat timer for all of them (not one
 * per stream), the events.max_connections cap shared by SSE and WebSocket, `closed` when a
 * repository is deleted and `shutdown` when the server stops (as soon as shutdown starts, so
 * the HTTP drain does not wait for streams that never end by themselves).
 */
import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventsConfig } from '../../../config/config.schema';
import { addGaugeSource } from '../../../metrics/gauge-sources';
import { ReadinessService } from '../../health/readiness.service';
import type { EventEnvelope } from '../domain-event';
import { SSE_CONNECTIONS, WS_CONNECTIONS } from '../hooks-metrics';
import { RepositoryEventBus } from '../repository-event-bus';
import { TooManyStreamsError } from '../webhooks/webhook-errors';
import type { StreamClient, StreamKind } from './stream-client';

@Injectable()
export class EventStreamHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly byRepository = new Map<string, Set<StreamClient>>();
  private readonly counts: Record<StreamKind, number> = { sse: 0, ws: 0 };
  /** Slots taken by streams being set up (a WebSocket handshake) and not yet added. */
  private reserved = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly bus: RepositoryEventBus,
    private readonly config: EventsConfig,
    private readonly readiness: ReadinessService,
  ) {}

  onApplicationBootstrap(): void {
    this.cleanups.push(
      this.bus.subscribe((envelope) => this.dispatch(envelope)),
      this.readiness.onShuttingDown(() => this.shutdown()),
      addGaugeSource(SSE_CONNECTIONS, () => this.counts.sse),
      addGaugeSource(WS_CONNECTIONS, () => this.counts.ws),
    );
    this.timer = setInterval(() => this.heartbeat(), this.config.heartbeat_interval);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    this.shutdown();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  get heartbeatInterval(): number {
    return this.config.heartbeat_interval;
  }

  get clientBuffer(): number {
    return this.config.client_buffer;
  }

  /** Open streams of one kind, or of both. */
  count(kind?: StreamKind): number {
    return kind === undefined ? this.counts.sse + this.counts.ws : this.counts[kind];
  }

  /**
   * Takes a slot for a new stream; TooManyStreamsError past events.max_connections (or while
   * stopping). Pair with `add` or `release`.
   */
  reserve(): void {
    if (this.stopping || this.count() + this.reserved >= this.config.max_connections) {
      throw new TooManyStreamsError(this.config.max_connections);
    }
    this.reserved++;
  }

  release(): void {
    this.reserved = Math.max(0, this.reserved - 1);
  }

  /** Adds a stream whose slot was reserved; it gets every later event of its repository. */
  add(client: StreamClient): void {
    this.release();
    let clients = this.byRepository.get(client.repository);
    if (clients === undefined) {
      clients = new Set();
      this.byRepository.set(client.repository, clients);
    }
    clients.add(client);
    this.counts[client.kind]++;
  }

  /** Forgets a stream (it ended or its client left); unknown clients are ignored. */
  remove(client: StreamClient): void {
    const clients = this.byRepository.get(client.repository);
    if (clients === undefined || !clients.delete(client)) return;
    this.counts[client.kind]--;
    if (clients.size === 0) this.byRepository.delete(client.repository);
  }

  /** Ends every stream with `shutdown`; later connections are refused. */
  shutdown(): void {
    this.stopping = true;
    clearInterval(this.timer);
    for (const clients of [...this.byRepository.values()]) {
      for (const client of [...clients]) client.end('shutdown');
    }
  }

  private dispatch(envelope: EventEnvelope): void {
    const clients = this.byRepository.get(envelope.repository);
    if (clients === undefined) return;
    for (const client of [...clients]) client.send(envelope);
    if (envelope.event === 'repository' && envelope.data.action === 'deleted') {
      for (const client of [...clients]) client.end('closed');
    }
  }

  private heartbeat(): void {
    const now = new Date();
    for (const clients of [...this.byRepository.values()]) {
      for (const client of [...clients]) client.heartbeat(now);
    }
  }
}
