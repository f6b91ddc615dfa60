/**
 * The REST API on the postgres driver (storage.driver postgres): what the API writes is in the
 * database — repositories, commits, branches, tags, the repository config — and a new app on
 * the same database reads it all back; two apps sharing one database see each other's writes
 * (LISTEN/NOTIFY); /health probes the database. Each run gets its own database, dropped after.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import {
  createTestDatabase,
  postgresAvailable,
  type TestDatabase,
} from '../unit/core/storage/postgres/postgres-fixtures';
import { startTestApp } from '../support/test-app';

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;
const REPO = '/api/v1/repos/pg';

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeWithPostgres('REST API on the postgres driver (e2e)', () => {
  let database: TestDatabase;
  const apps: NestExpressApplication[] = [];

  const start = async (): Promise<NestExpressApplication> => {
    const app = await startTestApp({
      GOVC_STORAGE_DRIVER: 'postgres',
      GOVC_STORAGE_POSTGRES_URL: database.url,
      GOVC_STORAGE_POSTGRES_STATEMENT_TIMEOUT: '3s',
      GOVC_STORAGE_POSTGRES_POOL_SIZE: '4',
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close();
    await database.drop();
  });

  it('keeps repositories, commits, branches, tags and config across an app restart', async () => {
    const first = await start();
    const http = () => request(first.getHttpServer());
    const created = await http().post('/api/v1/repos').send({ id: 'pg' }).expect(201);
    expect(created.body).toMatchObject({ id: 'pg', path: 'postgres:pg', memory_only: false });
    await http().post(`${REPO}/add`).send({ path: 'a.txt', content: 'one\n' }).expect(201);
    const c1 = await http()
      .post(`${REPO}/commit`)
      .send({ message: 'first', author: 'Ada', email: 'ada@example.com' })
      .expect(201);
    await http().post(`${REPO}/add`).send({ path: 'dir/b.txt', content: 'two\n' }).expect(201);
    const c2 = await http().post(`${REPO}/commit`).send({ message: 'second' }).expect(201);
    await http()
      .post(`${REPO}/branches`)
      .send({ name: 'feature/x', from: c1.body.hash })
      .expect(201);
    await http().post(`${REPO}/tags`).send({ name: 'v1', message: 'release' }).expect(201);
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const second = await start();
    const again = () => request(second.getHttpServer());
    const repo = await again().get(REPO).expect(200);
    expect(repo.body).toMatchObject({
      id: 'pg',
      current_branch: 'main',
      created_at: created.body.created_at,
    });
    const log = await again().get(`${REPO}/log`).expect(200);
    const commits = log.body.commits as Array<{ hash: string }>;
    expect(commits.map((commit) => commit.hash)).toEqual([c2.body.hash, c1.body.hash]);
    // The stored user.name/user.email (§0.8) came back with the record.
    expect(log.body.commits[0]).toMatchObject({ author: 'Ada', email: 'ada@example.com' });
    const file = await again().get(`${REPO}/read/dir/b.txt`).query({ ref: 'HEAD' }).expect(200);
    expect(file.body).toMatchObject({ content: 'two\n', size: 4 });
    const branches = await again().get(`${REPO}/branches`).expect(200);
    expect(branches.body.branches).toEqual([
      { name: 'feature/x', commit: c1.body.hash, is_current: false },
      { name: 'main', commit: c2.body.hash, is_current: true },
    ]);
    const tag = await again().get(`${REPO}/tags/v1`).expect(200);
    expect(tag.body).toMatchObject({ name: 'v1', commit: c2.body.hash, annotated: true });
    const rows = await database.query(
      'SELECT count(*)::int AS n FROM govc_objects WHERE repo_id = $1',
      ['pg'],
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(7); // 2 commits, 2 blobs, 3 trees, 1 tag
  });

  it('shows one app the commits another app made on the same database', async () => {
    const [a, b] = [await start(), await start()];
    await request(a.getHttpServer()).post('/api/v1/repos').send({ id: 'shared' }).expect(201);
    await request(a.getHttpServer())
      .post('/api/v1/repos/shared/add')
      .send({ path: 'f.txt', content: 'from a' })
      .expect(201);
    const made = await request(a.getHttpServer())
      .post('/api/v1/repos/shared/commit')
      .send({ message: 'on a' })
      .expect(201);
    // b learns of the repository record and of the ref through NOTIFY, then reads it.
    await eventually(async () => {
      const response = await request(b.getHttpServer()).get('/api/v1/repos/shared/log');
      return response.status === 200 && response.body.commits[0]?.hash === made.body.hash;
    });
    // And the other way round, on a repository b had loaded already.
    await request(b.getHttpServer())
      .post('/api/v1/repos/shared/add')
      .send({ path: 'g.txt', content: 'from b' })
      .expect(201);
    const fromB = await request(b.getHttpServer())
      .post('/api/v1/repos/shared/commit')
      .send({ message: 'on b' })
      .expect(201);
    expect(fromB.body.parent).toBe(made.body.hash);
    await eventually(async () => {
      const response = await request(a.getHttpServer()).get('/api/v1/repos/shared/branches/main');
      return response.body.commit === fromB.body.hash;
    });
  });

  it('reports the database in the storage check of /health', async () => {
    const app = apps[0] ?? (await start());
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body.checks.storage).toMatchObject({
      status: 'healthy',
      message: 'postgres driver: SELECT 1 answered',
    });
  });
});
