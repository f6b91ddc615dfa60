/**
 * Three-way merge of file contents, byte-identical to what git writes for a conflicted file
 * (`git merge-file`, `git merge-tree --write-tree`, `git merge`): the regions come from
 * merge-hunks.ts; this file renders them with git's conflict markers
 *
 *     <<<<<<< ours-label
 *     ours' lines
 *     ||||||| base-label          (diff3 and zdiff3 styles only)
 *     base lines
 *     =======
 *     theirs' lines
 *     >>>>>>> theirs-label
 *
 * A side whose region does not end in a newline gets one before the next marker, and markers
 * end in CRLF when the surrounding lines do (git's is_cr_needed rule), so a CRLF file stays
 * CRLF. Binary content (a NUL in the first 8000 bytes of any of the three) is never merged
 * line by line: the result is ours and a conflict, as git's binary driver does — except in a
 * merge of merge bases (`virtualAncestor`), where git keeps the base and calls it clean.
 *
 * Relies on: diff/line-records (records), diff/binary-content, merge-hunks.ts.
 */
import { isBinaryContent } from '../diff/binary-content';
import { LineInterner, type LineRecords } from '../diff/line-records';
import {
  computeMergeHunks,
  type ConflictStyle,
  type MergeHunk,
  type MergeInputs,
} from './merge-hunks';

export type { ConflictStyle } from './merge-hunks';

/** How conflict markers name each side; git uses branch names, `name:path` after a rename. */
export interface MergeLabels {
  readonly ours: string;
  readonly theirs: string;
  /** Only shown by the diff3 styles. */
  readonly base?: string;
}

export interface BlobMergeOptions {
  readonly labels: MergeLabels;
  /** `merge` (git's default conflictstyle), `diff3` or `zdiff3`. */
  readonly style?: ConflictStyle;
  /** Length of each marker run; git's default is 7. */
  readonly markerSize?: number;
  /** True in a merge of merge bases: binary content then keeps the base, cleanly. */
  readonly virtualAncestor?: boolean;
}

export interface BlobMergeResult {
  /** The merged bytes, with conflict markers where the sides disagree. */
  readonly content: Buffer;
  readonly clean: boolean;
  /** Number of conflict regions written (0 when clean; 1 for a binary conflict). */
  readonly conflicts: number;
  /** True when the content was treated as binary and not merged line by line. */
  readonly binary: boolean;
}

export type BlobContent = string | Uint8Array;

export const DEFAULT_MARKER_SIZE = 7;

function toBuffer(content: BlobContent | null): Buffer {
  if (content === null) return Buffer.alloc(0);
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

function recordLength(records: LineRecords, i: number): number {
  return records.starts[i + 1]! - records.starts[i]!;
}

/** git's is_eol_crlf: 1 when line `i` ends in CRLF, 0 for LF, -1 when it cannot tell. */
function eolIsCrlf(records: LineRecords, i: number): number {
  const bytes = records.bytes;
  const endsWithCr = (line: number): number => {
    const size = recordLength(records, line);
    return size > 1 && bytes[records.starts[line]! + size - 2] === 0x0d ? 1 : 0;
  };
  if (i < records.count - 1) return endsWithCr(i);
  if (records.count === 0) return -1;
  const size = recordLength(records, i);
  if (size > 0 && bytes[records.starts[i]! + size - 1] === 0x0a) return endsWithCr(i);
  if (i === 0) return -1;
  return endsWithCr(i - 1);
}

class MergeWriter {
  private readonly chunks: Uint8Array[] = [];
  private readonly markerSize: number;

  constructor(
    private readonly inputs: MergeInputs,
    private readonly options: BlobMergeOptions,
  ) {
    this.markerSize =
      options.markerSize !== undefined && options.markerSize > 0
        ? options.markerSize
        : DEFAULT_MARKER_SIZE;
  }

  /** Records `[start, start + count)`; with `addNewline`, ends them with a newline if needed. */
  copy(
    records: LineRecords,
    start: number,
    count: number,
    needsCr: boolean,
    addNewline: boolean,
  ): void {
    if (count < 1) return;
    const from = records.starts[start]!;
    const to = records.starts[start + count]!;
    this.chunks.push(records.bytes.subarray(from, to));
    if (addNewline && (to === from || records.bytes[to - 1] !== 0x0a))
      this.text(needsCr ? '\r\n' : '\n');
  }

  private text(value: string): void {
    this.chunks.push(Buffer.from(value, 'utf8'));
  }

  private marker(char: string, label: string | undefined, needsCr: boolean): void {
    this.text(
      `${char.repeat(this.markerSize)}${label === undefined ? '' : ` ${label}`}${needsCr ? '\r\n' : '\n'}`,
    );
  }

  /** git's is_cr_needed: CRLF markers when both sides' neighbouring lines (and the base) use CRLF. */
  private needsCr(hunk: MergeHunk): boolean {
    let crlf = eolIsCrlf(this.inputs.ours, hunk.i1 > 0 ? hunk.i1 - 1 : 0);
    if (crlf !== 0) crlf = eolIsCrlf(this.inputs.theirs, hunk.i2 > 0 ? hunk.i2 - 1 : 0);
    if (crlf !== 0) crlf = eolIsCrlf(this.inputs.base, 0);
    return crlf > 0;
  }

  conflict(hunk: MergeHunk, style: ConflictStyle): void {
    const needsCr = this.needsCr(hunk);
    const { labels } = this.options;
    this.marker('<', labels.ours, needsCr);
    this.copy(this.inputs.ours, hunk.i1, hunk.chg1, needsCr, true);
    if (style !== 'merge') {
      this.marker('|', labels.base, needsCr);
      this.copy(this.inputs.base, hunk.i0, hunk.chg0, needsCr, true);
    }
    this.marker('=', undefined, needsCr);
    this.copy(this.inputs.theirs, hunk.i2, hunk.chg2, needsCr, true);
    this.marker('>', labels.theirs, needsCr);
  }

  /** A clean region: ours' lines or theirs' lines, as they are. */
  clean(hunk: MergeHunk): void {
    if (hunk.mode === 1) this.copy(this.inputs.ours, hunk.i1, hunk.chg1, false, false);
    else this.copy(this.inputs.theirs, hunk.i2, hunk.chg2, false, false);
  }

  result(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function render(
  inputs: MergeInputs,
  hunks: readonly MergeHunk[],
  options: BlobMergeOptions,
  style: ConflictStyle,
): BlobMergeResult {
  const writer = new MergeWriter(inputs, options);
  let conflicts = 0;
  let next = 0; // first line of ours not yet written
  for (const hunk of hunks) {
    if (hunk.mode === 4) continue; // identical on both sides: ours' copy covers it
    writer.copy(inputs.ours, next, hunk.i1 - next, false, false);
    if (hunk.mode === 0) {
      writer.conflict(hunk, style);
      conflicts++;
    } else {
      writer.clean(hunk);
    }
    next = hunk.i1 + hunk.chg1;
  }
  writer.copy(inputs.ours, next, inputs.ours.count - next, false, false);
  return { content: writer.result(), clean: conflicts === 0, conflicts, binary: false };
}

/**
 * Merges `ours` and `theirs` relative to `base` (null or empty for a two-way merge of two
 * additions). Pure: returns the merged bytes and whether they are free of conflicts.
 */
export function mergeBlobs(
  base: BlobContent | null,
  ours: BlobContent,
  theirs: BlobContent,
  options: BlobMergeOptions,
): BlobMergeResult {
  const baseBytes = toBuffer(base);
  const oursBytes = toBuffer(ours);
  const theirsBytes = toBuffer(theirs);
  if (isBinaryContent(baseBytes) || isBinaryContent(oursBytes) || isBinaryContent(theirsBytes)) {
    if (options.virtualAncestor === true)
      return { content: baseBytes, clean: true, conflicts: 0, binary: true };
    return { content: oursBytes, clean: false, conflicts: 1, binary: true };
  }
  const interner = new LineInterner();
  const inputs: MergeInputs = {
    base: interner.records(baseBytes),
    ours: interner.records(oursBytes),
    theirs: interner.records(theirsBytes),
    interner,
  };
  const style = options.style ?? 'merge';
  const hunks = computeMergeHunks(inputs, style);
  if (hunks === 'ours') return { content: oursBytes, clean: true, conflicts: 0, binary: false };
  if (hunks === 'theirs') return { content: theirsBytes, clean: true, conflicts: 0, binary: false };
  return render(inputs, hunks, options, style);
}
