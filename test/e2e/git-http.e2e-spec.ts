/**
 * The git smart-HTTP routes over HTTP (api-contract.md §11.1): authentication (Basic with an API
 * key as password, Bearer, anonymous fetch of public repositories, 401/403/404 in plain text),
 * the configuration switches (http_enabled, deny_non_fast_forwards, max_push_size), request
 * handling (gzip bodies, ERR pkt-lines for protocol errors, the negotiation size limit) and the
 * metrics; plus a real `git clone`/`git push` with credentials.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import request from 'supertest';
import { DELIM_PKT, encodePktLines, FLUSH_PKT } from '../../src/core/protocol/pkt-line';
import { makeUser, startAuthApp, type AuthApp } from '../support/auth-fixture';
import { gitAvailable, tempDir } from '../support/git-cli';
import { gitAsync, gitOk, startGitHttpServer } from '../support/git-http-server';
import { fcParams } from '../support/fast-check';
import { startTestApp } from '../support/test-app';

const basic = (secret: string): string =>
  `Basic ${Buffer.from(`anyone:${secret}`).toString('base64')}`;

const lsRefsV2 = encodePktLines([
  'command=ls-refs',
  'object-format=sha1',
  DELIM_PKT,
  'symrefs',
  FLUSH_PKT,
]);

function binary(response: request.Test): request.Test {
  return response.buffer(true).parse((res, done) => {
    const parts: Buffer[] = [];
    res.on('data', (chunk: Buffer) => parts.push(chunk));
    res.on('end', () => done(null, Buffer.concat(parts)));
  });
}

describe('git smart HTTP with auth enabled', () => {
  let auth: AuthApp;
  const http = () => request(auth.app.getHttpServer());

  beforeAll(async () => {
    auth = await startAuthApp();
    for (const body of [{ id: 'private-repo' }, { id: 'public-repo', public: true }]) {
      await http().post('/api/v1/repos').set('X-API-Key', auth.adminKey).send(body).expect(201);
      await http()
        .post(`/api/v1/repos/${body.id}/add`)
        .set('X-API-Key', auth.adminKey)
        .send({ path: 'a.txt', content: 'a' })
        .expect(201);
      await http()
        .post(`/api/v1/repos/${body.id}/commit`)
        .set('X-API-Key', auth.adminKey)
        .send({ message: 'one' })
        .expect(201);
    }
  });
  afterAll(() => auth.close());

  it('asks anonymous callers for Basic credentials on a private repository', async () => {
    const response = await http().get('/private-repo.git/info/refs?service=git-upload-pack');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="govc"');
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('accepts an API key as the Basic password, or as a Bearer token', async () => {
    for (const authorization of [basic(auth.adminKey), `Bearer ${auth.adminKey}`]) {
      const response = await http()
        .get('/private-repo.git/info/refs?service=git-upload-pack')
        .set('Authorization', authorization);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-git-upload-pack-advertisement');
      expect(response.headers['cache-control']).toMatch(/no-cache/);
    }
  });

  it('refuses a bad credential with 401', async () => {
    const response = await http()
      .get('/private-repo.git/info/refs?service=git-upload-pack')
      .set('Authorization', basic('govc_not-a-real-key'));
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="govc"');
  });

  it('lets anyone fetch a public repository but never push to it anonymously', async () => {
    const fetch = await http().get('/public-repo.git/info/refs?service=git-upload-pack');
    expect(fetch.status).toBe(200);
    const push = await http().get('/public-repo.git/info/refs?service=git-receive-pack');
    expect(push.status).toBe(401);
  });

  it('answers 404 to callers who cannot read, 403 to readers who push', async () => {
    const nobody = await makeUser(auth, []);
    const hidden = await http()
      .get('/private-repo.git/info/refs?service=git-upload-pack')
      .set('Authorization', basic(nobody.key));
    expect(hidden.status).toBe(404);
    expect(hidden.text).toBe('repository not found\n');

    const reader = await makeUser(auth, ['reader']);
    const read = await http()
      .get('/private-repo.git/info/refs?service=git-upload-pack')
      .set('Authorization', basic(reader.key));
    expect(read.status).toBe(200);
    const write = await http()
      .get('/private-repo.git/info/refs?service=git-receive-pack')
      .set('Authorization', basic(reader.key));
    expect(write.status).toBe(403);

    const developer = await makeUser(auth, ['developer']);
    const allowed = await http()
      .get('/private-repo.git/info/refs?service=git-receive-pack')
      .set('Authorization', basic(developer.key));
    expect(allowed.status).toBe(200);
    expect(allowed.headers['content-type']).toBe('application/x-git-receive-pack-advertisement');
  });

  (gitAvailable() ? it : it.skip)(
    'clones and pushes with the real git and an API key',
    async () => {
      await auth.app.listen(0, '127.0.0.1');
      const { port } = auth.app.getHttpServer().address() as { port: number };
      const dir = tempDir('govc-auth-git-');
      try {
        const developer = await makeUser(auth, ['developer']);
        const reader = await makeUser(auth, ['reader']);
        const url = (key: string) => `http://git:${key}@127.0.0.1:${port}/private-repo.git`;
        const work = join(dir.path, 'work');
        await gitOk(['clone', url(developer.key), work]);
        await gitOk(['commit', '-q', '--allow-empty', '-m', 'pushed'], { cwd: work });
        await gitOk(['push', 'origin', 'main'], { cwd: work });
        const audit = await http()
          .get('/api/v1/audit?action=git.push')
          .set('X-API-Key', auth.adminKey)
          .expect(200);
        expect(audit.body.entries[0]).toMatchObject({
          action: 'git.push',
          actor: { username: developer.username },
          result: 'success',
        });
        const refused = await gitAsync(['push', url(reader.key), 'HEAD:refs/heads/other'], {
          cwd: work,
        });
        expect(refused.status).not.toBe(0);
        expect(refused.stderr).toMatch(/403/);
        const anonymous = await gitAsync([
          'clone',
          `http://127.0.0.1:${port}/private-repo.git`,
          join(dir.path, 'anon'),
        ]);
        expect(anonymous.status).not.toBe(0);
      } finally {
        dir.cleanup();
      }
    },
  );
});

describe('git smart HTTP requests and settings', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await startTestApp({ GOVC_GIT_MAX_PUSH_SIZE: '64KiB' });
    await http().post('/api/v1/repos').send({ id: 'r1' }).expect(201);
    await http().post('/api/v1/repos/r1/add').send({ path: 'a.txt', content: 'a' }).expect(201);
    await http().post('/api/v1/repos/r1/commit').send({ message: 'one' }).expect(201);
  });
  afterAll(() => app.close());

  it('serves the v2 capability advertisement when asked with Git-Protocol', async () => {
    const response = await binary(
      http().get('/r1.git/info/refs?service=git-upload-pack').set('Git-Protocol', 'version=2'),
    );
    expect(response.status).toBe(200);
    const text = (response.body as Buffer).toString('latin1');
    expect(text).toMatch(/^000eversion 2\n/);
    expect(text).toMatch(/ls-refs/);
    expect(text).toMatch(/fetch=shallow/);
    expect(text).toMatch(/object-format=sha1/);
  });

  it('accepts a gzip request body', async () => {
    const response = await binary(
      http()
        .post('/r1.git/git-upload-pack')
        .set('Git-Protocol', 'version=2')
        .set('Content-Type', 'application/x-git-upload-pack-request')
        .set('Content-Encoding', 'gzip')
        .send(gzipSync(lsRefsV2)),
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-git-upload-pack-result');
    expect((response.body as Buffer).toString('latin1')).toMatch(
      /HEAD symref-target:refs\/heads\/main/,
    );
  });

  it('answers a malformed request with an ERR pkt-line', async () => {
    const response = await binary(
      http()
        .post('/r1.git/git-upload-pack')
        .set('Git-Protocol', 'version=2')
        .set('Content-Type', 'application/x-git-upload-pack-request')
        .send(Buffer.from('zzzzgarbage')),
    );
    expect(response.status).toBe(200);
    expect((response.body as Buffer).toString('latin1')).toMatch(/^[0-9a-f]{4}ERR /);
  });

  it('refuses a want of an unknown object with ERR', async () => {
    const body = encodePktLines([
      'command=fetch',
      DELIM_PKT,
      `want ${'1'.repeat(40)}`,
      'done',
      FLUSH_PKT,
    ]);
    const response = await binary(
      http()
        .post('/r1.git/git-upload-pack')
        .set('Git-Protocol', 'version=2')
        .set('Content-Type', 'application/x-git-upload-pack-request')
        .send(body),
    );
    expect((response.body as Buffer).toString('latin1')).toMatch(/ERR upload-pack: not our ref/);
  });

  it('refuses a negotiation body over 10 MiB (after inflation) with 413', async () => {
    const huge = gzipSync(Buffer.alloc(11 * 1024 * 1024, 0x30));
    const response = await http()
      .post('/r1.git/git-upload-pack')
      .set('Content-Type', 'application/x-git-upload-pack-request')
      .set('Content-Encoding', 'gzip')
      .send(huge);
    expect(response.status).toBe(413);
  });

  it('never answers hostile pkt-line input with a 5xx (C2, small)', async () => {
    const valid = encodePktLines([
      'command=fetch',
      DELIM_PKT,
      `want ${'a'.repeat(40)}`,
      'deepen 1',
      'filter blob:none',
      'done',
      FLUSH_PKT,
    ]);
    const mutation = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc
        .tuple(fc.nat(valid.length), fc.uint8Array({ minLength: 1, maxLength: 8 }))
        .map(([at, bytes]) => Buffer.concat([valid.subarray(0, at), bytes, valid.subarray(at)])),
      fc.nat(valid.length).map((at) => valid.subarray(0, at)),
      fc
        .constantFrom('0003', 'fff0', '0001000100000002', 'ffff', '0000'.repeat(50))
        .map((t) => Buffer.from(t)),
    );
    await fc.assert(
      fc.asyncProperty(mutation, fc.boolean(), async (body, v2) => {
        for (const path of ['/r1.git/git-upload-pack', '/r1.git/git-receive-pack']) {
          const response = await http()
            .post(path)
            .set('Content-Type', `application/x-${path.slice(8)}-request`)
            .set('Git-Protocol', v2 ? 'version=2' : '')
            .send(body);
          expect(response.status).toBeLessThan(500);
        }
      }),
      fcParams(100),
    );
    await http().get('/health/live').expect(200);
    await http().get('/r1.git/info/refs?service=git-upload-pack').expect(200);
  });

  it('counts requests in govc_git_requests_total', async () => {
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /govc_git_requests_total\{service="git-upload-pack",result="advertise"\} \d+/,
    );
  });

  (gitAvailable() ? it : it.skip)('refuses a push over git.max_push_size as a whole', async () => {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const dir = tempDir('govc-limit-');
    try {
      const work = join(dir.path, 'w');
      await gitOk(['clone', `http://127.0.0.1:${port}/r1.git`, work]);
      const { randomBytes } = await import('node:crypto');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(work, 'big.bin'), randomBytes(200 * 1024));
      await gitOk(['add', 'big.bin'], { cwd: work });
      await gitOk(['commit', '-q', '-m', 'big'], { cwd: work });
      const result = await gitAsync(['push', 'origin', 'main'], { cwd: work });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/unpack|rejected|RPC failed/);
      const log = await http().get('/api/v1/repos/r1/log').expect(200);
      expect(log.body.commits).toHaveLength(1);
    } finally {
      dir.cleanup();
    }
  });
});

describe('git smart HTTP switches', () => {
  it('does not exist with git.http_enabled false', async () => {
    const app = await startTestApp({ GOVC_GIT_HTTP_ENABLED: 'false' });
    try {
      await request(app.getHttpServer()).post('/api/v1/repos').send({ id: 'off' }).expect(201);
      const response = await request(app.getHttpServer()).get(
        '/off.git/info/refs?service=git-upload-pack',
      );
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'ENDPOINT_NOT_FOUND' });
    } finally {
      await app.close();
    }
  });

  (gitAvailable() ? it : it.skip)(
    'refuses forced pushes of branches with git.deny_non_fast_forwards',
    async () => {
      const server = await startGitHttpServer({ GOVC_GIT_DENY_NON_FAST_FORWARDS: 'true' });
      const dir = tempDir('govc-deny-');
      try {
        await server.http().post('/api/v1/repos').send({ id: 'deny' }).expect(201);
        await server.http().post('/api/v1/repos/deny/add').send({ path: 'a', content: 'a' });
        await server.http().post('/api/v1/repos/deny/commit').send({ message: 'one' }).expect(201);
        const work = join(dir.path, 'w');
        await gitOk(['clone', `${server.base}/deny.git`, work]);
        await gitOk(['commit', '-q', '--amend', '-m', 'rewritten'], { cwd: work });
        const result = await gitAsync(['push', '--force', 'origin', 'main'], { cwd: work });
        expect(result.status).not.toBe(0);
        expect(result.stderr).toMatch(/non-fast-forward/);
      } finally {
        dir.cleanup();
        await server.close();
      }
    },
  );
});
