/** Jobs: listing, progress alias, cancel, interrupted jobs after a restart (api-contract.md §11.2). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';
import { JOB_COLLECTION } from '../../src/modules/importexport/jobs/jobs.service';
import { makeUser, startAuthApp } from '../support/auth-fixture';
import { startTestApp } from '../support/test-app';
import { tempDir } from '../support/git-cli';
import { waitForJob } from './import-helpers';

describe('jobs (e2e)', () => {
  let app: NestExpressApplication;
  let silent: Server;
  let silentUrl: string;
  const held: Array<() => void> = [];

  beforeAll(async () => {
    // A remote that accepts connections and never answers: an import from it runs until cancelled.
    silent = createServer((_req, res) => held.push(() => res.destroy()));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/repo.git`;
    app = await startTestApp({
      GOVC_JOBS_MAX_CONCURRENT: '1',
      GOVC_IMPORT_ALLOW_HTTP: 'true',
      GOVC_HOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    });
  });
  afterAll(async () => {
    await app.close();
    for (const release of held) release();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const http = () => request(app.getHttpServer());

  async function waitForStatus(id: string, status: string): Promise<void> {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const res = await http().get(`/api/v1/jobs/${id}`).expect(200);
      if (res.body.status === status) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`job ${id} never became ${status}`);
  }

  it('cancels a running and a queued job, undoing what they created', async () => {
    const first = await http()
      .post('/api/v1/repos/slow1/import')
      .send({ source: 'url', url: silentUrl })
      .expect(202);
    const second = await http()
      .post('/api/v1/repos/slow2/import')
      .send({ source: 'url', url: silentUrl })
      .expect(202);
    await waitForStatus(first.body.job_id as string, 'running');
    const queued = await http().get(`/api/v1/jobs/${second.body.job_id}/progress`).expect(200);
    expect(queued.body).toMatchObject({
      status: 'queued',
      type: 'import',
      repo_id: 'slow2',
      created_by: 'anonymous',
    });

    const cancelledQueued = await http()
      .post(`/api/v1/jobs/${second.body.job_id}/cancel`)
      .expect(200);
    expect(cancelledQueued.body.status).toBe('cancelled');
    const cancelledRunning = await http()
      .post(`/api/v1/jobs/${first.body.job_id}/cancel`)
      .expect(200);
    expect(cancelledRunning.body).toMatchObject({
      status: 'cancelled',
      finished_at: expect.any(String),
    });
    await http().get('/api/v1/repos/slow1').expect(404);
    await http().get('/api/v1/repos/slow2').expect(404);

    const again = await http().post(`/api/v1/jobs/${first.body.job_id}/cancel`).expect(409);
    expect(again.body.code).toBe('JOB_NOT_CANCELLABLE');
  });

  it('lists jobs newest first with filters, and answers 404 JOB_NOT_FOUND', async () => {
    await http().post('/api/v1/repos').send({ id: 'listed' }).expect(201);
    const exported = await http()
      .get('/api/v1/repos/listed/export?async=true&format=tar')
      .expect(202);
    await waitForJob(app, exported.body.job_id as string);
    const all = await http().get('/api/v1/jobs').expect(200);
    expect(all.body.count).toBe(all.body.jobs.length);
    expect(all.body.jobs[0].id).toBe(exported.body.job_id);
    const job = all.body.jobs[0];
    expect(Object.keys(job).sort()).toEqual(
      [
        'created_at',
        'created_by',
        'finished_at',
        'id',
        'progress',
        'repo_id',
        'result',
        'started_at',
        'status',
        'type',
      ].sort(),
    );
    expect(job.progress).toEqual({
      phase: 'done',
      current: 0,
      total: 0,
      percent: 100,
      message: expect.any(String),
    });
    const exports = await http().get('/api/v1/jobs?type=export').expect(200);
    const types = (exports.body.jobs as Array<{ type: string }>).map((j) => j.type);
    expect(new Set(types)).toEqual(new Set(['export']));
    const cancelled = await http().get('/api/v1/jobs?status=cancelled&limit=1').expect(200);
    expect(cancelled.body.count).toBe(1);
    expect((await http().get('/api/v1/jobs?type=bogus').expect(400)).body.code).toBe(
      'INVALID_REQUEST',
    );
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toContain('govc_jobs{type="import",status="cancelled"} 2');
    expect(metrics.text).toContain('govc_jobs{type="export",status="completed"} 1');
    expect(
      (await http().get('/api/v1/jobs/job_00000000-0000-0000-0000-000000000000').expect(404)).body
        .code,
    ).toBe('JOB_NOT_FOUND');
    expect((await http().get('/api/v1/jobs/whatever').expect(404)).body.code).toBe('JOB_NOT_FOUND');
  });

  it('marks a job that was running at shutdown as failed JOB_INTERRUPTED on the next start', async () => {
    const data = tempDir('govc-jobs-disk-');
    try {
      const env = { GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: data.path };
      const first = await startTestApp(env);
      const store = first.get(RepositoryRegistry).metadataStore();
      const id = 'job_11111111-2222-3333-4444-555555555555';
      store.put(JOB_COLLECTION, id, {
        id,
        type: 'import',
        status: 'running',
        progress: { phase: 'writing', current: 1, total: 2, percent: 50, message: '' },
        created_by: 'anonymous',
        created_at: new Date().toISOString(),
        started_at: new Date().toISOString(),
        finished_at: null,
      });
      await store.flush();
      await first.close();
      const second = await startTestApp(env);
      try {
        const res = await request(second.getHttpServer()).get(`/api/v1/jobs/${id}`).expect(200);
        expect(res.body).toMatchObject({
          status: 'failed',
          error: { code: 'JOB_INTERRUPTED', error: expect.any(String) },
          finished_at: expect.any(String),
        });
      } finally {
        await second.close();
      }
    } finally {
      data.cleanup();
    }
  });

  it('with auth on, shows each user their own jobs and the admin all, and keeps admin sources admin-only', async () => {
    const auth = await startAuthApp();
    try {
      const server = auth.app.getHttpServer();
      const alice = await makeUser(auth, ['developer']);
      const bob = await makeUser(auth, ['developer']);
      await request(server)
        .post('/api/v1/repos')
        .set('X-API-Key', alice.key)
        .send({ id: 'mine' })
        .expect(201);
      const started = await request(server)
        .get('/api/v1/repos/mine/export?async=true&format=tar')
        .set('X-API-Key', alice.key)
        .expect(202);
      const id = started.body.job_id as string;
      const own = await request(server)
        .get(`/api/v1/jobs/${id}`)
        .set('X-API-Key', alice.key)
        .expect(200);
      expect(own.body.created_by).toBe(alice.id);
      const hidden = await request(server)
        .get(`/api/v1/jobs/${id}`)
        .set('X-API-Key', bob.key)
        .expect(404);
      expect(hidden.body.code).toBe('JOB_NOT_FOUND');
      await request(server).post(`/api/v1/jobs/${id}/cancel`).set('X-API-Key', bob.key).expect(404);
      const bobs = await request(server).get('/api/v1/jobs').set('X-API-Key', bob.key).expect(200);
      expect(bobs.body).toEqual({ jobs: [], count: 0 });
      const admins = await request(server)
        .get('/api/v1/jobs')
        .set('X-API-Key', auth.adminKey)
        .expect(200);
      expect((admins.body.jobs as Array<{ id: string }>).map((job) => job.id)).toContain(id);
      await request(server).get('/api/v1/jobs').expect(401);

      const path = await request(server)
        .post('/api/v1/repos/other/import')
        .set('X-API-Key', alice.key)
        .send({ source: 'path', path: '/tmp' })
        .expect(403);
      expect(path.body.code).toBe('FORBIDDEN');
      await request(server).post('/api/v1/backup').set('X-API-Key', alice.key).send({}).expect(403);
      await request(server).get('/api/v1/backups').set('X-API-Key', alice.key).expect(403);
      const intoForeign = await request(server)
        .post('/api/v1/repos/mine/import')
        .set('X-API-Key', bob.key)
        .send({ source: 'url', url: 'https://example.invalid/r.git' })
        .expect(403);
      // Developers read every repository, but importing into an existing one needs repo:admin.
      expect(intoForeign.body.details).toEqual({ required: 'repo:admin' });
    } finally {
      await auth.close();
    }
  });
});
