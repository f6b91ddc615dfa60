/**
 * Storage benchmarks (issue "Durable storage"): the durable write path of the disk and postgres
 * drivers beside the raw operation it is bound by, measured in the same run on the machine's
 * real disk (os.tmpdir(), not tmpfs), and the cold load of a large repository from disk.
 *
 *   storage.disk_flush_p50_us            one repository, sequential: a blob + a ref update, flushed
 *   storage.raw_fsync_append_p50_us      the reference: append 200 B to a file + fdatasync
 *   storage.disk_16_writers_flushes_per_s  16 concurrent writers on one repository (group commit)
 *   storage.git_commit_loop_per_s        the reference: `git commit` in a loop
 *   storage.pg_flush_p50_us              the same unit of work on postgres (one govc_flush call)
 *   storage.raw_pg_insert_p50_us         the reference: one INSERT round trip on one connection
 *   storage.cold_load_10k_ms             open a 10,000-commit × 1,000-file repository from disk
 *                                        (checkpointed: packs + .idx) into memory, fresh driver
 *   storage.mem_1000_loaded_mb           heap held by 1,000 small repositories loaded (3 commits each)
 *   storage.mem_1000_evicted_mb          the same after every one was closed (evicted): what stays
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeSync, fdatasyncSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DiskStorageDriver } from '../src/core/storage/disk/disk-storage-driver';
import { PostgresStorageDriver } from '../src/core/storage/postgres/postgres-storage-driver';
import type { RepositoryStores, StorageLogger } from '../src/core/storage/storage-driver';
import { Repository } from '../src/core/repo/repository';
import { AUTHOR, elapsedUs, retainedBytes, tickingClock } from './engine-measure';
import { percentile, type BenchContext, type BenchResult } from './harness';
import { GIT_REFERENCE_ENV, gitAvailable } from './git-reference';

const SAMPLES = 300;
const WRITERS = 16;
const WRITERS_SECONDS = 2;
const POSTGRES_URL =
  process.env.GOVC_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const quiet: StorageLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function p50(samples: number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
}

/** One unit of work as a REST write makes it: a new object and a ref moved onto it. */
async function flushOnce(stores: RepositoryStores, ref: string, n: number): Promise<void> {
  const oid = stores.objects.put('blob', Buffer.from(`sample ${ref} ${n}\n`));
  const current = stores.refs.read(ref);
  stores.refs.update({
    name: ref,
    expect: current?.kind === 'direct' ? current.oid : null,
    next: oid,
  });
  await stores.refs.flush();
}

async function sequentialFlushes(stores: RepositoryStores, count: number): Promise<number[]> {
  for (let i = 0; i < 20; i++) await flushOnce(stores, 'refs/heads/warm', i);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await flushOnce(stores, 'refs/heads/main', i);
    samples.push(elapsedUs(started));
  }
  return samples;
}

function rawFsyncAppend(dir: string, count: number): number[] {
  const fd = openSync(join(dir, 'raw.journal'), 'a');
  const record = Buffer.alloc(200, 1);
  const samples: number[] = [];
  try {
    for (let i = 0; i < count + 20; i++) {
      const started = process.hrtime.bigint();
      writeSync(fd, record);
      fdatasyncSync(fd);
      if (i >= 20) samples.push(elapsedUs(started));
    }
  } finally {
    closeSync(fd);
  }
  return samples;
}

async function benchDisk(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const dir = await ctx.tmpDir();
  const driver = new DiskStorageDriver({ path: join(dir, 'data'), logger: quiet });
  await driver.open();
  try {
    await driver.createRepository('bench');
    const stores = await driver.openRepository('bench');
    if (ctx.selected('storage.disk_flush_p50_us')) {
      ctx.log('storage: disk flush, sequential, beside a raw append + fdatasync');
      const raw = rawFsyncAppend(dir, SAMPLES);
      const flushes = await sequentialFlushes(stores, SAMPLES);
      results.push({
        name: 'storage.raw_fsync_append_p50_us',
        value: p50(raw),
        unit: 'µs',
        n: raw.length,
      });
      results.push({
        name: 'storage.disk_flush_p50_us',
        value: p50(flushes),
        unit: 'µs',
        n: flushes.length,
        ref: 'storage.raw_fsync_append_p50_us',
      });
    }
    if (ctx.selected('storage.disk_16_writers_flushes_per_s')) {
      ctx.log(`storage: ${WRITERS} concurrent writers on one repository for ${WRITERS_SECONDS} s`);
      const deadline = process.hrtime.bigint() + BigInt(WRITERS_SECONDS * 1e9);
      let flushes = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          for (let n = 0; process.hrtime.bigint() < deadline; n++) {
            await flushOnce(stores, `refs/heads/writer${writer}`, n);
            flushes++;
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      results.push({
        name: 'storage.disk_16_writers_flushes_per_s',
        value: flushes / seconds,
        unit: '/s',
        n: flushes,
        ref: 'storage.git_commit_loop_per_s',
      });
      if (gitAvailable()) results.push(gitCommitLoop(join(dir, 'git-loop')));
    }
  } finally {
    await driver.close();
  }
}

/** `git commit --allow-empty` in a loop: what a durable commit costs with the git CLI. */
function gitCommitLoop(dir: string): BenchResult {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]): Buffer =>
    execFileSync('git', args, { cwd: dir, env: GIT_REFERENCE_ENV });
  git('init', '-q');
  git('config', 'core.fsync', 'all');
  const count = 30;
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) git('commit', '-q', '--allow-empty', '-m', `c${i}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name: 'storage.git_commit_loop_per_s', value: count / seconds, unit: '/s', n: count };
}

async function benchPostgres(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const admin = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    ctx.log(`storage: no PostgreSQL at ${POSTGRES_URL}; skipping storage.pg_flush_p50_us`);
    return;
  }
  const name = `govc_bench_${process.pid}`;
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    ctx.log('storage: postgres flush, sequential, beside a raw INSERT round trip');
    const raw = new Client({ connectionString: url.toString() });
    await raw.connect();
    const inserts: number[] = [];
    try {
      await raw.query('CREATE TABLE raw_insert (id serial PRIMARY KEY, body bytea NOT NULL)');
      const body = Buffer.alloc(200, 1);
      for (let i = 0; i < SAMPLES + 20; i++) {
        const started = process.hrtime.bigint();
        await raw.query('INSERT INTO raw_insert (body) VALUES ($1)', [body]);
        if (i >= 20) inserts.push(elapsedUs(started));
      }
    } finally {
      await raw.end();
    }
    const driver = new PostgresStorageDriver({ url: url.toString(), poolSize: 4, logger: quiet });
    await driver.open();
    let flushes: number[];
    try {
      await driver.createRepository('bench');
      flushes = await sequentialFlushes(await driver.openRepository('bench'), SAMPLES);
    } finally {
      await driver.close();
    }
    results.push({
      name: 'storage.raw_pg_insert_p50_us',
      value: p50(inserts),
      unit: 'µs',
      n: inserts.length,
    });
    results.push({
      name: 'storage.pg_flush_p50_us',
      value: p50(flushes),
      unit: 'µs',
      n: flushes.length,
      ref: 'storage.raw_pg_insert_p50_us',
    });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const DIRS = 10;
const FILES_PER_DIR = 100;
const COMMITS = 10_000;

function filePath(index: number): string {
  return `dir${index % DIRS}/file${Math.floor(index / DIRS)}.txt`;
}

function fileContent(index: number, version: number): string {
  return `file ${index} version ${version}\nline two\nline three\n`;
}

/** Writes the 10,000-commit history through the disk driver and checkpoints it into a pack. */
async function buildLargeRepository(path: string): Promise<number> {
  const driver = new DiskStorageDriver({ path, logger: quiet });
  await driver.open();
  try {
    await driver.createRepository('large');
    const stores = await driver.openRepository('large');
    const repo = new Repository({
      objects: stores.objects,
      refs: stores.refs,
      clock: tickingClock(),
    });
    for (let i = 0; i < DIRS * FILES_PER_DIR; i++) repo.add(filePath(i), fileContent(i, 0));
    repo.commit({ message: 'initial', author: AUTHOR });
    for (let i = 0; i < COMMITS - 1; i++) {
      repo.add(filePath(i % 1000), fileContent(i % 1000, i + 1));
      repo.commit({ message: `change ${i}`, author: AUTHOR });
      if (i % 1000 === 999) await stores.refs.flush();
    }
    await stores.refs.flush();
    await driver.checkpointAll(); // the periodic checkpoint: pack with deltas, .idx, refs
    return stores.objects.size;
  } finally {
    await driver.close();
  }
}

async function benchColdLoad(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const path = join(await ctx.tmpDir(), 'data');
  ctx.log('storage: building a 10,000-commit × 1,000-file repository on disk (setup)');
  const setupStarted = process.hrtime.bigint();
  const objects = await buildLargeRepository(path);
  ctx.log(
    `storage: setup took ${(elapsedUs(setupStarted) / 1e6).toFixed(1)} s (${objects} objects)`,
  );
  const samples: number[] = [];
  for (let round = 0; round < 3; round++) {
    const driver = new DiskStorageDriver({ path, logger: quiet });
    await driver.open();
    try {
      const started = process.hrtime.bigint();
      const repo = new Repository(await driver.openRepository('large'));
      samples.push(elapsedUs(started) / 1000);
      if (repo.log({ limit: 1 }).commits.length !== 1)
        throw new Error('the loaded repository has no history');
    } finally {
      await driver.close();
    }
  }
  results.push({
    name: 'storage.cold_load_10k_ms',
    value: p50(samples),
    unit: 'ms',
    n: samples.length,
  });
}

/** 1,000 small repositories: loaded and written, then all evicted; the heap each time. */
async function benchIdleMemory(ctx: BenchContext, results: BenchResult[]): Promise<void> {
  const count = 1000;
  const driver = new DiskStorageDriver({ path: join(await ctx.tmpDir(), 'data'), logger: quiet });
  await driver.open();
  try {
    ctx.log(`storage: ${count} small repositories, loaded then evicted`);
    const before = retainedBytes();
    for (let i = 0; i < count; i++) {
      const id = `small${i}`;
      await driver.createRepository(id);
      const stores = await driver.openRepository(id);
      const repo = new Repository({
        objects: stores.objects,
        refs: stores.refs,
        clock: tickingClock(),
      });
      for (let n = 0; n < 3; n++) {
        repo.add(`file${n}.txt`, `repository ${i} file ${n}\n`);
        repo.commit({ message: `commit ${n}`, author: AUTHOR });
      }
      await stores.refs.flush();
    }
    const loaded = retainedBytes() - before;
    for (let i = 0; i < count; i++) await driver.closeRepository(`small${i}`);
    const evicted = retainedBytes() - before;
    results.push({
      name: 'storage.mem_1000_loaded_mb',
      value: loaded / 2 ** 20,
      unit: 'MiB',
      n: count,
    });
    results.push({
      name: 'storage.mem_1000_evicted_mb',
      value: evicted / 2 ** 20,
      unit: 'MiB',
      n: count,
      ref: 'storage.mem_1000_loaded_mb',
    });
  } finally {
    await driver.close();
  }
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  if (
    ctx.selected('storage.disk_flush_p50_us') ||
    ctx.selected('storage.disk_16_writers_flushes_per_s')
  )
    await benchDisk(ctx, results);
  if (ctx.selected('storage.pg_flush_p50_us')) await benchPostgres(ctx, results);
  if (ctx.selected('storage.cold_load_10k_ms')) await benchColdLoad(ctx, results);
  if (ctx.selected('storage.mem_1000_evicted_mb')) await benchIdleMemory(ctx, results);
  return results;
}
