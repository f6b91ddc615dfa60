/** Import into repositories: bundles, server paths, URLs (api-contract.md §11.2). */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';
import { RepositoryEventBus } from '../../src/modules/hooks/repository-event-bus';
import { ImportService } from '../../src/modules/importexport/import.service';
import { writeContent } from '../../src/modules/importexport/repository-content';
import type { EventEnvelope } from '../../src/modules/hooks/domain-event';
import { commitFiles, createRepo } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';
import { git, gitBuffer, gitResult, tempDir } from '../support/git-cli';
import { makeGitRepository, refLines, startGitHttpBackend, waitForJob } from './import-helpers';

describe('import (e2e)', () => {
  const dir = tempDir('govc-import-e2e-');
  const allowed = join(dir.path, 'allowed');
  let app: NestExpressApplication;
  let source: string;
  let bundle: Buffer;
  const events: EventEnvelope[] = [];

  beforeAll(async () => {
    mkdirSync(allowed);
    source = join(dir.path, 'source');
    makeGitRepository(source);
    bundle = gitBuffer(['bundle', 'create', '-q', '-', '--all'], { cwd: source });
    git(['clone', '-q', '--bare', source, join(allowed, 'bare.git')]);
    app = await startTestApp({
      GOVC_IMPORT_ALLOWED_PATHS: allowed,
      GOVC_IMPORT_ALLOW_HTTP: 'true',
      GOVC_HOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    });
    app.get(RepositoryEventBus).subscribe((event) => events.push(event));
  });
  afterAll(async () => {
    await app.close();
    dir.cleanup();
  });
  const http = () => request(app.getHttpServer());

  /** The repository's refs as `<oid> <name>` lines, like git for-each-ref. */
  async function refsOf(id: string): Promise<string> {
    const { repository } = await app.get(RepositoryRegistry).open(id);
    return repository.refs
      .list('refs/')
      .map((ref) => (ref.kind === 'direct' ? `${ref.oid} ${ref.name}\n` : ''))
      .join('');
  }

  it('imports a raw bundle into a new repository as a job and emits imported', async () => {
    const res = await http()
      .post('/api/v1/repos/fromBundle/import')
      .set('Content-Type', 'application/x-git-bundle')
      .send(bundle)
      .expect(202);
    expect(res.body).toEqual({
      job_id: expect.any(String),
      status: 'queued',
      type: 'import',
      repo_id: 'fromBundle',
    });
    expect(res.headers.location).toBe(`/api/v1/jobs/${res.body.job_id}`);
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.status).toBe('completed');
    expect(job.result).toEqual({ refs: 3, commits: 3, objects: expect.any(Number) });
    expect(await refsOf('fromBundle')).toBe(refLines(source));
    const repo = await http().get('/api/v1/repos/fromBundle').expect(200);
    expect(repo.body.current_branch).toBe('main');
    const file = await http().get('/api/v1/repos/fromBundle/read/main.txt').expect(200);
    expect(file.body.content).toBe('main\n');
    expect(
      events.some(
        (e) =>
          e.repository === 'fromBundle' && e.event === 'repository' && e.data.action === 'imported',
      ),
    ).toBe(true);
  });

  it('imports the bundle field of a multipart body into an existing empty repository', async () => {
    await createRepo(app, 'emptyOne');
    const res = await http()
      .post('/api/v1/repos/emptyOne/import')
      .attach('bundle', bundle, { filename: 'x.bundle', contentType: 'application/octet-stream' })
      .expect(202);
    expect((await waitForJob(app, res.body.job_id as string)).status).toBe('completed');
    expect(await refsOf('emptyOne')).toBe(refLines(source));
    const noField = await http()
      .post('/api/v1/repos/noField/import')
      .attach('other', bundle, { filename: 'x.bundle', contentType: 'application/octet-stream' })
      .expect(400);
    expect(noField.body.code).toBe('INVALID_REQUEST');
    await http().get('/api/v1/repos/noField').expect(404);
  });

  it('refuses a corrupt or truncated bundle with 400 INVALID_BUNDLE and creates nothing', async () => {
    const flipped = Buffer.from(bundle);
    flipped[flipped.length - 50] = flipped[flipped.length - 50]! ^ 0xff;
    for (const body of [
      flipped,
      bundle.subarray(0, bundle.length - 100),
      Buffer.from('not a bundle'),
    ]) {
      const res = await http()
        .post('/api/v1/repos/broken/import')
        .set('Content-Type', 'application/x-git-bundle')
        .send(body)
        .expect(400);
      expect(res.body.code).toBe('INVALID_BUNDLE');
    }
    await http().get('/api/v1/repos/broken').expect(404);
  });

  it('refuses a bundle whose trees hold a .git entry', async () => {
    const evil = join(dir.path, 'evil');
    git(['init', '-q', '-b', 'main', evil]);
    const blob = git(['hash-object', '-w', '--stdin'], { cwd: evil, input: 'x' }).trim();
    const tree = git(['mktree', '--missing'], {
      cwd: evil,
      input: `100644 blob ${blob}\t.GIT\n`,
    }).trim();
    const commit = git(['commit-tree', tree, '-m', 'evil'], { cwd: evil }).trim();
    git(['update-ref', 'refs/heads/main', commit], { cwd: evil });
    const evilBundle = gitBuffer(['bundle', 'create', '-q', '-', 'main'], { cwd: evil });
    const res = await http()
      .post('/api/v1/repos/evil/import')
      .set('Content-Type', 'application/x-git-bundle')
      .send(evilBundle)
      .expect(400);
    expect(res.body.code).toBe('INVALID_BUNDLE');
    await http().get('/api/v1/repos/evil').expect(404);
  });

  it('answers 409 REPO_NOT_EMPTY for a repository with commits, and 413 past the upload limit', async () => {
    await createRepo(app, 'hasCommits');
    await commitFiles(app, 'hasCommits', { 'a.txt': 'a\n' });
    const res = await http()
      .post('/api/v1/repos/hasCommits/import')
      .set('Content-Type', 'application/x-git-bundle')
      .send(bundle)
      .expect(409);
    expect(res.body.code).toBe('REPO_NOT_EMPTY');
    const small = await startTestApp({ GOVC_IMPORT_MAX_UPLOAD_SIZE: '100' });
    try {
      const tooBig = await request(small.getHttpServer())
        .post('/api/v1/repos/big/import')
        .set('Content-Type', 'application/x-git-bundle')
        .send(bundle)
        .expect(413);
      expect(tooBig.body.code).toBe('REQUEST_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it('imports a bare repository from an allowed server path and refuses others', async () => {
    const res = await http()
      .post('/api/v1/repos/fromPath/import')
      .send({ source: 'path', path: join(allowed, 'bare.git') })
      .expect(202);
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.status).toBe('completed');
    expect(await refsOf('fromPath')).toBe(refLines(source));
    const refused = await http()
      .post('/api/v1/repos/fromPath2/import')
      .send({ source: 'path', path: source })
      .expect(403);
    expect(refused.body.code).toBe('PATH_NOT_ALLOWED');
    const escape = await http()
      .post('/api/v1/repos/fromPath2/import')
      .send({ source: 'path', path: join(allowed, '..', 'source') })
      .expect(403);
    expect(escape.body.code).toBe('PATH_NOT_ALLOWED');
  });

  it('fails a path import of a directory that is not a repository and removes what it created', async () => {
    mkdirSync(join(allowed, 'junk'));
    writeFileSync(join(allowed, 'junk', 'HEAD'), 'garbage');
    const res = await http()
      .post('/api/v1/repos/junkRepo/import')
      .send({ source: 'path', path: join(allowed, 'junk') })
      .expect(202);
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('IMPORT_FAILED');
    await http().get('/api/v1/repos/junkRepo').expect(404);
  });

  it('imports over smart HTTP from git http-backend', async () => {
    const remote = await startGitHttpBackend(allowed);
    try {
      const res = await http()
        .post('/api/v1/repos/fromUrl/import')
        .send({ source: 'url', url: `${remote.url}/bare.git` })
        .expect(202);
      const job = await waitForJob(app, res.body.job_id as string);
      expect(job.error).toBeUndefined();
      expect(job.status).toBe('completed');
      expect(await refsOf('fromUrl')).toBe(refLines(source));
      const one = await http()
        .post('/api/v1/repos/oneRef/import')
        .send({ source: 'url', url: `${remote.url}/bare.git`, refs: ['feature'] })
        .expect(202);
      expect((await waitForJob(app, one.body.job_id as string)).status).toBe('completed');
      const refs = await refsOf('oneRef');
      expect(
        refs
          .trim()
          .split('\n')
          .map((line) => line.slice(41)),
      ).toEqual(['refs/heads/feature']);
      const missing = await http()
        .post('/api/v1/repos/noSuch/import')
        .send({ source: 'url', url: `${remote.url}/missing.git` })
        .expect(202);
      const failed = await waitForJob(app, missing.body.job_id as string);
      expect(failed.status).toBe('failed');
      expect(failed.error?.code).toBe('IMPORT_SOURCE_UNREACHABLE');
      await http().get('/api/v1/repos/noSuch').expect(404);
    } finally {
      await remote.close();
    }
  });

  it('refuses http URLs unless allowed, private targets unless allowed, and unknown sources', async () => {
    const strict = await startTestApp();
    try {
      const http1 = await request(strict.getHttpServer())
        .post('/api/v1/repos/x1/import')
        .send({ source: 'url', url: 'http://127.0.0.1:1/r.git' })
        .expect(400);
      expect(http1.body.code).toBe('UNSUPPORTED_SOURCE');
      const ssrf = await request(strict.getHttpServer())
        .post('/api/v1/repos/x2/import')
        .send({ source: 'url', url: 'https://127.0.0.1:1/r.git' })
        .expect(202);
      const job = await waitForJob(strict, ssrf.body.job_id as string);
      expect(job.error?.code).toBe('IMPORT_SOURCE_UNREACHABLE');
      expect(job.error?.error).toContain('forbidden');
      const unknown = await request(strict.getHttpServer())
        .post('/api/v1/repos/x3/import')
        .send({ source: 'svn', url: 'https://example.com' })
        .expect(400);
      expect(unknown.body.code).toBe('UNSUPPORTED_SOURCE');
    } finally {
      await strict.close();
    }
  });

  it('imports over smart HTTP from govc-ts itself (its own git server)', async () => {
    await createRepo(app, 'served');
    await commitFiles(app, 'served', { 'x.txt': 'x\n', 'y/z.txt': 'z\n' }, 'one');
    const head = await commitFiles(app, 'served', { 'x.txt': 'xx\n' }, 'two');
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const res = await http()
      .post('/api/v1/repos/servedCopy/import')
      .send({ source: 'url', url: `http://127.0.0.1:${port}/served.git` })
      .expect(202);
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.error).toBeUndefined();
    expect(await refsOf('servedCopy')).toBe(`${head} refs/heads/main\n`);
  });

  it('writes a large import in several object batches and sets the refs last', async () => {
    const content = await app.get(ImportService).readBundleSource([bundle]);
    await createRepo(app, 'batched');
    let batches = 0;
    await writeContent(
      app.get(RepositoryRegistry),
      'batched',
      content,
      'test',
      () => batches++,
      64,
    );
    expect(batches).toBeGreaterThan(3);
    expect(await refsOf('batched')).toBe(refLines(source));
  });

  it('keeps an import across a restart with the disk driver', async () => {
    const data = tempDir('govc-import-disk-');
    try {
      const env = { GOVC_STORAGE_DRIVER: 'disk', GOVC_STORAGE_PATH: data.path };
      const first = await startTestApp(env);
      const res = await request(first.getHttpServer())
        .post('/api/v1/repos/durable/import')
        .set('Content-Type', 'application/x-git-bundle')
        .send(bundle)
        .expect(202);
      expect((await waitForJob(first, res.body.job_id as string)).status).toBe('completed');
      await first.close();
      const second = await startTestApp(env);
      try {
        const { repository } = await second.get(RepositoryRegistry).open('durable');
        const refs = repository.refs
          .list('refs/')
          .map((ref) => (ref.kind === 'direct' ? `${ref.oid} ${ref.name}\n` : ''))
          .join('');
        expect(refs).toBe(refLines(source));
      } finally {
        await second.close();
      }
      expect(refLines(join(data.path, 'repos', 'durable.git'))).toBe(refLines(source));
      expect(
        gitResult(['fsck', '--strict'], { cwd: join(data.path, 'repos', 'durable.git') }).status,
      ).toBe(0);
    } finally {
      data.cleanup();
    }
  });
});
