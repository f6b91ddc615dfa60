/** Webhook delivery: signatures, retry policy, bounded queue, per-hook order (§6.2). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HooksConfig } from '../../../src/config/config.schema';
import type { EventEnvelope } from '../../../src/modules/hooks/domain-event';
import {
  DeliveryQueue,
  encodeBody,
  isRetryable,
  retryAfterMs,
  retryDelayMs,
  signatureOf,
  type DeliveryResult,
} from '../../../src/modules/hooks/webhooks/delivery-queue';
import { TargetPolicy } from '../../../src/modules/hooks/webhooks/target-policy';
import type { Webhook } from '../../../src/modules/hooks/webhooks/webhook-model';

function config(overrides: Partial<HooksConfig> = {}): HooksConfig {
  return Object.assign(new HooksConfig(), { backoff_base: 10, timeout: 2000 }, overrides);
}

function envelope(n: number): EventEnvelope {
  return { id: `1-${n}`, event: 'push', repository: 'r', timestamp: '', sender: null, data: { n } };
}

function hook(url: string, overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: 'h1',
    repoId: 'r',
    url,
    events: ['*'],
    contentType: 'application/json',
    active: true,
    insecureSsl: false,
    secret: 's3cret',
    createdAt: '',
    updatedAt: '',
    ...overrides,
  };
}

describe('signatures and bodies', () => {
  it("matches GitHub's published HMAC-SHA256 test vector", () => {
    expect(signatureOf("It's a Secret to Everybody", Buffer.from('Hello, World!'))).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('encodes JSON or a form field holding the JSON', () => {
    const json = encodeBody({ contentType: 'application/json' }, envelope(1)).toString();
    expect(JSON.parse(json)).toEqual(envelope(1));
    const form = encodeBody(
      { contentType: 'application/x-www-form-urlencoded' },
      envelope(1),
    ).toString();
    expect(new URLSearchParams(form).get('payload')).toBe(json);
  });
});

describe('retry policy', () => {
  const policy = { backoff_base: 10_000, backoff_max: 600_000 };

  it('doubles the delay per attempt with at most ±20 % jitter, capped by backoff_max', () => {
    expect(retryDelayMs(policy, 1, undefined, 0.5)).toBe(10_000);
    expect(retryDelayMs(policy, 2, undefined, 0.5)).toBe(20_000);
    expect(retryDelayMs(policy, 3, undefined, 0)).toBe(32_000);
    expect(retryDelayMs(policy, 3, undefined, 0.999999)).toBeLessThanOrEqual(48_000);
    expect(retryDelayMs(policy, 3, undefined, 0.999999)).toBeGreaterThan(47_999);
    expect(retryDelayMs(policy, 20, undefined, 0.5)).toBe(600_000);
  });

  it('honours Retry-After (seconds or a date) up to the cap', () => {
    expect(retryDelayMs(policy, 1, '3', 0.5)).toBe(3000);
    expect(retryDelayMs(policy, 1, '100000', 0.5)).toBe(600_000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('retries connect errors, timeouts, 408, 429 and 5xx only, never a forbidden target', () => {
    const response = (statusCode: number, forbidden?: boolean) => ({
      statusCode,
      headers: {},
      body: '',
      durationMs: 0,
      ...(forbidden ? { forbidden } : {}),
    });
    for (const status of [0, 408, 429, 500, 502, 503, 599])
      expect(isRetryable(response(status))).toBe(true);
    for (const status of [301, 302, 400, 401, 404, 410, 422])
      expect(isRetryable(response(status))).toBe(false);
    expect(isRetryable(response(0, true))).toBe(false);
  });
});

describe('DeliveryQueue', () => {
  let server: Server;
  let url: string;
  let statuses: number[];
  const received: Array<{ n: number; signature: string | undefined }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({
          n: (JSON.parse(body) as EventEnvelope).data.n as number,
          signature: request.headers['x-hub-signature-256'] as string | undefined,
        });
        response.writeHead(statuses.shift() ?? 200, { Location: 'http://127.0.0.1:1/' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    statuses = [];
  });

  function queue(overrides: Partial<HooksConfig> = {}) {
    const counted: DeliveryResult[] = [];
    const settled: string[] = [];
    const q = new DeliveryQueue(config(overrides), new TargetPolicy(true, []), {
      counted: (result) => counted.push(result),
      pending: () => undefined,
      settled: (delivery) => settled.push(delivery.id),
    });
    return { q, counted, settled };
  }

  async function drained(q: DeliveryQueue): Promise<void> {
    for (let i = 0; i < 500 && q.depth > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(q.depth).toBe(0);
  }

  it('sends one hook its deliveries in order, one at a time, retrying the head first', async () => {
    const { q, counted } = queue();
    statuses = [500, 200, 200, 200];
    const target = hook(url);
    const deliveries = [1, 2, 3].map((n) => q.enqueue(target, envelope(n)));
    await drained(q);
    expect(received.map((r) => r.n)).toEqual([1, 1, 2, 3]);
    expect(deliveries.map((d) => [d.state, d.attempt])).toEqual([
      ['success', 2],
      ['success', 1],
      ['success', 1],
    ]);
    expect(counted).toEqual(['retry', 'success', 'success', 'success']);
    expect(received[0]!.signature).toBe(
      signatureOf('s3cret', Buffer.from(deliveries[0]!.request.body)),
    );
    q.close();
  });

  it('treats a redirect as a final failure (not followed)', async () => {
    const { q, counted } = queue();
    statuses = [302];
    const delivery = q.enqueue(hook(url), envelope(1));
    await drained(q);
    expect(delivery).toMatchObject({
      state: 'failure',
      statusCode: 302,
      attempt: 1,
      error: 'receiver answered 302',
    });
    expect(received).toHaveLength(1);
    expect(counted).toEqual(['failure']);
    q.close();
  });

  it('records overflow past hooks.queue_size as dropped, without sending it', async () => {
    const { q, counted } = queue({ queue_size: 2 });
    const target = hook(url);
    const kept = [q.enqueue(target, envelope(1)), q.enqueue(target, envelope(2))];
    const dropped = q.enqueue(target, envelope(3));
    expect(dropped).toMatchObject({ state: 'failure', error: 'queue full', attempt: 0 });
    await drained(q);
    expect(kept.map((d) => d.state)).toEqual(['success', 'success']);
    expect(received.map((r) => r.n)).toEqual([1, 2]);
    expect(counted).toContain('dropped');
    expect(q.log('h1').map((d) => d.id)).toEqual([dropped.id, kept[1]!.id, kept[0]!.id]);
    q.close();
  });

  it('keeps only hooks.delivery_retention deliveries per hook', async () => {
    const { q } = queue({ delivery_retention: 2 });
    const target = hook(url, { secret: null });
    for (let n = 1; n <= 4; n++) q.enqueue(target, envelope(n));
    await drained(q);
    expect(q.log('h1')).toHaveLength(2);
    expect(received.every((r) => r.signature === undefined)).toBe(true);
    q.close();
  });

  it('fails a delivery to a blocked address without sending or retrying it', async () => {
    const counted: DeliveryResult[] = [];
    const q = new DeliveryQueue(config(), new TargetPolicy(false, []), {
      counted: (result) => counted.push(result),
      pending: () => undefined,
      settled: () => undefined,
    });
    const delivery = q.enqueue(hook(url), envelope(1));
    await drained(q);
    expect(delivery).toMatchObject({
      state: 'failure',
      error: 'target address forbidden',
      attempt: 1,
    });
    expect(counted).toEqual(['blocked']);
    expect(received).toHaveLength(0);
    q.close();
  });
});
