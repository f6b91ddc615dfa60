/**
 * Shared by the import, export, backup, jobs and migration e2e specs: waiting for a job, making
 * small repositories with the real git, and a smart-HTTP remote served by `git http-backend`
 * (CGI) behind a node:http server on 127.0.0.1, independent of govc's own git server.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { git, gitEnv } from '../support/git-cli';

export interface JobBody {
  id: string;
  status: string;
  type: string;
  result?: Record<string, unknown>;
  error?: { error: string; code: string };
  progress: Record<string, unknown>;
  [key: string]: unknown;
}

/** Polls GET /api/v1/jobs/:id until the job finished (bounded: about 20 s). */
export async function waitForJob(app: NestExpressApplication, id: string): Promise<JobBody> {
  for (let attempt = 0; attempt < 2000; attempt++) {
    const res = await request(app.getHttpServer()).get(`/api/v1/jobs/${id}`).expect(200);
    const job = res.body as JobBody;
    if (['completed', 'failed', 'cancelled'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

/** A non-bare repository with two branches, an annotated tag and a nested tree. */
export function makeGitRepository(path: string, files = 3): void {
  git(['init', '-q', '-b', 'main', path]);
  for (let i = 0; i < files; i++)
    writeFileSync(join(path, `file${i}.txt`), `content ${i}\n`.repeat(20));
  git(['add', '.'], { cwd: path });
  git(['commit', '-q', '-m', 'first'], { cwd: path });
  git(['checkout', '-q', '-b', 'feature'], { cwd: path });
  writeFileSync(join(path, 'feature.txt'), 'feature\n');
  git(['add', '.'], { cwd: path });
  git(['commit', '-q', '-m', 'on feature'], { cwd: path });
  git(['tag', '-a', '-m', 'release one', 'v1'], { cwd: path });
  git(['checkout', '-q', 'main'], { cwd: path });
  writeFileSync(join(path, 'main.txt'), 'main\n');
  git(['add', '.'], { cwd: path });
  git(['commit', '-q', '-m', 'on main'], { cwd: path });
}

/** `<oid> <refname>` lines of every ref, sorted (git's for-each-ref order). */
export function refLines(path: string): string {
  return git(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: path });
}

/** Serves the repositories under `root` over smart HTTP with git http-backend. */
export async function startGitHttpBackend(
  root: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const env = gitEnv({
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: '127.0.0.1',
      ...(req.headers['git-protocol'] === undefined
        ? {}
        : { GIT_PROTOCOL: String(req.headers['git-protocol']) }),
    }) as Record<string, string>;
    const child = spawn('git', ['http-backend'], { env });
    req.pipe(child.stdin);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', () => {
      const output = Buffer.concat(chunks);
      let split = output.indexOf('\r\n\r\n');
      let skip = 4;
      if (split < 0) {
        split = output.indexOf('\n\n');
        skip = 2;
      }
      const head = output.subarray(0, Math.max(split, 0)).toString('latin1');
      let status = 200;
      for (const line of head.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else res.setHeader(name, value);
      }
      res.statusCode = status;
      res.end(split < 0 ? output : output.subarray(split + skip));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
