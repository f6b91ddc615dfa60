/**
 * A server for bench/http.bench.ts, run in its own process so that the load generator and the
 * server do not share one event loop: `app` is the real application (memory storage, auth on,
 * request logging on, written to /dev/null; `app-open` the same with auth off), `floor` a bare
 * node:http server answering the same JSON. Sends its port to the parent over IPC and runs until
 * killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBenchApp } from './bench-app';

/** Request logging on (level info), auth as `auth` says. */
async function listenApp(auth: 'on' | 'off'): Promise<number> {
  const app = await createBenchApp({
    GOVC_LOGGING_LEVEL: 'info',
    GOVC_AUTH_ENABLED: auth === 'on' ? 'true' : 'false',
  });
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
  ? listenApp('on')
  : kind === 'app-open'
    ? listenApp('off')
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
