/** Event streams (api-contract.md §6.5): SSE and WebSocket, live, filtered and resumed. */
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { WebSocket } from 'ws';
import { commitFiles, createRepo } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

interface SseBlock {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly comment?: string;
  readonly retry?: string;
}

/** An SSE client over node:http that parses blocks as they arrive. */
class SseReader {
  readonly blocks: SseBlock[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  ended = false;
  private buffer = '';
  private response: IncomingMessage | undefined;
  private waiters: Array<() => void> = [];

  static open(
    base: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<SseReader> {
    const reader = new SseReader();
    return new Promise((resolve, reject) => {
      const req = get(`${base}${path}`, { headers }, (response) => {
        reader.response = response;
        reader.status = response.statusCode ?? 0;
        reader.headers = response.headers;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => reader.push(chunk));
        response.on('end', () => {
          reader.ended = true;
          reader.wake();
        });
        resolve(reader);
      });
      req.on('error', reject);
    });
  }

  /** Events (not comments) seen so far. */
  events(): SseBlock[] {
    return this.blocks.filter((block) => block.event !== undefined);
  }

  async until(check: (reader: SseReader) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!check(this)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.response?.destroy();
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const block: Record<string, string> = {};
      for (const line of text.split('\n')) {
        if (line.startsWith(':')) block.comment = line.slice(1).trim();
        else {
          const colon = line.indexOf(': ');
          block[line.slice(0, colon)] = line.slice(colon + 2);
        }
      }
      this.blocks.push(block);
    }
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** An envelope, or the `connected` block (which has no `data`). */
function parseEnvelope(text: string): { id: string; data?: Record<string, unknown> } {
  return JSON.parse(text) as { id: string; data?: Record<string, unknown> };
}

/** A WebSocket client collecting JSON frames. */
class WsReader {
  readonly frames: Array<Record<string, unknown>> = [];
  closeCode: number | undefined;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.frames.push(JSON.parse(data.toString('utf8'))));
    socket.on('close', (code) => {
      this.closeCode = code;
    });
  }

  static open(url: string): Promise<WsReader> {
    const socket = new WebSocket(url);
    const reader = new WsReader(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(reader));
      socket.once('error', reject);
    });
  }

  events(): Array<Record<string, unknown>> {
    return this.frames.filter((frame) => frame.type === 'event');
  }

  async until(check: (reader: WsReader) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!check(this)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** The status and body of a refused WebSocket upgrade. */
function refusedUpgrade(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_req, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.on('open', () => reject(new Error('upgrade accepted')));
    socket.on('error', () => undefined);
  });
}

describe('event streams (e2e)', () => {
  let app: NestExpressApplication;
  let base: string;
  let ws: string;
  let seq = 0;

  beforeAll(async () => {
    app = await startTestApp({
      GOVC_EVENTS_HEARTBEAT_INTERVAL: '100ms',
      GOVC_EVENTS_REPLAY_BUFFER: '5',
    });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    ws = `ws://127.0.0.1:${port}`;
  });
  afterAll(() => app.close());

  async function repo(): Promise<string> {
    const id = `ev${++seq}`;
    await createRepo(app, id);
    return id;
  }
  const branch = (id: string, name: string) =>
    request(app.getHttpServer()).post(`/api/v1/repos/${id}/branches`).send({ name }).expect(201);

  it('SSE: headers, retry, connected, then every event in order with ids, and heartbeats', async () => {
    const id = await repo();
    await commitFiles(app, id, { 'a.txt': 'a\n' });
    const sse = await SseReader.open(base, `/api/v1/repos/${id}/events`);
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(sse.headers['cache-control']).toBe('no-cache');
    expect(sse.headers['x-accel-buffering']).toBe('no');
    await sse.until((r) => r.events().length >= 1, 'connected');
    expect(sse.blocks[0]).toEqual({ retry: '3000' });
    const connected = sse.events()[0]!;
    expect(connected.event).toBe('connected');
    expect(JSON.parse(connected.data!)).toEqual({
      message: 'Event stream connected',
      repository: id,
      timestamp: expect.any(String),
    });
    for (const name of ['b1', 'b2', 'b3']) await branch(id, name);
    await sse.until((r) => r.events().length >= 7, 'three branch and three push events');
    const events = sse.events().slice(1);
    expect(events.map((e) => e.event)).toEqual([
      'branch',
      'push',
      'branch',
      'push',
      'branch',
      'push',
    ]);
    const envelopes = events.map((e) => parseEnvelope(e.data!));
    expect(envelopes.map((e) => e.data?.name ?? e.data?.ref)).toEqual([
      'b1',
      'refs/heads/b1',
      'b2',
      'refs/heads/b2',
      'b3',
      'refs/heads/b3',
    ]);
    for (const [i, event] of events.entries()) expect(event.id).toBe(envelopes[i]!.id);
    const ids = events.map((e) => e.id!.split('-').map(Number));
    for (let i = 1; i < ids.length; i++) {
      const [ms, s] = ids[i]!;
      const [pms, ps] = ids[i - 1]!;
      expect(ms! > pms! || (ms === pms && s! > ps!)).toBe(true);
    }
    await sse.until(
      (r) => r.blocks.some((b) => b.comment?.startsWith('heartbeat ')),
      'a heartbeat',
    );
    sse.close();
  });

  it('SSE: ?events= filters, and Last-Event-ID (or ?last_event_id=) replays what was missed', async () => {
    const id = await repo();
    await commitFiles(app, id, { 'a.txt': 'a\n' });
    const filtered = await SseReader.open(base, `/api/v1/repos/${id}/events?events=branch`);
    await branch(id, 'x1');
    await filtered.until((r) => r.events().length >= 2, 'the branch event');
    const seen = JSON.parse(filtered.events()[1]!.data!);
    filtered.close();
    await branch(id, 'x2');
    // Resume after the first branch event: its push and everything after it come back.
    const resumed = await SseReader.open(base, `/api/v1/repos/${id}/events`, {
      'Last-Event-ID': seen.id,
    });
    await resumed.until((r) => r.events().length >= 4, 'the replay');
    expect(resumed.events().map((e) => e.event)).toEqual(['connected', 'push', 'branch', 'push']);
    expect(JSON.parse(resumed.events()[2]!.data!).data.name).toBe('x2');
    await branch(id, 'x3');
    await resumed.until((r) => r.events().length >= 6, 'live events after the replay');
    resumed.close();
    const byQuery = await SseReader.open(
      base,
      `/api/v1/repos/${id}/events?last_event_id=${seen.id}&events=branch`,
    );
    await byQuery.until((r) => r.events().length >= 3, 'the filtered replay');
    expect(byQuery.events().map((e) => parseEnvelope(e.data!).data?.name)).toEqual([
      undefined,
      'x2',
      'x3',
    ]);
    byQuery.close();
  });

  it('SSE: a resume from an id that left the buffer gets a gap notice first', async () => {
    const id = await repo();
    await commitFiles(app, id, { 'a.txt': 'a\n' });
    const first = await SseReader.open(base, `/api/v1/repos/${id}/events`);
    await branch(id, 'g0');
    await first.until((r) => r.events().length >= 2, 'the first event');
    const oldest = JSON.parse(first.events()[1]!.data!).id as string;
    first.close();
    for (let i = 1; i <= 4; i++) await branch(id, `g${i}`);
    const resumed = await SseReader.open(base, `/api/v1/repos/${id}/events`, {
      'Last-Event-ID': oldest,
    });
    await resumed.until((r) => r.events().length >= 7, 'gap and the buffered events');
    expect(resumed.events()[1]).toEqual({
      event: 'gap',
      data: JSON.stringify({ last_event_id: oldest }),
    });
    expect(
      resumed
        .events()
        .slice(2)
        .map((e) => e.event),
    ).toEqual(['push', 'branch', 'push', 'branch', 'push']);
    resumed.close();
  });

  it('SSE: a deleted repository sends deleted, then closed, and ends the stream', async () => {
    const id = await repo();
    const sse = await SseReader.open(base, `/api/v1/repos/${id}/events`);
    await sse.until((r) => r.events().length >= 1, 'connected');
    await request(app.getHttpServer()).delete(`/api/v1/repos/${id}`).expect(200);
    await sse.until((r) => r.ended, 'the end of the stream');
    expect(sse.events().map((e) => e.event)).toEqual(['connected', 'repository', 'closed']);
  });

  it('SSE: unknown repository 404, unknown event name 400, HEAD answers the headers only', async () => {
    const missing = await request(app.getHttpServer()).get('/api/v1/repos/none/events').expect(404);
    expect(missing.body.code).toBe('REPO_NOT_FOUND');
    const id = await repo();
    const bad = await request(app.getHttpServer())
      .get(`/api/v1/repos/${id}/events?events=nope`)
      .expect(400);
    expect(bad.body.code).toBe('INVALID_EVENT');
    const head = await request(app.getHttpServer()).head(`/api/v1/repos/${id}/events`).expect(200);
    expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  });

  it('WebSocket: connected, events in order, subscribe, resume', async () => {
    const id = await repo();
    await commitFiles(app, id, { 'a.txt': 'a\n' });
    const client = await WsReader.open(`${ws}/api/v1/repos/${id}/watch`);
    await client.until((r) => r.frames.length >= 1, 'connected');
    expect(client.frames[0]).toEqual({
      type: 'connected',
      repository: id,
      timestamp: expect.any(String),
    });
    await branch(id, 'w1');
    await branch(id, 'w2');
    await client.until((r) => r.events().length >= 4, 'four events');
    expect(client.events().map((f) => f.event)).toEqual(['branch', 'push', 'branch', 'push']);
    expect(client.events()[0]).toMatchObject({
      type: 'event',
      repository: id,
      data: { name: 'w1' },
    });
    const firstId = client.events()[0]!.id as string;

    client.socket.send(JSON.stringify({ type: 'subscribe', events: ['branch'] }));
    await client.until((r) => r.frames.some((f) => f.type === 'subscribed'), 'subscribed');
    await branch(id, 'w3');
    client.socket.send(JSON.stringify({ type: 'resume', last_event_id: firstId }));
    await client.until((r) => r.events().length >= 7, 'the replay');
    expect(
      client
        .events()
        .slice(4)
        .map((f) => (f.data as { name: string }).name),
    ).toEqual(['w3', 'w2', 'w3']);
    client.socket.close();

    const resumed = await WsReader.open(
      `${ws}/api/v1/repos/${id}/watch?last_event_id=${firstId}&events=push`,
    );
    await resumed.until((r) => r.events().length >= 3, 'the replay on connect');
    expect(resumed.events().map((f) => (f.data as { ref: string }).ref)).toEqual([
      'refs/heads/w1',
      'refs/heads/w2',
      'refs/heads/w3',
    ]);
    resumed.socket.close();
  });

  it('WebSocket: 426 without an upgrade, 404 for an unknown repository, 4404 on deletion', async () => {
    const id = await repo();
    const plain = await request(app.getHttpServer()).get(`/api/v1/repos/${id}/watch`).expect(426);
    expect(plain.body).toEqual({
      error: 'this endpoint needs a WebSocket upgrade',
      code: 'UPGRADE_REQUIRED',
    });
    const refused = await refusedUpgrade(`${ws}/api/v1/repos/none/watch`);
    expect(refused.status).toBe(404);
    expect(JSON.parse(refused.body).code).toBe('REPO_NOT_FOUND');
    const client = await WsReader.open(`${ws}/api/v1/repos/${id}/watch`);
    await client.until((r) => r.frames.length >= 1, 'connected');
    await request(app.getHttpServer()).delete(`/api/v1/repos/${id}`).expect(200);
    await client.until((r) => r.closeCode !== undefined, 'the close');
    expect(client.closeCode).toBe(4404);
    expect(client.events().map((f) => f.event)).toEqual(['repository']);
  });
});

describe('event stream limits and shutdown (e2e)', () => {
  it('answers 503 TOO_MANY_STREAMS past events.max_connections and sends shutdown on close', async () => {
    const app = await startTestApp({ GOVC_EVENTS_MAX_CONNECTIONS: '2' });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    await createRepo(app, 'limits');
    const first = await SseReader.open(base, '/api/v1/repos/limits/events');
    const second = await WsReader.open(`ws://127.0.0.1:${port}/api/v1/repos/limits/watch`);
    const third = await SseReader.open(base, '/api/v1/repos/limits/events');
    expect(third.status).toBe(503);
    await third.until((r) => r.ended, 'the refusal body');
    const refused = await refusedUpgrade(`ws://127.0.0.1:${port}/api/v1/repos/limits/watch`);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).code).toBe('TOO_MANY_STREAMS');
    await first.until((r) => r.events().length >= 1, 'connected');
    await app.close();
    await first.until((r) => r.ended, 'the end of the stream');
    expect(first.events().map((e) => e.event)).toEqual(['connected', 'shutdown']);
    await second.until((r) => r.closeCode !== undefined, 'the close');
    expect(second.closeCode).toBe(1001);
  });
});
