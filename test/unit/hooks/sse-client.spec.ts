/** One SSE stream: framing, filter, overflow, end (api-contract.md §6.5). */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { EventEnvelope } from '../../../src/modules/hooks/domain-event';
import { parseEventSelection } from '../../../src/modules/hooks/streams/event-selection';
import { SseClient, sseBlock } from '../../../src/modules/hooks/streams/sse-client';

class FakeResponse extends EventEmitter {
  written = '';
  writableLength = 0;
  ended = false;
  write(text: string): boolean {
    this.written += text;
    return true;
  }
  end(text = ''): this {
    this.written += text;
    this.ended = true;
    return this;
  }
}

const envelope = (event: EventEnvelope['event'], id = '5-0'): EventEnvelope => ({
  id,
  event,
  repository: 'r',
  timestamp: 't',
  sender: null,
  data: { a: 'line\nbreak' },
});

function client(selection: string | undefined, maxBehind = 1000) {
  const response = new FakeResponse();
  const ended: SseClient[] = [];
  const sse = new SseClient(
    'r',
    response as unknown as ServerResponse,
    parseEventSelection(selection),
    maxBehind,
    (c) => ended.push(c),
  );
  return { response, sse, ended };
}

describe('SseClient', () => {
  it('writes id, event and one-line JSON data, filtered by ?events=', () => {
    const { response, sse } = client('push,post-commit');
    sse.send(envelope('push'));
    sse.send(envelope('tag'));
    sse.send(envelope('commit', '5-1'));
    expect(response.written).toBe(
      sseBlock('push', envelope('push'), '5-0') +
        sseBlock('commit', envelope('commit', '5-1'), '5-1'),
    );
    expect(response.written.split('\n\n')[0]!.split('\n')).toHaveLength(3);
  });

  it('sends overflow and ends when the client is too far behind', () => {
    const { response, sse, ended } = client(undefined, 10);
    response.writableLength = 11;
    sse.send(envelope('push'));
    expect(response.written).toContain('event: overflow');
    expect(response.ended).toBe(true);
    expect(ended).toEqual([sse]);
    sse.send(envelope('push'));
    expect(response.written.match(/event:/g)).toHaveLength(1);
  });

  it('ends with closed or shutdown once, and reports a client that left', () => {
    const { response, sse, ended } = client(undefined);
    sse.heartbeat(new Date('2026-01-02T03:04:05.678Z'));
    expect(response.written).toBe(': heartbeat 2026-01-02T03:04:05Z\n\n');
    sse.end('closed');
    sse.end('shutdown');
    expect(response.written.match(/event: closed/g)).toHaveLength(1);
    expect(response.written).not.toContain('shutdown');
    expect(ended).toHaveLength(1);

    const other = client(undefined);
    other.response.emit('close');
    expect(other.ended).toEqual([other.sse]);
  });

  it('rejects unknown event names and treats * as everything', () => {
    expect(() => parseEventSelection('push,nope')).toThrow(
      expect.objectContaining({ code: 'INVALID_EVENT' }),
    );
    expect(parseEventSelection('push,*')).toBeNull();
    expect(parseEventSelection(' , ')).toBeNull();
    expect(parseEventSelection('post-receive')).toEqual(new Set(['push']));
  });
});
