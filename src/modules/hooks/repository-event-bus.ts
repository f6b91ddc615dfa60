/**
 * The one in-process channel for domain events (api-contract.md §6.4–6.5): producers publish
 * after a change is durable; webhooks, event streams and the audit trail subscribe. Publishing
 * never waits for a subscriber and a throwing subscriber never reaches the producer.
 *
 * Each repository keeps its last `events.replay_buffer` events, none older than
 * `events.replay_window`, so a stream can resume from a `Last-Event-ID` (`replay`). The buffer
 * remembers the newest id it has dropped, which is how a resume learns that it missed events.
 */
import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventsConfig } from '../../config/config.schema';
import type { DomainEvent, EventEnvelope } from './domain-event';

export type EventListener = (envelope: EventEnvelope) => void;

/** An event id `<unix-ms>-<seq>` as two numbers, or undefined when malformed. */
export function parseEventId(id: string): { ms: number; seq: number } | undefined {
  const match = /^(\d{1,16})-(\d{1,9})$/.exec(id);
  if (match === null) return undefined;
  return { ms: Number(match[1]), seq: Number(match[2]) };
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareEventIds(
  a: { ms: number; seq: number },
  b: { ms: number; seq: number },
): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.seq - b.seq;
}

export interface Replay {
  /** Buffered events newer than the id, oldest first. */
  readonly events: readonly EventEnvelope[];
  /** True when events newer than the id may have left the buffer (or the id is malformed). */
  readonly gap: boolean;
}

interface RepositoryLog {
  ms: number;
  seq: number;
  /** Oldest first; bounded by replay_buffer. */
  readonly buffered: EventEnvelope[];
  /** The newest id dropped from `buffered`, if any. */
  dropped: { ms: number; seq: number } | undefined;
}

@Injectable()
export class RepositoryEventBus {
  private readonly logger = new Logger('Events');
  private readonly listeners = new Set<EventListener>();
  private readonly logs = new Map<string, RepositoryLog>();
  private readonly capacity: number;
  private readonly window: number;

  constructor(@Optional() config?: EventsConfig) {
    const settings = config ?? new EventsConfig();
    this.capacity = settings.replay_buffer;
    this.window = settings.replay_window;
  }

  /** Gives the event its id and time, buffers it for resume and hands it to every listener. */
  publish(event: DomainEvent): EventEnvelope {
    const envelope = this.stamp(event);
    const log = this.logOf(event.repository);
    if (this.capacity > 0) log.buffered.push(envelope);
    else log.dropped = { ms: log.ms, seq: log.seq };
    this.trim(log, Date.now());
    for (const listener of this.listeners) {
      try {
        listener(envelope);
      } catch (error) {
        this.logger.error(
          `event listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return envelope;
  }

  /**
   * An envelope with the repository's next id, neither buffered nor broadcast: for events that
   * go to one webhook only (`ping`, the v2 execute route).
   */
  stamp(event: DomainEvent): EventEnvelope {
    const now = Date.now();
    const log = this.logOf(event.repository);
    if (now > log.ms) {
      log.ms = now;
      log.seq = 0;
    } else {
      log.seq += 1;
    }
    return {
      id: `${log.ms}-${log.seq}`,
      event: event.event,
      repository: event.repository,
      timestamp: new Date(now).toISOString(),
      sender: event.sender,
      data: event.data,
    };
  }

  /** Buffered events of `repository` after `lastEventId`, and whether some were missed. */
  replay(repository: string, lastEventId: string): Replay {
    const last = parseEventId(lastEventId);
    const log = this.logs.get(repository);
    if (last === undefined) return { events: [], gap: true };
    if (log === undefined) return { events: [], gap: false };
    this.trim(log, Date.now());
    const gap = log.dropped !== undefined && compareEventIds(last, log.dropped) < 0;
    const events = log.buffered.filter(
      (envelope) => compareEventIds(parseEventId(envelope.id) ?? last, last) > 0,
    );
    return { events, gap };
  }

  /** Drops a deleted repository's buffer; its id clock stays, so ids keep increasing. */
  forget(repository: string): void {
    const log = this.logs.get(repository);
    if (log === undefined) return;
    log.dropped = { ms: log.ms, seq: log.seq };
    log.buffered.length = 0;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private logOf(repository: string): RepositoryLog {
    let log = this.logs.get(repository);
    if (log === undefined) {
      log = { ms: 0, seq: 0, buffered: [], dropped: undefined };
      this.logs.set(repository, log);
    }
    return log;
  }

  /** Drops events past the count or older than the window (the window 0 keeps any age). */
  private trim(log: RepositoryLog, now: number): void {
    let drop = Math.max(0, log.buffered.length - this.capacity);
    if (this.window > 0) {
      const oldest = now - this.window;
      while (drop < log.buffered.length && Date.parse(log.buffered[drop]!.timestamp) < oldest) {
        drop++;
      }
    }
    if (drop === 0) return;
    const newestDropped = log.buffered[drop - 1]!;
    log.dropped = parseEventId(newestDropped.id);
    log.buffered.splice(0, drop);
  }
}
