/** The event bus: ids, the replay buffer and gaps (api-contract.md §6.5). */
import { EventsConfig } from '../../../src/config/config.schema';
import type { EventEnvelope } from '../../../src/modules/hooks/domain-event';
import { RepositoryEventBus, parseEventId } from '../../../src/modules/hooks/repository-event-bus';

function bus(overrides: Partial<EventsConfig> = {}): RepositoryEventBus {
  return new RepositoryEventBus(Object.assign(new EventsConfig(), overrides));
}

const publish = (target: RepositoryEventBus, repository = 'r', n = 0): EventEnvelope =>
  target.publish({ repository, event: 'push', data: { n }, sender: null });

describe('RepositoryEventBus', () => {
  afterEach(() => jest.useRealTimers());

  it('gives ids that increase per repository and hands events to listeners', () => {
    const target = bus();
    const seen: string[] = [];
    const stop = target.subscribe((e) => seen.push(e.id));
    const ids = [publish(target), publish(target), publish(target, 'other'), publish(target)].map(
      (e) => e.id,
    );
    stop();
    publish(target);
    expect(seen).toEqual(ids);
    const mine = [ids[0], ids[1], ids[3]].map((id) => parseEventId(id!)!);
    for (let i = 1; i < mine.length; i++) {
      const [a, b] = [mine[i - 1]!, mine[i]!];
      expect(b.ms > a.ms || (b.ms === a.ms && b.seq > a.seq)).toBe(true);
    }
  });

  it('keeps a throwing listener away from the producer and the other listeners', () => {
    const target = bus();
    const seen: number[] = [];
    target.subscribe(() => {
      throw new Error('boom');
    });
    target.subscribe((e) => seen.push(e.data.n as number));
    expect(() => publish(target, 'r', 7)).not.toThrow();
    expect(seen).toEqual([7]);
  });

  it('replays the events after an id, without a gap while nothing was dropped', () => {
    const target = bus({ replay_buffer: 3 });
    const [a, b, c] = [publish(target, 'r', 1), publish(target, 'r', 2), publish(target, 'r', 3)];
    expect(target.replay('r', a.id)).toEqual({ events: [b, c], gap: false });
    expect(target.replay('r', c.id)).toEqual({ events: [], gap: false });
    expect(target.replay('unknown', a.id)).toEqual({ events: [], gap: false });
    const d = publish(target, 'r', 4);
    // a left the buffer: resuming after it is complete (b, c, d); resuming before it is not.
    expect(target.replay('r', a.id)).toEqual({ events: [b, c, d], gap: false });
    const older = `${parseEventId(a.id)!.ms - 1}-0`;
    expect(target.replay('r', older)).toEqual({ events: [b, c, d], gap: true });
    expect(target.replay('r', 'garbage')).toEqual({ events: [], gap: true });
  });

  it('drops events older than events.replay_window', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const target = bus({ replay_window: 1000 });
    const old = publish(target, 'r', 1);
    jest.setSystemTime(1_000_500);
    const recent = publish(target, 'r', 2);
    jest.setSystemTime(1_001_200);
    expect(target.replay('r', old.id)).toEqual({ events: [recent], gap: false });
    jest.setSystemTime(1_002_000);
    expect(target.replay('r', old.id)).toEqual({ events: [], gap: true });
  });

  it('forgets a deleted repository but keeps its ids increasing', () => {
    const target = bus();
    const before = publish(target);
    target.forget('r');
    expect(target.replay('r', before.id)).toEqual({ events: [], gap: false });
    const after = publish(target);
    const [x, y] = [parseEventId(before.id)!, parseEventId(after.id)!];
    expect(y.ms > x.ms || (y.ms === x.ms && y.seq > x.seq)).toBe(true);
  });

  it('stamps envelopes (ping) without buffering or broadcasting them', () => {
    const target = bus();
    const seen: string[] = [];
    target.subscribe((e) => seen.push(e.id));
    const first = publish(target);
    const ping = target.stamp({ repository: 'r', event: 'ping', data: {}, sender: null });
    expect(seen).toEqual([first.id]);
    expect(target.replay('r', first.id).events).toEqual([]);
    expect(ping.id).not.toBe(first.id);
  });
});
