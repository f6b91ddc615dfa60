/**
 * Which files one side of a merge renamed, paired the way merge-ort asks diffcore-rename to
 * pair them. It differs from `git diff -M` (diff/rename-detection.ts) in ways that change
 * merge results, which is why the merge has its own pairing:
 *
 * - nothing is detected on a side without a *relevant* source (a deleted file the other side
 *   changed), not even exact renames;
 * - empty files are never sources or targets (merges run with rename_empty off);
 * - exact renames consider every deleted file; the same-basename shortcut (75% similarity
 *   when a basename is unique among the remaining sources and targets) and the full
 *   similarity matrix only consider relevant sources;
 * - the candidate limit is 7000 (merge.renameLimit's default), not diff's 1000.
 *
 * Scores come from the diff module's git-identical chunk similarity (content-similarity.ts).
 * Not modelled: guessing targets of non-unique basenames from directory renames (git does it
 * only for directories a side removed entirely, together with directory rename detection).
 */
import {
  chunkProfile,
  copiedBytes,
  MAX_SCORE,
  type ChunkProfile,
} from '../diff/content-similarity';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { EMPTY_BLOB_OID, isRegular } from './file-version';
import type { SideChanges, SideFileChange } from './merge-state';

export interface DetectedRename {
  readonly source: string;
  readonly target: string;
  readonly score: number;
}

export const DEFAULT_RENAME_SCORE = MAX_SCORE / 2;
const RENAME_LIMIT = 7000;
const CANDIDATES_PER_TARGET = 4;
const EXACT_ALTERNATIVES = 100;

/** git's basename_same: the last path components are equal. */
function sameBaseName(a: string, b: string): boolean {
  return a.slice(a.lastIndexOf('/') + 1) === b.slice(b.lastIndexOf('/') + 1);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

interface Candidate {
  readonly target: number;
  readonly source: number;
  readonly score: number;
  readonly nameScore: number;
}

/** Negative when `a` ranks first: higher score, then same basename; empty slots sink. */
function compareCandidates(a: Candidate | undefined, b: Candidate | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  if (a.score === b.score) return b.nameScore - a.nameScore;
  return b.score - a.score;
}

class SimilarityScorer {
  private readonly profiles = new Map<Oid, ChunkProfile>();
  private readonly sizes = new Map<Oid, number>();
  private readonly contents = new Map<Oid, Uint8Array>();

  constructor(private readonly odb: ObjectDatabase) {}

  private content(oid: Oid): Uint8Array {
    let bytes = this.contents.get(oid);
    if (bytes === undefined) {
      bytes = this.odb.readBlob(oid);
      this.contents.set(oid, bytes);
      this.sizes.set(oid, bytes.length);
    }
    return bytes;
  }

  private profile(oid: Oid): ChunkProfile {
    let profile = this.profiles.get(oid);
    if (profile === undefined) this.profiles.set(oid, (profile = chunkProfile(this.content(oid))));
    return profile;
  }

  /** git's estimate_similarity: 0..60000, 0 when sizes differ too much for `minimumScore`. */
  score(source: SideFileChange, target: SideFileChange, minimumScore: number): number {
    if (!isRegular(source.version.mode) || !isRegular(target.version.mode)) return 0;
    const sourceSize = this.content(source.version.oid).length;
    const targetSize = this.content(target.version.oid).length;
    const maxSize = Math.max(sourceSize, targetSize);
    const delta = maxSize - Math.min(sourceSize, targetSize);
    if (maxSize * (MAX_SCORE - minimumScore) < delta * MAX_SCORE) return 0;
    if (targetSize === 0) return 0;
    const copied = copiedBytes(this.profile(source.version.oid), this.profile(target.version.oid));
    return Math.floor((copied * MAX_SCORE) / maxSize);
  }
}

/**
 * The renames of one side, in target order. `changes` lists that side's deleted and added
 * files in path order; `minimumScore` is on git's 0..60000 scale (30000 = 50%).
 */
export function detectSideRenames(
  odb: ObjectDatabase,
  changes: SideChanges,
  minimumScore: number,
): DetectedRename[] {
  if (
    changes.relevantSources.size === 0 ||
    (changes.deleted.length === 0 && changes.added.length === 0)
  )
    return [];
  const sources = changes.deleted.filter((c) => c.version.oid !== EMPTY_BLOB_OID);
  const targets = changes.added.filter((c) => c.version.oid !== EMPTY_BLOB_OID);
  if (sources.length === 0 || targets.length === 0) return [];

  const pairedSource = new Int32Array(targets.length).fill(-1);
  const pairedScore = new Int32Array(targets.length);
  const sourceUsed = new Uint8Array(sources.length);
  const record = (target: number, source: number, score: number): void => {
    pairedSource[target] = source;
    pairedScore[target] = score;
    sourceUsed[source] = 1;
  };

  // 1. Exact renames, over every source.
  const sourcesByOid = new Map<Oid, number[]>();
  sources.forEach((source, i) => {
    const list = sourcesByOid.get(source.version.oid);
    if (list === undefined) sourcesByOid.set(source.version.oid, [i]);
    else list.push(i);
  });
  let renamed = 0;
  targets.forEach((target, t) => {
    let best = -1;
    let bestScore = -1;
    let budget = EXACT_ALTERNATIVES;
    for (const s of sourcesByOid.get(target.version.oid) ?? []) {
      const source = sources[s]!;
      const bothRegular = isRegular(source.version.mode) && isRegular(target.version.mode);
      if (!bothRegular && source.version.mode !== target.version.mode) continue;
      if (sourceUsed[s]) continue;
      const score = 1 + (sameBaseName(source.path, target.path) ? 1 : 0);
      if (score > bestScore) {
        best = s;
        bestScore = score;
        if (score === 2) break;
      }
      if (--budget === 0) break;
    }
    if (best >= 0) {
      record(t, best, MAX_SCORE);
      renamed++;
    }
  });
  if (minimumScore >= MAX_SCORE) return collect(sources, targets, pairedSource, pairedScore);

  const scorer = new SimilarityScorer(odb);

  // 2. Unique basenames, relevant sources only, at a raised threshold.
  const basenameScore = minimumScore + Math.trunc(0.5 * (MAX_SCORE - minimumScore));
  const sourceByName = new Map<string, number>();
  sources.forEach((source, s) => {
    if (sourceUsed[s]) return;
    const name = baseName(source.path);
    sourceByName.set(name, sourceByName.has(name) ? -1 : s);
  });
  const targetByName = new Map<string, number>();
  targets.forEach((target, t) => {
    if (pairedSource[t]! >= 0) return;
    const name = baseName(target.path);
    targetByName.set(name, targetByName.has(name) ? -1 : t);
  });
  sources.forEach((source, s) => {
    if (sourceUsed[s] || !changes.relevantSources.has(source.path)) return;
    const name = baseName(source.path);
    const t = targetByName.get(name);
    if (t === undefined || t < 0 || sourceByName.get(name) !== s) return;
    if (pairedSource[t]! >= 0) return;
    const score = scorer.score(source, targets[t]!, basenameScore);
    if (score < basenameScore) return;
    record(t, s, score);
    renamed++;
  });

  // 3. Best candidates by similarity, relevant sources only.
  const remainingSources: number[] = [];
  sources.forEach((source, s) => {
    if (!sourceUsed[s] && changes.relevantSources.has(source.path)) remainingSources.push(s);
  });
  const remainingTargets = targets.length - renamed;
  if (remainingTargets === 0 || remainingSources.length === 0)
    return collect(sources, targets, pairedSource, pairedScore);
  if (remainingTargets * remainingSources.length > RENAME_LIMIT * RENAME_LIMIT) {
    return collect(sources, targets, pairedSource, pairedScore);
  }
  const matrix: Array<Candidate | undefined> = [];
  targets.forEach((target, t) => {
    if (pairedSource[t]! >= 0) return;
    const slots: Array<Candidate | undefined> = new Array<Candidate | undefined>(
      CANDIDATES_PER_TARGET,
    ).fill(undefined);
    for (const s of remainingSources) {
      const source = sources[s]!;
      const candidate: Candidate = {
        target: t,
        source: s,
        score: scorer.score(source, target, minimumScore),
        nameScore: sameBaseName(source.path, target.path) ? 1 : 0,
      };
      let worst = 0;
      for (let k = 1; k < CANDIDATES_PER_TARGET; k++)
        if (compareCandidates(slots[k], slots[worst]) > 0) worst = k;
      if (compareCandidates(slots[worst], candidate) > 0) slots[worst] = candidate;
    }
    matrix.push(...slots);
  });
  matrix.sort(compareCandidates); // stable, like git's STABLE_QSORT
  for (const candidate of matrix) {
    if (candidate === undefined || candidate.score < minimumScore) break;
    if (pairedSource[candidate.target]! >= 0 || sourceUsed[candidate.source]) continue;
    record(candidate.target, candidate.source, candidate.score);
  }
  return collect(sources, targets, pairedSource, pairedScore);
}

function collect(
  sources: readonly SideFileChange[],
  targets: readonly SideFileChange[],
  pairedSource: Int32Array,
  pairedScore: Int32Array,
): DetectedRename[] {
  const renames: DetectedRename[] = [];
  targets.forEach((target, t) => {
    const s = pairedSource[t]!;
    if (s >= 0)
      renames.push({ source: sources[s]!.path, target: target.path, score: pairedScore[t]! });
  });
  return renames;
}
