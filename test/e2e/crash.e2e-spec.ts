/**
 * kill -9 through the real server (RELIABILITY B1, P1, P3; small size for npm test): the server
 * runs as a child process, several clients commit concurrently over REST and record every
 * commit acknowledged with 201, and the server is SIGKILLed at a random moment. Right after the
 * kill every repository directory passes `git fsck --strict` (disk); after a restart every
 * acknowledged commit is there and each branch is at its last acknowledged commit or at most
 * one commit past it (the one in flight, durable but never answered). A few rounds continue the
 * same histories; a clean stop at the end leaves the data directory equal to the server's
 * state. Runs for the disk driver and, when a server answers, for postgres.
 *
 * The server runs from source (scripts/register-ts.js), not from dist/, so this file never
 * races another spec's build.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fcSeed } from '../support/fast-check';
import { gitAvailable, gitResult } from '../support/git-cli';
import {
  createTestDatabase,
  postgresAvailable,
  type TestDatabase,
} from '../unit/core/storage/postgres/postgres-fixtures';
import { freePort } from '../support/free-port';
import { seededRandom } from '../support/seeded-random';

const ROOT = path.resolve(__dirname, '..', '..');
const ROUNDS = 3;
const CLIENTS = 4;

interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts the server; a port taken between freePort() and listen (parallel tests) is retried. */
async function startServer(env: Record<string, string>): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(env);
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
}

async function startServerOnce(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!name.startsWith('GOVC_') && name !== 'PORT') clean[name] = value;
  const child = spawn(process.execPath, ['-r', './scripts/register-ts.js', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...clean,
      GOVC_SERVER_HOST: '127.0.0.1',
      GOVC_SERVER_PORT: String(port),
      GOVC_AUTH_ENABLED: 'false',
      GOVC_LOGGING_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, base, exited, output: () => output };
}

async function post(base: string, route: string, body: unknown): Promise<Response> {
  return fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** One client: add + commit on its own repository until the server goes away. */
async function client(
  base: string,
  repo: string,
  acked: string[],
  stop: { stopped: boolean },
): Promise<void> {
  for (let i = 0; !stop.stopped; i++) {
    try {
      const file = `f${acked.length}-${i}.txt`;
      const added = await post(base, `/api/v1/repos/${repo}/add`, { path: file, content: file });
      if (added.status !== 201) continue;
      const committed = await post(base, `/api/v1/repos/${repo}/commit`, {
        message: `commit ${file}`,
      });
      if (committed.status === 201) acked.push(((await committed.json()) as { hash: string }).hash);
    } catch {
      return; // connection refused or reset: the server is gone
    }
  }
}

async function history(base: string, repo: string): Promise<string[]> {
  const response = await fetch(`${base}/api/v1/repos/${repo}/log?limit=10000`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { commits: Array<{ hash: string }> };
  return body.commits.map((commit) => commit.hash);
}

function fsck(gitDir: string): { status: number; stderr: string } {
  const { status, stderr } = gitResult(['--git-dir', gitDir, 'fsck', '--strict', '--no-dangling']);
  // Before its first checkpoint a repository is unborn to git: notices, not problems.
  const problems = stderr.split('\n').filter((line) => line !== '' && !line.startsWith('notice:'));
  return { status, stderr: problems.join('\n') };
}

interface Target {
  readonly name: string;
  readonly env: Record<string, string>;
  /** Bare repositories to fsck, when the driver keeps them (disk). */
  readonly gitDir?: (repo: string) => string;
}

async function crashRounds(target: Target): Promise<void> {
  const next = seededRandom(fcSeed() ^ 0x5eed);
  const repos = Array.from({ length: CLIENTS }, (_, i) => `crash${i}`);
  const acked = new Map<string, string[]>(repos.map((repo) => [repo, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const server = await startServer(target.env);
    if (round === 0) {
      for (const repo of repos)
        expect((await post(server.base, '/api/v1/repos', { id: repo })).status).toBe(201);
    } else {
      // Everything acknowledged before the last kill is there; each branch is at its last
      // acknowledged commit or one past it (durable, but killed before it was answered).
      for (const repo of repos) {
        const log = await history(server.base, repo);
        const mine = acked.get(repo)!;
        for (const hash of mine) expect(log).toContain(hash);
        const last = mine[mine.length - 1];
        if (last !== undefined) expect(log.slice(0, 2)).toContain(last);
        if (log.length > 0 && log[0] !== last) mine.push(log[0]!); // unanswered, but history now
      }
    }
    const stop = { stopped: false };
    const clients = repos.map((repo) => client(server.base, repo, acked.get(repo)!, stop));
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(next() * 600)));
    server.child.kill('SIGKILL');
    stop.stopped = true;
    expect((await server.exited).signal).toBe('SIGKILL');
    await Promise.all(clients);
    if (target.gitDir !== undefined) {
      for (const repo of repos)
        expect(fsck(target.gitDir(repo))).toEqual({ status: 0, stderr: '' });
    }
  }
  const total = [...acked.values()].reduce((sum, list) => sum + list.length, 0);
  expect(total).toBeGreaterThan(0);
  process.stdout.write(
    `reliability B1 (${target.name}, small): ${total} commits, ${ROUNDS} kills, 0 lost\n`,
  );

  // A clean stop checkpoints everything: git sees exactly the server's branches.
  const server = await startServer(target.env);
  const heads = new Map<string, string>();
  for (const repo of repos) {
    const log = await history(server.base, repo);
    for (const hash of acked.get(repo)!) expect(log).toContain(hash);
    heads.set(repo, log[0]!);
  }
  server.child.kill('SIGTERM');
  expect(await server.exited).toEqual({ code: 0, signal: null });
  if (target.gitDir !== undefined) {
    for (const repo of repos) {
      const gitDir = target.gitDir(repo);
      expect(fsck(gitDir)).toEqual({ status: 0, stderr: '' });
      expect(gitResult(['--git-dir', gitDir, 'rev-parse', 'main']).stdout.trim()).toBe(
        heads.get(repo),
      );
    }
  }
}

const describeWithGit = gitAvailable() ? describe : describe.skip;

describeWithGit('kill -9 of the server, disk driver (e2e)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged commit and a data directory git accepts', async () => {
    await crashRounds({
      name: 'disk',
      env: {
        GOVC_STORAGE_DRIVER: 'disk',
        GOVC_STORAGE_PATH: dir,
        // Checkpoints run while the clients write, so kills also land inside them.
        GOVC_STORAGE_DISK_CHECKPOINT_INTERVAL: '200ms',
      },
      gitDir: (repo) => path.join(dir, 'repos', `${repo}.git`),
    });
  }, 180_000);
});

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

describeWithPostgres('kill -9 of the server, postgres driver (e2e)', () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'govc-crash-pg-'));
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged commit', async () => {
    await crashRounds({
      name: 'postgres',
      env: {
        GOVC_STORAGE_DRIVER: 'postgres',
        GOVC_STORAGE_POSTGRES_URL: database.url,
        GOVC_STORAGE_PATH: dir,
      },
    });
  }, 180_000);
});
