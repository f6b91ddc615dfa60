/**
 * The line diff that three-way merges run on: git's histogram diff, because merge-ort (and so
 * `git merge`, `git merge-tree`, cherry-pick and rebase) hardcodes `--histogram` for content
 * merges. Using the engine's Myers diff here would place conflict hunks differently from git
 * and change the merged blob ids.
 *
 * The algorithm, as git's xhistogram implements it (written here from its documented
 * behaviour): in the current region, index every line of the old side by content with its
 * occurrence count; for every line of the new side, extend each equal old line to the longest
 * common run around it; keep the longest run whose rarest line occurs least often (lines that
 * occur more than 64 times never seed a run); split the region around that run and repeat on
 * both halves. A region with common lines that are all too frequent falls back to git's
 * classic Myers diff (the diff module's), a region without common lines is all changed.
 *
 * Afterwards change groups are slid as git's merge slides them: the usual compaction, but
 * without the indent heuristic (merge-ort does not enable it).
 *
 * Relies on: diff/line-records (records and interned ids), diff/line-diff (Myers fallback,
 * flags to changes), diff/change-compaction.
 */
import { compactChanges } from '../diff/change-compaction';
import { changesFromFlags, computeChangeFlags, type LineChange } from '../diff/line-diff';
import type { LineInterner, LineRecords } from '../diff/line-records';

/** Lines occurring more often than this in the old region never seed a common run. */
const MAX_CHAIN_LENGTH = 64;

/** A sub-range of records as its own record list (same bytes, same interned ids). */
export function recordSlice(records: LineRecords, start: number, count: number): LineRecords {
  return {
    bytes: records.bytes,
    starts: records.starts.subarray(start, start + count + 1),
    ids: records.ids.subarray(start, start + count),
    count,
  };
}

interface CommonRun {
  begin1: number;
  end1: number;
  begin2: number;
  end2: number;
}

/** Marks `[start, start + count)` as changed in a flag array that is offset by one. */
function markAll(flags: Uint8Array, start: number, count: number): void {
  flags.fill(1, start + 1, start + count + 1);
}

class HistogramSearch {
  /** Per old line: the next occurrence of the same content in the region, or -1. */
  private readonly nextSame: Int32Array;
  /** Per old line: how often its content occurs in the region. */
  private readonly occurrences: Int32Array;

  constructor(
    private readonly a: Int32Array,
    private readonly b: Int32Array,
  ) {
    this.nextSame = new Int32Array(a.length);
    this.occurrences = new Int32Array(a.length);
  }

  /**
   * The best common run of old `[s1, s1+n1)` and new `[s2, s2+n2)`; `undefined` when there is
   * none, `'fallback'` when every common line is too frequent to seed one.
   */
  findRun(s1: number, n1: number, s2: number, n2: number): CommonRun | 'fallback' | undefined {
    const { a, b, nextSame, occurrences } = this;
    const e1 = s1 + n1 - 1;
    const e2 = s2 + n2 - 1;
    // Index the old region back to front so each content's chain starts at its first line.
    const first = new Map<number, number>();
    const count = new Map<number, number>();
    for (let ptr = e1; ptr >= s1; ptr--) {
      const id = a[ptr]!;
      const head = first.get(id);
      nextSame[ptr] = head ?? -1;
      first.set(id, ptr);
      count.set(id, (count.get(id) ?? 0) + 1);
    }
    for (let ptr = s1; ptr <= e1; ptr++) occurrences[ptr] = count.get(a[ptr]!)!;

    const run: CommonRun = { begin1: -1, end1: -1, begin2: -1, end2: -1 };
    let bestCount = MAX_CHAIN_LENGTH + 1;
    let hasCommon = false;

    for (let bPtr = s2; bPtr <= e2;) {
      let bNext = bPtr + 1;
      const id = b[bPtr]!;
      const head = first.get(id);
      if (head !== undefined) {
        const recordCount = count.get(id)!;
        hasCommon = true;
        if (recordCount <= bestCount) {
          let as = head;
          for (;;) {
            let np = nextSame[as]!;
            let bs = bPtr;
            let ae = as;
            let be = bs;
            let rc = recordCount;
            while (as > s1 && bs > s2 && a[as - 1] === b[bs - 1]) {
              as--;
              bs--;
              if (rc > 1) rc = Math.min(rc, occurrences[as]!);
            }
            while (ae < e1 && be < e2 && a[ae + 1] === b[be + 1]) {
              ae++;
              be++;
              if (rc > 1) rc = Math.min(rc, occurrences[ae]!);
            }
            if (bNext <= be) bNext = be + 1;
            if (run.end1 - run.begin1 < ae - as || rc < bestCount) {
              run.begin1 = as;
              run.begin2 = bs;
              run.end1 = ae;
              run.end2 = be;
              bestCount = rc;
            }
            if (np < 0) break;
            while (np >= 0 && np <= ae) np = nextSame[np]!;
            if (np < 0) break;
            as = np;
          }
        }
      }
      bPtr = bNext;
    }
    if (hasCommon && bestCount > MAX_CHAIN_LENGTH) return 'fallback';
    return run.begin1 < 0 ? undefined : run;
  }
}

/**
 * Change flags (offset by one, as the diff module's) of old `a` against new `b` by histogram
 * diff, before compaction.
 */
function histogramFlags(
  a: LineRecords,
  b: LineRecords,
  interner: LineInterner,
): [Uint8Array, Uint8Array] {
  const oldChanged = new Uint8Array(a.count + 2);
  const newChanged = new Uint8Array(b.count + 2);
  const search = new HistogramSearch(a.ids, b.ids);
  // Regions are disjoint and flags are per line, so the order they are processed in is free.
  const regions: number[] = [0, a.count, 0, b.count];
  while (regions.length > 0) {
    const n2 = regions.pop()!;
    const s2 = regions.pop()!;
    const n1 = regions.pop()!;
    const s1 = regions.pop()!;
    if (n1 === 0 && n2 === 0) continue;
    if (n1 === 0) {
      markAll(newChanged, s2, n2);
      continue;
    }
    if (n2 === 0) {
      markAll(oldChanged, s1, n1);
      continue;
    }
    const run = search.findRun(s1, n1, s2, n2);
    if (run === 'fallback') {
      // git's classic diff on just this region (its own trimming and discarding included).
      const flags = computeChangeFlags(recordSlice(a, s1, n1), recordSlice(b, s2, n2), interner, {
        indentHeuristic: false,
      });
      oldChanged.set(flags.oldChanged.subarray(1, n1 + 1), s1 + 1);
      newChanged.set(flags.newChanged.subarray(1, n2 + 1), s2 + 1);
    } else if (run === undefined) {
      markAll(oldChanged, s1, n1);
      markAll(newChanged, s2, n2);
    } else {
      regions.push(s1, run.begin1 - s1, s2, run.begin2 - s2);
      regions.push(run.end1 + 1, s1 + n1 - 1 - run.end1, run.end2 + 1, s2 + n2 - 1 - run.end2);
    }
  }
  return [oldChanged, newChanged];
}

/**
 * The changes from `a` to `b` (records from the same interner) as git's merge machinery sees
 * them: histogram diff, then change compaction without the indent heuristic.
 */
export function mergeDiffRecords(
  a: LineRecords,
  b: LineRecords,
  interner: LineInterner,
): LineChange[] {
  const [oldChanged, newChanged] = histogramFlags(a, b, interner);
  compactChanges(a, oldChanged, b.count, newChanged, false);
  compactChanges(b, newChanged, a.count, oldChanged, false);
  return changesFromFlags({ oldChanged, newChanged }, a.count, b.count);
}
