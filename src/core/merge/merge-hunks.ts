/**
 * Which regions of a three-way line merge are clean and which conflict, computed the way git's
 * xdl_merge does at its default level ("zealous"), so the regions — and therefore the bytes of
 * a merged file with conflict markers — are git's:
 *
 * 1. diff base→ours and base→theirs (histogram-diff.ts);
 * 2. walk both change lists in base order: a change that overlaps nothing on the other side is
 *    taken from its side; overlapping changes are merged into one region, clean only when both
 *    sides made the identical change (same base range, same new lines); a region that touches
 *    the previous one (in either side's lines) is absorbed into it;
 * 3. refine each conflict: diff the two sides' versions of the region against each other and
 *    keep only the differing runs as conflicts — lines common to both sides at the start, end
 *    or middle of a conflict move out of it (identical sides become clean);
 * 4. simplify: two conflicts separated by three or fewer clean lines become one.
 *
 * The diff3 styles show the base, so they skip steps 3-4 (zdiff3 only trims common lines at
 * the ends of each conflict).
 *
 * Line numbers are 0-based record indexes: `i0` in the base, `i1` in ours, `i2` in theirs.
 */
import type { LineChange } from '../diff/line-diff';
import type { LineInterner, LineRecords } from '../diff/line-records';
import { mergeDiffRecords, recordSlice } from './histogram-diff';

export type ConflictStyle = 'merge' | 'diff3' | 'zdiff3';

/** 0 conflict, 1 take ours, 2 take theirs, 4 identical after refinement (nothing to emit). */
export type HunkMode = 0 | 1 | 2 | 4;

export interface MergeHunk {
  mode: HunkMode;
  i0: number;
  chg0: number;
  i1: number;
  chg1: number;
  i2: number;
  chg2: number;
}

export interface MergeInputs {
  readonly base: LineRecords;
  readonly ours: LineRecords;
  readonly theirs: LineRecords;
  readonly interner: LineInterner;
}

/** Appends a region, absorbing it into the last one when they touch (git's xdl_append_merge). */
function appendHunk(
  hunks: MergeHunk[],
  mode: HunkMode,
  i0: number,
  chg0: number,
  i1: number,
  chg1: number,
  i2: number,
  chg2: number,
): void {
  const last = hunks[hunks.length - 1];
  if (last !== undefined && (i1 <= last.i1 + last.chg1 || i2 <= last.i2 + last.chg2)) {
    if (mode !== last.mode) last.mode = 0;
    last.chg0 = i0 + chg0 - last.i0;
    last.chg1 = i1 + chg1 - last.i1;
    last.chg2 = i2 + chg2 - last.i2;
  } else {
    hunks.push({ mode, i0, chg0, i1, chg1, i2, chg2 });
  }
}

function sameLines(
  a: LineRecords,
  aStart: number,
  b: LineRecords,
  bStart: number,
  count: number,
): boolean {
  for (let k = 0; k < count; k++) if (a.ids[aStart + k] !== b.ids[bStart + k]) return false;
  return true;
}

/** Step 2: the regions of both change lists, in base order. */
function combineChanges(
  inputs: MergeInputs,
  ours: readonly LineChange[],
  theirs: readonly LineChange[],
): MergeHunk[] {
  const hunks: MergeHunk[] = [];
  let i = 0;
  let j = 0;
  while (i < ours.length && j < theirs.length) {
    const x1 = ours[i]!;
    const x2 = theirs[j]!;
    if (x1.oldStart + x1.oldCount < x2.oldStart) {
      appendHunk(
        hunks,
        1,
        x1.oldStart,
        x1.oldCount,
        x1.newStart,
        x1.newCount,
        x2.newStart - x2.oldStart + x1.oldStart,
        x1.oldCount,
      );
      i++;
      continue;
    }
    if (x2.oldStart + x2.oldCount < x1.oldStart) {
      appendHunk(
        hunks,
        2,
        x2.oldStart,
        x2.oldCount,
        x1.newStart - x1.oldStart + x2.oldStart,
        x2.oldCount,
        x2.newStart,
        x2.newCount,
      );
      j++;
      continue;
    }
    const identical =
      x1.oldStart === x2.oldStart &&
      x1.oldCount === x2.oldCount &&
      x1.newCount === x2.newCount &&
      sameLines(inputs.ours, x1.newStart, inputs.theirs, x2.newStart, x1.newCount);
    if (!identical) {
      // Widen both sides to the union of the two base ranges.
      const off = x1.oldStart - x2.oldStart;
      const ffo = off + x1.oldCount - x2.oldCount;
      let i0 = x1.oldStart;
      let i1 = x1.newStart;
      let i2 = x2.newStart;
      if (off > 0) {
        i0 -= off;
        i1 -= off;
      } else {
        i2 += off;
      }
      let chg0 = x1.oldStart + x1.oldCount - i0;
      let chg1 = x1.newStart + x1.newCount - i1;
      let chg2 = x2.newStart + x2.newCount - i2;
      if (ffo < 0) {
        chg0 -= ffo;
        chg1 -= ffo;
      } else {
        chg2 += ffo;
      }
      appendHunk(hunks, 0, i0, chg0, i1, chg1, i2, chg2);
    }
    const end1 = x1.oldStart + x1.oldCount;
    const end2 = x2.oldStart + x2.oldCount;
    if (end1 >= end2) j++;
    if (end2 >= end1) i++;
  }
  const oursDelta = inputs.ours.count - inputs.base.count;
  const theirsDelta = inputs.theirs.count - inputs.base.count;
  for (; i < ours.length; i++) {
    const x1 = ours[i]!;
    appendHunk(
      hunks,
      1,
      x1.oldStart,
      x1.oldCount,
      x1.newStart,
      x1.newCount,
      x1.oldStart + theirsDelta,
      x1.oldCount,
    );
  }
  for (; j < theirs.length; j++) {
    const x2 = theirs[j]!;
    appendHunk(
      hunks,
      2,
      x2.oldStart,
      x2.oldCount,
      x2.oldStart + oursDelta,
      x2.oldCount,
      x2.newStart,
      x2.newCount,
    );
  }
  return hunks;
}

/** Step 3: shrink each conflict to the runs where ours and theirs really differ. */
function refineConflicts(inputs: MergeInputs, hunks: MergeHunk[]): MergeHunk[] {
  const out: MergeHunk[] = [];
  for (const hunk of hunks) {
    if (hunk.mode !== 0 || hunk.chg1 === 0 || hunk.chg2 === 0) {
      out.push(hunk);
      continue;
    }
    const sideDiff = mergeDiffRecords(
      recordSlice(inputs.ours, hunk.i1, hunk.chg1),
      recordSlice(inputs.theirs, hunk.i2, hunk.chg2),
      inputs.interner,
    );
    if (sideDiff.length === 0) {
      hunk.mode = 4;
      out.push(hunk);
      continue;
    }
    for (const change of sideDiff) {
      // Base ranges are not narrowed (git keeps them), only the sides.
      out.push({
        mode: 0,
        i0: hunk.i0,
        chg0: hunk.chg0,
        i1: hunk.i1 + change.oldStart,
        chg1: change.oldCount,
        i2: hunk.i2 + change.newStart,
        chg2: change.newCount,
      });
    }
  }
  return out;
}

/** zdiff3's refinement: trim lines common to both sides off the ends of each conflict. */
function trimConflictEnds(inputs: MergeInputs, hunks: MergeHunk[]): void {
  const ours = inputs.ours.ids;
  const theirs = inputs.theirs.ids;
  for (const hunk of hunks) {
    if (hunk.mode !== 0) continue;
    while (hunk.chg1 > 0 && hunk.chg2 > 0 && ours[hunk.i1] === theirs[hunk.i2]) {
      hunk.chg1--;
      hunk.chg2--;
      hunk.i1++;
      hunk.i2++;
    }
    while (
      hunk.chg1 > 0 &&
      hunk.chg2 > 0 &&
      ours[hunk.i1 + hunk.chg1 - 1] === theirs[hunk.i2 + hunk.chg2 - 1]
    ) {
      hunk.chg1--;
      hunk.chg2--;
    }
  }
}

/** Step 4: conflicts at most three clean lines apart read better as one conflict. */
function simplifyNonConflicts(hunks: MergeHunk[]): MergeHunk[] {
  const out: MergeHunk[] = [];
  for (const hunk of hunks) {
    const last = out[out.length - 1];
    if (
      last !== undefined &&
      last.mode === 0 &&
      hunk.mode === 0 &&
      hunk.i1 - (last.i1 + last.chg1) <= 3
    ) {
      last.chg1 = hunk.i1 + hunk.chg1 - last.i1;
      last.chg2 = hunk.i2 + hunk.chg2 - last.i2;
    } else {
      out.push(hunk);
    }
  }
  return out;
}

/**
 * The merge regions of `inputs` (records from `inputs.interner`), or `'ours'` / `'theirs'`
 * when one side did not change the base at all and the other side is the whole answer.
 */
export function computeMergeHunks(
  inputs: MergeInputs,
  style: ConflictStyle,
): MergeHunk[] | 'ours' | 'theirs' {
  const oursChanges = mergeDiffRecords(inputs.base, inputs.ours, inputs.interner);
  const theirsChanges = mergeDiffRecords(inputs.base, inputs.theirs, inputs.interner);
  if (oursChanges.length === 0) return 'theirs';
  if (theirsChanges.length === 0) return 'ours';
  const hunks = combineChanges(inputs, oursChanges, theirsChanges);
  if (style === 'zdiff3') {
    trimConflictEnds(inputs, hunks);
    return hunks;
  }
  if (style === 'diff3') return hunks;
  return simplifyNonConflicts(refineConflicts(inputs, hunks));
}
