/**
 * Server-side hook scripts (issue #8, api-contract.md §6.6), in process on memory storage:
 * - `server_hooks.commit_p50_us`: a commit through CommitsService on a repository without hooks
 *   (what every commit pays for the pre-commit lookup);
 * - `server_hooks.commit_pre_commit_p50_ms`: the same commit with a pre-commit hook `exit 0`
 *   on a 100-file tree (temp directory, checkout, process, clean-up);
 * - `server_hooks.spawn_sh_p50_ms`: the reference, a bare `sh -c 'exit 0'` spawned and awaited;
 * - `server_hooks.lookup_ns`: the mean cost of asking whether a repository has a pre-commit hook
 *   (ServerHookService.preCommitCheck answering "none"), paid by every commit.
 */
import { spawn } from 'node:child_process';
import { RepositoryRegistry } from '../src/modules/git-core/repository-registry';
import { ServerHookService } from '../src/modules/hooks/server-hooks/server-hook.service';
import { CommitsService } from '../src/modules/repos/commits.service';
import { type BenchContext, type BenchResult, percentile } from './harness';
import { createBenchApp } from './bench-app';

const PLAIN_COMMITS = 2000;
const HOOKED_COMMITS = 100;
const FILES = 100;
const LOOKUPS = 200_000;

function spawnShell(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'exit 0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const app = await createBenchApp();
  await app.init();
  try {
    const registry = app.get(RepositoryRegistry);
    const commits = app.get(CommitsService);
    for (const id of ['plain', 'hooked']) {
      await registry.create({ id, memoryOnly: true, public: false });
      await registry.write(id, ({ repository }) => {
        for (let i = 0; i < FILES; i++) repository.add(`src/file-${i}.txt`, `file ${i}\n`);
      });
    }
    const serverHooks = app.get(ServerHookService);
    await serverHooks.put('hooked', 'pre-commit', { script: 'exit 0' }, null);

    let version = 0;
    const commitOnce = async (id: string): Promise<number> => {
      version++;
      await registry.write(id, ({ repository }) => {
        repository.add(`src/file-${version % FILES}.txt`, `version ${version}\n`);
      });
      const started = process.hrtime.bigint();
      await commits.commit(id, { message: `change ${version}`, author: 'Bench' });
      return Number(process.hrtime.bigint() - started) / 1000;
    };
    const sample = async (n: number, once: () => Promise<number>): Promise<number[]> => {
      for (let i = 0; i < Math.min(20, n); i++) await once(); // warm-up
      const samples: number[] = [];
      for (let i = 0; i < n; i++) samples.push(await once());
      return samples.sort((a, b) => a - b);
    };

    ctx.log('server_hooks: commits without hooks');
    const plain = await sample(PLAIN_COMMITS, () => commitOnce('plain'));
    ctx.log('server_hooks: commits with a pre-commit hook');
    const hooked = await sample(HOOKED_COMMITS, () => commitOnce('hooked'));
    ctx.log('server_hooks: bare shell spawns');
    const spawned = await sample(HOOKED_COMMITS, async () => {
      const started = process.hrtime.bigint();
      await spawnShell();
      return Number(process.hrtime.bigint() - started) / 1000;
    });
    const propose = (): undefined => undefined;
    for (let i = 0; i < 10_000; i++) serverHooks.preCommitCheck('plain', propose);
    const started = process.hrtime.bigint();
    for (let i = 0; i < LOOKUPS; i++) serverHooks.preCommitCheck('plain', propose);
    const lookupNs = Number(process.hrtime.bigint() - started) / LOOKUPS;
    return [
      { name: 'server_hooks.lookup_ns', value: lookupNs, unit: 'ns', n: LOOKUPS },
      {
        name: 'server_hooks.commit_p50_us',
        value: percentile(plain, 50),
        unit: 'µs',
        n: plain.length,
      },
      {
        name: 'server_hooks.commit_pre_commit_p50_ms',
        value: percentile(hooked, 50) / 1000,
        unit: 'ms',
        n: hooked.length,
        ref: 'server_hooks.spawn_sh_p50_ms',
      },
      {
        name: 'server_hooks.spawn_sh_p50_ms',
        value: percentile(spawned, 50) / 1000,
        unit: 'ms',
        n: spawned.length,
      },
    ];
  } finally {
    await app.close();
  }
}
