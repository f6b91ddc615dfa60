/** Branches, checkout, merge and tags (api-contract.md §3.4, §4). */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import {
  commitFiles,
  createRepo,
  GIT_TIME,
  HASH,
  stageFiles,
  writeFiles,
} from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

describe('branches, checkout, merge, tags (e2e)', () => {
  let app: NestExpressApplication;
  let seq = 0;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  async function repo(withCommit = true): Promise<{ id: string; base: string }> {
    const id = `br${++seq}`;
    await createRepo(app, id);
    const base = withCommit ? await commitFiles(app, id, { 'a.txt': 'one\n' }, 'first') : '';
    return { id, base };
  }

  describe('branches', () => {
    it('lists the unborn default branch with commit ""', async () => {
      const { id } = await repo(false);
      const res = await http().get(`/api/v1/repos/${id}/branches`).expect(200);
      expect(res.body).toEqual({
        branches: [{ name: 'main', commit: '', is_current: true }],
        current: 'main',
        count: 1,
      });
    });

    it('creates a branch with a slash and gets/deletes it through both spellings', async () => {
      const { id, base } = await repo();
      const created = await http()
        .post(`/api/v1/repos/${id}/branches`)
        .send({ name: 'feature/x' })
        .expect(201);
      expect(created.body).toEqual({
        status: 'created',
        message: "branch 'feature/x' created",
        data: { branch: 'feature/x', from: 'HEAD', commit: base },
      });
      const got = await http().get(`/api/v1/repos/${id}/branches/feature%2Fx`).expect(200);
      expect(got.body).toEqual({ name: 'feature/x', commit: base, is_current: false });
      await http().get(`/api/v1/repos/${id}/branches/feature/x`).expect(200);
      const list = await http().get(`/api/v1/repos/${id}/branches`).expect(200);
      expect(
        (list.body as { branches: Array<{ name: string }> }).branches.map((b) => b.name),
      ).toEqual(['feature/x', 'main']);
      const deleted = await http().delete(`/api/v1/repos/${id}/branches/feature%2Fx`).expect(200);
      expect(deleted.body).toEqual({
        status: 'deleted',
        message: "branch 'feature/x' deleted",
        data: { branch: 'feature/x', commit: base },
      });
      const missing = await http().get(`/api/v1/repos/${id}/branches/feature/x`).expect(404);
      expect(missing.body.code).toBe('BRANCH_NOT_FOUND');
    });

    it('answers the v2 shapes', async () => {
      const { id } = await repo();
      const created = await http()
        .post(`/api/v2/repos/${id}/branches`)
        .send({ name: 'dev' })
        .expect(201);
      expect(created.body).toEqual({ status: '', message: "branch 'dev' created" });
      const deleted = await http().delete(`/api/v2/repos/${id}/branches/dev`).expect(200);
      expect(deleted.body).toEqual({ status: '', message: "branch 'dev' deleted" });
    });

    it.each([
      [{ name: 'bad..name' }, 400, 'INVALID_BRANCH_NAME'],
      [{ name: 'x', from: 'nope' }, 404, 'BRANCH_NOT_FOUND'],
      [{ name: 'main' }, 409, 'BRANCH_EXISTS'],
      [{ name: 42 }, 400, 'INVALID_REQUEST'],
      [{}, 400, 'INVALID_REQUEST'],
    ])('create %j → %i %s', async (body, status, code) => {
      const { id } = await repo();
      const res = await http().post(`/api/v1/repos/${id}/branches`).send(body).expect(status);
      expect(res.body).toEqual(expect.objectContaining({ code, error: expect.any(String) }));
    });

    it('refuses a branch on an empty repository with BRANCH_CREATE_FAILED', async () => {
      const { id } = await repo(false);
      const res = await http().post(`/api/v1/repos/${id}/branches`).send({ name: 'x' }).expect(400);
      expect(res.body.code).toBe('BRANCH_CREATE_FAILED');
    });

    it('protects main and the current branch', async () => {
      const { id } = await repo();
      expect(
        (await http().delete(`/api/v1/repos/${id}/branches/main`).expect(400)).body.code,
      ).toMatch(/^(PROTECTED_BRANCH|DELETE_CURRENT_BRANCH)$/);
      await http().post(`/api/v1/repos/${id}/branches`).send({ name: 'dev' }).expect(201);
      await http().post(`/api/v1/repos/${id}/checkout`).send({ branch: 'dev' }).expect(200);
      const res = await http().delete(`/api/v1/repos/${id}/branches/dev`).expect(400);
      expect(res.body.code).toBe('DELETE_CURRENT_BRANCH');
      expect((await http().delete(`/api/v1/repos/${id}/branches/nope`).expect(404)).body.code).toBe(
        'BRANCH_NOT_FOUND',
      );
    });

    it('answers REPO_NOT_FOUND for an unknown repository', async () => {
      const res = await http().get('/api/v1/repos/nope-repo/branches').expect(404);
      expect(res.body).toEqual({
        error: expect.any(String),
        code: 'REPO_NOT_FOUND',
        details: expect.any(Object),
      });
    });
  });

  describe('checkout', () => {
    it('switches branch and detaches at a commit', async () => {
      const { id, base } = await repo();
      await http().post(`/api/v1/repos/${id}/branches`).send({ name: 'dev' }).expect(201);
      const res = await http()
        .post(`/api/v1/repos/${id}/checkout`)
        .send({ branch: 'dev' })
        .expect(200);
      expect(res.body).toEqual({
        status: 'checked out',
        message: "switched to branch 'dev'",
        data: { branch: 'dev', commit: base },
      });
      const detached = await http()
        .post(`/api/v2/repos/${id}/checkout`)
        .send({ branch: base })
        .expect(200);
      expect(detached.body).toEqual({ status: '', message: `switched to branch '${base}'` });
      const list = await http().get(`/api/v1/repos/${id}/branches`).expect(200);
      expect(list.body.current).toBe('HEAD');
    });

    it('refuses to overwrite local changes unless forced', async () => {
      const { id } = await repo();
      await http().post(`/api/v1/repos/${id}/branches`).send({ name: 'dev' }).expect(201);
      await commitFiles(app, id, { 'a.txt': 'two\n' });
      await writeFiles(app, id, { 'a.txt': 'local\n' });
      const res = await http()
        .post(`/api/v1/repos/${id}/checkout`)
        .send({ branch: 'dev' })
        .expect(409);
      expect(res.body).toEqual({
        error: 'local changes would be overwritten',
        code: 'CHECKOUT_FAILED',
        details: { paths: ['a.txt'] },
      });
      await http()
        .post(`/api/v1/repos/${id}/checkout`)
        .send({ branch: 'dev', force: true })
        .expect(200);
    });

    it('answers BRANCH_NOT_FOUND and INVALID_REQUEST', async () => {
      const { id } = await repo();
      expect(
        (await http().post(`/api/v1/repos/${id}/checkout`).send({ branch: 'nope' }).expect(404))
          .body.code,
      ).toBe('BRANCH_NOT_FOUND');
      expect(
        (await http().post(`/api/v1/repos/${id}/checkout`).send({}).expect(400)).body.code,
      ).toBe('INVALID_REQUEST');
    });
  });

  describe('merge', () => {
    it('fast-forwards, merges and reports up-to-date', async () => {
      const { id } = await repo();
      await http().post(`/api/v1/repos/${id}/branches`).send({ name: 'dev' }).expect(201);
      await http().post(`/api/v1/repos/${id}/checkout`).send({ branch: 'dev' }).expect(200);
      const tip = await commitFiles(app, id, { 'b.txt': 'b\n' });
      const ff = await http()
        .post(`/api/v1/repos/${id}/merge`)
        .send({ from: 'dev', to: 'main' })
        .expect(200);
      expect(ff.body).toEqual({
        status: 'merged',
        message: `merged 'dev' into 'main' (commit: ${tip.slice(0, 7)})`,
        data: { from: 'dev', to: 'main', commit: tip, type: 'fast-forward' },
      });
      const again = await http()
        .post(`/api/v2/repos/${id}/merge`)
        .send({ from: 'dev', to: 'main' })
        .expect(200);
      expect(again.body.status).toBe('');
      expect(again.body.data.type).toBe('up-to-date');
      await http().post(`/api/v1/repos/${id}/checkout`).send({ branch: 'dev' }).expect(200);
      await commitFiles(app, id, { 'c.txt': 'c\n' });
      await http().post(`/api/v1/repos/${id}/checkout`).send({ branch: 'main' }).expect(200);
      await commitFiles(app, id, { 'd.txt': 'd\n' });
      const merged = await http()
        .post(`/api/v1/repos/${id}/merge`)
        .send({ from: 'dev', to: 'main' })
        .expect(200);
      expect(merged.body.data).toEqual({
        from: 'dev',
        to: 'main',
        commit: expect.stringMatching(HASH),
        type: 'merge',
      });
    });

    it('answers MERGE_CONFLICT with the conflicting paths and changes nothing', async () => {
      const { id } = await repo();
      await http().post(`/api/v1/repos/${id}/branches`).send({ name: 'dev' }).expect(201);
      const mainTip = await commitFiles(app, id, { 'a.txt': 'main\n' });
      await http().post(`/api/v1/repos/${id}/checkout`).send({ branch: 'dev' }).expect(200);
      await commitFiles(app, id, { 'a.txt': 'dev\n' });
      const res = await http()
        .post(`/api/v1/repos/${id}/merge`)
        .send({ from: 'dev', to: 'main' })
        .expect(409);
      expect(res.body).toEqual({
        error: expect.any(String),
        code: 'MERGE_CONFLICT',
        details: expect.objectContaining({ conflicts: ['a.txt'] }),
      });
      const branch = await http().get(`/api/v1/repos/${id}/branches/main`).expect(200);
      expect(branch.body.commit).toBe(mainTip);
    });

    it('answers MERGE_FAILED with uncommitted changes, and the not-found codes', async () => {
      const { id } = await repo();
      await http().post(`/api/v1/repos/${id}/branches`).send({ name: 'dev' }).expect(201);
      await http().post(`/api/v1/repos/${id}/checkout`).send({ branch: 'dev' }).expect(200);
      await commitFiles(app, id, { 'x.txt': 'x\n' });
      await http().post(`/api/v1/repos/${id}/checkout`).send({ branch: 'main' }).expect(200);
      await stageFiles(app, id, { 'y.txt': 'y\n' });
      const failed = await http()
        .post(`/api/v1/repos/${id}/merge`)
        .send({ from: 'dev', to: 'main' })
        .expect(409);
      expect(failed.body.code).toBe('MERGE_FAILED');
      expect(failed.body.details).toEqual(expect.objectContaining({ paths: expect.any(Array) }));
      expect(
        (
          await http()
            .post(`/api/v1/repos/${id}/merge`)
            .send({ from: 'nope', to: 'main' })
            .expect(404)
        ).body.code,
      ).toBe('REF_NOT_FOUND');
      expect(
        (
          await http()
            .post(`/api/v1/repos/${id}/merge`)
            .send({ from: 'dev', to: 'nope' })
            .expect(404)
        ).body.code,
      ).toBe('BRANCH_NOT_FOUND');
      expect(
        (await http().post(`/api/v1/repos/${id}/merge`).send({ from: 'dev' }).expect(400)).body
          .code,
      ).toBe('INVALID_REQUEST');
    });
  });

  describe('tags', () => {
    it('creates lightweight and annotated tags, lists, gets and deletes them', async () => {
      const { id, base } = await repo();
      const light = await http().post(`/api/v1/repos/${id}/tags`).send({ name: 'v1' }).expect(201);
      expect(light.body).toEqual({ name: 'v1', commit: base, annotated: false });
      const annotated = await http()
        .post(`/api/v1/repos/${id}/tags`)
        .send({ name: 'rel/v2', message: 'release', author: 'Ada', email: 'ada@example.com' })
        .expect(201);
      expect(annotated.body).toEqual({
        name: 'rel/v2',
        commit: base,
        annotated: true,
        object: expect.stringMatching(HASH),
        message: 'release',
        tagger: {
          name: 'Ada',
          email: 'ada@example.com',
          timestamp: expect.stringMatching(GIT_TIME),
        },
      });
      const list = await http().get(`/api/v1/repos/${id}/tags`).expect(200);
      expect(list.body.count).toBe(2);
      expect((list.body as { tags: Array<{ name: string }> }).tags.map((t) => t.name)).toEqual([
        'rel/v2',
        'v1',
      ]);
      expect(
        (await http().get(`/api/v1/repos/${id}/tags/rel%2Fv2`).expect(200)).body.annotated,
      ).toBe(true);
      expect((await http().delete(`/api/v1/repos/${id}/tags/rel/v2`).expect(200)).body).toEqual({
        status: 'deleted',
        message: "tag 'rel/v2' deleted",
      });
      expect((await http().get(`/api/v1/repos/${id}/tags/rel/v2`).expect(404)).body.code).toBe(
        'TAG_NOT_FOUND',
      );
      expect((await http().delete(`/api/v1/repos/${id}/tags/nope`).expect(404)).body.code).toBe(
        'TAG_NOT_FOUND',
      );
    });

    it('answers the v2 create shape', async () => {
      const { id, base } = await repo();
      const res = await http()
        .post(`/api/v2/repos/${id}/tags`)
        .send({ name: 'v1', ref: 'main' })
        .expect(201);
      expect(res.body).toEqual({
        status: '',
        message: "tag 'v1' created",
        data: { name: 'v1', commit: base, annotated: false },
      });
      expect((await http().delete(`/api/v2/repos/${id}/tags/v1`).expect(200)).body).toEqual({
        status: '',
        message: "tag 'v1' deleted",
      });
    });

    it.each([
      [{ name: 'bad tag' }, 400, 'INVALID_TAG_NAME'],
      [{ name: 'v1', ref: 'nope' }, 404, 'REF_NOT_FOUND'],
      [{ name: 'v1', message: 7 }, 400, 'INVALID_REQUEST'],
    ])('create %j → %i %s', async (body, status, code) => {
      const { id } = await repo();
      expect(
        (await http().post(`/api/v1/repos/${id}/tags`).send(body).expect(status)).body.code,
      ).toBe(code);
    });

    it('takes the tagger as {name, email} and refuses a bad email or author type', async () => {
      const { id } = await repo();
      const created = await http()
        .post(`/api/v1/repos/${id}/tags`)
        .send({ name: 'v1', message: 'release', author: { name: 'Ada', email: 'ada@example.com' } })
        .expect(201);
      expect(created.body.tagger).toMatchObject({ name: 'Ada', email: 'ada@example.com' });
      const badEmail = await http()
        .post(`/api/v1/repos/${id}/tags`)
        .send({ name: 'v2', message: 'x', author: { name: 'Ada', email: 'not-an-email' } })
        .expect(400);
      expect(badEmail.body.code).toBe('INVALID_EMAIL');
      const badType = await http()
        .post(`/api/v1/repos/${id}/tags`)
        .send({ name: 'v3', message: 'x', author: 42 })
        .expect(400);
      expect(badType.body.code).toBe('INVALID_REQUEST');
      expect(badType.body.details.fields[0].field).toBe('author');
    });

    it('answers TAG_EXISTS and TAG_CREATE_FAILED', async () => {
      const { id } = await repo();
      await http().post(`/api/v1/repos/${id}/tags`).send({ name: 'v1' }).expect(201);
      expect(
        (await http().post(`/api/v1/repos/${id}/tags`).send({ name: 'v1' }).expect(409)).body.code,
      ).toBe('TAG_EXISTS');
      const empty = await repo(false);
      expect(
        (await http().post(`/api/v1/repos/${empty.id}/tags`).send({ name: 'v1' }).expect(400)).body
          .code,
      ).toBe('TAG_CREATE_FAILED');
    });
  });
});
