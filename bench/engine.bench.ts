/**
 * Engine benchmarks (issue "Git engine I"): commit, branch, bulk commit, log and memory, each
 * beside the git CLI doing the same work in the same run, so the ratio is what counts.
 *
 * The repository shape is fixed: 1,000 files in 10 directories of 100 files (small text).
 */
import { join } from 'node:path';
import { writeFileSync, mkdirSync } from 'node:fs';
import { Repository } from '../src/core/repo/repository';
import { AUTHOR, elapsedUs, median, retainedBytes, tickingClock } from './engine-measure';
import type { BenchContext, BenchResult } from './harness';
import { percentile } from './harness';
import { fastImportStream, gitAvailable, runGit, timeGit } from './git-reference';

const DIRS = 10;
const FILES_PER_DIR = 100;

function filePath(index: number): string {
  return `dir${index % DIRS}/file${Math.floor(index / DIRS)}.txt`;
}

function fileContent(index: number, version = 0): string {
  return `file ${index} version ${version}\nline two\nline three\n`;
}

function repositoryWithFiles(fileCount = DIRS * FILES_PER_DIR): Repository {
  const repo = new Repository({ clock: tickingClock() });
  for (let i = 0; i < fileCount; i++) repo.add(filePath(i), fileContent(i));
  repo.commit({ message: 'initial', author: AUTHOR });
  return repo;
}

function benchSingleFileCommit(results: BenchResult[]): void {
  const repo = repositoryWithFiles();
  const samples: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const start = process.hrtime.bigint();
    repo.add(filePath(i % 1000), fileContent(i % 1000, i + 1));
    repo.commit({ message: `change ${i}`, author: AUTHOR });
    if (i >= 500) samples.push(elapsedUs(start));
  }
  samples.sort((a, b) => a - b);
  results.push({
    name: 'engine.commit_us',
    value: percentile(samples, 50),
    unit: 'us',
    n: samples.length,
    ref: 'engine.ref_git_fastimport_commit_us',
  });
  results.push({
    name: 'engine.commit_p99_us',
    value: percentile(samples, 99),
    unit: 'us',
    n: samples.length,
  });
}

async function refSingleFileCommit(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const initial = {
    files: Array.from({ length: 1000 }, (_, i) => [filePath(i), fileContent(i)] as const),
    time: 1_700_000_000,
  };
  const changes = Array.from({ length: 1000 }, (_, i) => ({
    files: [[filePath(i), fileContent(i, i + 1)] as const],
    time: 1_700_000_001 + i,
  }));
  const base = fastImportStream([initial]);
  const full = fastImportStream([initial, ...changes]);
  const perCommit: number[] = [];
  for (let round = 0; round < 3; round++) {
    const dirA = await ctx.tmpDir();
    const dirB = await ctx.tmpDir();
    runGit(['init', '-q', '--bare', dirA], dirA);
    runGit(['init', '-q', '--bare', dirB], dirB);
    const baseMs = timeGit(['fast-import', '--quiet'], dirA, base);
    const fullMs = timeGit(['fast-import', '--quiet'], dirB, full);
    perCommit.push(((fullMs - baseMs) * 1000) / changes.length);
  }
  results.push({
    name: 'engine.ref_git_fastimport_commit_us',
    value: median(perCommit),
    unit: 'us',
    n: 3 * changes.length,
  });
}

function benchBranches(results: BenchResult[]): void {
  const totals: number[] = [];
  for (let round = 0; round < 10; round++) {
    const repo = repositoryWithFiles(10);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) repo.createBranch(`feature/b${i}`);
    totals.push(elapsedUs(start));
  }
  const total = median(totals);
  results.push({
    name: 'engine.branch_us',
    value: total / 1000,
    unit: 'us',
    n: 10_000,
    ref: 'engine.ref_git_update_ref_us',
  });
  results.push({ name: 'engine.branch1000_ms', value: total / 1000, unit: 'ms', n: 10 });
}

async function refBranches(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const dir = await ctx.tmpDir();
  runGit(['init', '-q', '--bare', dir], dir);
  runGit(
    ['fast-import', '--quiet'],
    dir,
    fastImportStream([{ files: [['a.txt', 'a\n']], time: 1_700_000_000 }]),
  );
  const head = runGit(['rev-parse', 'refs/heads/main'], dir).toString().trim();
  const lines = (prefix: string, count: number): string =>
    Array.from({ length: count }, (_, i) => `create refs/heads/${prefix}${i} ${head}\n`).join('');
  const one = timeGit(['update-ref', '--stdin'], dir, lines('one/b', 1));
  const thousand = timeGit(['update-ref', '--stdin'], dir, lines('many/b', 1000));
  results.push({
    name: 'engine.ref_git_update_ref_us',
    value: ((thousand - one) * 1000) / 999,
    unit: 'us',
    n: 1000,
  });
}

function benchBulkCommit(results: BenchResult[]): void {
  const samples: number[] = [];
  for (let round = 0; round < 21; round++) {
    const repo = new Repository({ clock: tickingClock() });
    const start = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) repo.add(filePath(i), fileContent(i, round));
    repo.commit({ message: 'bulk', author: AUTHOR });
    samples.push(elapsedUs(start) / 1000);
  }
  results.push({
    name: 'engine.commit1000files_ms',
    value: median(samples),
    unit: 'ms',
    n: samples.length,
    ref: 'engine.ref_git_add_commit1000_ms',
  });
}

async function refBulkCommit(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const samples: number[] = [];
  for (let round = 0; round < 3; round++) {
    const dir = await ctx.tmpDir();
    runGit(['init', '-q', '-b', 'main', dir], dir);
    for (let d = 0; d < DIRS; d++) mkdirSync(join(dir, `dir${d}`));
    for (let i = 0; i < 1000; i++) writeFileSync(join(dir, filePath(i)), fileContent(i, round));
    const start = process.hrtime.bigint();
    runGit(['add', '-A'], dir);
    runGit(['commit', '-q', '-m', 'bulk'], dir);
    samples.push(elapsedUs(start) / 1000);
  }
  results.push({
    name: 'engine.ref_git_add_commit1000_ms',
    value: median(samples),
    unit: 'ms',
    n: samples.length,
  });
}

function linearHistory(commits: number): Repository {
  const repo = repositoryWithFiles();
  for (let i = 0; i < commits - 1; i++) {
    repo.add(filePath(i % 1000), fileContent(i % 1000, i + 1));
    repo.commit({ message: `change ${i}`, author: AUTHOR });
  }
  return repo;
}

function benchLog(results: BenchResult[]): void {
  const repo = linearHistory(10_000);
  repo.log(); // warms the commit graph, as a server that has served the repository once
  const samples: number[] = [];
  for (let i = 0; i < 21; i++) {
    const start = process.hrtime.bigint();
    const { commits } = repo.log();
    samples.push(elapsedUs(start) / 1000);
    if (commits.length !== 10_000) throw new Error(`log returned ${commits.length} commits`);
  }
  results.push({
    name: 'engine.log10k_ms',
    value: median(samples),
    unit: 'ms',
    n: samples.length,
    ref: 'engine.ref_git_log10k_ms',
  });
}

async function refLog(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const dir = await ctx.tmpDir();
  runGit(['init', '-q', '--bare', dir], dir);
  const initial = {
    files: Array.from({ length: 1000 }, (_, i) => [filePath(i), fileContent(i)] as const),
    time: 1_700_000_000,
  };
  const changes = Array.from({ length: 9_999 }, (_, i) => ({
    files: [[filePath(i % 1000), fileContent(i % 1000, i + 1)] as const],
    time: 1_700_000_001 + i,
  }));
  runGit(['fast-import', '--quiet'], dir, fastImportStream([initial, ...changes]));
  runGit(['gc', '-q'], dir);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) samples.push(timeGit(['log', '--format=%H', 'main'], dir));
  results.push({
    name: 'engine.ref_git_log10k_ms',
    value: median(samples),
    unit: 'ms',
    n: samples.length,
  });
}

function benchMemory(results: BenchResult[]): void {
  const before = retainedBytes();
  const repo = linearHistory(10_000);
  repo.log();
  const after = retainedBytes();
  let rawBytes = 0;
  let objects = 0;
  for (const oid of repo.odb.store.oids()) {
    rawBytes += repo.odb.store.get(oid)!.body.length;
    objects++;
  }
  const used = after - before;
  results.push({
    name: 'engine.mem_bytes_per_object',
    value: used / objects,
    unit: 'B',
    n: objects,
  });
  results.push({
    name: 'engine.raw_bytes_per_object',
    value: rawBytes / objects,
    unit: 'B',
    n: objects,
  });
  results.push({
    name: 'engine.mem_overhead_ratio',
    value: used / rawBytes,
    unit: 'x',
    n: objects,
  });
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const withGit = gitAvailable();
  if (ctx.selected('engine.commit_us')) {
    ctx.log('engine: single-file commit');
    benchSingleFileCommit(results);
    if (withGit) await refSingleFileCommit(ctx, results);
  }
  if (ctx.selected('engine.branch_us')) {
    ctx.log('engine: branches');
    benchBranches(results);
    if (withGit) await refBranches(ctx, results);
  }
  if (ctx.selected('engine.commit1000files_ms')) {
    ctx.log('engine: 1,000-file commit');
    benchBulkCommit(results);
    if (withGit) await refBulkCommit(ctx, results);
  }
  if (ctx.selected('engine.log10k_ms')) {
    ctx.log('engine: log of 10,000 commits');
    benchLog(results);
    if (withGit) await refLog(ctx, results);
  }
  if (ctx.selected('engine.mem_bytes_per_object')) {
    ctx.log('engine: memory of 10,000 commits x 1,000 files');
    benchMemory(results);
  }
  return results;
}
