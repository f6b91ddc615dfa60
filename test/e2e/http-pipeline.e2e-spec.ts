/**
 * What every route gets from the shared HTTP pipeline (api-contract.md §0.1, §0.2): flat errors,
 * body rules, size limits, request ids, security headers, trailing slash and HEAD.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startTestApp } from '../support/test-app';

describe('HTTP pipeline (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('answers an unknown route with 404 ENDPOINT_NOT_FOUND naming method and path', async () => {
    const response = await http().get('/no/such/route?x=1').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      error: 'endpoint not found: GET /no/such/route',
      code: 'ENDPOINT_NOT_FOUND',
    });
  });

  it('answers an unknown method on a known path with 404, not 405', async () => {
    const response = await http().delete('/health/live').expect(404);
    expect(response.body).toEqual({
      error: 'endpoint not found: DELETE /health/live',
      code: 'ENDPOINT_NOT_FOUND',
    });
  });

  it('refuses a body over server.max_request_size with 413 and both sizes', async () => {
    const limit = 10 * 2 ** 20;
    const body = `"${'a'.repeat(limit - 1)}"`;
    const response = await http()
      .post('/health')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(413);
    expect(response.body).toEqual({
      error: `request body is larger than ${limit} bytes`,
      code: 'REQUEST_TOO_LARGE',
      details: { max_size: limit, actual_size: limit + 1 },
    });
  });

  it('answers malformed JSON with 400 INVALID_REQUEST', async () => {
    const response = await http()
      .post('/health')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(response.body.code).toBe('INVALID_REQUEST');
    expect(response.body.error).toMatch(/^malformed JSON body: /);
    expect(Object.keys(response.body).sort()).toEqual(['code', 'error']);
  });

  it('parses text/plain and octet-stream bodies as JSON too', async () => {
    for (const type of ['text/plain', 'application/octet-stream']) {
      const response = await http()
        .post('/health')
        .set('Content-Type', type)
        .send('{oops')
        .expect(400);
      expect(response.body.code).toBe('INVALID_REQUEST');
    }
  });

  it('refuses other content types on POST/PUT/PATCH with 415', async () => {
    for (const method of ['post', 'put', 'patch'] as const) {
      const server = http();
      const response = await server[method]('/health')
        .set('Content-Type', 'application/xml')
        .send('<a/>')
        .expect(415);
      expect(response.body).toEqual({
        error: 'unsupported Content-Type "application/xml"; send application/json',
        code: 'UNSUPPORTED_CONTENT_TYPE',
      });
    }
  });

  it('treats a missing or empty body as {} (the request reaches routing)', async () => {
    await http().post('/health').expect(404);
    await http().post('/health').set('Content-Type', 'application/json').send('').expect(404);
  });

  it('refuses a URL path over 4096 bytes and a query over 2048 bytes with 413', async () => {
    const longPath = await http()
      .get(`/${'p'.repeat(4096)}`)
      .expect(413);
    expect(longPath.body.code).toBe('PATH_TOO_LONG');
    const longQuery = await http()
      .get(`/health/live?q=${'q'.repeat(2047)}`)
      .expect(413);
    expect(longQuery.body.code).toBe('QUERY_TOO_LONG');
    await http()
      .get(`/health/live?q=${'q'.repeat(2000)}`)
      .expect(200);
  });

  it('answers headers over 8 KiB with 431 HEADERS_TOO_LARGE', async () => {
    const response = await http()
      .get('/health/live')
      .set('X-Padding', 'h'.repeat(9000))
      .expect(431);
    expect(response.body).toEqual({
      error: 'request headers exceed 8192 bytes',
      code: 'HEADERS_TOO_LARGE',
    });
  });

  it('echoes a sane X-Request-Id and generates a UUID otherwise', async () => {
    const echoed = await http().get('/health/live').set('X-Request-Id', 'trace-42.a:b').expect(200);
    expect(echoed.headers['x-request-id']).toBe('trace-42.a:b');
    const replaced = await http()
      .get('/health/live')
      .set('X-Request-Id', 'bad id <script>')
      .expect(200);
    expect(replaced.headers['x-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const generated = await http().get('/no/such/route').expect(404);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets the security headers of §0.1 on every response', async () => {
    for (const path of ['/health/live', '/no/such/route']) {
      const response = await http().get(path);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(response.headers['content-security-policy']).toBe("default-src 'self'");
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('serves /x/ as /x without a redirect', async () => {
    const response = await http().get('/health/live/').expect(200);
    expect(response.body.status).toBe('alive');
  });

  it('answers HEAD on a GET route like GET, without a body', async () => {
    const response = await http().head('/version').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.text).toBeUndefined();
  });
});
