/** Export of repositories: bundle, bare-repository tar, archive, async (api-contract.md §11.2). */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';
import { commitFiles, createRepo } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';
import { git, gitBuffer, gitResult, tempDir } from '../support/git-cli';
import { refLines, waitForJob } from './import-helpers';

/** supertest: collect the body as a Buffer whatever its type. */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('export (e2e)', () => {
  const dir = tempDir('govc-export-e2e-');
  let app: NestExpressApplication;
  let head: string;

  beforeAll(async () => {
    app = await startTestApp();
    await createRepo(app, 'exp');
    await commitFiles(app, 'exp', { 'a.txt': 'one\n', 'dir/b.txt': 'two\n' }, 'first');
    head = await commitFiles(
      app,
      'exp',
      { 'a.txt': 'one\nmore\n', 'run.sh': '#!/bin/sh\n' },
      'second',
    );
    await app.get(RepositoryRegistry).write('exp', ({ repository }) => {
      repository.createBranch('feature', 'HEAD~1');
      repository.createTag('v1', 'HEAD', {
        message: 'release',
        tagger: { name: 'T', email: 't@example.com', timestamp: 1_700_000_000, timezone: '+0000' },
      });
    });
  });
  afterAll(async () => {
    await app.close();
    dir.cleanup();
  });
  const http = () => request(app.getHttpServer());

  /** `git bundle verify` (it needs a repository to run in; an empty one has no prerequisites). */
  function verifyBundle(path: string): { status: number; stderr: string } {
    const scratch = join(dir.path, 'verify-repo');
    if (!existsSync(scratch)) git(['init', '-q', scratch]);
    return gitResult(['bundle', 'verify', path], { cwd: scratch });
  }

  it('streams a bundle that git verifies and clones with every ref', async () => {
    const res = await http().get('/api/v1/repos/exp/export').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('application/x-git-bundle');
    expect(res.headers['content-disposition']).toBe('attachment; filename="exp.bundle"');
    const path = join(dir.path, 'exp.bundle');
    writeFileSync(path, res.body as Buffer);
    expect(verifyBundle(path)).toMatchObject({ status: 0 });
    const clone = join(dir.path, 'from-bundle');
    git(['clone', '-q', '--mirror', path, clone]);
    expect(refLines(clone)).toContain(`${head} refs/heads/main\n`);
    expect(
      refLines(clone)
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(41)),
    ).toEqual(['refs/heads/feature', 'refs/heads/main', 'refs/tags/v1']);
    expect(gitResult(['fsck', '--strict'], { cwd: clone }).status).toBe(0);
  });

  it('exports one ref, and answers 404 REF_NOT_FOUND and 400 UNSUPPORTED_FORMAT', async () => {
    const res = await http()
      .get('/api/v1/repos/exp/export?ref=feature')
      .buffer(true)
      .parse(binary)
      .expect(200);
    const path = join(dir.path, 'feature.bundle');
    writeFileSync(path, res.body as Buffer);
    const listed = git(['bundle', 'list-heads', path], { cwd: dir.path });
    expect(
      listed
        .trim()
        .split('\n')
        .map((l) => l.slice(41)),
    ).toEqual(['refs/heads/feature']);
    expect((await http().get('/api/v1/repos/exp/export?ref=nope').expect(404)).body.code).toBe(
      'REF_NOT_FOUND',
    );
    expect((await http().get('/api/v1/repos/exp/export?format=zip').expect(400)).body.code).toBe(
      'UNSUPPORTED_FORMAT',
    );
    expect((await http().get('/api/v1/repos/nope/export').expect(404)).body.code).toBe(
      'REPO_NOT_FOUND',
    );
    await createRepo(app, 'emptyExp');
    // Like git, which refuses to create an empty bundle.
    expect((await http().get('/api/v1/repos/emptyExp/export').expect(404)).body.code).toBe(
      'REF_NOT_FOUND',
    );
  });

  it('exports the bare repository as a (gzipped) tar that git clones and fscks', async () => {
    const res = await http()
      .get('/api/v1/repos/exp/export?format=tar&gzip=true')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toContain('application/gzip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="exp.git.tar.gz"');
    const out = join(dir.path, 'tar');
    mkdirSync(out);
    execFileSync('tar', ['-xf', '-', '-C', out], { input: gunzipSync(res.body as Buffer) });
    const bare = join(out, 'exp.git');
    expect(gitResult(['fsck', '--strict'], { cwd: bare }).status).toBe(0);
    const clone = join(dir.path, 'from-tar');
    git(['clone', '-q', bare, clone]);
    expect(git(['rev-parse', 'HEAD'], { cwd: clone }).trim()).toBe(head);
    expect(git(['cat-file', '-t', 'v1'], { cwd: bare }).trim()).toBe('tag');
  });

  it('exports a tree archive equal to git archive of the same commit', async () => {
    const res = await http()
      .get('/api/v1/repos/exp/export?format=archive&ref=main')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toContain('application/x-tar');
    const clone = join(dir.path, 'from-tar');
    const theirs = gitBuffer(['archive', '--format=tar', head], { cwd: clone });
    const list = (tar: Buffer): string =>
      execFileSync('tar', ['-tvf', '-', '--full-time'], {
        input: tar,
        env: { TZ: 'UTC', PATH: process.env.PATH },
      }).toString();
    expect(list(res.body as Buffer)).toBe(list(theirs));
    expect(
      execFileSync('git', ['get-tar-commit-id'], { input: res.body as Buffer })
        .toString()
        .trim(),
    ).toBe(head);
  });

  it('runs an async export as a job and serves its file for download', async () => {
    const res = await http().get('/api/v1/repos/exp/export?async=true').expect(202);
    expect(res.headers.location).toBe(`/api/v1/jobs/${res.body.job_id}`);
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.status).toBe('completed');
    expect(job.type).toBe('export');
    expect(job).not.toHaveProperty('artifact');
    const file = await http()
      .get(`/api/v1/jobs/${job.id}/download`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="exp.bundle"');
    const path = join(dir.path, 'async.bundle');
    writeFileSync(path, file.body as Buffer);
    expect(verifyBundle(path)).toMatchObject({ status: 0 });
  });
});
