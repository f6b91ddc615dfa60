/**
 * The one in-process channel for domain events (api-contract.md §6.4–6.5): producers publish
 * after a change is durable; webhooks, event streams and the audit trail subscribe. Publishing
 * never waits for a subscriber and a throwing subscriber never reaches the producer.
 */
import { Injectable, Logger } from '@nestjs/common';
import type { DomainEvent, EventEnvelope } from './domain-event';

export type EventListener = (envelope: EventEnvelope) => void;

@Injectable()
export class RepositoryEventBus {
  private readonly logger = new Logger('Events');
  private readonly listeners = new Set<EventListener>();
  /** Per repository: last id's millisecond and sequence, so ids only increase. */
  private readonly clocks = new Map<string, { ms: number; seq: number }>();

  publish(event: DomainEvent): EventEnvelope {
    const now = Date.now();
    const clock = this.clocks.get(event.repository) ?? { ms: 0, seq: 0 };
    if (now > clock.ms) {
      clock.ms = now;
      clock.seq = 0;
    } else {
      clock.seq += 1;
    }
    this.clocks.set(event.repository, clock);
    const envelope: EventEnvelope = {
      id: `${clock.ms}-${clock.seq}`,
      event: event.event,
      repository: event.repository,
      timestamp: new Date(now).toISOString(),
      sender: event.sender,
      data: event.data,
    };
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

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
