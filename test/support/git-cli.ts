/**
 * Running the real `git` (our reference implementation) from tests, isolated from the
 * machine's and the user's configuration so results do not depend on who runs them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitRunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string>;
}

const isolatedHome = mkdtempSync(join(tmpdir(), 'govc-git-home-'));

/** The environment every git call gets: no global or system config, fixed identity and locale. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: isolatedHome,
    LANG: 'C',
    LC_ALL: 'C',
    TZ: 'UTC',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

/** Runs git and returns stdout as a Buffer; throws with stderr on a non-zero exit. */
export function gitBuffer(args: readonly string[], options: GitRunOptions = {}): Buffer {
  return execFileSync('git', args, {
    cwd: options.cwd,
    input: options.input,
    env: gitEnv(options.env),
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs git and returns stdout as UTF-8 text. */
export function git(args: readonly string[], options: GitRunOptions = {}): string {
  return gitBuffer(args, options).toString('utf8');
}

/** Runs git without throwing: exit status, stdout and stderr. */
export function gitResult(
  args: readonly string[],
  options: GitRunOptions = {},
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('git', args, {
    cwd: options.cwd,
    input: options.input,
    env: gitEnv(options.env),
    maxBuffer: 512 * 1024 * 1024,
  });
  return {
    status: result.status ?? -1,
    stdout: result.stdout.toString('utf8'),
    stderr: result.stderr.toString('utf8'),
  };
}

export function gitAvailable(): boolean {
  return spawnSync('git', ['--version']).status === 0;
}

/** A temporary directory removed by the returned `cleanup`. */
export function tempDir(prefix = 'govc-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A fresh bare repository in a temporary directory. */
export function tempBareRepo(): { path: string; cleanup: () => void } {
  const dir = tempDir('govc-bare-');
  git(['init', '--bare', '-q', '-b', 'main', dir.path]);
  return dir;
}
