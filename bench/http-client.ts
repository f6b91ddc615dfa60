/**
 * What the HTTP benchmarks share: starting a server of bench/http-target.ts in its own process,
 * and timing one keep-alive request against it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { type Agent, request } from 'node:http';
import * as path from 'node:path';

export type TargetKind = 'app' | 'app-open' | 'floor';

export interface Target {
  readonly port: number;
  stop(): void;
}

export function startTarget(kind: TargetKind): Promise<Target> {
  const child: ChildProcess = fork(path.join(__dirname, 'http-target.ts'), [kind], {
    execArgv: ['-r', path.join(__dirname, '..', 'scripts', 'register-ts.js')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.once('message', (message) => {
      const { port } = message as { port: number };
      resolve({ port, stop: () => child.kill('SIGKILL') });
    });
  });
}

export interface TimedRequest {
  readonly method?: string;
  readonly path: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** The status that counts as success (default 200). */
  readonly expect?: number;
}

/** Sends one request and resolves with its latency in µs (headers sent → body fully read). */
export function timedRequest(port: number, agent: Agent, spec: TimedRequest): Promise<number> {
  const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path: spec.path,
        method: spec.method ?? 'GET',
        agent,
        headers: payload
          ? { 'Content-Type': 'application/json', 'Content-Length': payload.length }
          : {},
      },
      (response) => {
        response.resume();
        response.once('end', () => {
          const micros = Number(process.hrtime.bigint() - started) / 1000;
          if (response.statusCode === (spec.expect ?? 200)) resolve(micros);
          else
            reject(
              new Error(`${spec.method ?? 'GET'} ${spec.path} answered ${response.statusCode}`),
            );
        });
      },
    );
    outgoing.once('error', reject);
    outgoing.end(payload);
  });
}
