/**
 * One open event stream, SSE or WebSocket (api-contract.md §6.5), as the hub drives it. Clients
 * keep only what they need (the transport, the repository, the filter), so thousands of idle
 * ones cost little beyond their sockets.
 */
import type { EventEnvelope } from '../domain-event';

export type StreamKind = 'sse' | 'ws';
/** Why the server ends a stream: the repository was deleted, or the server is stopping. */
export type StreamEnd = 'closed' | 'shutdown';

export interface StreamClient {
  readonly kind: StreamKind;
  readonly repository: string;
  /** Sends an event if the client's filter wants it. */
  send(envelope: EventEnvelope): void;
  /** Keep-alive (SSE comment, WebSocket ping); also where dead peers are found. */
  heartbeat(now: Date): void;
  end(reason: StreamEnd): void;
}

/** A `?events=a,b` (or subscribe list) as canonical names; null = everything. */
export type EventSelection = ReadonlySet<string> | null;
