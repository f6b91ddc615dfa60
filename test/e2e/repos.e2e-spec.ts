/** Repositories (api-contract.md §3.1, §4): create, list, get, delete; ids, limits, durability. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';
import { startTestApp } from '../support/test-app';

const SERVER_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const HASH = /^[0-9a-f]{40}$/;

describe('repositories (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  describe('POST /api/v1/repos', () => {
    it('creates a repository with an unborn main branch', async () => {
      const response = await http().post('/api/v1/repos').send({ id: 'alpha' }).expect(201);
      expect(response.body).toEqual({
        id: 'alpha',
        path: ':memory:',
        current_branch: 'main',
        created_at: expect.stringMatching(SERVER_TIME),
        memory_only: false,
        public: false,
      });
    });

    it('keeps memory_only and public', async () => {
      const response = await http()
        .post('/api/v1/repos')
        .send({ id: 'flags', memory_only: true, public: true })
        .expect(201);
      expect(response.body).toMatchObject({ memory_only: true, public: true, path: ':memory:' });
    });

    it('refuses an existing id with 409 REPO_EXISTS', async () => {
      await http().post('/api/v1/repos').send({ id: 'twice' }).expect(201);
      const response = await http().post('/api/v1/repos').send({ id: 'twice' }).expect(409);
      expect(response.body).toEqual({
        error: 'repository twice already exists',
        code: 'REPO_EXISTS',
        details: { repo: 'twice' },
      });
    });

    it.each([
      ['-leading-dash'],
      ['has space'],
      ['dot.ted'],
      ['a'.repeat(65)],
      [''],
      ['..'],
      ['ünï'],
    ])('refuses id %j with 400 INVALID_REPO_ID', async (id) => {
      const response = await http().post('/api/v1/repos').send({ id }).expect(400);
      expect(response.body.code).toBe('INVALID_REPO_ID');
      expect(response.body.details).toMatchObject({ repo: id });
    });

    it.each([['api'], ['Admin'], ['DOCS'], ['health'], ['swagger']])(
      'refuses the reserved name %j (any case) with 400 INVALID_REPO_ID',
      async (id) => {
        const response = await http().post('/api/v1/repos').send({ id }).expect(400);
        expect(response.body).toMatchObject({
          code: 'INVALID_REPO_ID',
          details: { repo: id, reason: 'reserved name' },
        });
      },
    );

    it('refuses a missing or non-string id and bad flags with 400 INVALID_REQUEST', async () => {
      const missing = await http().post('/api/v1/repos').send({}).expect(400);
      expect(missing.body.code).toBe('INVALID_REQUEST');
      expect(missing.body.details.fields).toEqual([
        { field: 'id', message: 'id must be a string' },
      ]);
      const wrong = await http()
        .post('/api/v1/repos')
        .send({ id: 7, memory_only: 'yes', public: 1 })
        .expect(400);
      expect((wrong.body.details.fields as Array<{ field: string }>).map((f) => f.field)).toEqual([
        'id',
        'memory_only',
        'public',
      ]);
    });

    it('answers 64-character ids and ignores unknown fields', async () => {
      const id = `x${'y'.repeat(63)}`;
      const response = await http().post('/api/v1/repos').send({ id, extra: true }).expect(201);
      expect(response.body.id).toBe(id);
    });
  });

  describe('GET /api/v1/repos', () => {
    let list: NestExpressApplication;
    beforeAll(async () => {
      list = await startTestApp();
      for (const id of ['c3', 'a1', 'B2', 'b2']) {
        await request(list.getHttpServer()).post('/api/v1/repos').send({ id }).expect(201);
      }
    });
    afterAll(() => list.close());

    it('lists repositories by id with count and total', async () => {
      const response = await request(list.getHttpServer()).get('/api/v1/repos').expect(200);
      expect((response.body.repositories as Array<{ id: string }>).map((r) => r.id)).toEqual([
        'B2',
        'a1',
        'b2',
        'c3',
      ]);
      expect(response.body).toMatchObject({ count: 4, total: 4 });
      expect(response.body.repositories[0]).toEqual({
        id: 'B2',
        path: ':memory:',
        current_branch: 'main',
        created_at: expect.stringMatching(SERVER_TIME),
        memory_only: false,
        public: false,
      });
    });

    it('pages with limit and offset', async () => {
      const response = await request(list.getHttpServer())
        .get('/api/v1/repos?limit=2&offset=1')
        .expect(200);
      expect((response.body.repositories as Array<{ id: string }>).map((r) => r.id)).toEqual([
        'a1',
        'b2',
      ]);
      expect(response.body).toMatchObject({ count: 2, total: 4 });
      const past = await request(list.getHttpServer()).get('/api/v1/repos?offset=9').expect(200);
      expect(past.body).toEqual({ repositories: [], count: 0, total: 4 });
    });

    it('caps a limit above 1000 instead of refusing it', async () => {
      const response = await request(list.getHttpServer())
        .get('/api/v1/repos?limit=5000')
        .expect(200);
      expect(response.body.count).toBe(4);
    });

    it.each([['0'], ['-1'], ['abc'], ['1.5'], ['']])(
      'refuses limit=%j with 400 INVALID_LIMIT',
      async (limit) => {
        const response = await request(list.getHttpServer())
          .get(`/api/v1/repos?limit=${limit}`)
          .expect(400);
        expect(response.body.code).toBe('INVALID_LIMIT');
        expect(response.body.details.fields[0].field).toBe('limit');
      },
    );

    it.each([['-1'], ['x'], ['2.5']])(
      'refuses offset=%j with 400 INVALID_OFFSET',
      async (offset) => {
        const response = await request(list.getHttpServer())
          .get(`/api/v1/repos?offset=${offset}`)
          .expect(400);
        expect(response.body.code).toBe('INVALID_OFFSET');
      },
    );

    it('is the same list on /api/v2', async () => {
      const v1 = await request(list.getHttpServer()).get('/api/v1/repos').expect(200);
      const v2 = await request(list.getHttpServer()).get('/api/v2/repos').expect(200);
      expect(v2.body).toEqual(v1.body);
    });
  });

  describe('GET and DELETE /api/v1/repos/:repo_id', () => {
    it('gets one repository', async () => {
      await http().post('/api/v1/repos').send({ id: 'getme' }).expect(201);
      const response = await http().get('/api/v1/repos/getme').expect(200);
      expect(response.body).toMatchObject({ id: 'getme', current_branch: 'main' });
    });

    it.each([['nosuch'], ['api'], ['..'], ['%2e%2e'], ['a%00b'], ['-x']])(
      'answers 404 REPO_NOT_FOUND for %j on every method',
      async (id) => {
        const get = await http().get(`/api/v1/repos/${id}`).expect(404);
        expect(get.body.code).toBe('REPO_NOT_FOUND');
        const del = await http().delete(`/api/v1/repos/${id}`).expect(404);
        expect(del.body.code).toBe('REPO_NOT_FOUND');
        const status = await http().get(`/api/v1/repos/${id}/status`).expect(404);
        expect(status.body.code).toBe('REPO_NOT_FOUND');
      },
    );

    it('omits current_branch when HEAD is detached', async () => {
      await http().post('/api/v1/repos').send({ id: 'detached' }).expect(201);
      await http()
        .post('/api/v1/repos/detached/add')
        .send({ path: 'a.txt', content: 'a' })
        .expect(201);
      const commit = await http()
        .post('/api/v1/repos/detached/commit')
        .send({ message: 'one' })
        .expect(201);
      await app
        .get(RepositoryRegistry)
        .write('detached', ({ repository }) => repository.checkout(commit.body.hash as string));
      const response = await http().get('/api/v1/repos/detached').expect(200);
      expect(response.body.current_branch).toBeUndefined();
      expect(Object.keys(response.body)).not.toContain('current_branch');
    });

    it('deletes with a v1 verb and a v2 empty status; the id is free again', async () => {
      await http().post('/api/v1/repos').send({ id: 'gone1' }).expect(201);
      await http().post('/api/v2/repos').send({ id: 'gone2' }).expect(201);
      const v1 = await http().delete('/api/v1/repos/gone1').expect(200);
      expect(v1.body).toEqual({ status: 'deleted', message: 'repository gone1 deleted' });
      const v2 = await http().delete('/api/v2/repos/gone2').expect(200);
      expect(v2.body).toEqual({ status: '', message: 'repository gone2 deleted' });
      await http().get('/api/v1/repos/gone1').expect(404);
      await http().get('/api/v2/repos/gone2').expect(404);
      await http().post('/api/v1/repos').send({ id: 'gone1' }).expect(201);
      const fresh = await http().get('/api/v1/repos/gone1/log').expect(200);
      expect(fresh.body.commits).toEqual([]);
    });

    it('lets writes queued before a delete finish, and refuses those after', async () => {
      await http().post('/api/v1/repos').send({ id: 'racing' }).expect(201);
      const registry = app.get(RepositoryRegistry);
      // Queued in this order within one tick: write, delete, write.
      const outcomes = await Promise.allSettled([
        registry.write('racing', ({ repository }) => repository.add('a', 'a')),
        registry.delete('racing'),
        registry.write('racing', ({ repository }) => repository.add('b', 'b')),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      const late = outcomes[2] as PromiseRejectedResult;
      expect(late.reason).toMatchObject({ code: 'REPO_NOT_FOUND' });
      await http().get('/api/v1/repos/racing').expect(404);
    });

    it('shares one store between v1 and v2', async () => {
      await http().post('/api/v2/repos').send({ id: 'shared' }).expect(201);
      await http()
        .post('/api/v1/repos/shared/add')
        .send({ path: 'x.txt', content: 'x' })
        .expect(201);
      const v1 = await http().get('/api/v1/repos/shared').expect(200);
      const v2 = await http().get('/api/v2/repos/shared').expect(200);
      expect(v2.body).toEqual(v1.body);
      const status = await http().get('/api/v2/repos/shared/status').expect(200);
      expect(status.body.staged).toEqual(['x.txt']);
    });
  });

  describe('server.max_repos', () => {
    it('answers 503 MAX_REPOS_REACHED at the limit, and frees a slot on delete', async () => {
      const small = await startTestApp({ GOVC_SERVER_MAX_REPOS: '2' });
      try {
        const http2 = () => request(small.getHttpServer());
        await http2().post('/api/v1/repos').send({ id: 'one' }).expect(201);
        await http2().post('/api/v1/repos').send({ id: 'two', memory_only: true }).expect(201);
        const full = await http2().post('/api/v1/repos').send({ id: 'three' }).expect(503);
        expect(full.body).toEqual({
          error: 'maximum number of repositories reached',
          code: 'MAX_REPOS_REACHED',
          details: { max_repos: 2 },
        });
        expect(full.headers['retry-after']).toBeDefined();
        await http2().delete('/api/v1/repos/one').expect(200);
        await http2().post('/api/v1/repos').send({ id: 'three' }).expect(201);
      } finally {
        await small.close();
      }
    });

    it('lets only one of many concurrent creates of one id win', async () => {
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => http().post('/api/v1/repos').send({ id: 'contended' })),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    });
  });

  describe('with storage.driver postgres and no database answering', () => {
    it('starts, says storage is unhealthy, and answers 503 STORAGE_UNAVAILABLE', async () => {
      const pg = await startTestApp({
        GOVC_STORAGE_DRIVER: 'postgres',
        GOVC_STORAGE_POSTGRES_URL: 'postgres://postgres@127.0.0.1:1/unused',
      });
      try {
        const h = () => request(pg.getHttpServer());
        const health = await h().get('/health').expect(503);
        expect(health.body.checks.storage).toMatchObject({ status: 'unhealthy' });
        const refused = await h().post('/api/v1/repos').send({ id: 'nowhere' }).expect(503);
        expect(refused.body.code).toBe('STORAGE_UNAVAILABLE');
        expect(refused.headers['retry-after']).toBeDefined();
      } finally {
        await pg.close();
      }
    });
  });

  describe('with the disk driver', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'govc-repos-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('answers 503 STORAGE_UNAVAILABLE on every repository route when storage cannot open', async () => {
      const blocker = path.join(dir, 'a-file');
      writeFileSync(blocker, 'not a directory');
      const broken = await startTestApp({
        GOVC_STORAGE_DRIVER: 'disk',
        GOVC_STORAGE_PATH: blocker,
      });
      try {
        const h = () => request(broken.getHttpServer());
        const ready = await h().get('/health/ready').expect(503);
        expect(ready.body.checks).toEqual({ storage: 'not_ready' });
        for (const call of [
          h().post('/api/v1/repos').send({ id: 'nope' }),
          h().get('/api/v1/repos'),
          h().get('/api/v2/repos/nope/status'),
        ]) {
          const response = await call;
          expect(response.status).toBe(503);
          expect(response.body.code).toBe('STORAGE_UNAVAILABLE');
          expect(response.headers['retry-after']).toBe('1');
        }
      } finally {
        await broken.close();
      }
    });

    it('keeps repositories, records and commits across a restart; memory_only ones vanish', async () => {
      const env = { GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: dir };
      const first = await startTestApp(env);
      let created: Record<string, unknown>;
      let commit: string;
      try {
        const h = () => request(first.getHttpServer());
        created = (await h().post('/api/v1/repos').send({ id: 'kept', public: true }).expect(201))
          .body as Record<string, unknown>;
        expect(created.path).toBe('repos/kept.git');
        await h().post('/api/v1/repos').send({ id: 'scratch', memory_only: true }).expect(201);
        await h()
          .post('/api/v1/repos/kept/add')
          .send({ path: 'a.txt', content: 'a\n' })
          .expect(201);
        commit = (
          await h()
            .post('/api/v1/repos/kept/commit')
            .send({ message: 'kept', author: 'Ada', email: 'ada@example.com' })
            .expect(201)
        ).body.hash as string;
        expect(commit).toMatch(HASH);
      } finally {
        await first.close();
      }

      const second = await startTestApp(env);
      try {
        const h = () => request(second.getHttpServer());
        const repos = await h().get('/api/v1/repos').expect(200);
        expect(repos.body.repositories).toEqual([{ ...created, current_branch: 'main' }]);
        const log = await h().get('/api/v1/repos/kept/log').expect(200);
        expect((log.body.commits as Array<{ hash: string }>).map((c) => c.hash)).toEqual([commit]);
        // The identity sent with the first commit was stored as repository config.
        await h()
          .post('/api/v1/repos/kept/add')
          .send({ path: 'b.txt', content: 'b\n' })
          .expect(201);
        const next = await h().post('/api/v1/repos/kept/commit').send({ message: 'next' });
        expect(next.body).toMatchObject({ author: 'Ada', email: 'ada@example.com' });
        await h().get('/api/v1/repos/scratch').expect(404);
      } finally {
        await second.close();
      }
    });
  });
});
