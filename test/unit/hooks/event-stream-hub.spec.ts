/** The hub of event streams: fan-out by repository, the shared cap, closed and shutdown (§6.5). */
import { EventsConfig } from '../../../src/config/config.schema';
import { ReadinessService } from '../../../src/modules/health/readiness.service';
import type { EventEnvelope } from '../../../src/modules/hooks/domain-event';
import { RepositoryEventBus } from '../../../src/modules/hooks/repository-event-bus';
import { EventStreamHub } from '../../../src/modules/hooks/streams/event-stream-hub';
import type {
  StreamClient,
  StreamEnd,
  StreamKind,
} from '../../../src/modules/hooks/streams/stream-client';

class FakeClient implements StreamClient {
  readonly got: string[] = [];
  ended: StreamEnd | undefined;
  constructor(
    readonly kind: StreamKind,
    readonly repository: string,
    private readonly hub: EventStreamHub,
  ) {}
  send(envelope: EventEnvelope): void {
    this.got.push(envelope.event);
  }
  heartbeat(): void {}
  end(reason: StreamEnd): void {
    this.ended = reason;
    this.hub.remove(this);
  }
}

function setup(max = 3) {
  const bus = new RepositoryEventBus();
  const readiness = new ReadinessService();
  const hub = new EventStreamHub(
    bus,
    Object.assign(new EventsConfig(), { max_connections: max }),
    readiness,
  );
  hub.onApplicationBootstrap();
  const open = (kind: StreamKind, repository: string): FakeClient => {
    hub.reserve();
    const client = new FakeClient(kind, repository, hub);
    hub.add(client);
    return client;
  };
  return { bus, readiness, hub, open };
}

describe('EventStreamHub', () => {
  it('sends each event to the streams of its repository only', () => {
    const { bus, hub, open } = setup();
    const a = open('sse', 'a');
    const b = open('ws', 'b');
    bus.publish({ repository: 'a', event: 'push', data: {}, sender: null });
    expect(a.got).toEqual(['push']);
    expect(b.got).toEqual([]);
    expect([hub.count('sse'), hub.count('ws'), hub.count()]).toEqual([1, 1, 2]);
    hub.beforeApplicationShutdown();
  });

  it('caps SSE and WebSocket streams together, counting reservations', () => {
    const { hub, open } = setup(2);
    open('sse', 'a');
    hub.reserve();
    expect(() => hub.reserve()).toThrow(expect.objectContaining({ code: 'TOO_MANY_STREAMS' }));
    hub.release();
    const ws = open('ws', 'a');
    expect(() => hub.reserve()).toThrow(expect.objectContaining({ code: 'TOO_MANY_STREAMS' }));
    hub.remove(ws);
    expect(() => hub.reserve()).not.toThrow();
    hub.beforeApplicationShutdown();
  });

  it('closes the streams of a deleted repository after the deleted event', () => {
    const { bus, hub, open } = setup();
    const a = open('sse', 'a');
    const other = open('sse', 'b');
    bus.publish({
      repository: 'a',
      event: 'repository',
      data: { action: 'deleted' },
      sender: null,
    });
    expect(a.got).toEqual(['repository']);
    expect(a.ended).toBe('closed');
    expect(other.ended).toBeUndefined();
    expect(hub.count()).toBe(1);
    hub.beforeApplicationShutdown();
  });

  it('ends every stream with shutdown when shutdown starts, and refuses new ones', () => {
    const { readiness, hub, open } = setup();
    const clients = [open('sse', 'a'), open('ws', 'b')];
    readiness.markShuttingDown();
    expect(clients.map((c) => c.ended)).toEqual(['shutdown', 'shutdown']);
    expect(hub.count()).toBe(0);
    expect(() => hub.reserve()).toThrow(expect.objectContaining({ code: 'TOO_MANY_STREAMS' }));
    hub.beforeApplicationShutdown();
  });
});
