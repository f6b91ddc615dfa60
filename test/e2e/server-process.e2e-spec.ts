/**
 * The compiled server as a process: it refuses a bad configuration with exit code 1 and one line
 * before listening, and on SIGTERM it drains and exits 0 well within server.shutdown_timeout.
 * Builds dist/ first, as `npm start` does.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from '../support/free-port';

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'main.js');

/** The parent's environment without anything that configures govc. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('GOVC_') && name !== 'PORT') env[name] = value;
  }
  return { ...env, ...extra };
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(child: ChildProcessWithoutNullStreams): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

async function waitForLive(port: number, child: ChildProcessWithoutNullStreams): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/live`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not answer /health/live within 15 s');
}

describe('server process (e2e)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-process-'));
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch (error) {
      const output = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
      throw new Error(`the build failed (npm run build):\n${output}`, { cause: error });
    }
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 with one line naming the key when a value is bad, before listening', async () => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: dir,
      env: cleanEnv({ GOVC_SERVER_PORT: 'abc', GOVC_STORAGE_DRIVER: 'memory' }),
    });
    const finished = await run(child);
    expect(finished.code).toBe(1);
    expect(finished.stderr).toBe(
      'config error: server.port: must be an integer 1–65535 (got "abc" from GOVC_SERVER_PORT)\n',
    );
    expect(finished.stdout).toBe('');
  });

  it('exits 1 naming an unknown key of the --config file', async () => {
    const file = path.join(dir, 'typo.yaml');
    writeFileSync(file, 'storage:\n  driver: memory\n  pathh: /tmp\n');
    const finished = await run(
      spawn(process.execPath, [MAIN, '--config', file], { cwd: dir, env: cleanEnv({}) }),
    );
    expect(finished.code).toBe(1);
    expect(finished.stderr).toBe(`config error: storage.pathh: unknown key (from ${file})\n`);
  });

  it('starts, answers /health/live, and exits 0 on SIGTERM within 10 s', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      cwd: dir,
      env: cleanEnv({
        GOVC_STORAGE_DRIVER: 'memory',
        GOVC_SERVER_HOST: '127.0.0.1',
        GOVC_SERVER_PORT: String(port),
      }),
    });
    const finished = run(child);
    await waitForLive(port, child);

    const signalled = Date.now();
    child.kill('SIGTERM');
    const result = await finished;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining([expect.stringContaining('listening on'), 'stopped cleanly']),
    );
  }, 30_000);
});
