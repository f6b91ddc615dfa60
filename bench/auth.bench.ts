/**
 * The cost of authentication (issue #6): verifying a valid API key (HMAC-SHA256 + map lookup +
 * owner check) and a valid JWT (HS256 + claims + session + owner check) in process, and the
 * p50 of an authenticated GET /api/v1/repos/:id (X-API-Key) beside the same GET on the same app
 * with auth off, in the same run. Each server runs in its own process, forked from this file
 * with `serve <on|off> <dir>`, so the client never shares their event loop.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { MemoryMetadataStore } from '../src/core';
import { AuthConfig } from '../src/config/config.schema';
import { AuthenticationService } from '../src/modules/auth/authentication.service';
import { generateApiKey } from '../src/modules/auth/credential-codecs';
import { IdentityStore } from '../src/modules/auth/identity-store';
import { type BenchContext, type BenchResult, percentile } from './harness';
import { createBenchApp } from './bench-app';

const CHECKS = 200_000;
const WARM_UP = 500;
const SAMPLES = 3000;
const REPO = 'bench';

async function inProcess(): Promise<{ apiKeyNs: number; jwtNs: number }> {
  const identities = new IdentityStore();
  identities.load(new MemoryMetadataStore());
  const authentication = new AuthenticationService(new AuthConfig(), identities);
  authentication.useSecrets(Buffer.from('b'.repeat(64)), Buffer.from('p'.repeat(64)));
  const now = new Date().toISOString();
  const user = {
    id: 'user_0123456789abcdef',
    username: 'bench',
    email: 'bench@example.com',
    roles: ['developer'],
    repoPermissions: {},
    active: true,
    createdAt: now,
    updatedAt: now,
  };
  await identities.saveUser(user);
  const key = generateApiKey();
  await identities.saveKey({
    id: 'f'.repeat(32),
    name: 'bench',
    userId: user.id,
    prefix: key.slice(0, 12),
    digest: authentication.digestOf(key),
    permissions: ['repo:read'],
    repoPermissions: {},
    active: true,
    createdAt: now,
  });
  const { token } = await authentication.issueToken(user);
  const time = (secret: string): number => {
    for (let i = 0; i < CHECKS / 10; i++) authentication.authenticate(secret);
    const started = process.hrtime.bigint();
    for (let i = 0; i < CHECKS; i++) {
      if (authentication.authenticate(secret).principal === null) throw new Error('rejected');
    }
    return Number(process.hrtime.bigint() - started) / CHECKS;
  };
  const result = { apiKeyNs: time(key), jwtNs: time(token) };
  await identities.onApplicationShutdown();
  return result;
}

interface Server {
  readonly port: number;
  readonly key?: string;
  stop(): void;
}

function startServer(auth: 'on' | 'off', dir: string): Promise<Server> {
  const child: ChildProcess = fork(__filename, ['serve', auth, dir], {
    execArgv: ['-r', path.join(__dirname, '..', 'scripts', 'register-ts.js')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`auth ${auth} server exited with ${code}`)));
    child.once('message', (message) => {
      const { port, key } = message as { port: number; key?: string };
      resolve({ port, key, stop: () => child.kill('SIGKILL') });
    });
  });
}

function timedGet(port: number, agent: Agent, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const outgoing = request(
      { host: '127.0.0.1', port, path: `/api/v1/repos/${REPO}`, agent, headers },
      (response) => {
        response.resume();
        response.once('end', () => {
          if (response.statusCode !== 200) reject(new Error(`GET answered ${response.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - started) / 1000);
        });
      },
    );
    outgoing.once('error', reject);
    outgoing.end();
  });
}

async function latencies(server: Server): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const headers: Record<string, string> = server.key ? { 'X-API-Key': server.key } : {};
  try {
    for (let i = 0; i < WARM_UP; i++) await timedGet(server.port, agent, headers);
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) samples.push(await timedGet(server.port, agent, headers));
    return samples.sort((a, b) => a - b);
  } finally {
    agent.destroy();
  }
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  if (ctx.selected('auth.apikey_check_ns') || ctx.selected('auth.jwt_verify_ns')) {
    ctx.log(`auth: ${CHECKS} in-process checks of an API key, then of a JWT`);
    const { apiKeyNs, jwtNs } = await inProcess();
    results.push(
      { name: 'auth.apikey_check_ns', value: apiKeyNs, unit: 'ns', n: CHECKS },
      { name: 'auth.jwt_verify_ns', value: jwtNs, unit: 'ns', n: CHECKS },
    );
  }
  const httpNames = [
    'auth.get_open_p50_us',
    'auth.get_authenticated_p50_us',
    'auth.overhead_p50_us',
  ];
  if (!httpNames.some((name) => ctx.selected(name))) return results;

  ctx.log(`auth: ${WARM_UP} warm-up + ${SAMPLES} GET /api/v1/repos/${REPO}, auth off then on`);
  const [open, closed] = await Promise.all([
    startServer('off', await ctx.tmpDir()),
    startServer('on', await ctx.tmpDir()),
  ]);
  try {
    const openP50 = percentile(await latencies(open), 50);
    const closedP50 = percentile(await latencies(closed), 50);
    results.push(
      { name: 'auth.get_open_p50_us', value: openP50, unit: 'µs', n: SAMPLES },
      {
        name: 'auth.get_authenticated_p50_us',
        value: closedP50,
        unit: 'µs',
        n: SAMPLES,
        ref: 'auth.get_open_p50_us',
      },
      {
        name: 'auth.overhead_p50_us',
        value: closedP50 - openP50,
        unit: 'µs',
        n: SAMPLES,
        ref: 'auth.get_open_p50_us',
      },
    );
  } finally {
    open.stop();
    closed.stop();
  }
  return results;
}

/** Child process: the real app (memory storage, logs to /dev/null) with one repository. */
async function serve(auth: string, dir: string): Promise<void> {
  const app = await createBenchApp({
    GOVC_STORAGE_PATH: dir,
    GOVC_LOGGING_LEVEL: 'info',
    GOVC_AUTH_ENABLED: auth === 'on' ? 'true' : 'false',
  });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer() as { address(): AddressInfo }).address().port;
  const key =
    auth === 'on'
      ? (
          JSON.parse(readFileSync(path.join(dir, 'initial-admin.json'), 'utf8')) as {
            api_key: string;
          }
        ).api_key
      : undefined;
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/repos`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { 'X-API-Key': key } : {}) },
    body: JSON.stringify({ id: REPO }),
  });
  if (response.status !== 201)
    throw new Error(`creating the repository answered ${response.status}`);
  process.send?.({ port, key });
}

if (require.main === module && process.argv[2] === 'serve') {
  serve(process.argv[3] ?? 'on', process.argv[4] ?? '.').catch((error: unknown) => {
    process.stderr.write(`auth bench server failed: ${String(error)}\n`);
    process.exit(1);
  });
}
