/**
 * Webhooks and event streams (issue #8):
 * - `hooks.commit_p50_us` / `hooks.commit_5_webhooks_p50_us`: a commit through CommitsService
 *   (in process, memory storage) without webhooks and with 5 active webhooks on the repository,
 *   delivered to a receiver in another process; blocks of both alternate in one run.
 *   `hooks.webhook_commit_overhead_us` is their difference (goal ≤ 10 µs).
 * - `hooks.events_per_s`: events published on the bus and read by one SSE client over loopback
 *   (the server in its own process); `hooks.sse_raw_events_per_s` is a bare node:http server
 *   writing the same blocks in the same process, the reference.
 * - `hooks.sse_idle_10k_mb`: the server process's RSS growth holding 10,000 idle SSE streams.
 * Run as `node -r scripts/register-ts.js bench/hooks.bench.ts target`, this file is the server.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { RepositoryRegistry } from '../src/modules/git-core/repository-registry';
import { RepositoryEventBus } from '../src/modules/hooks/repository-event-bus';
import { WebhooksService } from '../src/modules/hooks/webhooks/webhooks.service';
import { CommitsService } from '../src/modules/repos/commits.service';
import { type BenchContext, type BenchResult, percentile } from './harness';
import { createBenchApp } from './bench-app';

const COMMIT_BLOCKS = 6;
const COMMITS_PER_BLOCK = 400;
const WARM_UP = 300;
const EVENTS = 20_000;
const IDLE_STREAMS = 10_000;
const OPEN_BATCH = 500;

// ---- the server process ---------------------------------------------------------------------

interface TargetMessage {
  readonly cmd: 'publish' | 'raw' | 'memory';
  readonly n?: number;
}

async function serveTarget(): Promise<void> {
  const app = await createBenchApp({ GOVC_EVENTS_CLIENT_BUFFER: '64MiB' });
  await app.listen(0, '127.0.0.1');
  await app.get(RepositoryRegistry).create({ id: 'bench', memoryOnly: true, public: false });
  const bus = app.get(RepositoryEventBus);

  let raw: ServerResponse | undefined;
  const rawServer = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
    response.flushHeaders();
    raw = response;
  });
  await new Promise<void>((resolve) => rawServer.listen(0, '127.0.0.1', resolve));

  const data = { ref: 'refs/heads/main', before: '0'.repeat(40), after: 'a'.repeat(40), n: 0 };
  /** Writes `n` events in batches, one batch per turn, as a busy repository would. */
  const pace = (n: number, write: (i: number) => void): void => {
    let i = 0;
    const batch = (): void => {
      for (let end = Math.min(n, i + 200); i < end; i++) write(i);
      if (i < n) setImmediate(batch);
    };
    batch();
  };
  process.on('message', (message: TargetMessage) => {
    if (message.cmd === 'publish') {
      pace(message.n ?? 0, (i) =>
        bus.publish({ repository: 'bench', event: 'push', data: { ...data, n: i }, sender: null }),
      );
    } else if (message.cmd === 'raw') {
      pace(message.n ?? 0, (i) => {
        const envelope = {
          id: `1-${i}`,
          event: 'push',
          repository: 'bench',
          timestamp: new Date().toISOString(),
          sender: null,
          data: { ...data, n: i },
        };
        raw?.write(`id: ${envelope.id}\nevent: push\ndata: ${JSON.stringify(envelope)}\n\n`);
      });
    } else {
      global.gc?.();
      process.send?.({ rss: process.memoryUsage().rss });
    }
  });
  process.send?.({
    port: (app.getHttpServer().address() as AddressInfo).port,
    rawPort: (rawServer.address() as AddressInfo).port,
  });
}

// ---- helpers of the bench process -----------------------------------------------------------

function startChild(): Promise<{ child: ChildProcess; port: number; rawPort: number }> {
  const child = fork(__filename, ['target'], {
    execArgv: ['--expose-gc', '-r', path.join(__dirname, '..', 'scripts', 'register-ts.js')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`hooks target exited with ${code}`)));
    child.once('message', (message) =>
      resolve({ child, ...(message as { port: number; rawPort: number }) }),
    );
  });
}

function ask<T>(child: ChildProcess, message: TargetMessage): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (reply) => resolve(reply as T));
    child.send(message);
  });
}

/** A webhook receiver in its own process answering 200; resolves with its URL. */
function startReceiver(): Promise<{ url: string; stop: () => void }> {
  const code = `
    const server = require('node:http').createServer((req, res) => {
      req.resume(); req.on('end', () => res.end('ok'));
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout.once('data', (chunk: Buffer) =>
      resolve({
        url: `http://127.0.0.1:${chunk.toString().trim()}/hook`,
        stop: () => child.kill('SIGKILL'),
      }),
    );
  });
}

/** Opens an SSE stream and resolves once its headers came; `onData` sees every chunk. */
function openStream(
  port: number,
  pathname: string,
  onData?: (chunk: string) => void,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: pathname, agent: false }, (response) => {
      response.setEncoding('utf8');
      if (onData) response.on('data', onData);
      else response.resume();
      resolve(response);
    });
    req.on('error', reject);
  });
}

/** Counts `event: push` blocks across chunk boundaries; resolves when `n` arrived. */
async function eventsPerSecond(
  port: number,
  pathname: string,
  n: number,
  start: () => void,
): Promise<number> {
  let count = 0;
  let carry = '';
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const response = await openStream(port, pathname, (chunk) => {
    const text = carry + chunk;
    count += text.split('event: push\n').length - 1;
    carry = text.slice(-12);
    if (count >= n) done();
  });
  const started = process.hrtime.bigint();
  start();
  await finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  response.destroy();
  return n / seconds;
}

async function commitLatencies(ctx: BenchContext): Promise<BenchResult[]> {
  const app = await createBenchApp({ GOVC_HOOKS_ALLOW_PRIVATE_TARGETS: 'true' });
  await app.init();
  const receiver = await startReceiver();
  try {
    const registry = app.get(RepositoryRegistry);
    const commits = app.get(CommitsService);
    const webhooks = app.get(WebhooksService);
    for (const id of ['plain', 'hooked']) {
      await registry.create({ id, memoryOnly: true, public: false });
      await registry.write(id, ({ repository }) => {
        for (let i = 0; i < 100; i++) repository.add(`src/file-${i}.txt`, `file ${i}\n`);
      });
    }
    for (let i = 0; i < 5; i++) {
      await webhooks.create('hooked', { url: receiver.url, events: ['*'], secret: `secret-${i}` });
    }
    let version = 0;
    const once = async (id: string): Promise<number> => {
      version++;
      await registry.write(id, ({ repository }) => {
        repository.add(`src/file-${version % 100}.txt`, `version ${version}\n`);
      });
      const started = process.hrtime.bigint();
      await commits.commit(id, {
        message: `change ${version}`,
        author: 'Bench',
        email: 'bench@example.com',
      });
      return Number(process.hrtime.bigint() - started) / 1000;
    };
    const idle = async (): Promise<void> => {
      // Let the deliveries of the last block finish before the next block is timed.
      const queue = (webhooks as unknown as { queue: { depth: number } }).queue;
      while (queue.depth > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    for (let i = 0; i < WARM_UP; i++) {
      await once('plain');
      await once('hooked');
    }
    await idle();
    const plain: number[] = [];
    const hooked: number[] = [];
    for (let block = 0; block < COMMIT_BLOCKS; block++) {
      ctx.log(`hooks: commit block ${block + 1}/${COMMIT_BLOCKS}`);
      for (let i = 0; i < COMMITS_PER_BLOCK; i++) plain.push(await once('plain'));
      await idle();
      for (let i = 0; i < COMMITS_PER_BLOCK; i++) hooked.push(await once('hooked'));
      await idle();
    }
    plain.sort((a, b) => a - b);
    hooked.sort((a, b) => a - b);
    const p50 = percentile(plain, 50);
    const hookedP50 = percentile(hooked, 50);
    return [
      { name: 'hooks.commit_p50_us', value: p50, unit: 'µs', n: plain.length },
      {
        name: 'hooks.commit_5_webhooks_p50_us',
        value: hookedP50,
        unit: 'µs',
        n: hooked.length,
        ref: 'hooks.commit_p50_us',
      },
      {
        name: 'hooks.webhook_commit_overhead_us',
        value: hookedP50 - p50,
        unit: 'µs',
        n: hooked.length,
        ref: 'hooks.commit_p50_us',
      },
    ];
  } finally {
    receiver.stop();
    await app.close();
  }
}

/** The server's RSS growth (MiB) while it holds 10,000 idle streams of `pathname`. */
async function idleStreams(
  ctx: BenchContext,
  child: ChildProcess,
  port: number,
  pathname: string,
): Promise<number | undefined> {
  const before = (await ask<{ rss: number }>(child, { cmd: 'memory' })).rss;
  const open: IncomingMessage[] = [];
  const deadline = Date.now() + 60_000;
  while (open.length < IDLE_STREAMS && Date.now() < deadline) {
    const batch = Math.min(OPEN_BATCH, IDLE_STREAMS - open.length);
    open.push(
      ...(await Promise.all(Array.from({ length: batch }, () => openStream(port, pathname)))),
    );
  }
  const good = open.filter((response) => response.statusCode === 200).length;
  const after = (await ask<{ rss: number }>(child, { cmd: 'memory' })).rss;
  for (const response of open) response.destroy();
  // Let the server see the closes before the next measurement.
  await new Promise((resolve) => setTimeout(resolve, 500));
  ctx.log(
    `hooks: ${good} idle streams on ${pathname}, RSS +${((after - before) / 2 ** 20).toFixed(1)} MiB`,
  );
  return good === IDLE_STREAMS ? (after - before) / 2 ** 20 : undefined;
}

async function streams(ctx: BenchContext): Promise<BenchResult[]> {
  const { child, port, rawPort } = await startChild();
  const results: BenchResult[] = [];
  try {
    if (ctx.selected('hooks.events_per_s') || ctx.selected('hooks.sse_raw_events_per_s')) {
      ctx.log('hooks: events to one SSE client');
      const rawRound = (n: number) =>
        eventsPerSecond(rawPort, '/', n, () => child.send({ cmd: 'raw', n }));
      const sseRound = (n: number) =>
        eventsPerSecond(port, '/api/v1/repos/bench/events', n, () =>
          child.send({ cmd: 'publish', n }),
        );
      // A warm-up round each, then two measured rounds each; the better one counts.
      await rawRound(EVENTS / 4);
      await sseRound(EVENTS / 4);
      const raw = Math.max(await rawRound(EVENTS), await rawRound(EVENTS));
      const sse = Math.max(await sseRound(EVENTS), await sseRound(EVENTS));
      results.push(
        { name: 'hooks.sse_raw_events_per_s', value: raw, unit: 'events/s', n: EVENTS },
        {
          name: 'hooks.events_per_s',
          value: sse,
          unit: 'events/s',
          n: EVENTS,
          ref: 'hooks.sse_raw_events_per_s',
        },
      );
    }
    if (ctx.selected('hooks.sse_idle_10k_mb') || ctx.selected('hooks.sse_raw_idle_10k_mb')) {
      const raw = await idleStreams(ctx, child, rawPort, '/');
      const sse = await idleStreams(ctx, child, port, '/api/v1/repos/bench/events');
      if (raw !== undefined) {
        results.push({
          name: 'hooks.sse_raw_idle_10k_mb',
          value: raw,
          unit: 'MiB',
          n: IDLE_STREAMS,
        });
      }
      if (sse !== undefined) {
        results.push({
          name: 'hooks.sse_idle_10k_mb',
          value: sse,
          unit: 'MiB',
          n: IDLE_STREAMS,
          ref: 'hooks.sse_raw_idle_10k_mb',
        });
      }
    }
  } finally {
    child.kill('SIGKILL');
  }
  return results;
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  if (
    [
      'hooks.commit_p50_us',
      'hooks.commit_5_webhooks_p50_us',
      'hooks.webhook_commit_overhead_us',
    ].some((name) => ctx.selected(name))
  ) {
    results.push(...(await commitLatencies(ctx)));
  }
  const streamResults = [
    'hooks.events_per_s',
    'hooks.sse_raw_events_per_s',
    'hooks.sse_idle_10k_mb',
    'hooks.sse_raw_idle_10k_mb',
  ];
  if (streamResults.some((name) => ctx.selected(name))) {
    results.push(...(await streams(ctx)));
  }
  return results;
}

if (require.main === module && process.argv[2] === 'target') {
  serveTarget().catch((error: unknown) => {
    process.stderr.write(`hooks target failed: ${String(error)}\n`);
    process.exit(1);
  });
}
