/**
 * The pool routes (api-contract.md §10.2) and metrics (§12) on the disk driver: real figures
 * per loaded repository, a forced cleanup that unloads what is durable and keeps what is not,
 * reloads that find everything, 503 POOL_FULL with Retry-After when nothing can be evicted, and
 * the govc_pool_* / govc_storage_flush_* series on /metrics. With auth on, only system:admin
 * may use the routes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { makeUser, startAuthApp, type AuthApp } from '../support/auth-fixture';
import { startTestApp } from '../support/test-app';

const SERVER_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('pool (e2e)', () => {
  let dir: string;
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-pool-e2e-'));
    app = await startTestApp({
      GOVC_STORAGE_DRIVER: 'disk',
      GOVC_STORAGE_PATH: dir,
      GOVC_POOL_MAX_REPOSITORIES: '3',
      GOVC_POOL_MAX_IDLE_TIME: '45m',
      GOVC_POOL_CLEANUP_INTERVAL: '1h',
    });
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function commit(repo: string, file: string, content: string): Promise<string> {
    await http().post(`/api/v1/repos/${repo}/add`).send({ path: file, content }).expect(201);
    const response = await http()
      .post(`/api/v1/repos/${repo}/commit`)
      .send({ message: `add ${file}` })
      .expect(201);
    return response.body.hash as string;
  }

  it('reports every loaded repository with real figures', async () => {
    await http().post('/api/v1/repos').send({ id: 'p1' }).expect(201);
    await commit('p1', 'a.txt', 'a'.repeat(1000));
    await http().post('/api/v1/repos').send({ id: 'scratch', memory_only: true }).expect(201);

    const response = await http().get('/api/v1/pool/stats').expect(200);
    expect(response.body).toMatchObject({
      total_repositories: 2,
      active_repositories: 2,
      idle_repositories: 0,
      evictions_total: 0,
      config: {
        MaxIdleTime: 45 * 60e9,
        CleanupInterval: 3600e9,
        MaxRepositories: 3,
        EnableMetrics: true,
      },
      settings: {
        max_idle_time: '45m',
        cleanup_interval: '1h',
        max_repositories: 3,
        enable_metrics: true,
      },
    });
    const p1 = response.body.repository_details.p1;
    expect(p1).toEqual({
      id: 'p1',
      path: 'repos/p1.git',
      last_accessed: expect.stringMatching(SERVER_TIME),
      access_count: expect.any(Number),
      created_at: expect.stringMatching(SERVER_TIME),
      idle_time: expect.stringMatching(/^\d+(\.\d+)?[µm]?s$|^\d+m\d+s$/),
      memory_bytes: expect.any(Number),
      pinned: false,
      dirty: false,
      evictable: true,
    });
    expect(p1.access_count).toBeGreaterThanOrEqual(3);
    expect(p1.memory_bytes).toBeGreaterThan(1000);
    expect(response.body.repository_details.scratch).toMatchObject({
      path: ':memory:',
      evictable: false,
    });
  });

  it('evicts durable repositories on a forced cleanup, keeps unsaved ones, and reloads', async () => {
    await http().post('/api/v1/repos').send({ id: 'p2' }).expect(201);
    const kept = await commit('p2', 'b.txt', 'bee');
    await http()
      .post('/api/v1/repos/p1/write')
      .send({ path: 'draft.txt', content: 'wip' })
      .expect(200);

    const cleanup = await http().post('/api/v1/pool/cleanup?force=true').expect(200);
    expect(cleanup.body).toEqual({
      status: 'success',
      evicted_count: 1, // p2; p1 has an uncommitted file, scratch is memory-only
      remaining_count: 2,
      message: 'Pool cleanup completed',
    });
    const stats = await http().get('/api/v1/pool/stats').expect(200);
    expect(Object.keys(stats.body.repository_details).sort()).toEqual(['p1', 'scratch']);
    expect(stats.body.repository_details.p1.dirty).toBe(true);
    expect(stats.body.evictions_total).toBe(1);
    expect(stats.body.last_cleanup).toMatch(SERVER_TIME);

    const log = await http().get('/api/v1/repos/p2/log').expect(200);
    expect(log.body.commits[0].hash).toBe(kept);
    const reloaded = await http().get('/api/v1/pool/stats').expect(200);
    expect(reloaded.body.loads_total).toBeGreaterThanOrEqual(1);
    expect(reloaded.body.hit_ratio).toBeGreaterThan(0);
    expect(reloaded.body.hit_ratio).toBeLessThanOrEqual(1);
  });

  it('answers 503 POOL_FULL with Retry-After when no loaded repository can go', async () => {
    // Loaded now: p1 (dirty), scratch (memory-only), p2 (reloaded above). Pin p2 by dirtying it.
    await http().post('/api/v1/repos/p2/write').send({ path: 'wip.txt', content: 'x' }).expect(200);
    const response = await http().post('/api/v1/repos').send({ id: 'p3' }).expect(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.body).toEqual({
      error: expect.stringContaining('pool is full'),
      code: 'POOL_FULL',
      details: { repo: 'p3', max_repositories: 3 },
    });
    await http().get('/api/v1/repos/p3').expect(404);
  });

  it('refuses a bad force value with 400', async () => {
    const response = await http().post('/api/v1/pool/cleanup?force=maybe').expect(400);
    expect(response.body.code).toBe('INVALID_REQUEST');
  });

  it('exports the pool and flush series on /metrics', async () => {
    const text = (await http().get('/metrics').expect(200)).text;
    expect(text).toMatch(/^govc_pool_repositories_loaded 3$/m);
    expect(text).toMatch(/^govc_pool_evictions_total\{reason="manual"\} [1-9]/m);
    expect(text).toMatch(/^govc_pool_load_duration_seconds_count [1-9]/m);
    expect(text).toMatch(/^govc_storage_flush_duration_seconds_count\{driver="disk"\} [1-9]/m);
    // No flush failed, so the counter has no series yet; it is registered all the same.
    expect(text).toContain('# TYPE govc_storage_flush_errors_total counter');
    expect(text).not.toMatch(/^govc_storage_flush_errors_total\{driver="disk"\} [1-9]/m);
  });
});

describe('pool routes with auth on (e2e)', () => {
  let auth: AuthApp;
  beforeAll(async () => {
    auth = await startAuthApp();
  });
  afterAll(() => auth.close());

  it('need system:admin', async () => {
    const http = () => request(auth.app.getHttpServer());
    await http().get('/api/v1/pool/stats').expect(401);
    await http().post('/api/v1/pool/cleanup').expect(401);
    const developer = await makeUser(auth, ['developer']);
    const refused = await http()
      .get('/api/v1/pool/stats')
      .set('X-API-Key', developer.key)
      .expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await http().post('/api/v1/pool/cleanup').set('X-API-Key', developer.key).expect(403);
    await http().get('/api/v1/pool/stats').set('X-API-Key', auth.adminKey).expect(200);
    await http().post('/api/v1/pool/cleanup').set('X-API-Key', auth.adminKey).expect(200);
  });
});
