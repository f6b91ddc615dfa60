/**
 * A server for bench/http.bench.ts, run in its own process so that the load generator and the
 * server do not share one event loop: `app` is the real application (createApp, memory storage,
 * request logging on, written to /dev/null; `app-open` the same with auth off), `floor` a bare node:http server answering the same
 * JSON. Sends its port to the parent over IPC and runs until killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config-loader';

/** `extraEnv` adds config overrides, e.g. auth off for the API benchmarks. */
async function listenApp(extraEnv: Record<string, string> = {}): Promise<number> {
  const { config } = loadConfig({
    env: {
      GOVC_STORAGE_DRIVER: 'memory',
      GOVC_LOGGING_LEVEL: 'info',
      GOVC_LOGGING_OUTPUT: '/dev/null',
      ...extraEnv,
    },
    argv: [],
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer() as { address(): AddressInfo }).address().port;
}

function listenFloor(): Promise<number> {
  const server = createServer((_request, response) => {
    const body = JSON.stringify({ status: 'alive', timestamp: new Date().toISOString() });
    response.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const kind = process.argv[2];
(kind === 'app'
  ? listenApp()
  : kind === 'app-open'
    ? listenApp({ GOVC_AUTH_ENABLED: 'false' })
    : kind === 'floor'
      ? listenFloor()
      : Promise.reject(new Error(`unknown target ${kind}`))
).then(
  (port) => process.send?.({ port }),
  (error: unknown) => {
    process.stderr.write(`http-target ${kind} failed: ${String(error)}\n`);
    process.exit(1);
  },
);
