/**
 * Import and export beside git on the same repository (2,000 commits over 200 files, made by
 * git fast-import), each figure with its git reference measured in the same run:
 * - importexport.bundle_read_s: read + verify a `git bundle create --all` bundle (pack parsing,
 *   delta resolution, strict object checks, connectivity), beside `git clone --bare` of it;
 * - importexport.bundle_write_s: write a bundle of every ref from memory, beside
 *   `git bundle create --all`;
 * - importexport.archive_s: the tree of HEAD as tar, beside `git archive`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeBundle,
  MemoryObjectStore,
  ObjectDatabase,
  checkConnectivity,
  checkObject,
  readBundle,
  treeArchiveChunks,
  type RawObject,
} from '../src/core';
import { fastImportStream, gitAvailable, runGit, timeGit } from './git-reference';
import type { BenchContext, BenchResult } from './harness';

const COMMITS = 2000;
const FILES = 200;
const ROUNDS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeAsync(work: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  if (!gitAvailable()) {
    ctx.log('importexport: git not found, skipped');
    return [];
  }
  const dir = await ctx.tmpDir();
  const repo = join(dir, 'repo.git');
  runGit(['init', '-q', '--bare', '-b', 'main', repo], dir);
  const commits = Array.from({ length: COMMITS }, (_, i) => ({
    time: 1_700_000_000 + i,
    files: [[`dir${i % 20}/file${i % FILES}.txt`, `line ${i}\n`.repeat(1 + (i % 30))] as const],
  }));
  ctx.log(`importexport: building ${COMMITS} commits`);
  runGit(['fast-import', '--quiet'], repo, fastImportStream(commits));
  runGit(['tag', '-a', '-m', 'bench', 'v1', 'main'], repo);
  const bundlePath = join(dir, 'all.bundle');
  runGit(['bundle', 'create', '-q', bundlePath, '--all'], repo);
  const bundle = readFileSync(bundlePath);

  const results: BenchResult[] = [];
  // Read + verify vs git clone --bare from the bundle.
  const gitClone: number[] = [];
  const ours: number[] = [];
  let objects = new Map<string, RawObject>();
  let refs: Array<{ name: string; oid: string }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    gitClone.push(
      timeGit(['clone', '-q', '--bare', bundlePath, join(dir, `clone${round}.git`)], dir),
    );
    ours.push(
      await timeAsync(async () => {
        const read = await readBundle([bundle]);
        objects = new Map(read.objects.map((o) => [o.oid, { type: o.type, body: o.body }]));
        for (const [oid, object] of objects) checkObject(oid, object);
        refs = read.header.refs.map((ref) => ({ name: ref.name, oid: ref.oid }));
        checkConnectivity(
          (oid) => objects.get(oid),
          refs.map((ref) => ref.oid),
        );
      }),
    );
  }
  results.push(
    {
      name: 'importexport.git_clone_bundle_s',
      value: median(gitClone) / 1000,
      unit: 's',
      n: ROUNDS,
    },
    {
      name: 'importexport.bundle_read_s',
      value: median(ours) / 1000,
      unit: 's',
      n: ROUNDS,
      ref: 'importexport.git_clone_bundle_s',
    },
    {
      name: 'importexport.bundle_read_ratio',
      value: median(ours) / median(gitClone),
      unit: 'x',
      n: ROUNDS,
    },
  );

  // Write a bundle from memory vs git bundle create --all.
  const gitCreate: number[] = [];
  const ourWrite: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    gitCreate.push(
      timeGit(['bundle', 'create', '-q', join(dir, `out${round}.bundle`), '--all'], repo),
    );
    ourWrite.push(await timeAsync(() => encodeBundle(refs, (oid) => objects.get(oid))));
  }
  results.push(
    {
      name: 'importexport.git_bundle_create_s',
      value: median(gitCreate) / 1000,
      unit: 's',
      n: ROUNDS,
    },
    {
      name: 'importexport.bundle_write_s',
      value: median(ourWrite) / 1000,
      unit: 's',
      n: ROUNDS,
      ref: 'importexport.git_bundle_create_s',
    },
    {
      name: 'importexport.bundle_write_ratio',
      value: median(ourWrite) / median(gitCreate),
      unit: 'x',
      n: ROUNDS,
    },
  );

  // Archive of HEAD's tree vs git archive.
  const store = new MemoryObjectStore();
  for (const [oid, object] of objects) store.insert(oid, object);
  const odb = new ObjectDatabase(store);
  const head = runGit(['rev-parse', 'main'], repo).toString().trim();
  const gitArchive: number[] = [];
  const ourArchive: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    gitArchive.push(
      timeGit(['archive', '--format=tar', '-o', join(dir, `a${round}.tar`), 'main'], repo),
    );
    ourArchive.push(
      await timeAsync(() => {
        let bytes = 0;
        for (const chunk of treeArchiveChunks(odb, head)) bytes += chunk.length;
        return bytes;
      }),
    );
  }
  results.push(
    { name: 'importexport.git_archive_s', value: median(gitArchive) / 1000, unit: 's', n: ROUNDS },
    {
      name: 'importexport.archive_s',
      value: median(ourArchive) / 1000,
      unit: 's',
      n: ROUNDS,
      ref: 'importexport.git_archive_s',
    },
  );
  return results;
}
