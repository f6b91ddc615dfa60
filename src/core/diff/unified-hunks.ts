/**
 * Hunks of a unified diff, byte for byte as `git diff` writes them:
 *
 * - changes closer than 2 x context lines (old-file distance) share one hunk;
 * - `@@ -l,s +l,s @@`, where a count of 1 is omitted and an empty side's start is the line
 *   before it (`-0,0` for nothing at the top);
 * - after the header, git's default "function name": the nearest line above the hunk in the
 *   old file that starts with an ASCII letter, `_` or `$`, cut to 80 bytes and stripped of
 *   trailing whitespace. The line found for one hunk carries over to later hunks that have no
 *   candidate of their own between them, as in git;
 * - context and added lines come from the new file, removed lines from the old one; a line
 *   without its final newline is followed by `\ No newline at end of file`.
 *
 * - git then cuts the whole header line at its first byte that does not start a valid UTF-8
 *   character (so an 80-byte cut inside a character, or a Latin-1 function line, loses its tail).
 *
 * Output is bytes: lines are copied, never re-encoded, so non-UTF-8 text comes out as git's.
 */
import type { LineChange } from './line-diff';
import type { LineRecords } from './line-records';

const FUNC_NAME_MAX = 80;
const HUNK_HEADER_MAX = 127;
const NO_NEWLINE = Buffer.from('\n\\ No newline at end of file\n', 'latin1');

/** Collects the pieces of a patch and joins them once. */
export class PatchWriter {
  private readonly parts: Uint8Array[] = [];

  text(value: string): void {
    this.parts.push(Buffer.from(value, 'utf8'));
  }

  bytes(value: Uint8Array): void {
    this.parts.push(value);
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function isGitSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** The hunk-header text for record `i` when it qualifies as a function line, else undefined. */
function functionLine(records: LineRecords, i: number): Uint8Array | undefined {
  const start = records.starts[i]!;
  let end = records.starts[i + 1]!;
  if (end <= start) return undefined;
  const first = records.bytes[start]!;
  if (!isAsciiLetter(first) && first !== 0x5f && first !== 0x24) return undefined;
  if (end - start > FUNC_NAME_MAX) end = start + FUNC_NAME_MAX;
  while (end > start && isGitSpace(records.bytes[end - 1]!)) end--;
  return records.bytes.subarray(start, end);
}

/**
 * Length of the longest prefix of `bytes` made of valid UTF-8 characters, by git's rules
 * (no overlong forms, surrogates, U+FFFE/U+FFFF or code points past U+10FFFF).
 */
export function validUtf8Prefix(bytes: Uint8Array): number {
  let p = 0;
  const n = bytes.length;
  while (p < n) {
    const s0 = bytes[p]!;
    const c = (k: number): number => (p + k < n ? bytes[p + k]! : -1);
    const cont = (k: number): boolean => (c(k) & 0xc0) === 0x80 && c(k) >= 0;
    if (s0 < 0x80) {
      p += 1;
    } else if ((s0 & 0xe0) === 0xc0) {
      if (p + 2 > n || !cont(1) || (s0 & 0xfe) === 0xc0) return p;
      p += 2;
    } else if ((s0 & 0xf0) === 0xe0) {
      if (
        p + 3 > n ||
        !cont(1) ||
        !cont(2) ||
        (s0 === 0xe0 && (c(1) & 0xe0) === 0x80) ||
        (s0 === 0xed && (c(1) & 0xe0) === 0xa0) ||
        (s0 === 0xef && c(1) === 0xbf && (c(2) & 0xfe) === 0xbe)
      ) {
        return p;
      }
      p += 3;
    } else if ((s0 & 0xf8) === 0xf0) {
      if (
        p + 4 > n ||
        !cont(1) ||
        !cont(2) ||
        !cont(3) ||
        (s0 === 0xf0 && (c(1) & 0xf0) === 0x80) ||
        (s0 === 0xf4 && c(1) > 0x8f) ||
        s0 > 0xf4
      ) {
        return p;
      }
      p += 4;
    } else {
      return p;
    }
  }
  return n;
}

function writeRecord(out: PatchWriter, records: LineRecords, i: number, prefix: Uint8Array): void {
  const start = records.starts[i]!;
  const end = records.starts[i + 1]!;
  out.bytes(prefix);
  out.bytes(records.bytes.subarray(start, end));
  if (end > start && records.bytes[end - 1] !== 0x0a) out.bytes(NO_NEWLINE);
}

const CONTEXT = Buffer.from(' ');
const REMOVED = Buffer.from('-');
const ADDED = Buffer.from('+');

function range(start: number, count: number): string {
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/**
 * Writes the hunks for `changes` (from `diffRecords(old, new)`) with `context` lines around
 * each. Writes nothing when there are no changes.
 */
export function writeHunks(
  out: PatchWriter,
  oldRecords: LineRecords,
  newRecords: LineRecords,
  changes: readonly LineChange[],
  context: number,
): void {
  let funcName: Uint8Array | undefined;
  let funcSearchLimit = -1;
  let index = 0;
  while (index < changes.length) {
    const first = changes[index]!;
    let lastIndex = index;
    while (lastIndex + 1 < changes.length) {
      const prev = changes[lastIndex]!;
      const next = changes[lastIndex + 1]!;
      if (next.oldStart - (prev.oldStart + prev.oldCount) > 2 * context) break;
      lastIndex++;
    }
    const last = changes[lastIndex]!;

    const s1 = Math.max(first.oldStart - context, 0);
    let s2 = Math.max(first.newStart - context, 0);
    const lastEnd1 = last.oldStart + last.oldCount;
    const lastEnd2 = last.newStart + last.newCount;
    const trailing = Math.min(context, oldRecords.count - lastEnd1, newRecords.count - lastEnd2);
    const e1 = lastEnd1 + trailing;
    const e2 = lastEnd2 + trailing;

    for (let l = s1 - 1; l > funcSearchLimit && l >= 0; l--) {
      const found = functionLine(oldRecords, l);
      if (found !== undefined) {
        funcName = found;
        break;
      }
    }
    funcSearchLimit = s1 - 1;

    const header = Buffer.from(`@@ -${range(s1, e1 - s1)} +${range(s2, e2 - s2)} @@`, 'latin1');
    out.bytes(header);
    if (funcName !== undefined && funcName.length > 0) {
      const room = HUNK_HEADER_MAX - header.length - 1;
      const shown = funcName.length > room ? funcName.subarray(0, room) : funcName;
      out.bytes(Buffer.from(' '));
      out.bytes(shown.subarray(0, validUtf8Prefix(shown)));
    }
    out.bytes(Buffer.from('\n'));

    for (; s2 < first.newStart; s2++) writeRecord(out, newRecords, s2, CONTEXT);
    let p1 = first.oldStart;
    let p2 = first.newStart;
    for (let k = index; k <= lastIndex; k++) {
      const change = changes[k]!;
      for (; p1 < change.oldStart && p2 < change.newStart; p1++, p2++)
        writeRecord(out, newRecords, p2, CONTEXT);
      for (let l = change.oldStart; l < change.oldStart + change.oldCount; l++)
        writeRecord(out, oldRecords, l, REMOVED);
      for (let l = change.newStart; l < change.newStart + change.newCount; l++)
        writeRecord(out, newRecords, l, ADDED);
      p1 = change.oldStart + change.oldCount;
      p2 = change.newStart + change.newCount;
    }
    for (let l = lastEnd2; l < e2; l++) writeRecord(out, newRecords, l, CONTEXT);
    index = lastIndex + 1;
  }
}
