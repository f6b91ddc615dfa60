/**
 * Search benchmarks (api-contract.md §5): content search in a 1,000-file repository with the
 * index warm, beside `git grep` over the same files in a real git work tree in the same run
 * (goal: ≤ 0.5× git grep's time), and the ReDoS pattern `(a+)+$` on a long line.
 *
 * Both sides answer the same question: every matching line with its number, case-insensitive
 * fixed string (`git grep -n -i -F -e <q> HEAD`, read from git's object store like ours). Ours
 * is the engine call behind GET search/content (searchLines over HEAD's files with the index).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  Repository,
  RepositorySearchIndex,
  SearchBudget,
  compileGlob,
  compileMatcher,
  searchLines,
  treeFiles,
} from '../src/core';
import { AUTHOR, median } from './engine-measure';
import { gitAvailable, runGit, timeGit } from './git-reference';
import type { BenchContext, BenchResult } from './harness';

const FILES = 1000;
const QUERIES = [
  'parseHttpRequest',
  'connectionTimeout',
  'TODO(search)',
  'ERR_BAD_RANGE',
  'offset length',
];
const ROUNDS = 15;

/** A deterministic pseudo-random generator (mulberry32), so every run searches the same text. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'const',
  'let',
  'return',
  'function',
  'value',
  'index',
  'buffer',
  'result',
  'request',
  'handler',
  'config',
  'options',
  'stream',
  'error',
  'count',
  'offset',
  'length',
  'items',
  'map',
  'filter',
  'await',
  'async',
  'export',
  'import',
  'from',
  'type',
  'interface',
  'string',
  'number',
  'boolean',
];

/** 1,000 source-like files of ~40 lines; a few rare identifiers sprinkled for the queries. */
function corpus(): Array<[string, string]> {
  const next = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const files: Array<[string, string]> = [];
  for (let i = 0; i < FILES; i++) {
    const lines: string[] = [];
    const count = 20 + Math.floor(next() * 40);
    for (let l = 0; l < count; l++) {
      const indent = '  '.repeat(Math.floor(next() * 3));
      const words = Array.from({ length: 3 + Math.floor(next() * 8) }, () => pick(WORDS));
      let line = `${indent}${words.join(' ')};`;
      const roll = next();
      if (roll < 0.002) line += ' // TODO(search) tidy up';
      else if (roll < 0.004) line = `${indent}return parseHttpRequest(buffer, options);`;
      else if (roll < 0.005) line = `${indent}throw new RangeError('ERR_BAD_RANGE');`;
      else if (roll < 0.008) line = `${indent}options.connectionTimeout = 30_000;`;
      lines.push(line);
    }
    files.push([`src/module${Math.floor(i / 50)}/file${i}.ts`, `${lines.join('\n')}\n`]);
  }
  return files;
}

export default async function run(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  if (ctx.selected('search.redos_ms')) results.push(redos());

  const wanted = [
    'search.index_build_1k_files_ms',
    'search.content_1k_files_ms',
    'search.content_1k_files_no_index_ms',
    'search.git_grep_1k_files_ms',
    'search.content_vs_git_grep_ratio',
  ];
  if (!wanted.some((name) => ctx.selected(name))) return results;
  if (!gitAvailable()) {
    ctx.log('search: git not found, content search vs git grep skipped');
    return results;
  }
  const files = corpus();

  // The git side: a real work tree with one commit of the same files.
  const dir = await ctx.tmpDir();
  for (const [file, content] of files) {
    await mkdir(path.join(dir, path.dirname(file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  runGit(['init', '-q', '-b', 'main'], dir);
  runGit(['add', '-A'], dir);
  runGit(['commit', '-q', '-m', 'corpus'], dir);
  runGit(['gc', '-q'], dir);

  // Ours: the same files committed in memory, the index built (warm).
  const repository = new Repository();
  for (const [file, content] of files) repository.add(file, content);
  repository.commit({ message: 'corpus', author: AUTHOR });
  const buildStart = process.hrtime.bigint();
  const index = new RepositorySearchIndex({ maxFileSize: 1 << 20 });
  index.sync(repository);
  const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;

  const ours = (query: string, useIndex = true): number => {
    const matcher = compileMatcher({ pattern: query, maxPatternLength: 1000 });
    const found = searchLines(
      repository.odb,
      treeFiles(repository.odb, repository.headTree()),
      matcher,
      { pathFilter: compileGlob(undefined), offset: 0, limit: 1000 },
      new SearchBudget({ maxBytes: 64 << 20, timeout: 5000 }),
      useIndex ? index.blobIndex : undefined,
    );
    return found.total;
  };
  const gitCount = (query: string): number =>
    runGit(['grep', '-n', '-i', '-F', '-e', query, 'HEAD'], dir)
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '').length;

  for (const query of QUERIES) {
    const a = ours(query);
    const b = gitCount(query);
    if (a !== b || ours(query, false) !== b)
      throw new Error(`search bench: '${query}' found ${a} lines, git grep ${b}`);
  }

  const oursSamples: number[] = [];
  const gitSamples: number[] = [];
  const scanSamples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let start = process.hrtime.bigint();
    for (const query of QUERIES) ours(query);
    oursSamples.push(Number(process.hrtime.bigint() - start) / 1e6);
    let gitTotal = 0;
    for (const query of QUERIES) {
      gitTotal += timeGit(['grep', '-n', '-i', '-F', '-e', query, 'HEAD'], dir);
    }
    gitSamples.push(gitTotal);
    start = process.hrtime.bigint();
    for (const query of QUERIES) ours(query, false);
    scanSamples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const oursMs = median(oursSamples) / QUERIES.length;
  const gitMs = median(gitSamples) / QUERIES.length;
  const scanMs = median(scanSamples) / QUERIES.length;
  ctx.log(`search: ${QUERIES.length} queries × ${ROUNDS} rounds over ${FILES} files`);
  results.push(
    { name: 'search.index_build_1k_files_ms', value: round(buildMs), unit: 'ms', n: 1 },
    {
      name: 'search.content_1k_files_ms',
      value: round(oursMs),
      unit: 'ms',
      n: ROUNDS * QUERIES.length,
      ref: 'search.git_grep_1k_files_ms',
    },
    {
      name: 'search.content_1k_files_no_index_ms',
      value: round(scanMs),
      unit: 'ms',
      n: ROUNDS * QUERIES.length,
      ref: 'search.git_grep_1k_files_ms',
    },
    {
      name: 'search.git_grep_1k_files_ms',
      value: round(gitMs),
      unit: 'ms',
      n: ROUNDS * QUERIES.length,
    },
    {
      name: 'search.content_vs_git_grep_ratio',
      value: round(oursMs / gitMs),
      unit: 'x',
      n: ROUNDS,
      ref: 'search.git_grep_1k_files_ms',
    },
  );
  return results;
}

/** `(a+)+$` on 100,000 a's and a '!' (no match), through the matcher every route uses. */
function redos(): BenchResult {
  const matcher = compileMatcher({ pattern: '(a+)+$', regex: true, maxPatternLength: 1000 });
  const line = `${'a'.repeat(100_000)}!`;
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = process.hrtime.bigint();
    if (matcher.matchLine(line).length !== 0) throw new Error('redos bench: unexpected match');
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { name: 'search.redos_ms', value: round(median(samples)), unit: 'ms', n: samples.length };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
