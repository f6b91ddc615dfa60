/**
 * Hostile input against the webhook and event-stream routes (api-contract.md §6, RELIABILITY.md
 * C1): random JSON bodies, wrong types, junk query strings and path segments. Whatever comes in,
 * the answer is below 500 and every error is the flat JSON `{error, code, details?}`; a stream
 * that opens is closed by the client at once.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import { fcParams } from '../support/fast-check';
import { createRepo } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

const RUNS = 120;

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

describe('webhook and event routes under hostile input (e2e)', () => {
  let app: NestExpressApplication;
  let port: number;
  let hookId: string;

  beforeAll(async () => {
    // Private targets allowed: generated URLs are never resolved or connected to by a lookup.
    app = await startTestApp({
      GOVC_HOOKS_ALLOW_PRIVATE_TARGETS: 'true',
      GOVC_HOOKS_MAX_PER_REPO: '5',
      GOVC_HOOKS_TIMEOUT: '200ms',
      GOVC_HOOKS_MAX_ATTEMPTS: '1',
    });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    await createRepo(app, 'fz');
    const created = await send(
      'POST',
      '/api/v1/repos/fz/hooks',
      JSON.stringify({ url: 'http://127.0.0.1:9/x' }),
    );
    hookId = (JSON.parse(created.body) as { id: string }).id;
  });
  afterAll(() => app.close());

  function send(
    method: string,
    path: string,
    body?: string,
    type = 'application/json',
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent: false,
          headers: body === undefined ? {} : { 'Content-Type': type },
        },
        (response) => {
          const contentType = String(response.headers['content-type'] ?? '');
          if (contentType.startsWith('text/event-stream')) {
            response.destroy();
            resolve({ status: response.statusCode ?? 0, type: contentType, body: '' });
            return;
          }
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, type: contentType, body: text }),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  function checkAnswer(answer: Answer): void {
    expect(answer.status).toBeLessThan(500);
    if (answer.status >= 400) {
      const error = JSON.parse(answer.body) as Record<string, unknown>;
      expect(typeof error.error).toBe('string');
      expect(error.code).toMatch(/^[A-Z_]+$/);
      expect(Object.keys(error).every((key) => ['error', 'code', 'details'].includes(key))).toBe(
        true,
      );
    }
  }

  const jsonValue = fc.jsonValue({ maxDepth: 3 });
  // Only loopback targets: a registered hook may really be delivered to (execute/ping routes),
  // and tests send nothing beyond this machine. Port 9 (discard) refuses the connection.
  const loopbackUrl = fc
    .tuple(
      fc.constantFrom('http', 'https'),
      fc.constantFrom('127.0.0.1', '[::1]', 'localhost'),
      fc.string({ maxLength: 20 }),
    )
    .map(([scheme, host, rest]) => `${scheme}://${host}:9/${encodeURIComponent(rest)}`);
  const hookBody = fc.oneof(
    jsonValue,
    fc.record(
      {
        url: fc.oneof(loopbackUrl, fc.string(), jsonValue),
        events: fc.oneof(
          fc.array(fc.oneof(fc.constantFrom('push', '*', 'post-commit', 'nope'), fc.string())),
          jsonValue,
        ),
        type: fc.oneof(fc.string(), jsonValue),
        secret: fc.oneof(fc.string(), jsonValue),
        content_type: fc.oneof(
          fc.constantFrom('application/json', 'application/x-www-form-urlencoded'),
          fc.string(),
        ),
        active: fc.oneof(fc.boolean(), jsonValue),
        insecure_ssl: fc.oneof(fc.boolean(), jsonValue),
      },
      { requiredKeys: [] },
    ),
  );
  const segment = fc.oneof(
    fc.constantFrom('..', '%2e%2e', '%00', '%', 'ping', 'deliveries', 'execute'),
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
  );
  const query = fc
    .array(
      fc.tuple(
        fc.constantFrom('events', 'last_event_id', 'limit', 'offset', 'status', 'x'),
        fc.string({ maxLength: 30 }),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));

  it('answers random hook bodies on create and update with a 2xx or a flat 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(hookBody, fc.boolean(), async (body, update) => {
        const path = update ? `/api/v1/repos/fz/hooks/${hookId}` : '/api/v2/repos/fz/hooks';
        checkAnswer(await send(update ? 'PATCH' : 'POST', path, JSON.stringify(body)));
      }),
      fcParams(RUNS),
    );
  });

  it('answers junk paths, queries and bodies on every webhook and stream route', async () => {
    const routes = [
      ['GET', (s: string, q: string) => `/api/v1/repos/fz/hooks/${s}?${q}`],
      ['DELETE', (s: string) => `/api/v2/repos/fz/hooks/${s}`],
      ['GET', (s: string, q: string) => `/api/v1/repos/fz/hooks/${hookId}/deliveries/${s}?${q}`],
      ['GET', (_s: string, q: string) => `/api/v1/repos/fz/hooks/${hookId}/deliveries?${q}`],
      ['POST', (s: string) => `/api/v1/repos/fz/hooks/${hookId}/deliveries/${s}/redeliver`],
      ['POST', (s: string) => `/api/v1/repos/fz/hooks/${s}/ping`],
      ['POST', (s: string) => `/api/v2/repos/fz/hooks/execute/${s}`],
      ['GET', (_s: string, q: string) => `/api/v1/repos/fz/events?${q}`],
      ['GET', (s: string, q: string) => `/api/v1/repos/${s}/events?${q}`],
      ['GET', (s: string) => `/api/v1/repos/${s}/watch`],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        segment,
        query,
        fc.option(
          fc.oneof(
            jsonValue.map((v) => JSON.stringify(v)),
            fc.string({ maxLength: 50 }),
          ),
        ),
        async ([method, path], s, q, body) => {
          checkAnswer(await send(method, path(s, q), body ?? undefined));
        },
      ),
      fcParams(RUNS * 3),
    );
  });
});
