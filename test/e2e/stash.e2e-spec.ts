/** Stash routes (api-contract.md §3.5, §4). */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { commitFiles, createRepo, GIT_TIME, HASH, writeFiles } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('stash (e2e)', () => {
  let app: NestExpressApplication;
  let seq = 0;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  async function repo(): Promise<{ id: string; base: string }> {
    const id = `st${++seq}`;
    await createRepo(app, id);
    return { id, base: await commitFiles(app, id, { 'a.txt': 'one\n' }, 'first') };
  }

  it('stashes, lists, gets, applies and drops on v1', async () => {
    const { id, base } = await repo();
    await writeFiles(app, id, { 'a.txt': 'two\n' });
    const pushed = await http().post(`/api/v1/repos/${id}/stash`).expect(201);
    expect(pushed.body).toEqual({
      id: 'stash@{0}',
      index: 0,
      uuid: expect.stringMatching(UUID),
      message: `WIP on main: ${base.slice(0, 7)} first`,
      author: 'Unknown',
      email: 'unknown@example.com',
      timestamp: expect.stringMatching(GIT_TIME),
      files: ['a.txt'],
      branch: 'main',
      commit: expect.stringMatching(HASH),
    });
    const { uuid } = pushed.body;
    await writeFiles(app, id, { 'a.txt': 'three\n' });
    await http()
      .post(`/api/v1/repos/${id}/stash`)
      .send({ message: 'second', author: 'Ada', email: 'ada@example.com' })
      .expect(201);
    const list = await http().get(`/api/v1/repos/${id}/stash`).expect(200);
    expect(list.body.count).toBe(2);
    expect((list.body as { stashes: Array<{ id: string }> }).stashes.map((s) => s.id)).toEqual([
      'stash@{0}',
      'stash@{1}',
    ]);
    expect(list.body.stashes[0].message).toBe('On main: second');
    expect((await http().get(`/api/v1/repos/${id}/stash/1`).expect(200)).body.uuid).toBe(uuid);
    expect(
      (await http().get(`/api/v1/repos/${id}/stash/stash%40%7B1%7D`).expect(200)).body.uuid,
    ).toBe(uuid);
    const applied = await http()
      .post(`/api/v1/repos/${id}/stash/${uuid}/apply`)
      .send({ drop: true })
      .expect(200);
    expect(applied.body).toEqual({
      status: 'applied',
      message: 'stash stash@{1} applied successfully',
      data: { id: 'stash@{1}', uuid, dropped: true },
    });
    const dropped = await http().delete(`/api/v1/repos/${id}/stash/0`).expect(200);
    expect(dropped.body).toEqual({
      status: 'dropped',
      message: 'stash stash@{0} dropped successfully',
    });
    expect((await http().get(`/api/v1/repos/${id}/stash`).expect(200)).body).toEqual({
      stashes: [],
      count: 0,
    });
  });

  it('uses uuid ids on v2', async () => {
    const { id } = await repo();
    await writeFiles(app, id, { 'a.txt': 'two\n' });
    const pushed = await http().post(`/api/v2/repos/${id}/stashes`).send({}).expect(201);
    expect(pushed.body.id).toBe(pushed.body.uuid);
    const list = await http().get(`/api/v2/repos/${id}/stashes`).expect(200);
    expect(list.body.stashes[0].id).toBe(pushed.body.uuid);
    expect((await http().get(`/api/v2/repos/${id}/stashes/0`).expect(200)).body.id).toBe(
      pushed.body.uuid,
    );
    const applied = await http()
      .post(`/api/v2/repos/${id}/stashes/${pushed.body.uuid}/apply`)
      .expect(200);
    expect(applied.body).toEqual({ status: '', message: 'stash applied' });
    const dropped = await http()
      .delete(`/api/v2/repos/${id}/stashes/${pushed.body.uuid}`)
      .expect(200);
    expect(dropped.body).toEqual({
      status: '',
      message: `stash '${String(pushed.body.uuid).slice(0, 7)}' dropped`,
    });
  });

  it('answers STASH_FAILED, STASH_NOT_FOUND, INVALID_REQUEST', async () => {
    const { id } = await repo();
    const nothing = await http().post(`/api/v1/repos/${id}/stash`).expect(400);
    expect(nothing.body).toEqual(expect.objectContaining({ code: 'STASH_FAILED' }));
    for (const route of [
      'stash/0',
      'stash/stash@{3}',
      `stash/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
    ]) {
      const res = await http().get(`/api/v1/repos/${id}/${route}`).expect(404);
      expect(res.body.code).toBe('STASH_NOT_FOUND');
    }
    expect((await http().post(`/api/v1/repos/${id}/stash/0/apply`).expect(404)).body.code).toBe(
      'STASH_NOT_FOUND',
    );
    expect((await http().delete(`/api/v2/repos/${id}/stashes/9`).expect(404)).body.code).toBe(
      'STASH_NOT_FOUND',
    );
    expect(
      (
        await http()
          .post(`/api/v1/repos/${id}/stash`)
          .send({ include_untracked: 'yes' })
          .expect(400)
      ).body.code,
    ).toBe('INVALID_REQUEST');
  });

  it('refuses to apply over conflicting local changes with STASH_APPLY_FAILED', async () => {
    const { id } = await repo();
    await writeFiles(app, id, { 'a.txt': 'two\n' });
    await http().post(`/api/v1/repos/${id}/stash`).expect(201);
    await writeFiles(app, id, { 'a.txt': 'other\n' });
    const res = await http().post(`/api/v1/repos/${id}/stash/0/apply`).expect(409);
    expect(res.body).toEqual({
      error: expect.any(String),
      code: 'STASH_APPLY_FAILED',
      details: { paths: ['a.txt'] },
    });
  });
});
