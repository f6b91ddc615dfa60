/**
 * Server-side hook scripts (api-contract.md §6.6, §7 commit, §8 benchmark): configuration
 * routes, real runs through `hooks/execute`, the pre-commit gate on REST and transaction
 * commits, post-commit, the benchmark scorer, and the disabled / busy refusals.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import request from 'supertest';
import { commitFiles, createRepo, HASH, SERVER_TIME, stageFiles } from '../support/repo-fixture';
import { fcParams } from '../support/fast-check';
import { makeUser, startAuthApp, type AuthApp } from '../support/auth-fixture';
import { ServerHookService } from '../../src/modules/hooks/server-hooks/server-hook.service';
import { startTestApp } from '../support/test-app';

const SENTINEL = 'GOVC_TS_SERVER_HOOK_SENTINEL';

/** Polls `check` every 20 ms until it holds (at most ~10 s, then the test fails on it). */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('server hooks (e2e)', () => {
  let app: NestExpressApplication;
  let scratch: string;
  let seq = 0;
  beforeAll(async () => {
    process.env[SENTINEL] = 'leaked';
    scratch = mkdtempSync(path.join(tmpdir(), 'govc-hooks-e2e-'));
    app = await startTestApp({ GOVC_HOOKS_SERVER_HOOKS_MAX_OUTPUT: '1KiB' });
  });
  afterAll(async () => {
    delete process.env[SENTINEL];
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const http = () => request(app.getHttpServer());
  async function repo(files: Record<string, string> = { 'a.txt': 'one\n' }) {
    const id = `sh${++seq}`;
    await createRepo(app, id);
    const head = await commitFiles(app, id, files, 'first');
    return { id, head, hooks: `/api/v1/repos/${id}/server-hooks` };
  }
  /** A fresh directory the hooks of one test write into (passed as $OUT). */
  function outDir(): string {
    return mkdtempSync(path.join(scratch, 'out-'));
  }
  const headOf = async (id: string): Promise<string> =>
    (await http().get(`/api/v1/repos/${id}/branches/main`).expect(200)).body.commit as string;

  it('creates, replaces, lists, gets and deletes a hook', async () => {
    const { hooks } = await repo();
    const script = '#!/bin/sh\nexit 0\n';
    const created = await http()
      .put(`${hooks}/pre-commit`)
      .send({ script, environment: { LEVEL: 'strict' } })
      .expect(201);
    expect(created.body).toEqual({
      hook_type: 'pre-commit',
      script,
      script_sha256: createHash('sha256').update(script).digest('hex'),
      enabled: true,
      timeout: 30,
      environment: { LEVEL: 'strict' },
      updated_at: expect.stringMatching(SERVER_TIME),
      updated_by: null,
    });
    const replaced = await http()
      .put(`${hooks}/pre-commit`)
      .send({ script: 'exit 1', timeout: 2.5, enabled: false })
      .expect(200);
    expect(replaced.body).toMatchObject({ timeout: 2.5, enabled: false, environment: {} });
    await http().put(`${hooks}/benchmark`).send({ script: 'echo' }).expect(201);

    const listed = await http().get(hooks).expect(200);
    expect(listed.body.count).toBe(2);
    expect((listed.body.hooks as Array<{ hook_type: string }>).map((h) => h.hook_type)).toEqual([
      'pre-commit',
      'benchmark',
    ]);
    expect((await http().get(`${hooks}/pre-commit`).expect(200)).body.script).toBe('exit 1');

    expect((await http().delete(`${hooks}/pre-commit`).expect(200)).body).toEqual({
      status: 'success',
      message: 'server hook pre-commit deleted',
    });
    const gone = await http().get(`${hooks}/pre-commit`).expect(404);
    expect(gone.body.code).toBe('HOOK_NOT_CONFIGURED');
    expect((await http().delete(`${hooks}/pre-commit`).expect(404)).body.code).toBe(
      'HOOK_NOT_CONFIGURED',
    );
  });

  it('refuses unknown hook types, bad environments and out-of-range timeouts', async () => {
    const { id, hooks } = await repo();
    const type = await http().put(`${hooks}/pre-frobnicate`).send({ script: 'true' }).expect(400);
    expect(type.body.code).toBe('INVALID_HOOK_TYPE');
    expect((await http().get(`${hooks}/nope`).expect(400)).body.code).toBe('INVALID_HOOK_TYPE');
    expect(
      (await http().post(`/api/v1/repos/${id}/hooks/execute/nope`).send({}).expect(400)).body.code,
    ).toBe('INVALID_HOOK_TYPE');

    for (const environment of [
      { lower: 'x' },
      { GOVC_REPO: 'other' },
      { PATH: '/tmp' },
      { OK: 1 },
      ['A=b'],
    ]) {
      const res = await http().put(`${hooks}/pre-commit`).send({ script: 'true', environment });
      expect({ environment, status: res.status, code: res.body.code }).toEqual({
        environment,
        status: 400,
        code: 'INVALID_ENVIRONMENT',
      });
    }
    const execEnv = await http()
      .post(`/api/v1/repos/${id}/hooks/execute/pre-commit`)
      .send({ script: 'true', environment: { 'BAD-KEY': 'x' } })
      .expect(400);
    expect(execEnv.body.code).toBe('INVALID_ENVIRONMENT');

    const timeout = await http()
      .put(`${hooks}/pre-commit`)
      .send({ script: 'true', timeout: 301 })
      .expect(400);
    expect(timeout.body.code).toBe('INVALID_REQUEST');
    expect((await http().put(`${hooks}/pre-commit`).send({}).expect(400)).body.code).toBe(
      'INVALID_REQUEST',
    );
    const big = await http()
      .put(`${hooks}/pre-commit`)
      .send({ script: 'x'.repeat(64 * 1024 + 1) })
      .expect(400);
    expect(big.body.code).toBe('INVALID_REQUEST');
    expect((await http().get(hooks).expect(200)).body).toEqual({ hooks: [], count: 0 });
    expect((await http().get('/api/v1/repos/nope/server-hooks').expect(404)).body.code).toBe(
      'REPO_NOT_FOUND',
    );
  });

  it('runs the configured hook in a clean environment on a checkout of the commit', async () => {
    const { id, head, hooks } = await repo({ 'a.txt': 'one\n', 'dir/b.sh': 'echo b\n' });
    const script = [
      '#!/bin/sh',
      'echo "cwd-files: $(find . -type f | sort | tr "\\n" " ")"',
      'echo "a: $(cat a.txt)"',
      'echo "stdin: $(cat)"',
      'env | sort',
      'exit 3',
    ].join('\n');
    await http()
      .put(`${hooks}/pre-commit`)
      .send({ script, environment: { CONFIGURED: 'from-config' } })
      .expect(201);

    const res = await http()
      .post(`/api/v1/repos/${id}/hooks/execute/pre-commit`)
      .send({ environment: { REQUESTED: 'from-request' }, stdin: 'hello' })
      .expect(200);
    expect(res.body).toEqual({
      success: false,
      exit_code: 3,
      output: expect.any(String),
      error: 'hook exited with code 3',
      duration_ms: expect.any(Number),
      environment: {
        GOVC_BRANCH: 'main',
        GOVC_COMMIT: head,
        GOVC_HOOK_TYPE: 'pre-commit',
        GOVC_REF: 'refs/heads/main',
        GOVC_REPO: id,
        GOVC_REPO_PATH: '',
        REQUESTED: 'from-request',
      },
      timed_out: false,
      truncated: false,
    });
    const output = res.body.output as string;
    expect(output).toContain('cwd-files: ./a.txt ./dir/b.sh ');
    expect(output).toContain('a: one');
    expect(output).toContain('stdin: hello');
    expect(output).toMatch(new RegExp(`^HOME=${tmpdir()}/govc-hook-[^/\\n]+/home$`, 'm'));
    expect(output).toContain(`GOVC_COMMIT=${head}`);
    expect(output).toContain('CONFIGURED=from-config');
    expect(output).toContain('REQUESTED=from-request');
    expect(output).toContain('LANG=C.UTF-8');
    // Nothing of the server's own environment reaches the script.
    expect(process.env[SENTINEL]).toBe('leaked');
    expect(output).not.toContain(SENTINEL);
    expect(output).not.toContain('JEST_WORKER_ID');
    const names = output
      .split('\n')
      .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
    for (const name of names) {
      expect(
        ['PATH', 'HOME', 'LANG', 'PWD', 'SHLVL', '_', 'OLDPWD', 'CONFIGURED', 'REQUESTED'].includes(
          name,
        ) || name.startsWith('GOVC_'),
      ).toBe(true);
    }
  });

  it('runs an ad-hoc script with stderr interleaved, on a chosen commit', async () => {
    const { id, head } = await repo();
    const second = await commitFiles(app, id, { 'a.txt': 'two\n' }, 'second');
    const res = await http()
      .post(`/api/v1/repos/${id}/hooks/execute/post-commit`)
      .send({ script: 'echo out1; echo err1 >&2; echo out2; cat a.txt', commit: head })
      .expect(200);
    expect(res.body).toMatchObject({
      success: true,
      exit_code: 0,
      output: 'out1\nerr1\nout2\none\n',
      timed_out: false,
      truncated: false,
      environment: expect.objectContaining({ GOVC_COMMIT: head, GOVC_BRANCH: 'main' }),
    });
    expect(res.body.error).toBeUndefined();
    expect(second).toMatch(HASH);
    const missing = await http()
      .post(`/api/v1/repos/${id}/hooks/execute/post-commit`)
      .send({ script: 'true', branch: 'nope' })
      .expect(404);
    expect(missing.body.code).toBe('BRANCH_NOT_FOUND');
  });

  it('answers HOOK_NOT_CONFIGURED when no script is configured or sent', async () => {
    const { id } = await repo();
    const res = await http().post(`/api/v1/repos/${id}/hooks/execute/pre-push`).expect(404);
    expect(res.body.code).toBe('HOOK_NOT_CONFIGURED');
  });

  it('kills a hook that outlives its timeout: exit 124, timed_out', async () => {
    const { id } = await repo();
    const res = await http()
      .post(`/api/v1/repos/${id}/hooks/execute/pre-commit`)
      .send({ script: 'echo started; sleep 30; echo never', timeout: 0.3 })
      .expect(200);
    expect(res.body).toMatchObject({
      success: false,
      exit_code: 124,
      timed_out: true,
      output: 'started\n',
      error: 'hook timed out',
    });
  });

  it('caps the output at max_output and says it was truncated', async () => {
    const { id } = await repo();
    const res = await http()
      .post(`/api/v1/repos/${id}/hooks/execute/pre-commit`)
      .send({ script: 'i=0; while [ $i -lt 300 ]; do echo 0123456789; i=$((i+1)); done' })
      .expect(200);
    expect(res.body.success).toBe(true);
    expect(res.body.truncated).toBe(true);
    expect(Buffer.byteLength(res.body.output as string)).toBe(1024);
  });

  describe('pre-commit', () => {
    const GATE = [
      '#!/bin/sh',
      'cat > "$OUT/stdin"',
      'find . -type f | sort > "$OUT/tree"',
      'if [ -f bad.txt ]; then echo "bad.txt is not allowed" >&2; exit 1; fi',
      'echo fine',
    ].join('\n');

    async function gated() {
      const out = outDir();
      const setup = await repo({ 'a.txt': 'one\n', 'old.txt': 'old\n' });
      await http()
        .put(`${setup.hooks}/pre-commit`)
        .send({ script: GATE, environment: { OUT: out } })
        .expect(201);
      return { ...setup, out };
    }

    it('rejects a REST commit and leaves the repository unchanged', async () => {
      const { id, head } = await gated();
      await stageFiles(app, id, { 'bad.txt': 'x\n' });
      const res = await http()
        .post(`/api/v1/repos/${id}/commit`)
        .send({ message: 'bad' })
        .expect(409);
      expect(res.body.code).toBe('HOOK_REJECTED');
      expect(res.body.details.output).toContain('bad.txt is not allowed');
      expect(await headOf(id)).toBe(head);
      const status = await http().get(`/api/v1/repos/${id}/status`).expect(200);
      expect(status.body.staged).toEqual(['bad.txt']);
      const log = await http().get(`/api/v1/repos/${id}/log`).expect(200);
      expect((log.body.commits as Array<{ hash: string }>).map((c) => c.hash)).toEqual([head]);
    });

    it('gives the changed paths on stdin and the proposed tree as cwd, then commits', async () => {
      const { id, head, out } = await gated();
      await stageFiles(app, id, { 'new/c.txt': 'c\n', 'a.txt': 'changed\n' });
      await http().delete(`/api/v1/repos/${id}/remove/old.txt`).expect(200);
      const res = await http()
        .post(`/api/v1/repos/${id}/commit`)
        .send({ message: 'good' })
        .expect(201);
      expect(res.body.parent).toBe(head);
      expect(readFileSync(path.join(out, 'stdin'), 'utf8')).toBe('a.txt\nnew/c.txt\nold.txt\n');
      expect(readFileSync(path.join(out, 'tree'), 'utf8')).toBe('./a.txt\n./new/c.txt\n');
      expect(await headOf(id)).toBe(res.body.hash);
    });

    it('does not run for a commit that would change nothing', async () => {
      const { id, out } = await gated();
      const res = await http().post(`/api/v1/repos/${id}/commit`).send({ message: 'm' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('COMMIT_FAILED');
      expect(existsSync(path.join(out, 'stdin'))).toBe(false);
    });

    it('rejects a transaction commit and leaves the branch unchanged', async () => {
      const { id, head, out } = await gated();
      const tx = (await http().post(`/api/v1/repos/${id}/transaction`).expect(201)).body
        .id as string;
      const base = `/api/v1/repos/${id}/transaction/${tx}`;
      await http().post(`${base}/add`).send({ path: 'bad.txt', content: 'x\n' }).expect(200);
      await http().post(`${base}/validate`).expect(200);
      const res = await http().post(`${base}/commit`).send({ message: 'tx' }).expect(409);
      expect(res.body.code).toBe('HOOK_REJECTED');
      expect(res.body.details.output).toContain('bad.txt is not allowed');
      expect(readFileSync(path.join(out, 'stdin'), 'utf8')).toBe('bad.txt\n');
      expect(await headOf(id)).toBe(head);

      // The transaction is still open: fix it and the same hook lets it through.
      await http().delete(`${base}/remove/bad.txt`).expect(200);
      await http().post(`${base}/add`).send({ path: 'ok.txt', content: 'ok\n' }).expect(200);
      await http().post(`${base}/validate`).expect(200);
      const ok = await http().post(`${base}/commit`).send({ message: 'tx' }).expect(201);
      expect(ok.body.parent).toBe(head);
      expect(readFileSync(path.join(out, 'tree'), 'utf8')).toBe('./a.txt\n./ok.txt\n./old.txt\n');
    });

    it('is skipped while disabled', async () => {
      const { id, hooks } = await gated();
      await http()
        .put(`${hooks}/pre-commit`)
        .send({ script: 'exit 1', enabled: false })
        .expect(200);
      await stageFiles(app, id, { 'bad.txt': 'x\n' });
      await http().post(`/api/v1/repos/${id}/commit`).send({ message: 'm' }).expect(201);
    });
  });

  it('runs post-commit after a commit, off the request path', async () => {
    const out = outDir();
    const { id, hooks } = await repo();
    await http()
      .put(`${hooks}/post-commit`)
      .send({
        script:
          'echo "$GOVC_COMMIT $GOVC_OLD_COMMIT $GOVC_BRANCH" > "$OUT/post.tmp"; mv "$OUT/post.tmp" "$OUT/post"',
        environment: { OUT: out },
      })
      .expect(201);
    const parent = await headOf(id);
    await stageFiles(app, id, { 'p.txt': 'p\n' });
    const res = await http().post(`/api/v1/repos/${id}/commit`).send({ message: 'p' }).expect(201);
    const file = path.join(out, 'post');
    await eventually(() => existsSync(file));
    expect(readFileSync(file, 'utf8')).toBe(`${res.body.hash} ${parent} main\n`);
  });

  it('runs post-checkout after a checkout', async () => {
    const out = outDir();
    const { id, head, hooks } = await repo();
    await http()
      .put(`${hooks}/post-checkout`)
      .send({
        script:
          'echo "$GOVC_BRANCH $GOVC_COMMIT $(cat a.txt)" > "$OUT/c.tmp"; mv "$OUT/c.tmp" "$OUT/c"',
        environment: { OUT: out },
      })
      .expect(201);
    await http().post(`/api/v1/repos/${id}/branches`).send({ name: 'feature' }).expect(201);
    await http().post(`/api/v1/repos/${id}/checkout`).send({ branch: 'feature' }).expect(200);
    const file = path.join(out, 'c');
    await eventually(() => existsSync(file));
    expect(readFileSync(file, 'utf8')).toBe(`feature ${head} one\n`);
  });

  it('decides the refs of a push with the pre-receive and update hooks', async () => {
    const { id, head, hooks } = await repo();
    const next = await commitFiles(app, id, { 'a.txt': 'two\n' }, 'second');
    const zero = '0'.repeat(40);
    const updates = [
      { ref: 'refs/heads/main', oldOid: head, newOid: next },
      { ref: 'refs/heads/blocked', oldOid: null, newOid: next },
    ];
    const service = app.get(ServerHookService);
    expect(await service.runRefUpdateHooks(id, 'pre-receive', updates)).toEqual([
      { ref: 'refs/heads/main', accepted: true, output: '' },
      { ref: 'refs/heads/blocked', accepted: true, output: '' },
    ]);

    await http()
      .put(`${hooks}/pre-receive`)
      .send({ script: 'cat; echo "refused: $(cat a.txt)"; exit 1' })
      .expect(201);
    const all = await service.runRefUpdateHooks(id, 'pre-receive', updates);
    const lines = `${head} ${next} refs/heads/main\n${zero} ${next} refs/heads/blocked\n`;
    expect(all).toEqual([
      { ref: 'refs/heads/main', accepted: false, output: `${lines}refused: two\n` },
      { ref: 'refs/heads/blocked', accepted: false, output: `${lines}refused: two\n` },
    ]);

    await http()
      .put(`${hooks}/update`)
      .send({
        script:
          'if [ "$1" = refs/heads/blocked ]; then echo "no $1 $2 $3"; exit 1; fi; echo "ok $GOVC_REF $GOVC_OLD_COMMIT"',
      })
      .expect(201);
    expect(await service.runRefUpdateHooks(id, 'update', updates)).toEqual([
      { ref: 'refs/heads/main', accepted: true, output: `ok refs/heads/main ${head}\n` },
      {
        ref: 'refs/heads/blocked',
        accepted: false,
        output: `no refs/heads/blocked ${zero} ${next}\n`,
      },
    ]);
  });

  it('scores a reality with the benchmark hook', async () => {
    const { id, hooks } = await repo();
    await http()
      .post(`/api/v1/repos/${id}/parallel-realities`)
      .send({ branches: ['fast'] })
      .expect(201);
    await http()
      .post(`/api/v1/repos/${id}/parallel-realities/fast/apply`)
      .send({ changes: { 'speed.txt': '9\n' } })
      .expect(200);
    const script = [
      '#!/bin/sh',
      'echo "not json" >&2',
      'echo "progress..."',
      'if [ -f speed.txt ]; then echo "{\\"score\\": $(cat speed.txt), \\"side\\": 1}"; else echo \'{"score": 1}\'; fi',
    ].join('\n');
    await http().put(`${hooks}/benchmark`).send({ script }).expect(201);
    const res = await http()
      .get(`/api/v1/repos/${id}/parallel-realities/fast/benchmark`)
      .expect(200);
    expect(res.body.metrics).toMatchObject({ score: 9, side: 1, files: 2 });
    expect(res.body.metrics.script_ms).toEqual(expect.any(Number));
    expect(res.body.better).toBe(true);

    await http().delete(`${hooks}/benchmark`).expect(200);
    const plain = await http()
      .get(`/api/v1/repos/${id}/parallel-realities/fast/benchmark`)
      .expect(200);
    expect(plain.body.better).toBeNull();
    expect(plain.body.metrics.score).toBeUndefined();
  });

  it('answers hostile configuration requests with a 4xx and the flat error body', async () => {
    const { hooks } = await repo();
    const type = fc.oneof(
      fc.constantFrom('pre-commit', 'benchmark', 'update', '%2e%2e', 'PRE-COMMIT', '..%2f'),
      fc.string({ maxLength: 20 }).map((t) => encodeURIComponent(t) || 'x'),
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          script: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          timeout: fc.oneof(fc.double(), fc.string(), fc.constant(-1)),
          enabled: fc.oneof(fc.boolean(), fc.string()),
          environment: fc.oneof(
            fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer())),
            fc.jsonValue(),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(type, body, async (hookType, payload) => {
        const res = await http()
          .put(`${hooks}/${hookType}`)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(payload));
        if (res.status < 300) return; // a valid configuration is fine too
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body).toEqual({
          error: expect.any(String),
          code: expect.stringMatching(/^[A-Z_]+$/),
          ...(res.body.details === undefined ? {} : { details: expect.anything() }),
        });
      }),
      fcParams(100),
    );
  });

  it('forgets the hooks of a deleted repository', async () => {
    const { id, hooks } = await repo();
    await http().put(`${hooks}/pre-commit`).send({ script: 'exit 1' }).expect(201);
    await http().delete(`/api/v1/repos/${id}`).expect(200);
    await createRepo(app, id);
    expect((await http().get(hooks).expect(200)).body).toEqual({ hooks: [], count: 0 });
  });
});

describe('server hooks with max_concurrent 1 (e2e)', () => {
  let app: NestExpressApplication;
  let scratch: string;
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'govc-hooks-busy-'));
    app = await startTestApp({ GOVC_HOOKS_SERVER_HOOKS_MAX_CONCURRENT: '1' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('answers 503 HOOK_BUSY while the only slot is taken', async () => {
    await createRepo(app, 'busy');
    await commitFiles(app, 'busy', { 'a.txt': 'a\n' });
    const started = path.join(scratch, 'started');
    const release = path.join(scratch, 'release');
    const http = () => request(app.getHttpServer());
    const first = http()
      .post('/api/v1/repos/busy/hooks/execute/pre-commit')
      .send({
        script: `touch '${started}'; while [ ! -f '${release}' ]; do sleep 0.02; done; echo done`,
        timeout: 20,
      })
      .then((res) => res);
    await eventually(() => existsSync(started));
    const second = await http()
      .post('/api/v1/repos/busy/hooks/execute/pre-commit')
      .send({ script: 'true' })
      .expect(503);
    expect(second.body.code).toBe('HOOK_BUSY');
    expect(second.headers['retry-after']).toBeDefined();
    writeFileSync(release, '');
    const done = await first;
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ success: true, output: 'done\n' });
    // The slot is free again.
    await http()
      .post('/api/v1/repos/busy/hooks/execute/pre-commit')
      .send({ script: 'true' })
      .expect(200);
  });
});

describe('server hooks disabled (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ GOVC_HOOKS_SERVER_HOOKS_ENABLED: 'false' });
  });
  afterAll(() => app.close());

  it('refuses to configure or run scripts with 403 SERVER_HOOKS_DISABLED', async () => {
    await createRepo(app, 'off');
    const http = () => request(app.getHttpServer());
    const put = await http()
      .put('/api/v1/repos/off/server-hooks/pre-commit')
      .send({ script: 'exit 1' })
      .expect(403);
    expect(put.body.code).toBe('SERVER_HOOKS_DISABLED');
    const run = await http()
      .post('/api/v1/repos/off/hooks/execute/pre-commit')
      .send({ script: 'true' })
      .expect(403);
    expect(run.body.code).toBe('SERVER_HOOKS_DISABLED');
    expect((await http().get('/api/v1/repos/off/server-hooks').expect(200)).body.count).toBe(0);
  });
});

describe('server hooks with auth enabled (e2e)', () => {
  let auth: AuthApp;
  beforeAll(async () => {
    auth = await startAuthApp();
  });
  afterAll(() => auth.close());

  it('needs system:admin to configure or run ad-hoc scripts, repo:admin to run configured ones', async () => {
    const http = () => request(auth.app.getHttpServer());
    const developer = await makeUser(auth, ['developer']);
    // The creator holds repo:admin on the repository, but not system:admin.
    await http()
      .post('/api/v1/repos')
      .set('X-API-Key', developer.key)
      .send({ id: 'guarded' })
      .expect(201);
    const hooks = '/api/v1/repos/guarded/server-hooks';
    const execute = '/api/v1/repos/guarded/hooks/execute/post-commit';

    const denied = await http()
      .put(`${hooks}/post-commit`)
      .set('X-API-Key', developer.key)
      .send({ script: 'echo configured' })
      .expect(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    const put = await http()
      .put(`${hooks}/post-commit`)
      .set('X-API-Key', auth.adminKey)
      .send({ script: 'echo configured' })
      .expect(201);
    expect(put.body.updated_by).toBe('admin');

    expect((await http().get(hooks).set('X-API-Key', developer.key).expect(200)).body.count).toBe(
      1,
    );
    const configured = await http().post(execute).set('X-API-Key', developer.key).expect(200);
    expect(configured.body.output).toBe('configured\n');
    const adHoc = await http()
      .post(execute)
      .set('X-API-Key', developer.key)
      .send({ script: 'echo ad-hoc' })
      .expect(403);
    expect(adHoc.body).toMatchObject({ code: 'FORBIDDEN', details: { required: 'system:admin' } });
    const byAdmin = await http()
      .post(execute)
      .set('X-API-Key', auth.adminKey)
      .send({ script: 'echo ad-hoc' })
      .expect(200);
    expect(byAdmin.body.output).toBe('ad-hoc\n');
    await http().delete(`${hooks}/post-commit`).set('X-API-Key', developer.key).expect(403);
  });
});

describe('server hooks on the disk driver (e2e)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'govc-hooks-disk-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = () => ({ GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: dataDir });

  it('keeps hooks across a restart and points GOVC_REPO_PATH at the bare repository', async () => {
    let app = await startTestApp(env());
    try {
      const http = () => request(app.getHttpServer());
      await http().post('/api/v1/repos').send({ id: 'kept' }).expect(201);
      await http()
        .put('/api/v1/repos/kept/server-hooks/pre-push')
        .send({ script: 'echo "$GOVC_REPO_PATH"; test -d "$GOVC_REPO_PATH"', timeout: 5 })
        .expect(201);
    } finally {
      await app.close();
    }
    app = await startTestApp(env());
    try {
      const http = () => request(app.getHttpServer());
      const kept = await http().get('/api/v1/repos/kept/server-hooks/pre-push').expect(200);
      expect(kept.body).toMatchObject({ hook_type: 'pre-push', timeout: 5 });
      const run = await http().post('/api/v1/repos/kept/hooks/execute/pre-push').expect(200);
      expect(run.body).toMatchObject({
        success: true,
        output: `${path.join(dataDir, 'repos', 'kept.git')}\n`,
        environment: expect.objectContaining({
          GOVC_REPO_PATH: path.join(dataDir, 'repos', 'kept.git'),
          GOVC_COMMIT: '',
          GOVC_BRANCH: 'main',
        }),
      });
    } finally {
      await app.close();
    }
  });
});
