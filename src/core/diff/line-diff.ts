/**
 * The line diff: which lines of the old text were removed and which of the new text were added,
 * computed the way `git diff` computes it, so hunks, counts and blame agree with git's.
 *
 * Pipeline (each step mirrors a stage of git's xdiff, written from its documented behaviour):
 * 1. records: lines with their newline, interned to ids (line-records.ts);
 * 2. trim: the common prefix and suffix are set aside;
 * 3. discard: a line with no equal on the other side is certainly changed and is left out of
 *    the search; a line with many equals (at least ~sqrt(N)) that sits inside a run of such
 *    lines is left out too. This changes *which* equivalent script is found, so it is needed
 *    for git-identical output, and it makes big rewrites cheap;
 * 4. Myers on what is left (myers.ts);
 * 5. compaction: slide change groups, with the indent heuristic (change-compaction.ts);
 * 6. the script: runs of changed lines as `LineChange`s, in order.
 */
import { compactChanges } from './change-compaction';
import { LineInterner, trimCommonTail, type LineRecords } from './line-records';
import { bogoSqrt, markChanges, type ReducedSide } from './myers';

/** One change: `oldCount` lines removed at `oldStart` and `newCount` added at `newStart` (0-based). */
export interface LineChange {
  readonly oldStart: number;
  readonly oldCount: number;
  readonly newStart: number;
  readonly newCount: number;
}

export interface LineDiffOptions {
  /** git's indent heuristic for placing ambiguous groups; default true, as in git. */
  readonly indentHeuristic?: boolean;
  /** Search for a minimal script even on huge inputs (git's `--minimal`); default false. */
  readonly minimal?: boolean;
}

const MAX_EQ_LIMIT = 1024;
const SIMSCAN_WINDOW = 100;
const KPDIS_RUN = 4;

/**
 * Whether a line with many matches, `dis[i] === 2`, should be discarded: only when it sits in a
 * run of no-match (0) and many-match (2) lines, with no-match lines on both sides, and the
 * many-match lines are less than a quarter of the run (looking at most 100 lines each way).
 */
function inDiscardableRun(dis: Uint8Array, i: number, start: number, end: number): boolean {
  const s = i - start > SIMSCAN_WINDOW ? i - SIMSCAN_WINDOW : start;
  const e = end - i > SIMSCAN_WINDOW ? i + SIMSCAN_WINDOW : end;
  let before = 0;
  let multiBefore = 1;
  for (let r = 1; i - r >= s; r++) {
    const d = dis[i - r]!;
    if (d === 0) before++;
    else if (d === 2) multiBefore++;
    else break;
  }
  if (before === 0) return false;
  let after = 0;
  let multiAfter = 1;
  for (let r = 1; i + r <= e; r++) {
    const d = dis[i + r]!;
    if (d === 0) after++;
    else if (d === 2) multiAfter++;
    else break;
  }
  if (after === 0) return false;
  const unmatched = before + after;
  const multi = multiBefore + multiAfter;
  return multi * KPDIS_RUN < multi + unmatched;
}

/** Flags (offset by one) of the lines of each side that the diff marks as changed. */
export interface ChangeFlags {
  readonly oldChanged: Uint8Array;
  readonly newChanged: Uint8Array;
}

/** Runs steps 2-5 of the pipeline on two record lists from the same interner. */
export function computeChangeFlags(
  a: LineRecords,
  b: LineRecords,
  interner: LineInterner,
  options: LineDiffOptions = {},
): ChangeFlags {
  const n1 = a.count;
  const n2 = b.count;
  const chg1 = new Uint8Array(n1 + 2);
  const chg2 = new Uint8Array(n2 + 2);
  const ids1 = a.ids;
  const ids2 = b.ids;

  // 2. Common prefix and suffix.
  const shorter = Math.min(n1, n2);
  let dstart = 0;
  while (dstart < shorter && ids1[dstart] === ids2[dstart]) dstart++;
  let tail = 0;
  const tailLimit = shorter - dstart;
  while (tail < tailLimit && ids1[n1 - 1 - tail] === ids2[n2 - 1 - tail]) tail++;
  const dend1 = n1 - tail - 1;
  const dend2 = n2 - tail - 1;

  // 3. Discard lines that cannot (or had better not) take part in the search. Occurrences are
  //    counted over the whole texts, as git does, not just the middle.
  const [count1, count2] = interner.counters();
  for (let i = 0; i < n1; i++) count1[ids1[i]!]!++;
  for (let i = 0; i < n2; i++) count2[ids2[i]!]!++;

  const dis1 = new Uint8Array(n1);
  const dis2 = new Uint8Array(n2);
  const mlim1 = Math.min(bogoSqrt(n1), MAX_EQ_LIMIT);
  for (let i = dstart; i <= dend1; i++) {
    const nm = count2[ids1[i]!]!;
    dis1[i] = nm === 0 ? 0 : nm >= mlim1 ? 2 : 1;
  }
  const mlim2 = Math.min(bogoSqrt(n2), MAX_EQ_LIMIT);
  for (let i = dstart; i <= dend2; i++) {
    const nm = count1[ids2[i]!]!;
    dis2[i] = nm === 0 ? 0 : nm >= mlim2 ? 2 : 1;
  }
  for (let i = 0; i < n1; i++) count1[ids1[i]!] = 0;
  for (let i = 0; i < n2; i++) count2[ids2[i]!] = 0;

  const side1 = reduce(ids1, dis1, dstart, dend1, chg1);
  const side2 = reduce(ids2, dis2, dstart, dend2, chg2);

  // 4. Myers on the survivors.
  markChanges(side1, side2, options.minimal === true);

  // 5. Compaction, in both directions.
  const indent = options.indentHeuristic !== false;
  compactChanges(a, chg1, n2, chg2, indent);
  compactChanges(b, chg2, n1, chg1, indent);
  return { oldChanged: chg1, newChanged: chg2 };
}

function reduce(
  ids: Int32Array,
  dis: Uint8Array,
  start: number,
  end: number,
  chg: Uint8Array,
): ReducedSide {
  const size = Math.max(0, end - start + 1);
  const ha = new Int32Array(size);
  const rindex = new Int32Array(size);
  let count = 0;
  for (let i = start; i <= end; i++) {
    const d = dis[i]!;
    if (d === 1 || (d === 2 && !inDiscardableRun(dis, i, start, end))) {
      rindex[count] = i;
      ha[count] = ids[i]!;
      count++;
    } else {
      chg[i + 1] = 1;
    }
  }
  return { ha, rindex, count, chg };
}

/** 6. Runs of changed lines, in order. */
export function changesFromFlags(
  flags: ChangeFlags,
  oldCount: number,
  newCount: number,
): LineChange[] {
  const c1 = flags.oldChanged;
  const c2 = flags.newChanged;
  const out: LineChange[] = [];
  let i1 = oldCount;
  let i2 = newCount;
  for (; i1 >= 0 || i2 >= 0; i1--, i2--) {
    if (c1[i1] || c2[i2]) {
      const l1 = i1;
      while (c1[i1]) i1--;
      const l2 = i2;
      while (c2[i2]) i2--;
      out.push({ oldStart: i1, oldCount: l1 - i1, newStart: i2, newCount: l2 - i2 });
    }
  }
  return out.reverse();
}

/** The changes between two record lists (from the same interner). */
export function diffRecords(
  a: LineRecords,
  b: LineRecords,
  interner: LineInterner,
  options: LineDiffOptions = {},
): LineChange[] {
  return changesFromFlags(computeChangeFlags(a, b, interner, options), a.count, b.count);
}

function toBytes(text: string | Uint8Array): Uint8Array {
  return typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
}

export interface LineDiff {
  readonly old: LineRecords;
  readonly new: LineRecords;
  readonly changes: readonly LineChange[];
}

/**
 * Diffs two texts line by line, exactly as `git diff` would (UTF-8 for strings, raw bytes
 * otherwise). `trimTail` applies git's zero-context tail trimming (see `trimCommonTail`): git
 * does it for `-U0` and blame, and it can move a change by a few lines.
 */
export function diffLines(
  oldText: string | Uint8Array,
  newText: string | Uint8Array,
  options: LineDiffOptions & { readonly trimTail?: boolean; readonly interner?: LineInterner } = {},
): LineDiff {
  const a = toBytes(oldText);
  const b = toBytes(newText);
  const interner = options.interner ?? new LineInterner();
  const [lengthA, lengthB] =
    options.trimTail === true ? trimCommonTail(a, b) : [a.length, b.length];
  const oldRecords = interner.records(a, lengthA);
  const newRecords = interner.records(b, lengthB);
  return {
    old: oldRecords,
    new: newRecords,
    changes: diffRecords(oldRecords, newRecords, interner, options),
  };
}
