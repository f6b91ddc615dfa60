/**
 * Runs one hook script as a child process (api-contract.md §6.6), independent of Nest: the
 * script goes to a private file (0700) and runs directly when it starts with `#!`, else through
 * the configured shell. A tiny `sh -c` wrapper joins stderr to stdout on one pipe, so the output
 * is interleaved exactly as the script wrote it, and is capped (the rest is read and dropped).
 *
 * The child leads its own process group: a timeout sends SIGTERM to the whole group and SIGKILL
 * `killGraceMs` later, so grandchildren (a `sleep` in the script) die with it; once the script
 * has exited, whatever it left running in its group is killed too, so no hook outlives its run.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { performance } from 'node:perf_hooks';

export interface HookProcessOptions {
  /** Path of the script file (already written, mode 0700). */
  readonly scriptPath: string;
  /** True when the script starts with `#!` (run directly), else it runs through `shell`. */
  readonly direct: boolean;
  readonly shell: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  /** Written to the script's stdin, which is then closed. */
  readonly stdin?: string;
  readonly timeoutMs: number;
  /** Between SIGTERM and SIGKILL after a timeout; default 5 s. */
  readonly killGraceMs?: number;
  /** Bytes of output kept; the rest is dropped and `truncated` set. */
  readonly maxOutput: number;
  /** `merge` (default): stderr joins stdout; `ignore`: stdout only (a benchmark's JSON line). */
  readonly stderr?: 'merge' | 'ignore';
}

export interface HookProcessResult {
  /** The exit code; 124 after a timeout; 128 + n when killed by signal n. */
  readonly exitCode: number;
  readonly output: string;
  readonly timedOut: boolean;
  readonly truncated: boolean;
  readonly durationMs: number;
  /** The signal that ended the script, when one did. */
  readonly signal: string | null;
}

/** The script could not be started at all (no shell, unreadable cwd): HOOK_EXECUTION_FAILED. */
export class HookStartError extends Error {}

const DEFAULT_KILL_GRACE_MS = 5000;
/** After the script exits, how long a pipe held open by an escaped grandchild may delay us. */
const PIPE_DRAIN_MS = 1000;
export const TIMEOUT_EXIT_CODE = 124;

export function runHookProcess(options: HookProcessOptions): Promise<HookProcessResult> {
  const command = options.direct ? [options.scriptPath] : [options.shell, options.scriptPath];
  const wrapper = options.stderr === 'ignore' ? 'exec "$@"' : 'exec 2>&1; exec "$@"';
  const started = performance.now();
  return new Promise<HookProcessResult>((resolve, reject) => {
    let child;
    try {
      child = spawn(
        options.shell,
        ['-c', wrapper, 'govc-hook', ...command, ...(options.args ?? [])],
        {
          cwd: options.cwd,
          env: { ...options.env },
          detached: true,
          stdio: ['pipe', 'pipe', 'ignore'],
        },
      );
    } catch (error) {
      reject(new HookStartError(describe(error)));
      return;
    }
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    let timedOut = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(
        () => killGroup('SIGKILL'),
        options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      );
    }, options.timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      const room = options.maxOutput - kept;
      if (chunk.length > room) {
        truncated = true;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        kept = options.maxOutput;
      } else {
        chunks.push(chunk);
        kept += chunk.length;
      }
    });
    child.stdout.on('error', () => undefined);
    child.stdin.on('error', () => undefined); // EPIPE: the script did not read its stdin
    child.stdin.end(options.stdin ?? '');

    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      reject(new HookStartError(describe(error)));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      killGroup('SIGKILL'); // leftovers of the script (background jobs) go with it
      const finish = (): void => {
        if (settled) return;
        settled = true;
        const signalNumber = signal === null ? undefined : constants.signals[signal];
        resolve({
          exitCode: timedOut
            ? TIMEOUT_EXIT_CODE
            : (code ?? (signalNumber === undefined ? 1 : 128 + signalNumber)),
          output: Buffer.concat(chunks).toString('utf8'),
          timedOut,
          truncated,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
          signal,
        });
      };
      if (child.stdout.readableEnded || child.stdout.destroyed) {
        finish();
        return;
      }
      const drain = setTimeout(() => {
        child.stdout.destroy();
        finish();
      }, PIPE_DRAIN_MS);
      child.stdout.once('close', () => {
        clearTimeout(drain);
        finish();
      });
    });
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
