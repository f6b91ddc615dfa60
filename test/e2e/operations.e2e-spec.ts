/** Cherry-pick, revert, reset, rebase (api-contract.md §3.6). */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { commitFiles, createRepo, GIT_TIME, HASH, stageFiles } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

describe('advanced git operations (e2e)', () => {
  let app: NestExpressApplication;
  let seq = 0;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  const post = (id: string, route: string, body: object, family = 'v1') =>
    http().post(`/api/${family}/repos/${id}/${route}`).send(body);

  /** main: base; dev: base → pick (adds b.txt). HEAD on main. */
  async function forked(): Promise<{ id: string; base: string; pick: string }> {
    const id = `op${++seq}`;
    await createRepo(app, id);
    const base = await commitFiles(app, id, { 'a.txt': 'one\n' }, 'first');
    await post(id, 'branches', { name: 'dev' }).expect(201);
    await post(id, 'checkout', { branch: 'dev' }).expect(200);
    const pick = await commitFiles(app, id, { 'b.txt': 'b\n' }, 'add b');
    await post(id, 'checkout', { branch: 'main' }).expect(200);
    return { id, base, pick };
  }

  it('cherry-picks a commit with the §3.6 shape', async () => {
    const { id, base, pick } = await forked();
    const res = await post(id, 'cherry-pick', { commit: 'dev' }).expect(201);
    expect(res.body).toEqual({
      original_commit: 'dev',
      new_commit: expect.stringMatching(HASH),
      message: `add b\n\n(cherry picked from commit ${pick})`,
      author: 'Test',
      email: 'test@example.com',
      timestamp: expect.stringMatching(GIT_TIME),
      files_changed: ['b.txt'],
      commit: expect.objectContaining({ hash: res.body.new_commit, parent: base, parents: [base] }),
    });
    const again = await post(id, 'cherry-pick', { commit: pick }, 'v2').expect(409);
    expect(again.body.code).toBe('CHERRY_PICK_FAILED');
  });

  it('answers the cherry-pick error codes', async () => {
    const { id } = await forked();
    expect((await post(id, 'cherry-pick', { commit: 'nope' }).expect(404)).body.code).toBe(
      'COMMIT_NOT_FOUND',
    );
    expect((await post(id, 'cherry-pick', {}).expect(400)).body.code).toBe('INVALID_REQUEST');
    expect(
      (await post(id, 'cherry-pick', { commit: 'dev', mainline: 0 }).expect(400)).body.code,
    ).toBe('INVALID_REQUEST');
    await stageFiles(app, id, { 'b.txt': 'local\n' });
    const dirty = await post(id, 'cherry-pick', { commit: 'dev' }).expect(409);
    expect(dirty.body).toEqual({
      error: expect.any(String),
      code: 'CHERRY_PICK_FAILED',
      details: expect.any(Object),
    });
  });

  it('answers MERGE_CONFLICT for a conflicting pick', async () => {
    const { id } = await forked();
    await commitFiles(app, id, { 'b.txt': 'main\n' });
    const res = await post(id, 'cherry-pick', { commit: 'dev' }).expect(409);
    expect(res.body.code).toBe('MERGE_CONFLICT');
    expect(res.body.details).toEqual(expect.objectContaining({ conflicts: ['b.txt'] }));
  });

  it('reverts a commit', async () => {
    const { id } = await forked();
    const head = await commitFiles(app, id, { 'c.txt': 'c\n' }, 'add c');
    const res = await post(id, 'revert', { commit: 'HEAD' }).expect(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        reverted_commit: 'HEAD',
        new_commit: expect.stringMatching(HASH),
        message: `Revert "add c"\n\nThis reverts commit ${head}.`,
        files_changed: ['c.txt'],
      }),
    );
    expect((await post(id, 'revert', { commit: 'nope' }, 'v2').expect(404)).body.code).toBe(
      'COMMIT_NOT_FOUND',
    );
  });

  it('resets in every mode and validates the mode', async () => {
    const { id, base } = await forked();
    const head = await commitFiles(app, id, { 'c.txt': 'c\n' });
    const res = await post(id, 'reset', { target: base, mode: 'hard' }).expect(200);
    expect(res.body).toEqual({ old_head: head, new_head: base, mode: 'hard' });
    const alias = await post(id, 'reset', { commit: head }, 'v2').expect(200);
    expect(alias.body).toEqual({ old_head: base, new_head: head, mode: 'mixed' });
    const bad = await post(id, 'reset', { target: base, mode: 'medium' }).expect(400);
    expect(bad.body.code).toBe('INVALID_REQUEST');
    expect(bad.body.details.fields[0].field).toBe('mode');
    expect((await post(id, 'reset', {}).expect(400)).body.code).toBe('INVALID_REQUEST');
    expect((await post(id, 'reset', { target: 'nope' }).expect(404)).body.code).toBe(
      'REF_NOT_FOUND',
    );
  });

  it('answers RESET_FAILED on an empty repository', async () => {
    const id = `op${++seq}`;
    await createRepo(app, id);
    expect((await post(id, 'reset', { target: 'HEAD' }).expect(400)).body.code).toBe(
      'RESET_FAILED',
    );
  });

  it('rebases the current branch', async () => {
    const { id } = await forked();
    await post(id, 'checkout', { branch: 'dev' }).expect(200);
    const old = await commitFiles(app, id, { 'd.txt': 'd\n' });
    await post(id, 'checkout', { branch: 'main' }).expect(200);
    const mainTip = await commitFiles(app, id, { 'm.txt': 'm\n' });
    await post(id, 'checkout', { branch: 'dev' }).expect(200);
    const res = await post(id, 'rebase', { onto: 'main' }).expect(200);
    expect(res.body).toEqual({
      old_head: old,
      new_head: expect.stringMatching(HASH),
      rebased_count: 2,
      commits: [expect.stringMatching(HASH), res.body.new_head],
    });
    const noop = await post(id, 'rebase', { onto: mainTip }, 'v2').expect(200);
    expect(noop.body).toEqual({
      old_head: res.body.new_head,
      new_head: res.body.new_head,
      rebased_count: 0,
      commits: [],
    });
    expect((await post(id, 'rebase', { onto: 'nope' }).expect(404)).body.code).toBe(
      'REF_NOT_FOUND',
    );
    expect((await post(id, 'rebase', {}).expect(400)).body.code).toBe('INVALID_REQUEST');
  });

  it('answers REBASE_FAILED 400 when detached and 409 with uncommitted changes', async () => {
    const { id, base } = await forked();
    await stageFiles(app, id, { 'z.txt': 'z\n' });
    expect((await post(id, 'rebase', { onto: 'dev' }).expect(409)).body.code).toBe('REBASE_FAILED');
    const other = await forked();
    await post(other.id, 'checkout', { branch: other.base }).expect(200);
    expect((await post(other.id, 'rebase', { onto: 'dev' }).expect(400)).body.code).toBe(
      'REBASE_FAILED',
    );
    expect(base).toMatch(HASH);
  });
});
