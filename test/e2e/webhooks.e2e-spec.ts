/** Webhooks (api-contract.md §6.1–6.3): registration, real deliveries to a local receiver. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createRepo, commitFiles, HASH, SERVER_TIME } from '../support/repo-fixture';
import { WebhooksService } from '../../src/modules/hooks/webhooks/webhooks.service';
import { startTestApp } from '../support/test-app';
import { WebhookReceiver } from './webhook-receiver';

const SECRET = 'It is a secret to everybody';

function sign(body: Buffer, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('webhooks (e2e)', () => {
  let app: NestExpressApplication;
  let receiver: WebhookReceiver;
  let target: string;
  let seq = 0;

  beforeAll(async () => {
    app = await startTestApp({
      GOVC_HOOKS_ALLOW_PRIVATE_TARGETS: 'true',
      GOVC_HOOKS_BACKOFF_BASE: '50ms',
      GOVC_HOOKS_MAX_PER_REPO: '3',
      GOVC_HOOKS_MAX_ATTEMPTS: '3',
    });
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    receiver = new WebhookReceiver();
    target = await receiver.start();
  });
  afterEach(() => receiver.stop());

  const http = () => request(app.getHttpServer());
  async function repo(): Promise<string> {
    const id = `wh${++seq}`;
    await createRepo(app, id);
    return id;
  }
  async function hook(id: string, body: Record<string, unknown> = {}): Promise<string> {
    const res = await http()
      .post(`/api/v1/repos/${id}/hooks`)
      .send({ url: target, secret: SECRET, ...body })
      .expect(201);
    return res.body.id as string;
  }
  async function commitOverHttp(id: string, path: string): Promise<string> {
    await http()
      .post(`/api/v1/repos/${id}/add`)
      .send({ path, content: `${path}\n` })
      .expect(201);
    const res = await http().post(`/api/v1/repos/${id}/commit`).send({ message: path }).expect(201);
    return res.body.hash as string;
  }

  it('registers, lists, updates and deletes a webhook; the secret is never returned', async () => {
    const id = await repo();
    const created = await http()
      .post(`/api/v1/repos/${id}/hooks`)
      .send({ url: target, events: ['post-commit', 'push', 'push'], secret: SECRET })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: target,
      events: ['commit', 'push'],
      content_type: 'application/json',
      active: true,
      insecure_ssl: false,
      has_secret: true,
      created_at: expect.stringMatching(SERVER_TIME),
      updated_at: expect.stringMatching(SERVER_TIME),
    });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);
    const hookId = created.body.id as string;

    const defaults = await http()
      .post(`/api/v1/repos/${id}/hooks`)
      .send({ url: target })
      .expect(201);
    expect(defaults.body).toMatchObject({ events: ['push'], has_secret: false });
    const typed = await http()
      .post(`/api/v2/repos/${id}/hooks`)
      .send({ url: target, type: 'post-merge' })
      .expect(201);
    expect(typed.body.events).toEqual(['merge']);

    const list = await http().get(`/api/v1/repos/${id}/hooks`).expect(200);
    expect(list.body.count).toBe(3);
    expect((list.body.hooks as Array<{ id: string }>).map((h) => h.id)).toEqual([
      hookId,
      defaults.body.id,
      typed.body.id,
    ]);

    const patched = await http()
      .patch(`/api/v1/repos/${id}/hooks/${hookId}`)
      .send({ active: false, secret: '' })
      .expect(200);
    expect(patched.body).toMatchObject({
      active: false,
      has_secret: false,
      events: ['commit', 'push'],
    });
    const put = await http()
      .put(`/api/v2/repos/${id}/hooks/${hookId}`)
      .send({ events: ['*'] })
      .expect(200);
    expect(put.body).toMatchObject({ active: false, events: ['*'] });
    expect(
      (await http().get(`/api/v1/repos/${id}/hooks/${hookId}`).expect(200)).body.events,
    ).toEqual(['*']);

    expect((await http().delete(`/api/v1/repos/${id}/hooks/${hookId}`).expect(200)).body).toEqual({
      status: 'success',
      message: 'webhook deleted successfully',
    });
    expect(
      (await http().delete(`/api/v2/repos/${id}/hooks/${typed.body.id}`).expect(200)).body,
    ).toEqual({
      status: '',
      message: `webhook '${(typed.body.id as string).slice(0, 7)}' deleted`,
    });
    const missing = await http().get(`/api/v1/repos/${id}/hooks/${hookId}`).expect(404);
    expect(missing.body).toEqual({
      error: 'webhook not found',
      code: 'WEBHOOK_NOT_FOUND',
      details: { hook_id: hookId },
    });
  });

  it('refuses bad registrations with their codes', async () => {
    const id = await repo();
    const post = (body: Record<string, unknown>) =>
      http().post(`/api/v1/repos/${id}/hooks`).send(body);
    expect((await post({ url: 'ftp://example.com/x' }).expect(400)).body.code).toBe(
      'INVALID_WEBHOOK_URL',
    );
    expect((await post({ url: 'not a url' }).expect(400)).body.code).toBe('INVALID_WEBHOOK_URL');
    expect(
      (await post({ url: `https://example.com/${'a'.repeat(2100)}` }).expect(400)).body.code,
    ).toBe('INVALID_WEBHOOK_URL');
    expect((await post({ url: target, events: ['bogus'] }).expect(400)).body.code).toBe(
      'INVALID_EVENT',
    );
    expect((await post({ url: target, events: 'push' }).expect(400)).body.code).toBe(
      'INVALID_REQUEST',
    );
    expect((await post({ url: target, content_type: 'text/xml' }).expect(400)).body.code).toBe(
      'INVALID_REQUEST',
    );
    for (let i = 0; i < 3; i++) await post({ url: target }).expect(201);
    expect((await post({ url: target }).expect(400)).body.code).toBe('WEBHOOK_LIMIT_REACHED');
    expect((await http().get('/api/v1/repos/nope/hooks').expect(404)).body.code).toBe(
      'REPO_NOT_FOUND',
    );
  });

  it('delivers commit and push events with valid signatures and headers', async () => {
    const id = await repo();
    const hookId = await hook(id, { events: ['commit', 'push'] });
    const hash = await commitOverHttp(id, 'a.txt');
    await receiver.received(2);
    const [first, second] = receiver.requests;
    for (const received of [first!, second!]) {
      expect(received.method).toBe('POST');
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers['user-agent']).toBe('govc-webhook/1.0');
      expect(received.headers['x-govc-hook-id']).toBe(hookId);
      expect(received.headers['x-govc-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(received.headers['x-hub-signature-256']).toBe(sign(received.body));
      expect(received.headers['x-govc-signature']).toBe(sign(received.body));
    }
    expect(first!.headers['x-govc-event']).toBe('commit');
    expect(second!.headers['x-govc-event']).toBe('push');
    const commit = JSON.parse(first!.body.toString('utf8'));
    expect(commit).toEqual({
      id: expect.stringMatching(/^\d+-\d+$/),
      event: 'commit',
      repository: id,
      timestamp: expect.stringMatching(SERVER_TIME),
      sender: null,
      data: {
        branch: 'main',
        ref: 'refs/heads/main',
        commit: expect.objectContaining({ hash, message: 'a.txt', parents: [] }),
        files: { added: ['a.txt'], modified: [], removed: [] },
      },
    });
    const push = JSON.parse(second!.body.toString('utf8'));
    expect(push.data).toEqual({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: hash,
      created: true,
      deleted: false,
      forced: false,
      source: 'api',
      commits: [
        {
          id: hash,
          message: 'a.txt',
          author: { name: expect.any(String), email: expect.any(String) },
          timestamp: expect.any(String),
        },
      ],
      total_commits: 1,
    });

    await until(async () => {
      const log = await http().get(`/api/v1/repos/${id}/hooks/${hookId}/deliveries`).expect(200);
      return (
        log.body.total === 2 &&
        (log.body.deliveries as Array<{ delivered: boolean }>).every((d) => d.delivered)
      );
    }, 'the deliveries log');
    const log = await http()
      .get(`/api/v1/repos/${id}/hooks/${hookId}/deliveries?limit=1`)
      .expect(200);
    expect(log.body.count).toBe(1);
    expect(log.body.deliveries[0]).toEqual({
      id: second!.headers['x-govc-delivery'],
      hook_id: hookId,
      url: target,
      event: 'push',
      status_code: 200,
      duration_ms: expect.any(Number),
      request: {
        headers: expect.objectContaining({ 'X-Govc-Event': 'push' }),
        body: second!.body.toString('utf8'),
      },
      response: { headers: expect.any(Object), body: 'ok' },
      delivered: true,
      attempt: 1,
      next_retry_at: null,
      error: null,
      redelivery_of: null,
      created_at: expect.stringMatching(SERVER_TIME),
    });
    const shown = await http().get(`/api/v1/repos/${id}/hooks/${hookId}`).expect(200);
    expect(shown.body.last_response.id).toBe(log.body.deliveries[0].id);
  });

  it('sends only subscribed events, nothing to inactive hooks, and form bodies when asked', async () => {
    const id = await repo();
    await hook(id, { events: ['tag'], content_type: 'application/x-www-form-urlencoded' });
    await hook(id, { events: ['*'], active: false });
    await commitOverHttp(id, 'a.txt');
    await http().post(`/api/v1/repos/${id}/tags`).send({ name: 'v1' }).expect(201);
    await receiver.received(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.requests).toHaveLength(1);
    const [only] = receiver.requests;
    expect(only!.headers['x-govc-event']).toBe('tag');
    expect(only!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const text = only!.body.toString('utf8');
    expect(text.startsWith('payload=')).toBe(true);
    const envelope = JSON.parse(decodeURIComponent(text.slice('payload='.length)));
    expect(envelope.data).toMatchObject({
      action: 'created',
      name: 'v1',
      ref: 'refs/tags/v1',
      annotated: false,
    });
    expect(only!.headers['x-hub-signature-256']).toBe(sign(only!.body));
  });

  it('retries after 500s with the same delivery id, then records the success', async () => {
    const id = await repo();
    receiver.answers = [
      { status: 500 },
      { status: 503, headers: { 'Retry-After': '0' } },
      { status: 200 },
    ];
    const hookId = await hook(id, { events: ['branch'] });
    await commitFiles(app, id, { 'a.txt': 'a\n' });
    await http().post(`/api/v1/repos/${id}/branches`).send({ name: 'feature' }).expect(201);
    await receiver.received(3);
    const ids = receiver.requests.map((r) => r.headers['x-govc-delivery']);
    expect(new Set(ids).size).toBe(1);
    await until(async () => {
      const log = await http().get(`/api/v1/repos/${id}/hooks/${hookId}/deliveries?status=success`);
      return log.body.total === 1;
    }, 'a successful delivery');
    const [delivery] = (await http().get(`/api/v1/repos/${id}/hooks/${hookId}/deliveries`)).body
      .deliveries;
    expect(delivery).toMatchObject({
      delivered: true,
      attempt: 3,
      status_code: 200,
      next_retry_at: null,
    });
  });

  it('gives up after hooks.max_attempts and does not retry other 4xx', async () => {
    const id = await repo();
    receiver.answers = [{ status: 502 }];
    const failing = await hook(id, { events: ['ping'] });
    await http().post(`/api/v1/repos/${id}/hooks/${failing}/ping`).expect(202);
    await receiver.received(3);
    await until(async () => {
      const log = await http().get(
        `/api/v1/repos/${id}/hooks/${failing}/deliveries?status=failure`,
      );
      return log.body.total === 1;
    }, 'the final failure');
    const [delivery] = (await http().get(`/api/v1/repos/${id}/hooks/${failing}/deliveries`)).body
      .deliveries;
    expect(delivery).toMatchObject({
      delivered: false,
      attempt: 3,
      status_code: 502,
      next_retry_at: null,
    });
    expect(receiver.requests).toHaveLength(3);

    receiver.answers = [{ status: 404 }];
    const before = receiver.requests.length;
    const other = await hook(id, { events: ['ping'] });
    await http().post(`/api/v1/repos/${id}/hooks/${other}/ping`).expect(202);
    await until(async () => {
      const log = await http().get(`/api/v1/repos/${id}/hooks/${other}/deliveries?status=failure`);
      return log.body.total === 1;
    }, 'the 404 failure');
    expect(receiver.requests.length - before).toBe(1);
  });

  it('a hung receiver does not hold up commits', async () => {
    const id = await repo();
    receiver.answers = ['hang'];
    await hook(id, { events: ['commit'] });
    await commitOverHttp(id, 'a.txt');
    await receiver.received(1);
    expect(receiver.holding).toBe(1);
    // The receiver still holds the first delivery open while these commits are answered.
    const hash = await commitOverHttp(id, 'b.txt');
    expect(hash).toMatch(HASH);
    await commitOverHttp(id, 'c.txt');
    expect(receiver.holding).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    receiver.answers = [{ status: 200 }];
    receiver.release();
    // Per-hook order: the next deliveries follow once the first one ended.
    await receiver.received(3);
    const messages = receiver.requests.map(
      (r) =>
        (JSON.parse(r.body.toString('utf8')) as { data: { commit: { message: string } } }).data
          .commit.message,
    );
    expect(messages).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('pings, redelivers with a new id and signature, and 404s unknown deliveries', async () => {
    const id = await repo();
    const hookId = await hook(id);
    const ping = await http().post(`/api/v1/repos/${id}/hooks/${hookId}/ping`).expect(202);
    expect(ping.body).toMatchObject({ hook_id: hookId, event: 'ping', redelivery_of: null });
    await receiver.received(1);
    expect(JSON.parse(receiver.requests[0]!.body.toString('utf8')).data).toEqual({
      hook_id: hookId,
    });
    await http()
      .patch(`/api/v1/repos/${id}/hooks/${hookId}`)
      .send({ secret: 'another secret' })
      .expect(200);
    const again = await http()
      .post(`/api/v1/repos/${id}/hooks/${hookId}/deliveries/${ping.body.id}/redeliver`)
      .expect(202);
    expect(again.body).toMatchObject({ redelivery_of: ping.body.id, event: 'ping' });
    expect(again.body.id).not.toBe(ping.body.id);
    await receiver.received(2);
    const second = receiver.requests[1]!;
    expect(second.body.equals(receiver.requests[0]!.body)).toBe(true);
    expect(second.headers['x-govc-delivery']).toBe(again.body.id);
    expect(second.headers['x-hub-signature-256']).toBe(sign(second.body, 'another secret'));
    const one = await http()
      .get(`/api/v1/repos/${id}/hooks/${hookId}/deliveries/${ping.body.id}`)
      .expect(200);
    expect(one.body.id).toBe(ping.body.id);
    const missing = await http()
      .get(`/api/v1/repos/${id}/hooks/${hookId}/deliveries/nope`)
      .expect(404);
    expect(missing.body.code).toBe('DELIVERY_NOT_FOUND');
    expect((await http().post(`/api/v1/repos/${id}/hooks/nope/ping`).expect(404)).body.code).toBe(
      'WEBHOOK_NOT_FOUND',
    );
  });

  it('counts deliveries and the queue depth in /metrics', async () => {
    const id = await repo();
    const hookId = await hook(id);
    await http().post(`/api/v1/repos/${id}/hooks/${hookId}/ping`).expect(202);
    await receiver.received(1);
    await until(async () => {
      const metrics = await http().get('/metrics').expect(200);
      return /govc_webhook_deliveries_total\{result="success"\} [1-9]/.test(metrics.text);
    }, 'the success count');
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/govc_webhook_queue_depth \d+/);
    expect(metrics.text).toMatch(/govc_sse_connections \d+/);
    expect(metrics.text).toMatch(/govc_ws_connections \d+/);
  });

  it('v2 hooks/execute fires the subscribed webhooks with the data, running no script', async () => {
    const id = await repo();
    await hook(id, { events: ['commit'] });
    const res = await http()
      .post(`/api/v2/repos/${id}/hooks/execute/post-commit`)
      .send({ data: { custom: 1 } })
      .expect(200);
    expect(res.body).toEqual({ status: '', message: "triggered 'post-commit' webhooks" });
    await receiver.received(1);
    const envelope = JSON.parse(receiver.requests[0]!.body.toString('utf8'));
    expect(envelope).toMatchObject({ event: 'commit', repository: id, data: { custom: 1 } });
    expect(
      (await http().post(`/api/v2/repos/${id}/hooks/execute/bogus`).expect(400)).body.code,
    ).toBe('INVALID_EVENT');
  });

  it('a deleted repository sends its deleted event to its hooks, then the hooks are gone', async () => {
    const id = await repo();
    await hook(id, { events: ['repository'] });
    await http().delete(`/api/v1/repos/${id}`).expect(200);
    await receiver.received(1);
    const envelope = JSON.parse(receiver.requests[0]!.body.toString('utf8'));
    expect(envelope.data).toEqual({ action: 'deleted', id, path: ':memory:' });
    await createRepo(app, id);
    expect((await http().get(`/api/v1/repos/${id}/hooks`).expect(200)).body).toEqual({
      hooks: [],
      count: 0,
    });
  });
});

describe('webhooks SSRF guard (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ GOVC_HOOKS_ALLOWED_HOSTS: 'allowed.localhost,127.0.0.2' });
    await createRepo(app, 'ssrf');
  });
  afterAll(() => app.close());

  it.each([
    'http://127.0.0.1:9/x',
    'http://127.1/x',
    'http://0x7f000001/x',
    'http://localhost/x',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://0.0.0.0/x',
    'http://169.254.169.254/latest/meta-data',
    'http://10.0.0.1/x',
    'http://192.168.0.1/x',
    'http://100.64.0.1/x',
    'http://[fd00::1]/x',
    'http://[fe80::1]/x',
    'http://[64:ff9b::a9fe:a9fe]/x',
  ])('refuses %s at registration', async (url) => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/repos/ssrf/hooks')
      .send({ url })
      .expect(400);
    expect(res.body.code).toBe('WEBHOOK_TARGET_FORBIDDEN');
  });

  it('accepts a host listed in hooks.allowed_hosts', async () => {
    await request(app.getHttpServer())
      .post('/api/v1/repos/ssrf/hooks')
      .send({ url: 'http://127.0.0.2:9/x' })
      .expect(201);
  });

  it('fails a delivery to a forbidden address at connect time, without retries', async () => {
    const receiver = new WebhookReceiver();
    const url = await receiver.start();
    // Registered under the allowed name; delivered to a name that resolves to loopback.
    const hook = await request(app.getHttpServer())
      .post('/api/v1/repos/ssrf/hooks')
      .send({ url: 'http://127.0.0.2:9/x', events: ['ping'] })
      .expect(201);
    const service = app.get(WebhooksService);
    const hookId = hook.body.id as string;
    const stored = service.get('ssrf', hookId);
    // Point the stored hook at localhost as if its DNS changed after registration.
    Object.assign(stored, { url: url.replace('127.0.0.1', 'localhost') });
    const ping = await request(app.getHttpServer())
      .post(`/api/v1/repos/ssrf/hooks/${hookId}/ping`)
      .expect(202);
    await until(
      () => service.delivery('ssrf', hookId, ping.body.id as string).state !== 'pending',
      'the delivery',
    );
    expect(service.delivery('ssrf', hookId, ping.body.id as string)).toMatchObject({
      state: 'failure',
      error: 'target address forbidden',
      attempt: 1,
      statusCode: 0,
    });
    expect(receiver.requests).toHaveLength(0);
    await receiver.stop();
  });
});

describe('webhook deliveries across a restart (e2e, disk storage)', () => {
  it('resumes a delivery still waiting for its retry after the server restarts', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'govc-hooks-'));
    const env = {
      GOVC_STORAGE_DRIVER: 'disk',
      GOVC_STORAGE_PATH: dataDir,
      GOVC_HOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    };
    const receiver = new WebhookReceiver();
    const url = await receiver.start();
    try {
      receiver.answers = [{ status: 503, headers: { 'Retry-After': '3600' } }, { status: 200 }];
      let app = await startTestApp(env);
      await request(app.getHttpServer()).post('/api/v1/repos').send({ id: 'durable' }).expect(201);
      const created = await request(app.getHttpServer())
        .post('/api/v1/repos/durable/hooks')
        .send({ url, events: ['ping'], secret: SECRET })
        .expect(201);
      const hookId = created.body.id as string;
      const ping = await request(app.getHttpServer())
        .post(`/api/v1/repos/durable/hooks/${hookId}/ping`)
        .expect(202);
      await receiver.received(1);
      await until(async () => {
        const log = await request(app.getHttpServer()).get(
          `/api/v1/repos/durable/hooks/${hookId}/deliveries?status=pending`,
        );
        return (
          log.body as { deliveries: Array<{ next_retry_at: string | null }> }
        ).deliveries.some((d) => d.next_retry_at !== null);
      }, 'the scheduled retry');
      await app.close();

      app = await startTestApp(env);
      try {
        await receiver.received(2);
        const [first, second] = receiver.requests;
        expect(second!.headers['x-govc-delivery']).toBe(ping.body.id);
        expect(second!.body.equals(first!.body)).toBe(true);
        expect(second!.headers['x-hub-signature-256']).toBe(sign(second!.body));
        const hooks = await request(app.getHttpServer())
          .get('/api/v1/repos/durable/hooks')
          .expect(200);
        expect((hooks.body as { count: number }).count).toBe(1);
      } finally {
        await app.close();
      }
    } finally {
      await receiver.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
