/** Parallel realities (api-contract.md §8). */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { commitFiles, createRepo, HASH, SERVER_TIME, writeFiles } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

describe('parallel realities (e2e)', () => {
  let app: NestExpressApplication;
  let seq = 0;
  beforeAll(async () => {
    app = await startTestApp({ GOVC_REALITIES_MAX_PER_REQUEST: '5' });
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  async function repo(): Promise<{ id: string; base: string; url: string }> {
    const id = `re${++seq}`;
    await createRepo(app, id);
    const base = await commitFiles(app, id, { 'a.txt': 'one\n' }, 'first');
    return { id, base, url: `/api/v1/repos/${id}/parallel-realities` };
  }

  it('creates realities and lists them with the §8 shape', async () => {
    const { url, base } = await repo();
    const created = await http()
      .post(url)
      .send({ branches: ['b', 'parallel/a'] })
      .expect(201);
    const reality = (name: string) => ({
      name,
      isolated: true,
      ephemeral: true,
      created_at: expect.stringMatching(SERVER_TIME),
      base: 'HEAD',
      base_commit: base,
      head: base,
      ahead: 0,
    });
    expect(created.body).toEqual({
      realities: [reality('parallel/b'), reality('parallel/a')],
      count: 2,
    });
    const list = await http().get(url).expect(200);
    expect(list.body).toEqual({
      realities: [reality('parallel/a'), reality('parallel/b')],
      count: 2,
    });
    expect((await http().post(url).send({ branches: [] }).expect(201)).body).toEqual({
      realities: [],
      count: 0,
    });
  });

  it.each([
    [{ branches: ['bad..name'] }, 400, 'INVALID_BRANCH_NAME'],
    [{ branches: ['1', '2', '3', '4', '5', '6'] }, 400, 'TOO_MANY_REALITIES'],
    [{ branches: ['x'], base: 'nope' }, 404, 'REF_NOT_FOUND'],
    [{ branches: ['x', 'x'] }, 409, 'REALITY_EXISTS'],
    [{ branches: 'x' }, 400, 'INVALID_REQUEST'],
    [{}, 400, 'INVALID_REQUEST'],
  ])('create %j → %i %s', async (body, status, code) => {
    const { url } = await repo();
    expect((await http().post(url).send(body).expect(status)).body.code).toBe(code);
  });

  it('applies changes as one commit, never touching the working state', async () => {
    const { id, url, base } = await repo();
    await http()
      .post(url)
      .send({ branches: ['exp'] })
      .expect(201);
    const applied = await http()
      .post(`${url}/parallel%2Fexp/apply`)
      .send({ changes: { 'b.txt': 'b\n', 'a.txt': null }, message: 'try' })
      .expect(200);
    expect(applied.body).toEqual({
      status: 'applied',
      message: 'changes applied to reality parallel/exp',
      commit: expect.objectContaining({
        hash: expect.stringMatching(HASH),
        message: 'try',
        parents: [base],
      }),
    });
    const empty = await http().post(`${url}/exp/apply`).send({ changes: {} }).expect(200);
    expect(empty.body).toEqual({ status: 'applied', message: 'changes applied to reality exp' });
    const list = await http().get(url).expect(200);
    expect(list.body.realities[0]).toEqual(
      expect.objectContaining({ head: applied.body.commit.hash, ahead: 1 }),
    );
    const main = await http().get(`/api/v1/repos/${id}/branches/main`).expect(200);
    expect(main.body.commit).toBe(base);
  });

  it.each([
    ['nope', { changes: {} }, 404, 'REALITY_NOT_FOUND'],
    ['exp', { changes: { '../x': 'x' } }, 400, 'INVALID_FILE_PATH'],
    ['exp', { changes: { x: 1 } }, 400, 'INVALID_REQUEST'],
    ['exp', {}, 400, 'INVALID_REQUEST'],
  ])('apply to %s %j → %i %s', async (reality, body, status, code) => {
    const { url } = await repo();
    await http()
      .post(url)
      .send({ branches: ['exp'] })
      .expect(201);
    expect((await http().post(`${url}/${reality}/apply`).send(body).expect(status)).body.code).toBe(
      code,
    );
  });

  it('benchmarks a reality by GET and POST', async () => {
    const { url } = await repo();
    await http()
      .post(url)
      .send({ branches: ['exp'] })
      .expect(201);
    await http()
      .post(`${url}/exp/apply`)
      .send({ changes: { 'b.txt': 'b\nc\n' } })
      .expect(200);
    for (const method of ['get', 'post'] as const) {
      const res = await http()[method](`${url}/exp/benchmark`).expect(200);
      expect(res.body).toEqual({
        reality: 'parallel/exp',
        benchmark: {
          reality: 'parallel/exp',
          start_time: expect.stringMatching(SERVER_TIME),
          end_time: expect.stringMatching(SERVER_TIME),
          duration_ms: expect.any(Number),
          metrics: res.body.metrics,
        },
        metrics: expect.objectContaining({
          files: 2,
          commits_ahead: 1,
          changed_files: 1,
          additions: 2,
          deletions: 0,
        }),
        duration: res.body.benchmark.duration_ms,
        better: null,
      });
    }
    expect((await http().get(`${url}/nope/benchmark`).expect(404)).body.code).toBe(
      'REALITY_NOT_FOUND',
    );
  });

  it('merges a reality into its base and deletes it', async () => {
    const { id, url } = await repo();
    await http()
      .post(url)
      .send({ branches: ['exp', 'other'] })
      .expect(201);
    const applied = await http()
      .post(`${url}/exp/apply`)
      .send({ changes: { 'b.txt': 'b\n' } })
      .expect(200);
    const merged = await http().post(`${url}/exp/merge`).send({ delete: true }).expect(200);
    expect(merged.body).toEqual({
      status: 'merged',
      message: 'merged parallel/exp into main',
      from: 'parallel/exp',
      to: 'main',
      fast_forward: true,
      commit: applied.body.commit.hash,
    });
    expect((await http().get(`/api/v1/repos/${id}/branches/main`).expect(200)).body.commit).toBe(
      applied.body.commit.hash,
    );
    expect((await http().post(`${url}/exp/merge`).expect(404)).body.code).toBe('REALITY_NOT_FOUND');
    expect(
      (await http().post(`${url}/other/merge`).send({ into: 'nope' }).expect(404)).body.code,
    ).toBe('BRANCH_NOT_FOUND');
    expect((await http().delete(`${url}/other`).expect(200)).body).toEqual({
      status: 'deleted',
      message: 'reality other deleted',
    });
    expect((await http().delete(`${url}/other`).expect(404)).body.code).toBe('REALITY_NOT_FOUND');
  });

  it('answers MERGE_CONFLICT with the conflicting paths', async () => {
    const { id, url } = await repo();
    await http()
      .post(url)
      .send({ branches: ['exp'] })
      .expect(201);
    await http()
      .post(`${url}/exp/apply`)
      .send({ changes: { 'a.txt': 'reality\n' } })
      .expect(200);
    await commitFiles(app, id, { 'a.txt': 'main\n' });
    const res = await http().post(`${url}/exp/merge`).send({}).expect(409);
    expect(res.body.code).toBe('MERGE_CONFLICT');
    expect(res.body.details).toEqual(expect.objectContaining({ conflicts: ['a.txt'] }));
    await writeFiles(app, id, { 'z.txt': 'z' });
  });

  it('answers REPO_NOT_FOUND for an unknown repository', async () => {
    expect((await http().get('/api/v1/repos/nope/parallel-realities').expect(404)).body.code).toBe(
      'REPO_NOT_FOUND',
    );
  });
});
