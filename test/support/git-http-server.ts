/**
 * For smart-HTTP interop tests: the real application listening on 127.0.0.1 and an async `git`
 * runner (the server shares the test's event loop, so git must never be run synchronously).
 */
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { gitEnv } from './git-cli';
import { startTestApp } from './test-app';

export interface GitHttpServer {
  readonly app: NestExpressApplication;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** supertest against the running server. */
  readonly http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function startGitHttpServer(env: Record<string, string> = {}): Promise<GitHttpServer> {
  const app = await startTestApp(env);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    http: () => request(app.getHttpServer()),
    close: () => app.close(),
  };
}

export interface GitOutput {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git without blocking the event loop; never throws on a non-zero exit. */
export function gitAsync(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: Buffer | string } = {},
): Promise<GitOutput> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: gitEnv(options.env),
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ status: code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Like gitAsync, but rejects with stderr on failure and returns stdout. */
export async function gitOk(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: Buffer | string } = {},
): Promise<string> {
  const result = await gitAsync(args, options);
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
}
