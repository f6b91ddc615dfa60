/**
 * Myers' O(ND) difference algorithm in the divide-and-conquer ("middle snake") form, tuned the
 * way git's xdiff tunes it so that our edit scripts equal git's:
 *
 * - both ends of every box are first shrunk along equal runs;
 * - forward and backward searches alternate, and the first overlap splits the box;
 * - past a cost of 256, a diagonal that reached far along a snake of more than 20 equal lines is
 *   taken as the split even if it is not optimal (the "interesting path" heuristic);
 * - past a cost of about sqrt(N) (at least 256), the furthest-reaching diagonal is taken.
 *
 * The two heuristics only matter for large, very different inputs; they bound the running time
 * and are part of what makes the output git's. Boxes are processed depth first, lower half
 * before upper, in the same order as git's recursion, with an explicit stack instead of it.
 *
 * Inputs are the records that survived preprocessing (see line-diff.ts): `ha` are their ids
 * and `rindex` their index in the full file; changed lines are flagged in `chg` at
 * `rindex + 1` (the flag arrays carry a zero sentinel at each end).
 */

const SNAKE_CNT = 20;
const HEUR_MIN_COST = 256;
const MAX_COST_MIN = 256;
const K_HEUR = 4;
const LINE_MAX = 0x7fffffff;

/** git's cheap integer square root estimate (a power of two near sqrt(n)). */
export function bogoSqrt(n: number): number {
  let i = 1;
  for (let m = n; m > 0; m = Math.floor(m / 4)) i *= 2;
  return i;
}

export interface ReducedSide {
  readonly ha: Int32Array;
  readonly rindex: Int32Array;
  readonly count: number;
  readonly chg: Uint8Array;
}

interface Split {
  i1: number;
  i2: number;
  minLo: boolean;
  minHi: boolean;
}

export function markChanges(a: ReducedSide, b: ReducedSide, needMinimal: boolean): void {
  const ha1 = a.ha;
  const ha2 = b.ha;
  const ndiags = a.count + b.count + 3;
  const kvdf = new Int32Array(ndiags);
  const kvdb = new Int32Array(ndiags);
  const base = b.count + 1;
  const mxcost = Math.max(bogoSqrt(ndiags), MAX_COST_MIN);
  const split: Split = { i1: 0, i2: 0, minLo: false, minHi: false };

  /** Finds where to cut the box (off1..lim1) x (off2..lim2); see the file header. */
  function findSplit(
    off1: number,
    lim1: number,
    off2: number,
    lim2: number,
    needMin: boolean,
  ): void {
    const dmin = off1 - lim2;
    const dmax = lim1 - off2;
    const fmid = off1 - off2;
    const bmid = lim1 - lim2;
    const odd = (fmid - bmid) & 1;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    kvdf[base + fmid] = off1;
    kvdb[base + bmid] = lim1;

    for (let ec = 1; ; ec++) {
      let gotSnake = false;

      // Extend the forward diagonal range by one on each side, or shrink it at the box edge.
      if (fmin > dmin) kvdf[base + --fmin - 1] = -1;
      else ++fmin;
      if (fmax < dmax) kvdf[base + ++fmax + 1] = -1;
      else --fmax;

      for (let d = fmax; d >= fmin; d -= 2) {
        const left = kvdf[base + d - 1]!;
        const right = kvdf[base + d + 1]!;
        let i1 = left >= right ? left + 1 : right;
        const prev1 = i1;
        let i2 = i1 - d;
        while (i1 < lim1 && i2 < lim2 && ha1[i1] === ha2[i2]) {
          i1++;
          i2++;
        }
        if (i1 - prev1 > SNAKE_CNT) gotSnake = true;
        kvdf[base + d] = i1;
        if (odd && bmin <= d && d <= bmax && kvdb[base + d]! <= i1) {
          split.i1 = i1;
          split.i2 = i2;
          split.minLo = true;
          split.minHi = true;
          return;
        }
      }

      if (bmin > dmin) kvdb[base + --bmin - 1] = LINE_MAX;
      else ++bmin;
      if (bmax < dmax) kvdb[base + ++bmax + 1] = LINE_MAX;
      else --bmax;

      for (let d = bmax; d >= bmin; d -= 2) {
        const left = kvdb[base + d - 1]!;
        const right = kvdb[base + d + 1]!;
        let i1 = left < right ? left : right - 1;
        const prev1 = i1;
        let i2 = i1 - d;
        while (i1 > off1 && i2 > off2 && ha1[i1 - 1] === ha2[i2 - 1]) {
          i1--;
          i2--;
        }
        if (prev1 - i1 > SNAKE_CNT) gotSnake = true;
        kvdb[base + d] = i1;
        if (!odd && fmin <= d && d <= fmax && i1 <= kvdf[base + d]!) {
          split.i1 = i1;
          split.i2 = i2;
          split.minLo = true;
          split.minHi = true;
          return;
        }
      }

      if (needMin) continue;

      // The "interesting path" heuristic: a diagonal far from both the start corner and the
      // middle, ending in a snake of SNAKE_CNT equal lines, is good enough to split at.
      if (gotSnake && ec > HEUR_MIN_COST) {
        let best = 0;
        for (let d = fmax; d >= fmin; d -= 2) {
          const dd = d > fmid ? d - fmid : fmid - d;
          const i1 = kvdf[base + d]!;
          const i2 = i1 - d;
          const v = i1 - off1 + (i2 - off2) - dd;
          if (
            v > K_HEUR * ec &&
            v > best &&
            off1 + SNAKE_CNT <= i1 &&
            i1 < lim1 &&
            off2 + SNAKE_CNT <= i2 &&
            i2 < lim2
          ) {
            for (let k = 1; ha1[i1 - k] === ha2[i2 - k]; k++) {
              if (k === SNAKE_CNT) {
                best = v;
                split.i1 = i1;
                split.i2 = i2;
                break;
              }
            }
          }
        }
        if (best > 0) {
          split.minLo = true;
          split.minHi = false;
          return;
        }

        best = 0;
        for (let d = bmax; d >= bmin; d -= 2) {
          const dd = d > bmid ? d - bmid : bmid - d;
          const i1 = kvdb[base + d]!;
          const i2 = i1 - d;
          const v = lim1 - i1 + (lim2 - i2) - dd;
          if (
            v > K_HEUR * ec &&
            v > best &&
            off1 < i1 &&
            i1 <= lim1 - SNAKE_CNT &&
            off2 < i2 &&
            i2 <= lim2 - SNAKE_CNT
          ) {
            for (let k = 0; ha1[i1 + k] === ha2[i2 + k]; k++) {
              if (k === SNAKE_CNT - 1) {
                best = v;
                split.i1 = i1;
                split.i2 = i2;
                break;
              }
            }
          }
        }
        if (best > 0) {
          split.minLo = false;
          split.minHi = true;
          return;
        }
      }

      // Too expensive: split at the furthest-reaching diagonal of either direction.
      if (ec >= mxcost) {
        let fbest = -1;
        let fbest1 = -1;
        for (let d = fmax; d >= fmin; d -= 2) {
          let i1 = Math.min(kvdf[base + d]!, lim1);
          let i2 = i1 - d;
          if (lim2 < i2) {
            i1 = lim2 + d;
            i2 = lim2;
          }
          if (fbest < i1 + i2) {
            fbest = i1 + i2;
            fbest1 = i1;
          }
        }
        let bbest = LINE_MAX;
        let bbest1 = LINE_MAX;
        for (let d = bmax; d >= bmin; d -= 2) {
          let i1 = Math.max(off1, kvdb[base + d]!);
          let i2 = i1 - d;
          if (i2 < off2) {
            i1 = off2 + d;
            i2 = off2;
          }
          if (i1 + i2 < bbest) {
            bbest = i1 + i2;
            bbest1 = i1;
          }
        }
        if (lim1 + lim2 - bbest < fbest - (off1 + off2)) {
          split.i1 = fbest1;
          split.i2 = fbest - fbest1;
          split.minLo = true;
          split.minHi = false;
        } else {
          split.i1 = bbest1;
          split.i2 = bbest - bbest1;
          split.minLo = false;
          split.minHi = true;
        }
        return;
      }
    }
  }

  // Boxes as (off1, lim1, off2, lim2, needMin) quintuples; the top of the stack is next.
  const stack: number[] = [0, a.count, 0, b.count, needMinimal ? 1 : 0];
  while (stack.length > 0) {
    const needMin = stack.pop()! === 1;
    let lim2 = stack.pop()!;
    let off2 = stack.pop()!;
    let lim1 = stack.pop()!;
    let off1 = stack.pop()!;
    while (off1 < lim1 && off2 < lim2 && ha1[off1] === ha2[off2]) {
      off1++;
      off2++;
    }
    while (off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] === ha2[lim2 - 1]) {
      lim1--;
      lim2--;
    }
    if (off1 === lim1) {
      for (; off2 < lim2; off2++) b.chg[b.rindex[off2]! + 1] = 1;
    } else if (off2 === lim2) {
      for (; off1 < lim1; off1++) a.chg[a.rindex[off1]! + 1] = 1;
    } else {
      findSplit(off1, lim1, off2, lim2, needMin);
      const { i1, i2, minLo, minHi } = split;
      // Upper half pushed first so the lower half is processed first, as git recurses.
      stack.push(i1, lim1, i2, lim2, minHi ? 1 : 0);
      stack.push(off1, i1, off2, i2, minLo ? 1 : 0);
    }
  }
}
