/**
 * Blame: for each line of a file at a commit, the commit that introduced it, found the way
 * `git blame` finds it (without -M/-C). Starting at the commit, lines are handed down the
 * history: a line unchanged between a parent's version and this version (by the same line
 * diff as `git diff`, with git's zero-context tail trimming) belongs to that parent from then
 * on; a line no parent has is this commit's.
 *
 * Merges, as in git: if some parent has the identical file, every line goes to the first such
 * parent; otherwise the parents are tried in order and each takes the lines it has, so the
 * first parent wins a line several parents share. A parent whose file is the same as an earlier
 * parent's is skipped. A parent where the path is missing, or is of another type (a symlink
 * for a file), takes nothing.
 *
 * Documented difference from git: renames are not followed. `git blame` finds a whole-file
 * rename in a parent and continues under the old name; here a line of a renamed file is
 * attributed to the rename commit (the API contract's rule).
 *
 * Commits are visited newest first by committer time, each once for all the lines that reached
 * it; every blob is split into lines once, so a walk costs about one small diff per commit.
 */
import { BinaryBlameError, InvalidBlameRangeError } from '../errors/diff-errors';
import { FileNotFoundError } from '../errors/path-errors';
import { isBinaryContent } from '../diff/binary-content';
import { modeType } from '../diff/file-patch';
import { computeChangeFlags } from '../diff/line-diff';
import { LineInterner, trimCommonTail, type LineRecords } from '../diff/line-records';
import { isTreeMode } from '../objects/file-mode';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import type { TreeEntry } from '../objects/tree';
import { PriorityQueue } from './priority-queue';

export interface BlameLine {
  /** 1-based line number in the blamed version. */
  readonly lineNumber: number;
  /** The line without its newline (a CR of CRLF is kept, as git shows it). */
  readonly content: string;
  /** The commit that introduced the line. */
  readonly commit: Oid;
  /** 1-based line number of the line in that commit's version of the file. */
  readonly originalLineNumber: number;
}

export interface BlameOptions {
  /** First line to return, 1-based; default 1. */
  readonly start?: number;
  /** Last line to return, 1-based inclusive; default (and capped at) the last line. */
  readonly end?: number;
  /** How the caller named the revision, for the not-found message (default: the commit id). */
  readonly revisionLabel?: string;
}

/** The entry at `path` in a tree, or undefined (missing, or a directory on the way is not one). */
function entryAtPath(db: ObjectDatabase, tree: Oid, path: string): TreeEntry | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  let current = tree;
  for (let i = 0; i < parts.length; i++) {
    const entry = db.readTree(current).find((e) => e.name === parts[i]);
    if (entry === undefined) return undefined;
    if (i === parts.length - 1) return entry;
    if (!isTreeMode(entry.mode)) return undefined;
    current = entry.oid;
  }
  return undefined;
}

interface Suspects {
  readonly blob: Oid;
  readonly mode: string;
  /** Pairs (line index in this commit's version, index of the final line), flattened. */
  readonly lines: number[];
}

/** The first `length` bytes' worth of records (length falls on a line boundary). */
function prefixRecords(records: LineRecords, length: number): LineRecords {
  if (length === records.starts[records.count]) return records;
  let lo = 0;
  let hi = records.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (records.starts[mid]! < length) lo = mid + 1;
    else hi = mid;
  }
  return {
    bytes: records.bytes.subarray(0, length),
    starts: records.starts,
    ids: records.ids,
    count: lo,
  };
}

/**
 * Blames `path` as of `commit`. Throws FileNotFoundError when the path is not a file there,
 * BinaryBlameError for binary content, InvalidBlameRangeError for a bad range. An empty file
 * gives [].
 */
export function blame(
  db: ObjectDatabase,
  commit: Oid,
  path: string,
  options: BlameOptions = {},
): BlameLine[] {
  const label = options.revisionLabel ?? commit;
  const start = options.start ?? 1;
  const requested = options.end === undefined ? { start } : { start, end: options.end };
  if (!Number.isInteger(start) || start < 1) {
    throw new InvalidBlameRangeError(path, 'start must be a line number >= 1', requested);
  }
  if (options.end !== undefined && (!Number.isInteger(options.end) || options.end < start)) {
    throw new InvalidBlameRangeError(path, 'end must be >= start', requested);
  }

  const head = db.readCommit(commit);
  const target = entryAtPath(db, head.tree, path);
  const targetType = target === undefined ? 'missing' : modeType(target.mode);
  if (target === undefined || (targetType !== 'file' && targetType !== 'symlink')) {
    throw new FileNotFoundError(path, `file '${path}' not found at ref '${label}'`);
  }
  const content = db.readBlob(target.oid);
  if (isBinaryContent(content)) throw new BinaryBlameError(path);

  const interner = new LineInterner();
  const recordsByBlob = new Map<Oid, LineRecords>();
  const recordsOf = (blob: Oid, similar?: LineRecords): LineRecords => {
    let records = recordsByBlob.get(blob);
    if (records === undefined) {
      const bytes = db.readBlob(blob);
      records = interner.records(bytes, bytes.length, similar);
      recordsByBlob.set(blob, records);
    }
    return records;
  };
  const final = recordsOf(target.oid);
  if (final.count === 0) return [];
  if (start > final.count) {
    throw new InvalidBlameRangeError(path, `start is past the last line (${final.count})`, {
      ...requested,
      lines: final.count,
    });
  }
  const end = Math.min(options.end ?? final.count, final.count);
  // One decode for all lines: a newline byte never sits inside a UTF-8 sequence.
  const texts = Buffer.from(content.buffer, content.byteOffset, content.byteLength)
    .toString('utf8')
    .split('\n');

  /** For each line of `child`, its index in `parent`, or -1 when the diff says it is new. */
  const mappingCache = new Map<string, Int32Array>();
  const lineMapping = (parentBlob: Oid, childBlob: Oid): Int32Array => {
    const key = `${parentBlob}:${childBlob}`;
    const cached = mappingCache.get(key);
    if (cached !== undefined) return cached;
    const child = recordsOf(childBlob);
    const parent = recordsOf(parentBlob, child); // usually a small edit away: reuse its lines
    const [parentLength, childLength] = trimCommonTail(parent.bytes, child.bytes);
    const a = prefixRecords(parent, parentLength);
    const b = prefixRecords(child, childLength);
    const { oldChanged, newChanged } = computeChangeFlags(a, b, interner);
    const mapping = new Int32Array(child.count);
    let i = 0;
    for (let j = 0; j < b.count; j++) {
      if (newChanged[j + 1]) {
        mapping[j] = -1;
        continue;
      }
      while (i < a.count && oldChanged[i + 1]) i++;
      mapping[j] = i++;
    }
    for (let j = b.count; j < child.count; j++) mapping[j] = j - b.count + a.count;
    mappingCache.set(key, mapping);
    return mapping;
  };

  const result = new Array<BlameLine | undefined>(end - start + 1);
  const pending = new Map<Oid, Suspects>();
  // Newest first by committer time, first-in first-out on ties; values index `queued`.
  const queue = new PriorityQueue();
  const queued: Oid[] = [];
  const enqueue = (oid: Oid, time: number): void => {
    queue.push(queued.length, time, queued.length);
    queued.push(oid);
  };
  const initial: number[] = [];
  for (let line = start - 1; line < end; line++) initial.push(line, line);
  pending.set(commit, { blob: target.oid, mode: target.mode, lines: initial });
  enqueue(commit, head.committer.timestamp);

  /** Queues lines (pairs, see Suspects) for a parent; the first batch queues the commit. */
  const handOver = (parent: Oid, blob: Oid, mode: string, lines: number[]): void => {
    if (lines.length === 0) return;
    const suspects = pending.get(parent);
    if (suspects === undefined) {
      pending.set(parent, { blob, mode, lines });
      enqueue(parent, db.readCommit(parent).committer.timestamp);
    } else {
      for (const value of lines) suspects.lines.push(value);
    }
  };

  while (queue.size > 0) {
    const oid = queued[queue.pop()]!;
    const suspects = pending.get(oid);
    if (suspects === undefined) continue;
    pending.delete(oid);
    const current = db.readCommit(oid);
    let remaining = suspects.lines;

    const origins = current.parents.map((parent) => {
      const entry = entryAtPath(db, db.readCommit(parent).tree, path);
      return entry !== undefined && modeType(entry.mode) === modeType(suspects.mode)
        ? entry
        : undefined;
    });
    const whole = origins.findIndex((entry) => entry?.oid === suspects.blob);
    if (whole >= 0) {
      handOver(current.parents[whole]!, suspects.blob, suspects.mode, remaining);
      continue;
    }
    for (let p = 0; p < origins.length && remaining.length > 0; p++) {
      const origin = origins[p];
      if (origin === undefined) continue;
      if (origins.slice(0, p).some((earlier) => earlier?.oid === origin.oid)) continue;
      const mapping = lineMapping(origin.oid, suspects.blob);
      const kept: number[] = [];
      const passed: number[] = [];
      for (let k = 0; k < remaining.length; k += 2) {
        const line = remaining[k]!;
        const mapped = mapping[line]!;
        if (mapped >= 0) passed.push(mapped, remaining[k + 1]!);
        else kept.push(line, remaining[k + 1]!);
      }
      handOver(current.parents[p]!, origin.oid, origin.mode, passed);
      remaining = kept;
    }
    for (let k = 0; k < remaining.length; k += 2) {
      const line = remaining[k]!;
      const finalLine = remaining[k + 1]!;
      result[finalLine - (start - 1)] = {
        lineNumber: finalLine + 1,
        content: texts[finalLine]!,
        commit: oid,
        originalLineNumber: line + 1,
      };
    }
  }
  return result.map((line, i) => {
    if (line === undefined) throw new Error(`blame lost line ${start + i} of ${path}`);
    return line;
  });
}
