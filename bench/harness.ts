/**
 * The benchmark harness behind `npm run bench`: finds every bench/*.bench.ts, runs each one's
 * default export with a BenchContext, and prints the results as a table, or as one JSON object
 * per line with `--json`. Arguments that are not flags filter: a file whose name contains one
 * runs whole; other files run with `ctx.selected(name)` telling which of their benchmarks match,
 * and only matching results are printed. The contract for bench files is in bench/README.md.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** One measured figure. `ref` names the result it should be compared with (same run). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** How many samples or operations the figure is based on. */
  n: number;
  ref?: string;
}

export interface BenchContext {
  /** Progress for humans; goes to stderr so that `--json` output stays clean. */
  log(message: string): void;
  /** A fresh temporary directory, removed when the whole run ends. */
  tmpDir(): Promise<string>;
  /** Whether the run's filter wants the benchmark of this name; check it before costly work. */
  selected(name: string): boolean;
}

export type BenchFunction = (ctx: BenchContext) => Promise<BenchResult[]>;

/** The p-th percentile (0–100) of ascending samples, nearest-rank. */
export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) throw new Error('percentile of no samples');
  const rank = Math.min(ascending.length, Math.max(1, Math.ceil((p / 100) * ascending.length)));
  return ascending[rank - 1] as number;
}

interface RunOptions {
  json: boolean;
  filters: string[];
}

function parseArguments(argv: readonly string[]): RunOptions {
  return {
    json: argv.includes('--json'),
    filters: argv.filter((argument) => !argument.startsWith('--')),
  };
}

function checkResult(file: string, result: BenchResult): void {
  const valid =
    typeof result.name === 'string' &&
    result.name !== '' &&
    Number.isFinite(result.value) &&
    typeof result.unit === 'string' &&
    Number.isInteger(result.n);
  if (!valid) throw new Error(`${file} returned a malformed result: ${JSON.stringify(result)}`);
}

function formatValue(value: number): string {
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function printTable(results: readonly BenchResult[]): void {
  const rows = [
    ['name', 'value', 'unit', 'n', 'ref'],
    ...results.map((r) => [r.name, formatValue(r.value), r.unit, String(r.n), r.ref ?? '']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    const cells = row.map((cell, column) =>
      column === 1 || column === 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
    );
    process.stdout.write(`${cells.join('  ').trimEnd()}\n`);
    if (index === 0)
      process.stdout.write(`${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  }
}

/** Runs the benchmarks; resolves to the process exit code. */
export async function runBenchmarks(
  argv: readonly string[],
  directory = __dirname,
): Promise<number> {
  const options = parseArguments(argv);
  const files = (await readdir(directory)).filter((file) => file.endsWith('.bench.ts')).sort();
  const temporary: string[] = [];
  const printed: BenchResult[] = [];
  let failed = 0;

  for (const file of files) {
    const wholeFile =
      options.filters.length === 0 || options.filters.some((filter) => file.includes(filter));
    const selected = (name: string): boolean =>
      wholeFile || options.filters.some((filter) => name.includes(filter));
    const ctx: BenchContext = {
      log: (message) => process.stderr.write(`[${file}] ${message}\n`),
      tmpDir: async () => {
        const made = await mkdtemp(path.join(tmpdir(), 'govc-bench-'));
        temporary.push(made);
        return made;
      },
      selected,
    };
    try {
      const started = Date.now();
      const loaded = (await import(path.join(directory, file))) as { default?: unknown };
      if (typeof loaded.default !== 'function') throw new Error('has no default export function');
      const results = (await (loaded.default as BenchFunction)(ctx)).filter((result) =>
        selected(result.name),
      );
      for (const result of results) checkResult(file, result);
      if (results.length > 0)
        ctx.log(`${results.length} results in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const result of results) {
        if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        printed.push(result);
      }
    } catch (error) {
      failed++;
      process.stderr.write(
        `[${file}] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  }

  await Promise.all(temporary.map((made) => rm(made, { recursive: true, force: true })));
  if (!options.json) printTable(printed);
  if (printed.length === 0 && failed === 0) process.stderr.write('no benchmark matched\n');
  return failed > 0 ? 1 : 0;
}
