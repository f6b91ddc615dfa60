/**
 * HTTP framework overhead: GET /health/live on the real application (request logging on,
 * written to /dev/null) against a bare node:http server answering the same JSON, measured in the
 * same run. Sequential latency: 500 warm-up then 3000 requests over one keep-alive connection,
 * timed with process.hrtime.bigint(). Throughput: autocannon, 64 keep-alive connections, 10 s.
 * Each server runs in its own process (bench/http-target.ts).
 */
import { Agent } from 'node:http';
import autocannon from 'autocannon';
import { type BenchContext, type BenchResult, percentile } from './harness';
import { startTarget, timedRequest } from './http-client';

const WARM_UP = 500;
const SAMPLES = 3000;
const CONNECTIONS = 64;
const DURATION_S = 10;
const PATH = '/health/live';

async function sequentialLatencies(port: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < WARM_UP; i++) await timedRequest(port, agent, { path: PATH });
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) samples.push(await timedRequest(port, agent, { path: PATH }));
    return samples.sort((a, b) => a - b);
  } finally {
    agent.destroy();
  }
}

async function throughput(port: number): Promise<{ rps: number; total: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${PATH}`,
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `load run had ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  }
  return { rps: result.requests.average, total: result.requests.total };
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const latencyWanted = [
    'http.floor_p50_us',
    'http.floor_p99_us',
    'http.get_small_json_p50_us',
    'http.get_small_json_p99_us',
    'http.overhead_p50_ratio',
  ].some((name) => ctx.selected(name));
  const rpsWanted = ['http.floor_rps_c64', 'http.get_rps_c64', 'http.rps_ratio'].some((name) =>
    ctx.selected(name),
  );
  if (!latencyWanted && !rpsWanted) return [];

  const [app, floor] = await Promise.all([startTarget('app'), startTarget('floor')]);
  const results: BenchResult[] = [];
  try {
    if (latencyWanted) {
      ctx.log(`sequential: ${WARM_UP} warm-up + ${SAMPLES} GET ${PATH}, node:http then app`);
      const floorSamples = await sequentialLatencies(floor.port);
      const appSamples = await sequentialLatencies(app.port);
      const floorP50 = percentile(floorSamples, 50);
      const appP50 = percentile(appSamples, 50);
      results.push(
        { name: 'http.floor_p50_us', value: floorP50, unit: 'µs', n: SAMPLES },
        { name: 'http.floor_p99_us', value: percentile(floorSamples, 99), unit: 'µs', n: SAMPLES },
        {
          name: 'http.get_small_json_p50_us',
          value: appP50,
          unit: 'µs',
          n: SAMPLES,
          ref: 'http.floor_p50_us',
        },
        {
          name: 'http.get_small_json_p99_us',
          value: percentile(appSamples, 99),
          unit: 'µs',
          n: SAMPLES,
          ref: 'http.floor_p99_us',
        },
        {
          name: 'http.overhead_p50_ratio',
          value: appP50 / floorP50,
          unit: 'x',
          n: SAMPLES,
          ref: 'http.floor_p50_us',
        },
      );
    }
    if (rpsWanted) {
      ctx.log(`throughput: ${CONNECTIONS} connections for ${DURATION_S} s, node:http then app`);
      const floorLoad = await throughput(floor.port);
      const appLoad = await throughput(app.port);
      results.push(
        { name: 'http.floor_rps_c64', value: floorLoad.rps, unit: 'req/s', n: floorLoad.total },
        {
          name: 'http.get_rps_c64',
          value: appLoad.rps,
          unit: 'req/s',
          n: appLoad.total,
          ref: 'http.floor_rps_c64',
        },
        {
          name: 'http.rps_ratio',
          value: appLoad.rps / floorLoad.rps,
          unit: 'x',
          n: appLoad.total,
          ref: 'http.floor_rps_c64',
        },
      );
    }
  } finally {
    app.stop();
    floor.stop();
  }
  return results;
}
