/**
 * Authentication (api-contract.md §0.3, §2): first-start admin, login, lockout, refresh,
 * logout, whoami, API keys, users, roles, grants, secure-by-default repository routes.
 */
import { statSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { ADMIN_PASSWORD, type AuthApp, makeUser, startAuthApp } from '../support/auth-fixture';

describe('authentication (e2e)', () => {
  let auth: AuthApp;
  beforeAll(async () => {
    // Every request here comes from one IP: the lockout has its own app below.
    auth = await startAuthApp({ GOVC_AUTH_LOGIN_MAX_ATTEMPTS: '1000' });
  });
  afterAll(() => auth.close());

  const http = () => request(auth.app.getHttpServer());
  const admin = (req: request.Test) => req.set('X-API-Key', auth.adminKey);

  describe('first start', () => {
    it('writes initial-admin.json with mode 0600 and the admin key, no password from env', () => {
      const file = path.join(auth.dataDir, 'initial-admin.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const content = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(content).toEqual({
        username: 'admin',
        api_key: expect.stringMatching(/^govc_[A-Za-z0-9_-]{43}=$/),
      });
    });

    it('answers 401 with WWW-Authenticate on a repository route without credentials', async () => {
      const response = await http().get('/api/v1/repos').expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it('keeps health, version and csrf-token public', async () => {
      await http().get('/health/live').expect(200);
      await http().get('/version').expect(200);
      const csrf = await http().get('/api/v1/auth/csrf-token').expect(200);
      expect(csrf.body).toEqual({ csrf_token: expect.any(String), expires_in: 3600 });
      expect(csrf.headers['x-csrf-token']).toBe(csrf.body.csrf_token);
    });

    it('never reads credentials from the query string', async () => {
      await http()
        .get(`/api/v1/repos?api_key=${encodeURIComponent(auth.adminKey)}`)
        .expect(401);
    });
  });

  describe('login', () => {
    it('returns a JWT that works as Bearer, and whoami describes the caller', async () => {
      const login = await http()
        .post('/api/v1/auth/login')
        .send({ username: 'admin', password: ADMIN_PASSWORD })
        .expect(200);
      expect(login.body).toMatchObject({
        token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        expires_at: expect.stringMatching(/Z$/),
        user: { id: 'admin', username: 'admin', auth_method: 'jwt', roles: ['admin'] },
      });
      const who = await http()
        .get('/api/v1/auth/whoami')
        .set('Authorization', `Bearer ${login.body.token}`)
        .expect(200);
      expect(who.body).toMatchObject({ id: 'admin', auth_method: 'jwt' });
      expect(who.body.permissions).toContain('system:admin');
      expect(who.body.token_info).toMatchObject({
        iss: 'govc-server',
        aud: 'govc-api',
        sub: 'admin',
      });
    });

    it('gives one answer for a wrong password and an unknown user', async () => {
      const wrong = await http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '10.0.0.1')
        .send({ username: 'admin', password: 'not the password' })
        .expect(401);
      const unknown = await http()
        .post('/api/v1/auth/login')
        .send({ username: 'nobody-here', password: 'not the password' })
        .expect(401);
      expect(wrong.body).toEqual({ error: 'Invalid credentials', code: 'INVALID_CREDENTIALS' });
      expect(unknown.body).toEqual(wrong.body);
    });

    it('locks a username out after 5 failures with 429 and Retry-After; other users still log in', async () => {
      const own = await startAuthApp();
      try {
        const server = () => request(own.app.getHttpServer());
        const user = await makeUser(own, [], 'the-right-password-1');
        for (let i = 0; i < 5; i++) {
          await server()
            .post('/api/v1/auth/login')
            .send({ username: user.username, password: 'wrong-password-xx' })
            .expect(401);
        }
        const locked = await server()
          .post('/api/v1/auth/login')
          .send({ username: user.username, password: 'the-right-password-1' })
          .expect(429);
        expect(locked.body.code).toBe('LOGIN_LOCKOUT');
        expect(locked.body.error).toMatch(/^Too many login attempts\. Try again after /);
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
        // The client IP is locked too (one IP here), so the admin waits as well.
        await server()
          .post('/api/v1/auth/login')
          .send({ username: 'admin', password: ADMIN_PASSWORD })
          .expect(429);
      } finally {
        await own.close();
      }
    });

    it('refreshes a token with a new jti and revokes it on logout', async () => {
      const user = await makeUser(auth, ['reader'], 'refresh-password-1');
      const login = await http()
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: 'refresh-password-1' })
        .expect(200);
      const token = login.body.token as string;
      await http().post('/api/v1/auth/refresh').expect(400);
      await http()
        .post('/api/v1/auth/refresh')
        .set('Authorization', `Bearer ${user.key}`)
        .expect(401);
      const refreshed = await http()
        .post('/api/v1/auth/refresh')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(refreshed.body.token).not.toBe(token);
      await http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(200);
      await http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      await http()
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${refreshed.body.token}`)
        .expect(200);
    });
  });

  describe('API keys', () => {
    it('shows the key once, lists by prefix, and stops it when revoked', async () => {
      const created = await admin(http().post('/api/v1/apikeys'))
        .send({ name: 'ci', permissions: ['repo:read'] })
        .expect(201);
      const key = created.body.key as string;
      expect(created.body.key_info).toMatchObject({
        name: 'ci',
        prefix: key.slice(0, 12),
        permissions: ['repo:read'],
        active: true,
      });
      const listed = await admin(http().get('/api/v1/auth/keys')).expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(key);
      expect(listed.body.count).toBe(listed.body.api_keys.length);
      await http().get('/api/v1/repos').set('X-API-Key', key).expect(200);
      await http().post('/api/v1/repos').set('X-API-Key', key).send({ id: 'nope' }).expect(403);
      await admin(http().delete(`/api/v1/apikeys/${created.body.key_info.id}`)).expect(200);
      await http().get('/api/v1/repos').set('X-API-Key', key).expect(401);
    });

    it('refuses to give a permission the caller does not hold', async () => {
      const reader = await makeUser(auth, ['reader']);
      const response = await http()
        .post('/api/v1/apikeys')
        .set('X-API-Key', reader.key)
        .send({ name: 'x', permissions: ['repo:write'] })
        .expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
      await http()
        .post('/api/v1/apikeys')
        .set('X-API-Key', reader.key)
        .send({ name: 'x', permissions: ['bogus'] })
        .expect(400);
    });
  });

  describe('users and roles', () => {
    it('validates usernames, emails and passwords with their codes', async () => {
      const bad = (body: object, code: string, status = 400) =>
        admin(http().post('/api/v1/users'))
          .send(body)
          .expect(status)
          .then((r) => expect(r.body.code).toBe(code));
      await bad({ username: 'ab', email: 'a@b.c' }, 'INVALID_USERNAME');
      await bad({ username: 'root', email: 'a@b.c' }, 'INVALID_USERNAME');
      await bad({ username: 'valid-name', email: 'not-an-email' }, 'INVALID_EMAIL');
      await bad(
        { username: 'valid-name', email: 'v@example.com', password: 'short' },
        'INVALID_PASSWORD',
      );
      await bad(
        { username: 'valid-name', email: 'v@example.com', roles: ['nope'] },
        'ROLE_ASSIGNMENT_FAILED',
      );
      await admin(http().post('/api/v1/users'))
        .send({ username: 'dup-name', email: 'd@example.com' })
        .expect(201);
      await bad({ username: 'DUP-name', email: 'e@example.com' }, 'USER_CREATION_FAILED', 409);
    });

    it('deactivating a user stops their keys at once; activating restores them', async () => {
      const user = await makeUser(auth, ['reader']);
      await http().get('/api/v1/repos').set('X-API-Key', user.key).expect(200);
      await admin(http().post(`/api/v1/users/${user.id}/deactivate`)).expect(200);
      await http().get('/api/v1/repos').set('X-API-Key', user.key).expect(401);
      await admin(http().post(`/api/v1/users/${user.id}/activate`)).expect(200);
      await http().get('/api/v1/repos').set('X-API-Key', user.key).expect(200);
    });

    it('protects the last admin and the caller itself', async () => {
      expect((await admin(http().delete('/api/v1/users/admin')).expect(400)).body.code).toBe(
        'CANNOT_DELETE_SELF',
      );
      expect(
        (await admin(http().post('/api/v1/users/admin/deactivate')).expect(400)).body.code,
      ).toBe('CANNOT_DEACTIVATE_SELF');
      expect(
        (await admin(http().delete('/api/v1/users/admin/roles/admin')).expect(409)).body.code,
      ).toBe('LAST_ADMIN');
    });

    it('manages custom roles; built-in ones are fixed', async () => {
      await admin(http().post('/api/v1/roles'))
        .send({ name: 'release', permissions: ['repo:read', 'repo:write'] })
        .expect(201);
      await admin(http().post('/api/v1/roles'))
        .send({ name: 'release', permissions: [] })
        .expect(409);
      await admin(http().post('/api/v1/roles'))
        .send({ name: 'Bad Name', permissions: [] })
        .expect(400);
      expect(
        (await admin(http().put('/api/v1/roles/admin')).send({ permissions: [] }).expect(400)).body
          .code,
      ).toBe('ROLE_BUILT_IN');
      const roles = await admin(http().get('/api/v1/roles')).expect(200);
      expect((roles.body as { roles: Array<{ name: string }> }).roles.map((r) => r.name)).toEqual([
        'admin',
        'developer',
        'guest',
        'reader',
        'release',
      ]);
      const user = await makeUser(auth, ['release']);
      await http()
        .post('/api/v1/repos')
        .set('X-API-Key', user.key)
        .send({ id: 'rel-repo' })
        .expect(201);
      await admin(http().delete('/api/v1/roles/release')).expect(200);
      await http()
        .post('/api/v1/repos')
        .set('X-API-Key', user.key)
        .send({ id: 'rel-repo2' })
        .expect(403);
    });
  });

  describe('self-service and keys of others', () => {
    const login = async (username: string, password: string): Promise<string> =>
      (await http().post('/api/v1/auth/login').send({ username, password }).expect(200)).body
        .token as string;

    it('changes a password with the current one and revokes the other sessions', async () => {
      const user = await makeUser(auth, ['reader'], 'first-password-1');
      const one = await login(user.username, 'first-password-1');
      const two = await login(user.username, 'first-password-1');
      const bearer = (token: string) => `Bearer ${token}`;
      const wrong = await http()
        .put(`/api/v1/users/${user.id}/password`)
        .set('Authorization', bearer(one))
        .send({ password: 'second-password-2', current_password: 'not-it-at-all' })
        .expect(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      await http()
        .put(`/api/v1/users/${user.id}/password`)
        .set('Authorization', bearer(one))
        .send({ password: 'second-password-2', current_password: 'first-password-1' })
        .expect(200);
      await http().get('/api/v1/auth/me').set('Authorization', bearer(one)).expect(200);
      await http().get('/api/v1/auth/me').set('Authorization', bearer(two)).expect(401);
      await http()
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: 'first-password-1' })
        .expect(401);
      await login(user.username, 'second-password-2');
    });

    it('deleting a user stops their JWT and keys and frees the username', async () => {
      const user = await makeUser(auth, ['reader'], 'doomed-password-1');
      const token = await login(user.username, 'doomed-password-1');
      await admin(http().delete(`/api/v1/users/${user.id}`)).expect(200);
      await http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      await http().get('/api/v1/repos').set('X-API-Key', user.key).expect(401);
      await admin(http().get(`/api/v1/users/${user.id}`)).expect(404);
      await admin(http().post('/api/v1/users'))
        .send({ username: user.username, email: `${user.username}@example.com` })
        .expect(201);
    });

    it('counts refusals in govc_auth_failures_total', async () => {
      await http().get('/api/v1/repos').set('X-API-Key', 'govc_not-a-real-key').expect(401);
      const metrics = await http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/govc_auth_failures_total\{reason="missing"\} [1-9]/);
      expect(metrics.text).toMatch(/govc_auth_failures_total\{reason="invalid_token"\} [1-9]/);
    });

    it('lets a user read and change their own email but nothing of others', async () => {
      const user = await makeUser(auth, []);
      const other = await makeUser(auth, []);
      const as = (req: request.Test) => req.set('X-API-Key', user.key);
      await as(http().get(`/api/v1/users/${user.id}`)).expect(200);
      await as(http().get(`/api/v1/users/${other.id}`)).expect(403);
      await as(http().patch(`/api/v1/users/${user.id}`))
        .send({ email: 'new@example.com' })
        .expect(200);
      await as(http().patch(`/api/v1/users/${user.id}`))
        .send({ username: 'renamed-self' })
        .expect(403);
      await as(http().get('/api/v1/users')).expect(403);
      const keys = await admin(http().get(`/api/v1/users/${other.id}/apikeys`)).expect(200);
      const otherKeyId = keys.body.api_keys[0].id as string;
      await as(http().get(`/api/v1/apikeys/${otherKeyId}`)).expect(404);
      const refused = await as(http().delete(`/api/v1/apikeys/${otherKeyId}`)).expect(403);
      expect(refused.body.error).toBe('Cannot revoke API key belonging to another user');
    });

    it("acts with a key's permissions intersected with its owner's, per repository too", async () => {
      const owner = await makeUser(auth, ['developer']);
      await http()
        .post('/api/v1/repos')
        .set('X-API-Key', owner.key)
        .send({ id: 'scoped' })
        .expect(201);
      await http()
        .post('/api/v1/repos')
        .set('X-API-Key', owner.key)
        .send({ id: 'unscoped' })
        .expect(201);
      const scoped = await http()
        .post('/api/v1/apikeys')
        .set('X-API-Key', owner.key)
        .send({ name: 'one repo', permissions: [], repo_permissions: { scoped: ['repo:read'] } })
        .expect(201);
      const key = scoped.body.key as string;
      await http().get('/api/v1/repos/scoped').set('X-API-Key', key).expect(200);
      await http().get('/api/v1/repos/unscoped').set('X-API-Key', key).expect(404);
      await http()
        .post('/api/v1/repos/scoped/add')
        .set('X-API-Key', key)
        .send({ path: 'a', content: '' })
        .expect(403);
      const listed = await http().get('/api/v1/repos').set('X-API-Key', key).expect(200);
      const ids = (listed.body as { repositories: Array<{ id: string }> }).repositories.map(
        (r) => r.id,
      );
      expect(ids).toEqual(['scoped']);
      const bad = await http()
        .post('/api/v1/apikeys')
        .set('X-API-Key', owner.key)
        .send({ name: 'x', repo_permissions: { scoped: ['system:admin'] } })
        .expect(400);
      expect(bad.body.details.fields).toEqual([
        { field: 'repo_permissions.scoped[0]', message: expect.any(String) },
      ]);
      await http()
        .post('/api/v1/apikeys')
        .set('X-API-Key', owner.key)
        .send({ name: 'x', expires_at: '2000-01-01T00:00:00Z' })
        .expect(400);
    });
  });

  describe('repository grants', () => {
    it('gives the creator repo:admin, hides the repository from others, and grants on request', async () => {
      const owner = await makeUser(auth, ['developer']);
      const other = await makeUser(auth, []);
      await http()
        .post('/api/v1/repos')
        .set('X-API-Key', owner.key)
        .send({ id: 'granted' })
        .expect(201);
      const hidden = await http()
        .get('/api/v1/repos/granted')
        .set('X-API-Key', other.key)
        .expect(404);
      expect(hidden.body.code).toBe('REPO_NOT_FOUND');
      const list = await http().get('/api/v1/repos').set('X-API-Key', other.key).expect(200);
      expect(list.body.repositories).toEqual([]);
      await http()
        .post(`/api/v1/users/${other.id}/repos/granted/permissions/repo:read`)
        .set('X-API-Key', owner.key)
        .expect(200);
      await http().get('/api/v1/repos/granted').set('X-API-Key', other.key).expect(200);
      const denied = await http()
        .post('/api/v1/repos/granted/add')
        .set('X-API-Key', other.key)
        .send({ path: 'a.txt', content: 'x' })
        .expect(403);
      expect(denied.body).toEqual({
        error: 'Insufficient permissions',
        code: 'FORBIDDEN',
        details: { required: 'repo:write' },
      });
      const grants = await http()
        .get('/api/v1/repos/granted/permissions')
        .set('X-API-Key', owner.key)
        .expect(200);
      expect(grants.body.permissions).toEqual(
        expect.arrayContaining([
          {
            repo_id: 'granted',
            user_id: other.id,
            username: other.username,
            permissions: ['repo:read'],
          },
        ]),
      );
      await http()
        .put(`/api/v1/repos/granted/permissions/${other.id}`)
        .set('X-API-Key', owner.key)
        .send({ permissions: ['system:admin'] })
        .expect(400);
      await http()
        .delete(`/api/v1/repos/granted/permissions/${other.id}`)
        .set('X-API-Key', owner.key)
        .expect(200);
      await http().get('/api/v1/repos/granted').set('X-API-Key', other.key).expect(404);
    });

    it('drops the grants of a deleted repository: a new one under the same id starts clean', async () => {
      const owner = await makeUser(auth, ['developer']);
      const reader = await makeUser(auth, []);
      await http()
        .post('/api/v1/repos')
        .set('X-API-Key', owner.key)
        .send({ id: 'reborn' })
        .expect(201);
      await http()
        .put(`/api/v1/repos/reborn/permissions/${reader.id}`)
        .set('X-API-Key', owner.key)
        .send({ permissions: ['repo:read'] })
        .expect(200);
      await http().get('/api/v1/repos/reborn').set('X-API-Key', reader.key).expect(200);
      await admin(http().delete('/api/v1/repos/reborn')).expect(200);
      await admin(http().post('/api/v1/repos')).send({ id: 'reborn' }).expect(201);
      await http().get('/api/v1/repos/reborn').set('X-API-Key', reader.key).expect(404);
      for (const id of [reader.id, owner.id]) {
        const user = await admin(http().get(`/api/v1/users/${id}`)).expect(200);
        expect(user.body.repo_permissions).toEqual({});
      }
    });

    it('binds a transaction to the user who began it; system:admin may act on any', async () => {
      const owner = await makeUser(auth, ['developer']);
      const other = await makeUser(auth, ['developer']);
      await http()
        .post('/api/v1/repos')
        .set('X-API-Key', owner.key)
        .send({ id: 'txrepo' })
        .expect(201);
      await http()
        .put(`/api/v1/repos/txrepo/permissions/${other.id}`)
        .set('X-API-Key', owner.key)
        .send({ permissions: ['repo:write'] })
        .expect(200);
      const begun = await http()
        .post('/api/v1/repos/txrepo/transaction')
        .set('X-API-Key', owner.key)
        .send({})
        .expect(201);
      const tx = `/api/v1/repos/txrepo/transaction/${begun.body.id as string}`;
      await http().get(tx).set('X-API-Key', owner.key).expect(200);
      const foreign = await http().get(tx).set('X-API-Key', other.key).expect(404);
      expect(foreign.body.code).toBe('TX_NOT_FOUND');
      await admin(http().get(tx)).expect(200);
    });

    it('records changes and denials in the audit log', async () => {
      const page = await admin(http().get('/api/v1/audit?limit=1000')).expect(200);
      const entries = (page.body as { entries: Array<{ action: string }> }).entries;
      const actions = new Set(entries.map((e) => e.action));
      for (const action of [
        'auth.login',
        'auth.login_failed',
        'user.create',
        'repo.create',
        'apikey.create',
        'auth.denied',
      ]) {
        expect(actions.has(action)).toBe(true);
      }
      expect(page.text).not.toContain(ADMIN_PASSWORD);
      expect(page.text).not.toContain('wrong-password');

      const created = await admin(
        http().get('/api/v1/audit?action=repo.create&repo_id=granted'),
      ).expect(200);
      expect(created.body.entries).toEqual([
        expect.objectContaining({
          action: 'repo.create',
          target: { type: 'repository', id: 'granted' },
          repo_id: 'granted',
          result: 'success',
          status: 201,
          actor: expect.objectContaining({ auth_method: 'apikey' }),
          timestamp: expect.stringMatching(/Z$/),
        }),
      ]);
      const denied = await admin(http().get('/api/v1/audit?action=auth.*&result=denied')).expect(
        200,
      );
      expect(denied.body.count).toBeGreaterThan(0);
      for (const entry of denied.body.entries as Array<{ action: string; result: string }>) {
        expect(entry.action.startsWith('auth.')).toBe(true);
        expect(entry.result).toBe('denied');
      }

      const first = await admin(http().get('/api/v1/audit?limit=2')).expect(200);
      expect(first.body.count).toBe(2);
      const second = await admin(
        http().get(`/api/v1/audit?limit=2&cursor=${first.body.next_cursor as string}`),
      ).expect(200);
      expect(second.body.entries[0].id < first.body.entries[1].id).toBe(true);

      await admin(http().get('/api/v1/audit?since=yesterday')).expect(400);
      await admin(http().get('/api/v1/audit?limit=0')).expect(400);
    });
  });
});
