/**
 * api-contract.md §6.1 with auth on: webhook routes need `repo:admin` or `webhook:write` on the
 * repository; a reader is refused with 403, a stranger sees 404.
 */
import request from 'supertest';
import { type AuthApp, makeUser, startAuthApp } from '../support/auth-fixture';

describe('webhook permissions (e2e)', () => {
  let auth: AuthApp;
  beforeAll(async () => {
    auth = await startAuthApp({ GOVC_HOOKS_ALLOW_PRIVATE_TARGETS: 'true' });
    await request(auth.app.getHttpServer())
      .post('/api/v1/repos')
      .set('X-API-Key', auth.adminKey)
      .send({ id: 'hooked' })
      .expect(201);
  });
  afterAll(() => auth.close());

  const http = () => request(auth.app.getHttpServer());
  const hook = { url: 'http://127.0.0.1:9/receiver', events: ['push'] };

  it('lets webhook:write register and list hooks without repo:admin', async () => {
    const developer = await makeUser(auth, ['developer']);
    const created = await http()
      .post('/api/v1/repos/hooked/hooks')
      .set('X-API-Key', developer.key)
      .send(hook)
      .expect(201);
    const listed = await http()
      .get('/api/v1/repos/hooked/hooks')
      .set('X-API-Key', developer.key)
      .expect(200);
    const hooks = (listed.body as { hooks: Array<{ id: string }> }).hooks;
    expect(hooks.map((h) => h.id)).toContain((created.body as { id: string }).id);
  });

  it('refuses a reader with 403 naming repo:admin, and hides the repository from a stranger', async () => {
    const reader = await makeUser(auth, ['reader']);
    const refused = await http()
      .post('/api/v1/repos/hooked/hooks')
      .set('X-API-Key', reader.key)
      .send(hook)
      .expect(403);
    expect(refused.body).toEqual({
      error: 'Insufficient permissions',
      code: 'FORBIDDEN',
      details: { required: 'repo:admin' },
    });
    const stranger = await makeUser(auth, []);
    const hidden = await http()
      .get('/api/v1/repos/hooked/hooks')
      .set('X-API-Key', stranger.key)
      .expect(404);
    expect(hidden.body.code).toBe('REPO_NOT_FOUND');
  });
});
