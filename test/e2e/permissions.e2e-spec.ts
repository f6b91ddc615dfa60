/**
 * The permission matrix (api-contract.md §0.3): every operation of the app's own OpenAPI
 * document × {no credentials, expired JWT, JWT signed with another secret, `alg: none`,
 * revoked key, deactivated user, user without the grant, user with the grant, reader, read-only
 * key of a developer, admin}. Invalid credentials get 401; a caller that cannot read the
 * repository gets 404 REPO_NOT_FOUND; one lacking the route's permission 403 FORBIDDEN;
 * otherwise the route runs (whatever its own answer to dummy input). No response ever carries a password, hash, key or secret. One app,
 * path parameters filled with an existing repository and dummy values.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { signJwt, type JwtClaims } from '../../src/modules/auth/credential-codecs';
import { holds } from '../../src/modules/rbac/permissions';
import { ADMIN_PASSWORD, type AuthApp, makeUser, startAuthApp } from '../support/auth-fixture';
import { startTestApp } from '../support/test-app';

const SECRET = 'matrix-jwt-secret-0123456789abcdefghijklmnop';
const REPO = 'matrix';

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly permission: string | undefined;
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
}

const FILL: Record<string, string> = {
  repo_id: REPO,
  key_id: '0123456789abcdef0123456789abcdef',
  user_id: 'user_0000000000000000',
  role_name: 'nosuchrole',
  permission: 'repo:read',
  commit: 'HEAD',
  branch: 'nosuchbranch',
  tag: 'nosuchtag',
  stash_id: '0',
  timestamp: '2020-01-01T00:00:00Z',
  path: 'a.txt',
  tx_id: 'tx_matrix_00000000-0000-4000-8000-000000000000',
  reality: 'nosuchreality',
  from: 'HEAD',
  to: 'HEAD',
  hook_type: 'pre-commit',
  hook_id: 'nosuchhook',
  delivery_id: 'nosuchdelivery',
};

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function claims(overrides: Partial<JwtClaims> = {}): JwtClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    user_id: 'admin',
    username: 'admin',
    email: 'admin@govc.dev',
    permissions: [],
    iss: 'govc-server',
    aud: 'govc-api',
    sub: 'admin',
    iat: now,
    nbf: now,
    exp: now + 3600,
    jti: 'f'.repeat(32),
    ...overrides,
  };
}

describe('permission matrix (e2e)', () => {
  let auth: AuthApp;
  let server: http.Server;
  let port: number;
  let operations: Operation[];
  const secrets: string[] = [ADMIN_PASSWORD, SECRET, '$argon2', 'password_hash', '"digest"'];
  const principals: Record<string, Record<string, string>> = {};
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  let tmpCounter = 0;

  /** Sends one request and reads at most 64 KiB or 300 ms of body (event streams stay open). */
  function send(method: string, path: string, headers: Record<string, string>): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined;
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const finish = (): void => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            let code: string | undefined;
            let details: Record<string, unknown> | undefined;
            try {
              const parsed = JSON.parse(text) as {
                code?: string;
                details?: Record<string, unknown>;
              };
              code = parsed.code;
              details = parsed.details;
            } catch {
              // not JSON (streams, metrics)
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, code, details });
          };
          const timer = setTimeout(() => {
            res.destroy();
            finish();
          }, 300);
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= 65536) chunks.push(chunk);
          });
          res.on('end', finish);
          res.on('error', finish);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  beforeAll(async () => {
    auth = await startAuthApp({
      GOVC_AUTH_JWT_SECRET: SECRET,
      GOVC_AUTH_LOGIN_MAX_ATTEMPTS: '100000',
    });
    server = auth.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const api = () => request(server);
    const asAdmin = (req: request.Test) => req.set('X-API-Key', auth.adminKey);

    const document = (await api().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { 'x-govc-permission'?: string }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        permission: operation['x-govc-permission'],
      })),
    );

    await asAdmin(api().post('/api/v1/repos')).send({ id: REPO }).expect(201);
    await asAdmin(api().post(`/api/v1/repos/${REPO}/add`))
      .send({ path: 'a.txt', content: 'a\n' })
      .expect(201);
    await asAdmin(api().post(`/api/v1/repos/${REPO}/commit`))
      .send({ message: 'one' })
      .expect(201);

    const revoked = await makeUser(auth, ['developer']);
    const revokedKey = await api().get('/api/v1/apikeys').set('X-API-Key', revoked.key).expect(200);
    await api()
      .delete(`/api/v1/apikeys/${revokedKey.body.api_keys[0].id}`)
      .set('X-API-Key', revoked.key)
      .expect(200);
    const deactivated = await makeUser(auth, ['developer']);
    await asAdmin(api().post(`/api/v1/users/${deactivated.id}/deactivate`)).expect(200);
    const without = await makeUser(auth, ['guest']);
    const granted = await makeUser(auth, ['guest']);
    await asAdmin(api().put(`/api/v1/repos/${REPO}/permissions/${granted.id}`))
      .send({ permissions: ['repo:admin', 'webhook:read', 'webhook:write', 'webhook:delete'] })
      .expect(200);
    principals.granted_id = { id: granted.id };
    const reader = await makeUser(auth, ['reader']);
    const developer = await makeUser(auth, ['developer']);
    const readOnly = await api()
      .post('/api/v1/apikeys')
      .set('X-API-Key', developer.key)
      .send({ name: 'read-only', permissions: ['repo:read'] })
      .expect(201);
    const readOnlyKey = readOnly.body.key as string;

    const header = base64url({ alg: 'HS256', typ: 'JWT' });
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`;
    const settings = { secret: Buffer.from(SECRET), issuer: 'govc-server', audience: 'govc-api' };
    const now = Math.floor(Date.now() / 1000);
    const expired = signJwt(
      settings,
      claims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
    );
    const otherSecret = signJwt(
      { ...settings, secret: Buffer.from('another-secret-'.repeat(4)) },
      claims(),
    );
    expect(header).toBe(expired.split('.')[0]);

    Object.assign(principals, {
      none: {},
      expired_jwt: { Authorization: `Bearer ${expired}` },
      other_secret_jwt: { Authorization: `Bearer ${otherSecret}` },
      alg_none_jwt: { Authorization: `Bearer ${none}` },
      revoked_key: { 'X-API-Key': revoked.key },
      deactivated_user: { 'X-API-Key': deactivated.key },
      without_grant: { 'X-API-Key': without.key },
      with_grant: { 'X-API-Key': granted.key },
      reader: { 'X-API-Key': reader.key },
      read_only_key: { 'X-API-Key': readOnlyKey },
      admin: { 'X-API-Key': auth.adminKey },
    });
    secrets.push(
      auth.adminKey,
      revoked.key,
      deactivated.key,
      without.key,
      granted.key,
      reader.key,
      readOnlyKey,
    );
  });

  afterAll(async () => {
    agent.destroy();
    await auth.close();
  });

  it('reads a permission for every operation of the document (secure by default)', () => {
    expect(operations.length).toBeGreaterThan(50);
    const undeclared = operations.filter((op) => op.permission === undefined);
    expect(undeclared).toEqual([]);
  });

  const INVALID = [
    'none',
    'expired_jwt',
    'other_secret_jwt',
    'alg_none_jwt',
    'revoked_key',
    'deactivated_user',
  ] as const;
  const VALID = ['without_grant', 'with_grant', 'reader', 'read_only_key', 'admin'] as const;

  /**
   * What each valid caller holds: global permissions (for a key, its own ∩ its owner's) and
   * the grant on the matrix repository (and on the fresh ones of the delete case).
   */
  const HOLDS: Record<(typeof VALID)[number], { global: string[]; onRepo: string[] }> = {
    without_grant: { global: ['system:read'], onRepo: [] },
    with_grant: {
      global: ['system:read'],
      onRepo: ['repo:admin', 'webhook:read', 'webhook:write', 'webhook:delete'],
    },
    reader: { global: ['repo:read'], onRepo: [] },
    read_only_key: { global: ['repo:read'], onRepo: [] },
    admin: { global: ['system:admin'], onRepo: [] },
  };

  /** The concrete URL of an operation; deleting a repository gets its own fresh one. */
  async function urlOf(op: Operation, principal: string): Promise<string> {
    let repo = REPO;
    if (op.method === 'DELETE' && /^\/api\/v[12]\/repos\/\{repo_id\}$/.test(op.path)) {
      tmpCounter += 1;
      repo = `tmp-${tmpCounter}`;
      const asAdmin = (req: request.Test) => req.set('X-API-Key', auth.adminKey);
      await asAdmin(request(server).post('/api/v1/repos')).send({ id: repo }).expect(201);
      if (principal === 'with_grant') {
        await asAdmin(
          request(server).put(`/api/v1/repos/${repo}/permissions/${principals.granted_id!.id}`),
        )
          .send({ permissions: ['repo:admin'] })
          .expect(200);
      }
    }
    return op.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
      encodeURIComponent(name === 'repo_id' ? repo : (FILL[name] ?? 'dummy')),
    );
  }

  /** What the contract says for one operation and principal; undefined = the route runs. */
  function expected(
    op: Operation,
    principal: string,
  ): { status: number; code: string } | undefined {
    const repoRoute = op.path.includes('{repo_id}');
    const permission = op.permission ?? 'system:admin';
    if ((INVALID as readonly string[]).includes(principal))
      return { status: 401, code: 'UNAUTHORIZED' };
    const { global, onRepo } = HOLDS[principal as (typeof VALID)[number]];
    const has = (wanted: string): boolean =>
      holds(global, wanted) || (repoRoute && holds(onRepo, wanted));
    if (repoRoute && !has('repo:read')) return { status: 404, code: 'REPO_NOT_FOUND' };
    if (permission === 'any' || has(permission)) return undefined;
    return { status: 403, code: 'FORBIDDEN' };
  }

  it('answers every operation × credential as the contract says, never leaking a secret', async () => {
    const failures: string[] = [];
    const seen = { unauthorized: 0, hidden: 0, forbidden: 0, ran: 0 };
    for (const op of operations) {
      // git smart HTTP authenticates itself (Basic, plain-text 401; §11.1).
      if (op.path.includes('.git/')) continue;
      for (const principal of [...INVALID, ...VALID]) {
        const url = await urlOf(op, principal);
        const answer = await send(op.method, url, principals[principal]!);
        const where = `${op.method} ${op.path} as ${principal}: ${answer.status} ${answer.code ?? ''}`;
        for (const secret of secrets) {
          if (answer.text.includes(secret)) failures.push(`${where} leaks ${secret.slice(0, 8)}…`);
        }
        if (answer.status >= 500) failures.push(`${where} (server error)`);
        if (op.permission === 'public') {
          if (answer.status === 401 && op.path !== '/api/v1/auth/refresh') failures.push(where);
          continue;
        }
        // Logout revokes a JWT; the matrix's valid callers use API keys.
        if (op.path === '/api/v1/auth/logout' && (VALID as readonly string[]).includes(principal)) {
          if (answer.status !== 401) failures.push(where);
          continue;
        }
        const want = expected(op, principal);
        if (want === undefined) {
          const refused =
            answer.status === 401 ||
            (answer.status === 403 && answer.code === 'FORBIDDEN' && op.permission !== 'any') ||
            (answer.status === 404 && answer.code === 'REPO_NOT_FOUND');
          if (refused) failures.push(`${where} (expected the route to run)`);
          seen.ran += 1;
          continue;
        }
        if (answer.status !== want.status || answer.code !== want.code) {
          failures.push(`${where} (expected ${want.status} ${want.code})`);
          continue;
        }
        if (want.status === 401) seen.unauthorized += 1;
        if (want.status === 404) seen.hidden += 1;
        if (want.status === 403) seen.forbidden += 1;
        if (want.status === 401 && answer.headers['www-authenticate'] !== 'Bearer') {
          failures.push(`${where} (no WWW-Authenticate: Bearer)`);
        }
        if (want.status === 403 && answer.details?.required !== (op.permission ?? 'system:admin')) {
          failures.push(`${where} (details.required ${String(answer.details?.required)})`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Every kind of answer was exercised, on many routes.
    expect(seen.unauthorized).toBeGreaterThan(6 * 100);
    expect(seen.hidden).toBeGreaterThan(100);
    expect(seen.forbidden).toBeGreaterThan(10);
    expect(seen.ran).toBeGreaterThan(200);
  });
});

describe('auth disabled (e2e)', () => {
  it('hides the auth routes, keeps csrf-token, and opens everything else', async () => {
    const app = await startTestApp({ GOVC_AUTH_ENABLED: 'false' });
    try {
      const api = () => request(app.getHttpServer());
      for (const [method, path] of [
        ['post', '/api/v1/auth/login'],
        ['get', '/api/v1/auth/whoami'],
        ['get', '/api/v1/users'],
        ['get', '/api/v1/apikeys'],
        ['get', '/api/v1/roles'],
        ['get', '/api/v1/repos/x/permissions'],
      ] as const) {
        const response = await api()[method](path).expect(404);
        expect(response.body).toEqual({
          error: `endpoint not found: ${method.toUpperCase()} ${path}`,
          code: 'ENDPOINT_NOT_FOUND',
        });
      }
      await api().get('/api/v1/auth/csrf-token').expect(200);
      await api().post('/api/v1/repos').send({ id: 'open' }).expect(201);
      await api().get('/api/v1/repos/open').set('Authorization', 'Bearer garbage').expect(200);
    } finally {
      await app.close();
    }
  });
});
