/** The hook process runner (hook-process.ts): output, stdin, caps, timeouts, process groups. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  HookStartError,
  runHookProcess,
  type HookProcessOptions,
} from '../../../../src/modules/hooks/server-hooks/hook-process';

/**
 * Whether `pid` is a live process, waiting up to ~1 s for a killed one to die. A zombie counts
 * as dead: in a container, PID 1 may never reap the orphans it inherits.
 */
async function running(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    let state: string | undefined;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    } catch {
      return false;
    }
    if (state === 'Z' || state === 'X') return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('runHookProcess', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'govc-hook-process-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(script: string, options: Partial<HookProcessOptions> = {}) {
    const scriptPath = path.join(dir, 'hook');
    writeFileSync(scriptPath, script);
    chmodSync(scriptPath, 0o700);
    return runHookProcess({
      scriptPath,
      direct: script.startsWith('#!'),
      shell: '/bin/sh',
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', ONLY: 'this' },
      timeoutMs: 10_000,
      maxOutput: 1 << 20,
      ...options,
    });
  }

  it('interleaves stdout and stderr in the order they were written', async () => {
    const result = await run('echo 1; echo 2 >&2; echo 3; echo 4 >&2');
    expect(result).toMatchObject({ exitCode: 0, output: '1\n2\n3\n4\n', timedOut: false });
  });

  it('runs a #! script directly, with its arguments, stdin and only the given environment', async () => {
    const result = await run(
      '#!/bin/sh\necho "args: $*"\necho "in: $(cat)"\nenv | sort\nexit 7\n',
      {
        args: ['refs/heads/main', 'a', 'b'],
        stdin: 'line\n',
      },
    );
    expect(result.exitCode).toBe(7);
    expect(result.output).toContain('args: refs/heads/main a b\n');
    expect(result.output).toContain('in: line\n');
    expect(result.output).toContain('ONLY=this\n');
    expect(result.output).not.toContain('JEST_WORKER_ID');
  });

  it('keeps stdout only when stderr is ignored', async () => {
    const result = await run('echo out; echo err >&2', { stderr: 'ignore' });
    expect(result.output).toBe('out\n');
  });

  it('caps the output and marks it truncated, reading the rest so the script finishes', async () => {
    const result = await run('head -c 100000 /dev/zero | tr "\\0" x; echo; echo end', {
      maxOutput: 100,
    });
    expect(result).toMatchObject({ exitCode: 0, truncated: true });
    expect(result.output).toBe('x'.repeat(100));
  });

  it('does not fail when the script ignores a large stdin', async () => {
    const result = await run('exit 0', { stdin: 'y'.repeat(1 << 20) });
    expect(result.exitCode).toBe(0);
  });

  it('kills the whole process group on timeout: exit 124', async () => {
    const pidFile = path.join(dir, 'pid');
    const result = await run(`sleep 30 & echo $! > '${pidFile}'; echo waiting; wait`, {
      timeoutMs: 200,
    });
    expect(result).toMatchObject({ exitCode: 124, timedOut: true, output: 'waiting\n' });
    expect(await running(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('escalates to SIGKILL when the script ignores SIGTERM', async () => {
    const result = await run("trap '' TERM; echo armed; while true; do sleep 0.05; done", {
      timeoutMs: 200,
      killGraceMs: 100,
    });
    expect(result).toMatchObject({ exitCode: 124, timedOut: true });
  });

  it('kills what the script left running in the background once it exits', async () => {
    const pidFile = path.join(dir, 'pid');
    const result = await run(`sleep 30 & echo $! > '${pidFile}'; echo done`);
    expect(result).toMatchObject({ exitCode: 0, output: 'done\n' });
    expect(await running(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('reports a missing shell as a start failure', async () => {
    await expect(run('true', { shell: path.join(dir, 'no-such-shell') })).rejects.toBeInstanceOf(
      HookStartError,
    );
  });
});
