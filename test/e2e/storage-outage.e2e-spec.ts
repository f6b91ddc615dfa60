/**
 * Storage faults through the REST API (RELIABILITY P1, B3, I1; api-contract.md §14
 * STORAGE_UNAVAILABLE): while storage cannot take a durable write, writes answer 503
 * STORAGE_UNAVAILABLE with Retry-After and /health is unhealthy; reads keep answering from
 * memory; no acknowledged write is lost; and the server recovers — by itself for PostgreSQL once
 * the database accepts connections again, by a restart for a failed disk write (a failed fsync
 * is never retried, P1).
 *
 * A 503 on a write means its outcome is unknown, like a timeout (§0.1): it is applied whole or
 * not at all, and postgres carries a failed unit of work with the next successful flush. So the
 * checks are: every acknowledged commit present, history a single unbroken chain.
 *
 * A repository whose files fail their checksums is refused (503 REPO_CORRUPT) rather than
 * served wrong, and the other repositories keep working.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { DiskStorageDriver, StorageDriver } from '../../src/core';
import { appOptions, configureApp } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/config-loader';
import { gitAvailable, gitResult } from '../support/git-cli';
import { TEST_CONFIG_FILE, startTestApp } from '../support/test-app';
import { InstrumentedFileSystem, capturingLogger } from '../unit/core/storage/disk/disk-fixtures';
import {
  ADMIN_URL,
  createTestDatabase,
  postgresAvailable,
  type TestDatabase,
} from '../unit/core/storage/postgres/postgres-fixtures';

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Http = () => request.Agent;

/** add + commit; the commit's response. */
async function commit(http: Http, repo: string, file: string): Promise<request.Response> {
  const added = await http().post(`/api/v1/repos/${repo}/add`).send({ path: file, content: file });
  if (added.status !== 201) return added;
  return http()
    .post(`/api/v1/repos/${repo}/commit`)
    .send({ message: `add ${file}` });
}

async function history(http: Http, repo: string): Promise<string[]> {
  const response = await http().get(`/api/v1/repos/${repo}/log?limit=10000`).expect(200);
  return (response.body.commits as Array<{ hash: string }>).map((entry) => entry.hash);
}

function expectUnavailable(response: request.Response): void {
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBeDefined();
  expect(response.body).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
}

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

describeWithPostgres('PostgreSQL refusing connections (e2e)', () => {
  let database: TestDatabase;
  let app: NestExpressApplication | undefined;
  const admin = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });

  /** Refuses new connections to the test database and ends the open ones (ours included). */
  async function cutOff(): Promise<void> {
    await admin.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database.name],
    );
  }

  async function restore(): Promise<void> {
    await admin.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await admin.connect();
  });

  afterAll(async () => {
    await restore().catch(() => undefined);
    await app?.close();
    await admin.end();
    await database.drop();
  });

  it('answers 503 while the database is gone and recovers without a restart', async () => {
    const env = {
      GOVC_STORAGE_DRIVER: 'postgres',
      GOVC_STORAGE_POSTGRES_URL: database.url,
      GOVC_STORAGE_POSTGRES_STATEMENT_TIMEOUT: '2s',
    };
    app = await startTestApp(env);
    const http: Http = () => request(app!.getHttpServer());
    await http().post('/api/v1/repos').send({ id: 'outage' }).expect(201);
    const acked: string[] = [];
    for (const file of ['a', 'b']) acked.push((await commit(http, 'outage', file)).body.hash);

    await cutOff();
    const refused = await commit(http, 'outage', 'c');
    expectUnavailable(refused);
    expectUnavailable(await http().post('/api/v1/repos').send({ id: 'another' }));
    // Reads never wait on storage.
    expect(
      (await http().get('/api/v1/repos/outage/log').expect(200)).body.commits.length,
    ).toBeGreaterThanOrEqual(2);
    const health = await http().get('/health').expect(503);
    expect(health.body.checks.storage.status).toBe('unhealthy');

    await restore();
    let recovered: request.Response | undefined;
    await eventually(async () => {
      recovered = await commit(http, 'outage', 'd');
      return recovered.status === 201;
    });
    acked.push(recovered!.body.hash);
    await http().get('/health').expect(200);

    // Everything acknowledged is in the database: a new app reads it back.
    await app.close();
    app = await startTestApp(env);
    const log = await history(() => request(app!.getHttpServer()), 'outage');
    for (const hash of acked) expect(log).toContain(hash);
    expect(log[0]).toBe(acked[acked.length - 1]);
  });
});

const describeWithGit = gitAvailable() ? describe : describe.skip;

describeWithGit('disk write failure (e2e)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-disk-fault-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The real app over a disk driver whose file system the test controls. */
  async function startWith(fs: InstrumentedFileSystem): Promise<NestExpressApplication> {
    const { config } = loadConfig({
      env: { GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: dir },
      argv: ['--config', TEST_CONFIG_FILE],
    });
    const driver = new DiskStorageDriver({ path: dir, fs, logger: capturingLogger() });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
      .overrideProvider(StorageDriver)
      .useValue(driver)
      .compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>(appOptions());
    configureApp(app, config);
    await app.init();
    return app;
  }

  it('refuses writes with 503 after a failed journal write, loses no acknowledged commit, and recovers on restart', async () => {
    const fs = new InstrumentedFileSystem();
    let app = await startWith(fs);
    let http: Http = () => request(app.getHttpServer());
    await http().post('/api/v1/repos').send({ id: 'faulty' }).expect(201);
    const acked: string[] = [];
    for (const file of ['a', 'b', 'c']) {
      const response = await commit(http, 'faulty', file);
      expect(response.status).toBe(201);
      acked.push(response.body.hash);
    }

    fs.failWrite = (file) => file.endsWith('.journal');
    expectUnavailable(await commit(http, 'faulty', 'd'));
    // Latched: nothing is acknowledged any more, even once the disk is fine again.
    fs.failWrite = () => false;
    expectUnavailable(await commit(http, 'faulty', 'e'));
    expect((await http().get('/health').expect(503)).body.checks.storage.status).toBe('unhealthy');
    await http().get('/api/v1/repos/faulty/log').expect(200);
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^govc_storage_flush_errors_total\{driver="disk"\} [1-9]/m);
    await app.close();

    app = await startWith(new InstrumentedFileSystem());
    http = () => request(app.getHttpServer());
    // Exactly the acknowledged commits: the refused ones never reached the journal.
    expect(await history(http, 'faulty')).toEqual([...acked].reverse());
    const next = await commit(http, 'faulty', 'f');
    expect(next.status).toBe(201);
    await app.close(); // checkpoints: the data directory is now the server's state
    const fsck = gitResult([
      '--git-dir',
      path.join(dir, 'repos', 'faulty.git'),
      'fsck',
      '--strict',
      '--no-dangling',
    ]);
    expect(fsck.stderr).toBe('');
    expect(fsck.status).toBe(0);
    const head = gitResult([
      '--git-dir',
      path.join(dir, 'repos', 'faulty.git'),
      'rev-parse',
      'main',
    ]);
    expect(head.stdout.trim()).toBe(next.body.hash);
  });
});

describe('a damaged repository on disk (e2e)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-disk-damage-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to serve it with 503 REPO_CORRUPT while the others keep working', async () => {
    const env = { GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: dir };
    let app = await startTestApp(env);
    let http: Http = () => request(app.getHttpServer());
    for (const repo of ['good', 'bad']) {
      await http().post('/api/v1/repos').send({ id: repo }).expect(201);
      expect((await commit(http, repo, 'a')).status).toBe(201);
    }
    await app.close(); // checkpoints: each repository is now a pack + .idx

    const packs = path.join(dir, 'repos', 'bad.git', 'objects', 'pack');
    const pack = readdirSync(packs).find((name) => name.endsWith('.pack'))!;
    const bytes = readFileSync(path.join(packs, pack));
    const middle = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    writeFileSync(path.join(packs, pack), bytes);

    app = await startTestApp(env);
    http = () => request(app.getHttpServer());
    try {
      const refused = await http().get('/api/v1/repos/bad/log').expect(503);
      expect(refused.body).toMatchObject({ code: 'REPO_CORRUPT', details: { repo: 'bad' } });
      expect(refused.headers['retry-after']).toBeDefined();
      expect((await http().get('/api/v1/repos/good/log').expect(200)).body.commits).toHaveLength(1);
      expect((await commit(http, 'good', 'b')).status).toBe(201);
    } finally {
      await app.close();
    }
  });
});
