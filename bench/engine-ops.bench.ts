/**
 * Engine II benchmarks: three-way merge, parallel realities, open transactions and time travel,
 * each beside the git CLI doing the same work in the same run where git has an equivalent.
 */
import { mergeCommits } from '../src/core/merge/commit-merge';
import { Repository } from '../src/core/repo/repository';
import { RealityManager } from '../src/core/repo/realities';
import { snapshotAt } from '../src/core/repo/time-travel-snapshot';
import { TransactionManager } from '../src/core/repo/transactions';
import { AUTHOR, elapsedUs, median, retainedBytes, tickingClock } from './engine-measure';
import type { BenchContext, BenchResult } from './harness';
import { fastImportStream, gitAvailable, runGit, timeGit } from './git-reference';

const MERGE_FILES = 2000;
const mergePath = (i: number): string => `dir${i % 20}/file${Math.floor(i / 20)}.txt`;
const mergeBase = (i: number): string =>
  Array.from({ length: 40 }, (_, line) => `file ${i} line ${line}`).join('\n') + '\n';
/** Side `side` edits line 5 (ours) or line 30 (theirs) of its files: 50 files overlap, cleanly. */
function mergeEdit(i: number, side: 'ours' | 'theirs'): string {
  const lines = mergeBase(i).split('\n');
  lines[side === 'ours' ? 5 : 30] = `${side} edited file ${i}`;
  return lines.join('\n');
}
const oursFiles = Array.from({ length: 100 }, (_, k) => k);
const theirsFiles = Array.from({ length: 100 }, (_, k) => k + 50);

function benchMerge(results: BenchResult[]): void {
  const repo = new Repository({ clock: tickingClock() });
  for (let i = 0; i < MERGE_FILES; i++) repo.add(mergePath(i), mergeBase(i));
  repo.commit({ message: 'base', author: AUTHOR });
  repo.createBranch('theirs');
  for (const i of oursFiles) repo.add(mergePath(i), mergeEdit(i, 'ours'));
  const ours = repo.commit({ message: 'ours', author: AUTHOR }).oid;
  repo.checkout('theirs');
  for (const i of theirsFiles) repo.add(mergePath(i), mergeEdit(i, 'theirs'));
  const theirs = repo.commit({ message: 'theirs', author: AUTHOR }).oid;
  const samples: number[] = [];
  for (let round = 0; round < 15; round++) {
    const start = process.hrtime.bigint();
    const result = mergeCommits(repo.odb, repo.graph, ours, theirs);
    samples.push(elapsedUs(start) / 1000);
    if (!result.clean) throw new Error('benchmark merge should be clean');
  }
  results.push({
    name: 'engine.merge100_ms',
    value: median(samples),
    unit: 'ms',
    n: samples.length,
    ref: 'engine.ref_git_merge_tree_ms',
  });
}

async function refMerge(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const dir = await ctx.tmpDir();
  runGit(['init', '-q', '--bare', dir], dir);
  const base = {
    files: Array.from({ length: MERGE_FILES }, (_, i) => [mergePath(i), mergeBase(i)] as const),
    time: 1_700_000_000,
  };
  runGit(
    ['fast-import', '--quiet'],
    dir,
    fastImportStream(
      [
        base,
        {
          files: oursFiles.map((i) => [mergePath(i), mergeEdit(i, 'ours')] as const),
          time: 1_700_000_001,
        },
      ],
      'refs/heads/ours',
    ),
  );
  const theirsStream = fastImportStream(
    [
      base,
      {
        files: theirsFiles.map((i) => [mergePath(i), mergeEdit(i, 'theirs')] as const),
        time: 1_700_000_002,
      },
    ],
    'refs/heads/theirs',
  );
  runGit(['fast-import', '--quiet'], dir, theirsStream);
  const samples: number[] = [];
  for (let round = 0; round < 5; round++)
    samples.push(timeGit(['merge-tree', '--write-tree', 'ours', 'theirs'], dir));
  results.push({
    name: 'engine.ref_git_merge_tree_ms',
    value: median(samples),
    unit: 'ms',
    n: samples.length,
  });
}

function benchRealities(results: BenchResult[]): void {
  const samples: number[] = [];
  for (let round = 0; round < 50; round++) {
    const repo = new Repository({ clock: tickingClock() });
    for (let i = 0; i < 100; i++) repo.add(`f${i}.txt`, `${i}\n`);
    repo.commit({ message: 'base', author: AUTHOR });
    const realities = new RealityManager(repo);
    const names = Array.from({ length: 100 }, (_, i) => `variant-${i}`);
    const start = process.hrtime.bigint();
    realities.createMany(names);
    samples.push(elapsedUs(start));
  }
  results.push({
    name: 'engine.realities100_us',
    value: median(samples),
    unit: 'us',
    n: samples.length,
    ref: 'engine.ref_git_worktree_add_x100_ms',
  });
}

async function refRealities(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const dir = await ctx.tmpDir();
  runGit(['init', '-q', '-b', 'main', dir], dir);
  runGit(
    ['fast-import', '--quiet'],
    dir,
    fastImportStream([
      {
        files: Array.from({ length: 100 }, (_, i) => [`f${i}.txt`, `${i}\n`] as const),
        time: 1_700_000_000,
      },
    ]),
  );
  runGit(['checkout', '-q', 'main'], dir);
  const worktrees = 20;
  const start = process.hrtime.bigint();
  for (let i = 0; i < worktrees; i++)
    runGit(['worktree', 'add', '-q', '-b', `parallel/variant-${i}`, `${dir}-wt${i}`], dir);
  const perWorktreeMs = elapsedUs(start) / 1000 / worktrees;
  // 20 worktrees measured, scaled to 100 so the figure reads beside engine.realities100_us.
  results.push({
    name: 'engine.ref_git_worktree_add_x100_ms',
    value: perWorktreeMs * 100,
    unit: 'ms',
    n: worktrees,
  });
}

function benchTransactions(results: BenchResult[]): void {
  const repo = new Repository({ clock: tickingClock() });
  for (let i = 0; i < 1000; i++) repo.add(`dir${i % 10}/f${i}.txt`, `${i}\n`);
  repo.commit({ message: 'base', author: AUTHOR });
  const manager = new TransactionManager(repo, { maxOpen: 20_000 });
  const before = retainedBytes();
  const start = process.hrtime.bigint();
  for (let i = 0; i < 10_000; i++) {
    const id = manager.begin();
    manager.add(id, `dir${i % 10}/f${i % 1000}.txt`, `changed in transaction ${i}\n`);
  }
  const ms = elapsedUs(start) / 1000;
  const mb = (retainedBytes() - before) / (1024 * 1024);
  if (manager.active !== 10_000)
    throw new Error(`expected 10,000 open transactions, got ${manager.active}`);
  results.push({ name: 'engine.tx10k_ms', value: ms, unit: 'ms', n: 10_000 });
  results.push({ name: 'engine.tx10k_mb', value: mb, unit: 'MiB', n: 10_000 });
}

function benchTimeTravel(results: BenchResult[]): void {
  const repo = new Repository({ clock: tickingClock() });
  for (let i = 0; i < 10_000; i++) {
    repo.add(`f${i % 100}.txt`, `${i}\n`);
    repo.commit({ message: `c${i}`, author: AUTHOR });
  }
  snapshotAt(repo, 1_700_000_000 + 5_000); // builds the index once, as a served repository has
  const lookups = 20_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < lookups; i++) snapshotAt(repo, 1_700_000_000 + ((i * 7919) % 20_000));
  results.push({
    name: 'engine.timetravel_us',
    value: elapsedUs(start) / lookups,
    unit: 'us',
    n: lookups,
  });
}

/** main gets one commit on `base.txt`; feature has 100 commits, one file each, since the fork. */
function rebaseFixture(): Repository {
  const repo = new Repository({ clock: tickingClock() });
  for (let i = 0; i < 100; i++) repo.add(`src/f${i}.txt`, `${i}\n`);
  repo.add('base.txt', 'base\n');
  repo.commit({ message: 'base', author: AUTHOR });
  repo.createBranch('feature');
  repo.add('base.txt', 'moved on main\n');
  repo.commit({ message: 'main moves', author: AUTHOR });
  repo.checkout('feature');
  for (let i = 0; i < 100; i++) {
    repo.add(`src/f${i}.txt`, `${i} changed on feature\n`);
    repo.commit({ message: `feature ${i}`, author: AUTHOR });
  }
  return repo;
}

function benchRebase(results: BenchResult[]): void {
  const samples: number[] = [];
  for (let round = 0; round < 9; round++) {
    const repo = rebaseFixture();
    const start = process.hrtime.bigint();
    const result = repo.rebase('main', { identity: AUTHOR });
    samples.push(elapsedUs(start) / 1000);
    if (result.rebasedCount !== 100) throw new Error(`rebased ${result.rebasedCount} commits`);
  }
  results.push({
    name: 'engine.rebase100_ms',
    value: median(samples),
    unit: 'ms',
    n: samples.length,
    ref: 'engine.ref_git_rebase100_ms',
  });
}

async function refRebase(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const samples: number[] = [];
  for (let round = 0; round < 3; round++) {
    const dir = await ctx.tmpDir();
    runGit(['init', '-q', '-b', 'main', dir], dir);
    const files = Array.from({ length: 100 }, (_, i) => [`src/f${i}.txt`, `${i}\n`] as const);
    const base = { files: [...files, ['base.txt', 'base\n'] as const], time: 1_700_000_000 };
    runGit(
      ['fast-import', '--quiet'],
      dir,
      fastImportStream([base, { files: [['base.txt', 'moved on main\n']], time: 1_700_000_001 }]),
    );
    const feature = Array.from({ length: 100 }, (_, i) => ({
      files: [[`src/f${i}.txt`, `${i} changed on feature\n`] as const],
      time: 1_700_000_010 + i,
    }));
    runGit(
      ['fast-import', '--quiet'],
      dir,
      fastImportStream([base, ...feature], 'refs/heads/feature'),
    );
    runGit(['checkout', '-q', 'feature'], dir);
    samples.push(timeGit(['rebase', '-q', 'main'], dir));
  }
  results.push({
    name: 'engine.ref_git_rebase100_ms',
    value: median(samples),
    unit: 'ms',
    n: samples.length,
  });
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const withGit = gitAvailable();
  if (ctx.selected('engine.merge100_ms')) {
    ctx.log('engine: merge of two branches with 100 changed files each');
    benchMerge(results);
    if (withGit) await refMerge(ctx, results);
  }
  if (ctx.selected('engine.realities100_us')) {
    ctx.log('engine: 100 parallel realities');
    benchRealities(results);
    if (withGit) await refRealities(ctx, results);
  }
  if (ctx.selected('engine.rebase100_ms')) {
    ctx.log('engine: rebase of 100 commits');
    benchRebase(results);
    if (withGit) await refRebase(ctx, results);
  }
  if (ctx.selected('engine.tx10k_ms')) {
    ctx.log('engine: 10,000 open transactions');
    benchTransactions(results);
  }
  if (ctx.selected('engine.timetravel_us')) {
    ctx.log('engine: time travel in 10,000 commits');
    benchTimeTravel(results);
  }
  return results;
}
