/**
 * api-contract.md §0.8 with auth on: a commit, tag or stash without `author`/`email` is by the
 * caller (username, email); values in the request still win; with auth off the stored config or
 * `Unknown` applies.
 */
import request from 'supertest';
import { type AuthApp, makeUser, startAuthApp } from '../support/auth-fixture';

describe('commit identity with auth (e2e)', () => {
  let auth: AuthApp;
  beforeAll(async () => {
    auth = await startAuthApp();
  });
  afterAll(() => auth.close());

  const http = () => request(auth.app.getHttpServer());

  it('defaults a commit and an annotated tag to the caller, and lets the request override it', async () => {
    const dev = await makeUser(auth, ['developer']);
    await http().post('/api/v1/repos').set('X-API-Key', dev.key).send({ id: 'ident' }).expect(201);
    const repo = '/api/v1/repos/ident';
    await http()
      .post(`${repo}/add`)
      .set('X-API-Key', dev.key)
      .send({ path: 'a.txt', content: 'a' })
      .expect(201);
    const first = await http()
      .post(`${repo}/commit`)
      .set('X-API-Key', dev.key)
      .send({ message: 'by the caller' })
      .expect(201);
    expect(first.body).toMatchObject({
      author: dev.username,
      email: `${dev.username}@example.com`,
    });

    await http()
      .post(`${repo}/add`)
      .set('X-API-Key', dev.key)
      .send({ path: 'b.txt', content: 'b' })
      .expect(201);
    const second = await http()
      .post(`${repo}/commit`)
      .set('X-API-Key', dev.key)
      .send({ message: 'explicit', author: 'Ada', email: 'ada@example.com' })
      .expect(201);
    expect(second.body).toMatchObject({ author: 'Ada', email: 'ada@example.com' });

    const tag = await http()
      .post(`${repo}/tags`)
      .set('X-API-Key', auth.adminKey)
      .send({ name: 'v1', message: 'release' })
      .expect(201);
    expect(JSON.stringify(tag.body)).toContain('admin@govc.dev');
  });
});
