/**
 * Git smart HTTP against the reference: `git http-backend` (CGI behind a small node:http server
 * in this process) serving the same repository, measured in the same run.
 *
 * - `git.clone_<size>_s`: `git clone --bare` of a generated repository (`<commits>` commits over
 *   1,000 files in 20 directories, one file changed per commit, made with `git fast-import` and
 *   loaded into govc-ts by a push), warm (the generated pack cached, as for every later clone of
 *   unchanged refs); `git.clone_<size>_cold_s` the first clone (pack generated);
 *   `git.clone_<size>_ref_s` the same clone from http-backend; `…_ratio` govc / reference.
 * - `git.push_1k_s`: push of 1,000 new commits to govc-ts, beside the same push to http-backend.
 * - `git.load_<size>_s`: the initial push that loads the repository (informational).
 *
 * Sizes: GOVC_BENCH_GIT_COMMITS (default 10000). Medians of 3 runs (clones), 3 pushes.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { GIT_REFERENCE_ENV, gitAvailable, runGit } from './git-reference';
import type { BenchContext, BenchResult } from './harness';
import { createBenchApp } from './bench-app';

const FILES = 1000;
const DIRECTORIES = 20;
const PUSH_COMMITS = 1000;

const gitEnv: NodeJS.ProcessEnv = { ...GIT_REFERENCE_ENV, GIT_TERMINAL_PROMPT: '0' };

/** Runs git asynchronously (the servers share this event loop); seconds it took. */
function timedGit(args: readonly string[], cwd: string, input?: () => Iterable<string>) {
  return new Promise<number>((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('git', args, { cwd, env: gitEnv, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Number(process.hrtime.bigint() - start) / 1e9);
      else reject(new Error(`git ${args.join(' ')} failed (${code}): ${stderr.slice(-2000)}`));
    });
    if (input === undefined) {
      child.stdin.end();
      return;
    }
    void (async () => {
      for (const piece of input()) {
        if (!child.stdin.write(piece)) await new Promise((r) => child.stdin.once('drain', r));
      }
      child.stdin.end();
    })();
  });
}

function fileName(index: number): string {
  return `d${String(index % DIRECTORIES).padStart(2, '0')}/file${String(index).padStart(4, '0')}.txt`;
}

function fileContent(index: number, version: number): string {
  const lines: string[] = [];
  for (let line = 0; line < 24; line++) {
    lines.push(`file ${index} line ${line} ${line === version % 24 ? `v${version}` : 'same text'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A fast-import stream: `count` commits on `branch` (the first adds every file when `from` is absent). */
function* history(
  branch: string,
  count: number,
  startTime: number,
  seed: number,
  from?: string,
): Generator<string> {
  for (let i = 0; i < count; i++) {
    let text = `commit ${branch}\nmark :${i + 1}\n`;
    const time = startTime + i * 60;
    text += `author Bench <bench@example.com> ${time} +0000\ncommitter Bench <bench@example.com> ${time} +0000\n`;
    const message = `change ${seed}-${i}\n`;
    text += `data ${Buffer.byteLength(message)}\n${message}`;
    if (i > 0) text += `from :${i}\n`;
    else if (from !== undefined) text += `from ${from}\n`;
    if (i === 0 && from === undefined) {
      for (let f = 0; f < FILES; f++) {
        const content = fileContent(f, 0);
        text += `M 100644 inline ${fileName(f)}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
      }
    } else {
      const f = (i * 7 + seed) % FILES;
      const content = fileContent(f, i + seed);
      text += `M 100644 inline ${fileName(f)}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    }
    yield `${text}\n`;
  }
}

/** `git http-backend` as CGI behind node:http, serving every repository under `root`. */
function startHttpBackend(root: string): Promise<{ server: Server; base: string }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const env: NodeJS.ProcessEnv = {
      ...gitEnv,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      REMOTE_USER: 'bench',
      REMOTE_ADDR: '127.0.0.1',
      ...(request.headers['git-protocol'] !== undefined
        ? { GIT_PROTOCOL: String(request.headers['git-protocol']) }
        : {}),
      ...(request.headers['content-encoding'] !== undefined
        ? { HTTP_CONTENT_ENCODING: String(request.headers['content-encoding']) }
        : {}),
      ...(request.headers['content-length'] !== undefined
        ? { CONTENT_LENGTH: String(request.headers['content-length']) }
        : {}),
    };
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    request.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        if (!response.write(chunk)) {
          child.stdout.pause();
          response.once('drain', () => child.stdout.resume());
        }
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else response.setHeader(name, value);
      }
      response.statusCode = status;
      response.write(head.subarray(end + 4));
    });
    child.stdout.on('end', () => response.end());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

async function startGovc(): Promise<{ app: NestExpressApplication; base: string }> {
  const app = await createBenchApp({
    GOVC_LOGGING_LEVEL: 'warn',
    GOVC_SERVER_READ_TIMEOUT: '10m',
    GOVC_SERVER_WRITE_TIMEOUT: '10m',
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, base: `http://127.0.0.1:${port}` };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  if (!gitAvailable()) {
    ctx.log('git: git not installed, skipped');
    return [];
  }
  const commits = Number(process.env.GOVC_BENCH_GIT_COMMITS ?? 10_000);
  const size = commits >= 1000 && commits % 1000 === 0 ? `${commits / 1000}k` : String(commits);
  const wantClone = ctx.selected(`git.clone_${size}_s`);
  const wantPush = ctx.selected('git.push_1k_s');
  if (!wantClone && !wantPush) return [];

  const root = await ctx.tmpDir();
  const source = path.join(root, 'bench.git');
  runGit(['init', '-q', '--bare', '-b', 'main', source], root);
  runGit(['config', 'http.receivepack', 'true'], source);
  ctx.log(`git: generating ${commits} commits x ${FILES} files with fast-import`);
  let seconds = await timedGit(['fast-import', '--quiet'], source, () =>
    history('refs/heads/main', commits, 1_600_000_000, 0),
  );
  ctx.log(`git: generated in ${seconds.toFixed(1)} s; repacking`);
  seconds = await timedGit(['repack', '-a', '-d', '-q'], source);
  ctx.log(`git: repacked in ${seconds.toFixed(1)} s`);

  const govc = await startGovc();
  const backend = await startHttpBackend(root);
  const results: BenchResult[] = [];
  try {
    const created = await fetch(`${govc.base}/api/v1/repos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'bench' }),
    });
    if (created.status !== 201) throw new Error(`create repository: ${created.status}`);
    const load = await timedGit(['push', '-q', `${govc.base}/bench.git`, 'main:main'], source);
    ctx.log(`git: loaded into govc-ts by push in ${load.toFixed(1)} s`);
    results.push({ name: `git.load_${size}_s`, value: load, unit: 's', n: 1 });

    if (wantClone) {
      const clones = path.join(root, 'clones');
      await mkdir(clones);
      let counter = 0;
      const clone = (base: string): Promise<number> =>
        timedGit(['clone', '-q', '--bare', `${base}/bench.git`, `c${counter++}`], clones);
      const cold = await clone(govc.base);
      ctx.log(`git: govc-ts cold clone ${cold.toFixed(2)} s`);
      const warm: number[] = [];
      const reference: number[] = [];
      await clone(backend.base); // warm the page cache for the reference too
      for (let round = 0; round < 3; round++) {
        warm.push(await clone(govc.base));
        reference.push(await clone(backend.base));
      }
      const govcS = median(warm);
      const refS = median(reference);
      ctx.log(`git: clone govc-ts ${govcS.toFixed(2)} s, http-backend ${refS.toFixed(2)} s`);
      results.push(
        {
          name: `git.clone_${size}_s`,
          value: govcS,
          unit: 's',
          n: 3,
          ref: `git.clone_${size}_ref_s`,
        },
        {
          name: `git.clone_${size}_cold_s`,
          value: cold,
          unit: 's',
          n: 1,
          ref: `git.clone_${size}_ref_s`,
        },
        { name: `git.clone_${size}_ref_s`, value: refS, unit: 's', n: 3 },
        { name: `git.clone_${size}_ratio`, value: govcS / refS, unit: 'x', n: 3 },
        { name: `git.clone_${size}_cold_ratio`, value: cold / refS, unit: 'x', n: 1 },
      );
    }

    if (wantPush) {
      const work = path.join(root, 'work.git');
      runGit(['clone', '-q', '--mirror', source, work], root);
      const govcTimes: number[] = [];
      const refTimes: number[] = [];
      for (let round = 0; round < 3; round++) {
        const branch = `refs/heads/push${round}`;
        await timedGit(['fast-import', '--quiet'], work, () =>
          history(
            branch,
            PUSH_COMMITS,
            1_700_000_000 + round * 1_000_000,
            round + 1,
            'refs/heads/main^0',
          ),
        );
        govcTimes.push(await timedGit(['push', '-q', `${govc.base}/bench.git`, branch], work));
        refTimes.push(await timedGit(['push', '-q', `${backend.base}/bench.git`, branch], work));
      }
      const govcS = median(govcTimes);
      const refS = median(refTimes);
      ctx.log(`git: push 1k govc-ts ${govcS.toFixed(2)} s, http-backend ${refS.toFixed(2)} s`);
      results.push(
        { name: 'git.push_1k_s', value: govcS, unit: 's', n: 3, ref: 'git.push_1k_ref_s' },
        { name: 'git.push_1k_ref_s', value: refS, unit: 's', n: 3 },
        { name: 'git.push_1k_ratio', value: govcS / refS, unit: 'x', n: 3 },
      );
    }
  } finally {
    backend.server.close();
    await govc.app.close();
  }
  return results;
}
