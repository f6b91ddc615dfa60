/**
 * The git CLI as the reference beside which engine figures are read: runs git with no user or
 * system configuration and a fixed identity, and times whole invocations.
 */
import { spawnSync } from 'node:child_process';

/** git without the user's or the system's configuration, with a fixed identity. */
export const GIT_REFERENCE_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: '/nonexistent',
  LANG: 'C',
  LC_ALL: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

/** Runs git; throws with its stderr on failure. Returns stdout. */
export function runGit(args: readonly string[], cwd: string, input?: string | Buffer): Buffer {
  const result = spawnSync('git', args, {
    cwd,
    env: GIT_REFERENCE_ENV,
    input,
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')} failed: ${result.stderr?.toString() ?? result.error}`);
  }
  return result.stdout;
}

/** Milliseconds one git invocation takes. */
export function timeGit(args: readonly string[], cwd: string, input?: string | Buffer): number {
  const start = process.hrtime.bigint();
  runGit(args, cwd, input);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A `git fast-import` stream: one commit per element, each setting the files given. */
export function fastImportStream(
  commits: ReadonlyArray<{ files: ReadonlyArray<readonly [string, string]>; time: number }>,
  branch = 'refs/heads/main',
): string {
  const parts: string[] = [];
  commits.forEach((commit, index) => {
    parts.push(`commit ${branch}\nmark :${index + 1}\n`);
    parts.push(`author Bench <bench@example.com> ${commit.time} +0000\n`);
    parts.push(`committer Bench <bench@example.com> ${commit.time} +0000\n`);
    const message = `commit ${index}\n`;
    parts.push(`data ${Buffer.byteLength(message)}\n${message}`);
    if (index > 0) parts.push(`from :${index}\n`);
    for (const [path, content] of commit.files) {
      parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
    }
    parts.push('\n');
  });
  return parts.join('');
}

export function gitAvailable(): boolean {
  return spawnSync('git', ['--version']).status === 0;
}
