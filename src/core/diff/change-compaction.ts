/**
 * Sliding groups of changed lines to where a reader expects them, as git does after the line
 * diff (its "change compaction"). A group of added or deleted lines bordered by a line equal to
 * its own last (or first) line can move without changing the result: `a b [b] c` is the same
 * diff as `a [b] b c`. git slides every group as far up and then as far down as possible
 * (merging with groups it touches), then:
 *
 * 1. if some position lines the group up with a change group of the other file, it goes to the
 *    lowest such position (so a modification reads as `-old +new`);
 * 2. otherwise the indent heuristic (on by default since git 2.14) scores every position by
 *    the indentation and blank lines around its two split points and takes the best, the
 *    lowest on a tie.
 *
 * The weights below are git's published constants (from Michael Haggerty's diff-slider study);
 * our own code reproduces the rules so that patches and blame agree with git's line for line.
 *
 * Flag arrays are offset by one: line i's flag is `chg[i + 1]`, and `chg[0]`, `chg[n + 1]` are
 * always-zero sentinels.
 */
import type { LineRecords } from './line-records';

const MAX_INDENT = 200;
const MAX_BLANKS = 20;
const START_OF_FILE_PENALTY = 1;
const END_OF_FILE_PENALTY = 21;
const TOTAL_BLANK_WEIGHT = -30;
const POST_BLANK_WEIGHT = 6;
const RELATIVE_INDENT_PENALTY = -4;
const RELATIVE_INDENT_WITH_BLANK_PENALTY = 10;
const RELATIVE_OUTDENT_PENALTY = 24;
const RELATIVE_OUTDENT_WITH_BLANK_PENALTY = 17;
const RELATIVE_DEDENT_PENALTY = 23;
const RELATIVE_DEDENT_WITH_BLANK_PENALTY = 17;
const INDENT_WEIGHT = 60;
const INDENT_HEURISTIC_MAX_SLIDING = 100;

const UNKNOWN_INDENT = -2;

/** git's isspace: only space, tab, LF and CR (not VT or FF). */
function isGitSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

class IndentCache {
  private readonly cache: Int16Array;
  constructor(private readonly records: LineRecords) {
    this.cache = new Int16Array(records.count).fill(UNKNOWN_INDENT);
  }

  /** Columns of leading whitespace (tab stops of 8), capped at 200; -1 for a blank line. */
  indent(i: number): number {
    const cached = this.cache[i]!;
    if (cached !== UNKNOWN_INDENT) return cached;
    const bytes = this.records.bytes;
    const end = this.records.starts[i + 1]!;
    let result = -1;
    let ret = 0;
    for (let p = this.records.starts[i]!; p < end; p++) {
      const c = bytes[p]!;
      if (!isGitSpace(c)) {
        result = ret;
        break;
      }
      if (c === 0x20) ret += 1;
      else if (c === 0x09) ret += 8 - (ret % 8);
      if (ret >= MAX_INDENT) {
        result = MAX_INDENT;
        break;
      }
    }
    this.cache[i] = result;
    return result;
  }
}

interface SplitScore {
  effectiveIndent: number;
  penalty: number;
}

/** Adds the badness of splitting the file just before line `split` to `score`. */
function scoreSplit(indents: IndentCache, count: number, split: number, score: SplitScore): void {
  const endOfFile = split >= count;
  const indent = endOfFile ? -1 : indents.indent(split);

  let preBlank = 0;
  let preIndent = -1;
  for (let i = split - 1; i >= 0; i--) {
    preIndent = indents.indent(i);
    if (preIndent !== -1) break;
    preBlank += 1;
    if (preBlank === MAX_BLANKS) {
      preIndent = 0;
      break;
    }
  }

  let postBlank = 0;
  let postIndent = -1;
  for (let i = split + 1; i < count; i++) {
    postIndent = indents.indent(i);
    if (postIndent !== -1) break;
    postBlank += 1;
    if (postBlank === MAX_BLANKS) {
      postIndent = 0;
      break;
    }
  }

  if (preIndent === -1 && preBlank === 0) score.penalty += START_OF_FILE_PENALTY;
  if (endOfFile) score.penalty += END_OF_FILE_PENALTY;

  const blanksAfter = indent === -1 ? 1 + postBlank : 0;
  const totalBlank = preBlank + blanksAfter;
  score.penalty += TOTAL_BLANK_WEIGHT * totalBlank;
  score.penalty += POST_BLANK_WEIGHT * blanksAfter;

  const effective = indent !== -1 ? indent : postIndent;
  const anyBlanks = totalBlank !== 0;
  score.effectiveIndent += effective;

  if (effective === -1 || preIndent === -1) {
    // Nothing to compare with.
  } else if (effective > preIndent) {
    score.penalty += anyBlanks ? RELATIVE_INDENT_WITH_BLANK_PENALTY : RELATIVE_INDENT_PENALTY;
  } else if (effective === preIndent) {
    // Same level as the line above: neutral.
  } else if (postIndent !== -1 && postIndent > effective) {
    // Less indented than above but the next line is deeper: likely the start of a block.
    score.penalty += anyBlanks ? RELATIVE_OUTDENT_WITH_BLANK_PENALTY : RELATIVE_OUTDENT_PENALTY;
  } else {
    // Likely the end of a block.
    score.penalty += anyBlanks ? RELATIVE_DEDENT_WITH_BLANK_PENALTY : RELATIVE_DEDENT_PENALTY;
  }
}

function compareScores(a: SplitScore, b: SplitScore): number {
  const cmpIndents =
    (a.effectiveIndent > b.effectiveIndent ? 1 : 0) -
    (a.effectiveIndent < b.effectiveIndent ? 1 : 0);
  return INDENT_WEIGHT * cmpIndents + (a.penalty - b.penalty);
}

class GroupSyncError extends Error {
  constructor(what: string) {
    super(`change compaction lost group sync: ${what}`);
  }
}

/**
 * Compacts the change groups of `file` (flags `chg`), keeping the groups of the other file
 * (flags `otherChg`, `otherCount` lines) in step. Call it once per direction, as git does.
 */
export function compactChanges(
  file: LineRecords,
  chg: Uint8Array,
  otherCount: number,
  otherChg: Uint8Array,
  indentHeuristic: boolean,
): void {
  const n = file.count;
  const ids = file.ids;
  let indents: IndentCache | undefined;

  // Current group [gs, ge) of this file and its counterpart [os, oe) in the other file.
  let gs = 0;
  let ge = 0;
  while (chg[ge + 1]) ge++;
  let os = 0;
  let oe = 0;
  while (otherChg[oe + 1]) oe++;

  const slideUp = (): boolean => {
    if (gs > 0 && ids[gs - 1] === ids[ge - 1]) {
      gs--;
      chg[gs + 1] = 1;
      ge--;
      chg[ge + 1] = 0;
      while (chg[gs]) gs--;
      return true;
    }
    return false;
  };
  const slideDown = (): boolean => {
    if (ge < n && ids[gs] === ids[ge]) {
      chg[gs + 1] = 0;
      gs++;
      chg[ge + 1] = 1;
      ge++;
      while (chg[ge + 1]) ge++;
      return true;
    }
    return false;
  };
  const otherPrevious = (): void => {
    if (os === 0) throw new GroupSyncError('sliding up');
    oe = os - 1;
    for (os = oe; otherChg[os]; os--);
  };
  const otherNext = (): void => {
    if (oe === otherCount) throw new GroupSyncError('sliding down');
    os = oe + 1;
    for (oe = os; otherChg[oe + 1]; oe++);
  };

  for (;;) {
    if (ge !== gs) {
      let groupSize: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      do {
        groupSize = ge - gs;
        endMatchingOther = -1;
        while (slideUp()) otherPrevious();
        earliestEnd = ge;
        if (oe > os) endMatchingOther = ge;
        while (slideDown()) {
          otherNext();
          if (oe > os) endMatchingOther = ge;
        }
      } while (groupSize !== ge - gs);

      if (ge === earliestEnd) {
        // The group cannot move.
      } else if (endMatchingOther !== -1) {
        while (oe === os) {
          if (!slideUp()) throw new GroupSyncError('match disappeared');
          otherPrevious();
        }
      } else if (indentHeuristic) {
        indents ??= new IndentCache(file);
        let shift = earliestEnd;
        if (ge - groupSize - 1 > shift) shift = ge - groupSize - 1;
        if (ge - INDENT_HEURISTIC_MAX_SLIDING > shift) shift = ge - INDENT_HEURISTIC_MAX_SLIDING;
        let bestShift = -1;
        const best: SplitScore = { effectiveIndent: 0, penalty: 0 };
        for (; shift <= ge; shift++) {
          const score: SplitScore = { effectiveIndent: 0, penalty: 0 };
          scoreSplit(indents, n, shift, score);
          scoreSplit(indents, n, shift - groupSize, score);
          if (bestShift === -1 || compareScores(score, best) <= 0) {
            best.effectiveIndent = score.effectiveIndent;
            best.penalty = score.penalty;
            bestShift = shift;
          }
        }
        while (ge > bestShift) {
          if (!slideUp()) throw new GroupSyncError('best shift unreached');
          otherPrevious();
        }
      }
    }

    if (ge === n) break;
    gs = ge + 1;
    for (ge = gs; chg[ge + 1]; ge++);
    otherNext();
  }
}
