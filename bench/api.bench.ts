/**
 * REST API latency (issue #4): add + commit of one small file, and a file read, each through
 * HTTP over one keep-alive connection, sequential, beside a bare node:http server's p50 measured
 * in the same run. Memory storage and auth off, so the figures are the API and engine cost
 * (auth's cost is bench/auth.bench.ts, storage's bench/storage.bench.ts). Goals: read p50 ≤ 300
 * µs, add+commit p50 ≤ 500 µs, p99 ≤ 3 ms.
 */
import { Agent } from 'node:http';
import { type BenchContext, type BenchResult, percentile } from './harness';
import { startTarget, timedRequest } from './http-client';

const WARM_UP = 300;
const SAMPLES = 2000;
const REPO = 'bench-api';

async function sample(count: number, once: (i: number) => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(await once(i));
  return samples.sort((a, b) => a - b);
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const names = [
    'api.floor_p50_us',
    'api.commit_p50_us',
    'api.commit_p99_us',
    'api.read_p50_us',
    'api.read_p99_us',
  ];
  if (!names.some((name) => ctx.selected(name))) return [];
  const [app, floor] = await Promise.all([startTarget('app-open'), startTarget('floor')]);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const repo = `/api/v1/repos/${REPO}`;
    await timedRequest(app.port, agent, {
      method: 'POST',
      path: '/api/v1/repos',
      body: { id: REPO },
      expect: 201,
    });
    // 100 files in one directory: each commit rebuilds one realistic tree, not a toy one.
    for (let i = 0; i < 100; i++) {
      await timedRequest(app.port, agent, {
        method: 'POST',
        path: `${repo}/add`,
        body: { path: `src/file-${i}.txt`, content: `file ${i}\n` },
        expect: 201,
      });
    }
    const commitOnce = async (i: number): Promise<number> => {
      const add = await timedRequest(app.port, agent, {
        method: 'POST',
        path: `${repo}/add`,
        body: { path: `src/file-${i % 100}.txt`, content: `version ${i}\n` },
        expect: 201,
      });
      const commit = await timedRequest(app.port, agent, {
        method: 'POST',
        path: `${repo}/commit`,
        body: { message: `change ${i}`, author: 'Bench', email: 'bench@example.com' },
        expect: 201,
      });
      return add + commit;
    };
    ctx.log(`api: ${WARM_UP} warm-up + ${SAMPLES} add+commit, then reads, then node:http`);
    await sample(WARM_UP, commitOnce);
    const commits = await sample(SAMPLES, (i) => commitOnce(WARM_UP + i));
    const readOnce = (i: number): Promise<number> =>
      timedRequest(app.port, agent, { path: `${repo}/read/src/file-${i % 100}.txt` });
    await sample(WARM_UP, readOnce);
    const reads = await sample(SAMPLES, readOnce);

    const floorAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const floorOnce = (): Promise<number> =>
      timedRequest(floor.port, floorAgent, { path: '/health/live' });
    await sample(WARM_UP, floorOnce);
    const floorSamples = await sample(SAMPLES, floorOnce);
    floorAgent.destroy();

    const floorP50 = percentile(floorSamples, 50);
    return [
      { name: 'api.floor_p50_us', value: floorP50, unit: 'µs', n: SAMPLES },
      {
        name: 'api.commit_p50_us',
        value: percentile(commits, 50),
        unit: 'µs',
        n: SAMPLES,
        ref: 'api.floor_p50_us',
      },
      { name: 'api.commit_p99_us', value: percentile(commits, 99), unit: 'µs', n: SAMPLES },
      {
        name: 'api.read_p50_us',
        value: percentile(reads, 50),
        unit: 'µs',
        n: SAMPLES,
        ref: 'api.floor_p50_us',
      },
      { name: 'api.read_p99_us', value: percentile(reads, 99), unit: 'µs', n: SAMPLES },
    ];
  } finally {
    agent.destroy();
    app.stop();
    floor.stop();
  }
}
