/**
 * The figures a reality benchmark reports for one side (contract §8): size of the snapshot,
 * how far it is from the fork point, and how long the engine takes to rebuild its tree, read
 * every blob and diff it, all measured for real on this server, in this call.
 *
 * An optional external scorer (the server's `benchmark` hook) runs after the measurements; its
 * numeric fields are merged into the metrics, except that it cannot overwrite a measured one.
 */
import { performance } from 'node:perf_hooks';
import { toFileDiffs } from '../diff/file-diffs';
import { diffTrees } from '../diff/tree-diff';
import { FileMode } from '../objects/file-mode';
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import type { PathChange } from './path-overlay';
import { buildTree } from './tree-builder';
import { walkTreeFiles } from './tree-view';

/** Lower-case keys as the contract prints them; a scorer may add its own numeric keys. */
export type BenchmarkMetrics = {
  readonly files: number;
  readonly total_bytes: number;
  readonly commits_ahead: number;
  readonly changed_files: number;
  readonly additions: number;
  readonly deletions: number;
  readonly tree_build_ms: number;
  readonly read_all_ms: number;
  readonly diff_ms: number;
  readonly script_ms?: number;
  readonly score?: number;
} & Readonly<Record<string, number>>;

/** What a scorer is told about the side it scores. */
export interface BenchmarkSide {
  readonly role: 'reality' | 'base';
  /** Branch name (`parallel/x`, `main`), or null for a base that is only a commit. */
  readonly branch: string | null;
  /** Null for an unborn base. */
  readonly commit: Oid | null;
}

/** Returns e.g. `{score: 0.93}` (or undefined for no figures); may be slow (a script). */
export type BenchmarkScorer = (
  side: BenchmarkSide,
) => Promise<Readonly<Record<string, unknown>> | undefined>;

export interface SideMeasurement {
  readonly side: BenchmarkSide;
  /** The snapshot's tree. */
  readonly tree: Oid;
  /** Where changes are counted from (the fork point). */
  readonly fromTree: Oid;
  readonly commitsAhead: number;
}

const METRIC_KEY = /^[a-z][a-z0-9_]*$/;

function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 1000) / 1000;
}

/** Measures one side; see the header. */
export async function measureSide(
  odb: ObjectDatabase,
  input: SideMeasurement,
  scorer?: BenchmarkScorer,
): Promise<BenchmarkMetrics> {
  const leaves: Array<[string, PathChange]> = [];
  walkTreeFiles(odb, input.tree, '', (path, entry) => leaves.push([path, entry]));

  let start = performance.now();
  const rebuilt = buildTree(odb, EMPTY_TREE_OID, leaves, { write: false });
  const treeBuildMs = elapsed(start);
  // Rebuilding a stored tree from its own leaves must give its id back; anything else is a bug.
  if (rebuilt !== input.tree)
    throw new Error(`benchmark: tree ${input.tree} rebuilt as ${rebuilt}`);

  start = performance.now();
  let files = 0;
  let totalBytes = 0;
  for (const [, entry] of leaves) {
    if (entry === null || entry.mode === FileMode.Gitlink) continue; // a submodule is no blob
    files++;
    totalBytes += odb.readBlob(entry.oid).length;
  }
  const readAllMs = elapsed(start);

  start = performance.now();
  const diffs = toFileDiffs(odb, diffTrees(odb, input.fromTree, input.tree), { patch: false });
  const diffMs = elapsed(start);
  let additions = 0;
  let deletions = 0;
  for (const diff of diffs) {
    additions += diff.additions;
    deletions += diff.deletions;
  }

  const measured = {
    files,
    total_bytes: totalBytes,
    commits_ahead: input.commitsAhead,
    changed_files: diffs.length,
    additions,
    deletions,
    tree_build_ms: treeBuildMs,
    read_all_ms: readAllMs,
    diff_ms: diffMs,
  };
  if (scorer === undefined) return measured;
  start = performance.now();
  const scored = await scorer(input.side);
  const scriptMs = elapsed(start);
  const extra: Record<string, number> = {};
  for (const [key, value] of Object.entries(scored ?? {})) {
    if (METRIC_KEY.test(key) && typeof value === 'number' && Number.isFinite(value))
      extra[key] = value;
  }
  // Measured figures come last: a scorer adds metrics, it cannot overwrite ours.
  return { ...extra, ...measured, script_ms: scriptMs };
}
