/**
 * First start and persistence with the disk driver (api-contract.md §0.3): initial-admin.json
 * (0600) with a random password and the admin key, the generated JWT secret in
 * `<storage.path>/jwt-secret` (0600), and users, keys, sessions and audit entries that survive a
 * restart without a second bootstrap.
 */
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { startTestApp } from '../support/test-app';

/** Every file below `root`, as one string (the metadata store's snapshot and journal). */
function readTree(root: string): string {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

describe('auth bootstrap with the disk driver (e2e)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-auth-disk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (extra: Record<string, string> = {}) => ({
    GOVC_AUTH_ENABLED: 'true',
    GOVC_STORAGE_DRIVER: 'disk',
    GOVC_STORAGE_PATH: dir,
    ...extra,
  });

  it('creates the admin once, keeps the secret 0600, and everything survives a restart', async () => {
    const first = await startTestApp(env());
    const file = path.join(dir, 'initial-admin.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    const initial = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(initial).sort()).toEqual(['api_key', 'password', 'username']);
    expect(initial.password).toHaveLength(24);

    const api1 = () => request(first.getHttpServer());
    const login = await api1()
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: initial.password })
      .expect(200);
    const token = login.body.token as string;
    const user = await api1()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${token}`)
      .send({
        username: 'carol',
        email: 'carol@example.com',
        password: 'carol-password-1',
        roles: ['reader'],
      })
      .expect(201);
    await api1()
      .post('/api/v1/repos')
      .set('X-API-Key', initial.api_key!)
      .send({ id: 'kept' })
      .expect(201);
    const secret = readFileSync(path.join(dir, 'jwt-secret'), 'utf8');
    await first.close();

    unlinkSync(file);
    const second = await startTestApp(env());
    try {
      const api2 = () => request(second.getHttpServer());
      expect(existsSync(file)).toBe(false);
      expect(readFileSync(path.join(dir, 'jwt-secret'), 'utf8')).toBe(secret);
      const who = await api2()
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(who.body.id).toBe('admin');
      await api2().get('/api/v1/repos/kept').set('X-API-Key', initial.api_key!).expect(200);
      const carol = await api2()
        .post('/api/v1/auth/login')
        .send({ username: 'carol', password: 'carol-password-1' })
        .expect(200);
      expect(carol.body.user).toMatchObject({ id: user.body.id, roles: ['reader'] });
      const audit = await api2()
        .get('/api/v1/audit?action=user.*')
        .set('X-API-Key', initial.api_key!)
        .expect(200);
      const entries = (audit.body as { entries: Array<{ action: string }> }).entries;
      expect(entries.map((e) => e.action)).toContain('user.create');
      // Nothing stored holds a secret in the clear.
      const metadata = readTree(path.join(dir, 'meta'));
      expect(metadata).toContain('carol@example.com');
      expect(metadata).not.toContain(initial.password);
      expect(metadata).not.toContain(initial.api_key);
    } finally {
      await second.close();
    }
  });

  it('skips the bootstrap with auth.bootstrap_admin false: no file, every route 401', async () => {
    const app = await startTestApp(env({ GOVC_AUTH_BOOTSTRAP_ADMIN: 'false' }));
    try {
      expect(existsSync(path.join(dir, 'initial-admin.json'))).toBe(false);
      await request(app.getHttpServer()).get('/api/v1/repos').expect(401);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with an admin password that breaks the password rule', async () => {
    await expect(startTestApp(env({ GOVC_AUTH_ADMIN_PASSWORD: 'short' }))).rejects.toThrow(
      /admin_password/,
    );
  });
});
