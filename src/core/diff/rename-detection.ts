/**
 * Rename detection over a tree diff, following git's default (`git diff -M`, diffcore-rename):
 * only deleted files (sources) and added files (destinations) are paired, each used once.
 *
 * 1. Exact renames: for each destination in path order, a source with the same blob id (modes
 *    must match unless both are regular files), preferring the same file name, then path order.
 * 2. Same file name: a source and destination whose base names are each unique among the
 *    remaining ones are paired when at least 75% similar (git's basename shortcut since 2.33).
 * 3. The rest, when sources x destinations <= limit^2 (1000 by default): every regular-file
 *    pair is scored (content-similarity.ts), each destination keeps its best 4 candidates, and
 *    pairs are taken best first (ties: same base name, then destination order) while at or
 *    above the threshold (50%). Sizes too far apart are not scored at all.
 *
 * A rename replaces its destination in the list (keeping path order by new path) and the
 * source's deletion is dropped.
 */
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { chunkProfile, copiedBytes, MAX_SCORE, type ChunkProfile } from './content-similarity';
import type { TreeChange } from './tree-diff';

export interface RenameOptions {
  /** Minimum similarity in percent for an inexact rename; default 50. */
  readonly threshold?: number;
  /** Inexact detection is skipped when sources x destinations exceeds limit^2; default 1000. */
  readonly limit?: number;
}

const CANDIDATES_PER_DESTINATION = 4;

function isRegular(mode: string | null): boolean {
  return mode === '100644' || mode === '100755' || mode === '100664';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** git's basename_same: the last path components are equal. */
function sameBaseName(a: string, b: string): boolean {
  return baseName(a) === baseName(b);
}

interface Candidate {
  readonly dst: number;
  readonly src: number;
  readonly score: number;
  readonly nameScore: number;
}

/** Negative when `a` ranks before `b`: higher score, then same base name. */
function compareCandidates(a: Candidate | undefined, b: Candidate | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  if (a.score === b.score) return b.nameScore - a.nameScore;
  return b.score - a.score;
}

export function detectRenames(
  db: ObjectDatabase,
  changes: readonly TreeChange[],
  options: RenameOptions = {},
): TreeChange[] {
  const minimumScore = Math.round(((options.threshold ?? 50) * MAX_SCORE) / 100);
  const limit = options.limit ?? 1000;
  const dsts: TreeChange[] = [];
  const srcs: TreeChange[] = [];
  for (const change of changes) {
    if (change.status === 'added') dsts.push(change);
    else if (change.status === 'deleted') srcs.push(change);
  }
  if (dsts.length === 0 || srcs.length === 0) return [...changes];

  const pairOf = new Array<{ src: number; score: number } | undefined>(dsts.length);
  const used = new Uint8Array(srcs.length);
  const record = (dst: number, src: number, score: number): void => {
    pairOf[dst] = { src, score };
    used[src] = 1;
  };

  // 1. Exact renames.
  const byOid = new Map<Oid, number[]>();
  srcs.forEach((src, i) => {
    const list = byOid.get(src.oldOid!) ?? [];
    list.push(i);
    byOid.set(src.oldOid!, list);
  });
  let renamed = 0;
  dsts.forEach((dst, d) => {
    const candidates = byOid.get(dst.newOid!);
    if (candidates === undefined) return;
    let best = -1;
    let bestScore = -1;
    let budget = 100;
    for (const s of candidates) {
      const src = srcs[s]!;
      if ((!isRegular(src.oldMode) || !isRegular(dst.newMode)) && src.oldMode !== dst.newMode)
        continue;
      if (used[s]) continue;
      const score = 1 + (sameBaseName(src.path, dst.path) ? 1 : 0);
      if (score > bestScore) {
        best = s;
        bestScore = score;
        if (score === 2) break;
      }
      if (--budget === 0) break;
    }
    if (best >= 0) {
      record(d, best, MAX_SCORE);
      renamed++;
    }
  });

  let remainingSrcs = srcs.map((_, i) => i).filter((i) => !used[i]);
  const profiles = new Map<Oid, ChunkProfile>();
  const contents = new Map<Oid, Uint8Array>();
  const content = (oid: Oid): Uint8Array => {
    let bytes = contents.get(oid);
    if (bytes === undefined) {
      bytes = db.readBlob(oid);
      contents.set(oid, bytes);
    }
    return bytes;
  };
  const similarity = (src: TreeChange, dst: TreeChange, minScore: number): number => {
    if (!isRegular(src.oldMode) || !isRegular(dst.newMode)) return 0;
    const a = content(src.oldOid!);
    const b = content(dst.newOid!);
    const maxSize = Math.max(a.length, b.length);
    const baseSize = Math.min(a.length, b.length);
    if (maxSize * (MAX_SCORE - minScore) < (maxSize - baseSize) * MAX_SCORE) return 0;
    if (b.length === 0) return 0;
    let pa = profiles.get(src.oldOid!);
    if (pa === undefined) profiles.set(src.oldOid!, (pa = chunkProfile(a)));
    let pb = profiles.get(dst.newOid!);
    if (pb === undefined) profiles.set(dst.newOid!, (pb = chunkProfile(b)));
    return Math.floor((copiedBytes(pa, pb) * MAX_SCORE) / maxSize);
  };

  if (dsts.length - renamed > 0 && remainingSrcs.length > 0) {
    // 2. Unique base names on both sides.
    const minBasenameScore = minimumScore + Math.trunc(0.5 * (MAX_SCORE - minimumScore));
    const srcByName = new Map<string, number>();
    for (const s of remainingSrcs) {
      const name = baseName(srcs[s]!.path);
      srcByName.set(name, srcByName.has(name) ? -1 : s);
    }
    const dstByName = new Map<string, number>();
    dsts.forEach((dst, d) => {
      if (pairOf[d] !== undefined) return;
      const name = baseName(dst.path);
      dstByName.set(name, dstByName.has(name) ? -1 : d);
    });
    for (const [name, s] of srcByName) {
      if (s < 0) continue;
      const d = dstByName.get(name);
      if (d === undefined || d < 0) continue;
      const score = similarity(srcs[s]!, dsts[d]!, minBasenameScore);
      if (score < minBasenameScore) continue;
      record(d, s, score);
      renamed++;
    }
    remainingSrcs = remainingSrcs.filter((i) => !used[i]);

    // 3. Best candidates by similarity.
    const remainingDsts = dsts.length - renamed;
    if (
      remainingDsts > 0 &&
      remainingSrcs.length > 0 &&
      remainingDsts * remainingSrcs.length <= limit * limit
    ) {
      const matrix: Array<Candidate | undefined> = [];
      dsts.forEach((dst, d) => {
        if (pairOf[d] !== undefined) return;
        const slots = new Array<Candidate | undefined>(CANDIDATES_PER_DESTINATION).fill(undefined);
        for (const s of remainingSrcs) {
          const src = srcs[s]!;
          const candidate: Candidate = {
            dst: d,
            src: s,
            score: similarity(src, dst, minimumScore),
            nameScore: sameBaseName(src.path, dst.path) ? 1 : 0,
          };
          let worst = 0;
          for (let k = 1; k < CANDIDATES_PER_DESTINATION; k++) {
            if (compareCandidates(slots[k], slots[worst]) > 0) worst = k;
          }
          if (compareCandidates(slots[worst], candidate) > 0) slots[worst] = candidate;
        }
        matrix.push(...slots);
      });
      matrix.sort(compareCandidates); // stable, like git's STABLE_QSORT
      for (const candidate of matrix) {
        if (candidate === undefined || candidate.score < minimumScore) break;
        if (pairOf[candidate.dst] !== undefined || used[candidate.src]) continue;
        record(candidate.dst, candidate.src, candidate.score);
      }
    }
  }

  const out: TreeChange[] = [];
  let d = 0;
  let s = 0;
  for (const change of changes) {
    if (change.status === 'added') {
      const pair = pairOf[d++];
      if (pair === undefined) {
        out.push(change);
      } else {
        const src = srcs[pair.src]!;
        out.push({
          status: 'renamed',
          path: change.path,
          oldPath: src.path,
          oldMode: src.oldMode,
          newMode: change.newMode,
          oldOid: src.oldOid,
          newOid: change.newOid,
          similarity: Math.floor((pair.score * 100) / MAX_SCORE),
        });
      }
    } else if (change.status === 'deleted') {
      if (!used[s++]) out.push(change);
    } else {
      out.push(change);
    }
  }
  return out;
}
