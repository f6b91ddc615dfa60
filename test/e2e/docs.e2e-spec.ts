/** Swagger UI and the OpenAPI document (api-contract.md §12), and the committed openapi.json. */
import { readFileSync } from 'node:fs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { OPENAPI_FILE } from '../../scripts/generate-openapi';
import { startTestApp } from '../support/test-app';

describe('API docs (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('serves exactly the committed openapi/openapi.json at /docs-json (run `npm run openapi` after changing routes)', async () => {
    const response = await http().get('/docs-json').expect(200);
    const committed: unknown = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    expect(response.body).toEqual(committed);
  });

  it('gives every operation a stable camelCase id', async () => {
    const response = await http().get('/docs-json').expect(200);
    const ids: string[] = [];
    for (const operations of Object.values(
      response.body.paths as Record<string, Record<string, { operationId: string }>>,
    )) {
      for (const operation of Object.values(operations)) ids.push(operation.operationId);
    }
    expect(ids).toEqual(
      expect.arrayContaining([
        'healthGet',
        'healthLive',
        'healthReady',
        'versionGet',
        'metricsGet',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
  });

  it('serves Swagger UI at /docs with a CSP relaxed for it only', async () => {
    const response = await http().get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('swagger-ui');
    expect(response.headers['content-security-policy']).toContain(
      "script-src 'self' 'unsafe-inline'",
    );
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('redirects /swagger to /docs', async () => {
    const response = await http().get('/swagger').expect(302);
    expect(response.headers.location).toBe('/docs');
  });

  it('has no docs routes when docs.enabled is false', async () => {
    const off = await startTestApp({ GOVC_DOCS_ENABLED: 'false' });
    try {
      for (const path of ['/docs', '/docs-json', '/swagger']) {
        const response = await request(off.getHttpServer()).get(path).expect(404);
        expect(response.body.code).toBe('ENDPOINT_NOT_FOUND');
      }
    } finally {
      await off.close();
    }
  });
});
