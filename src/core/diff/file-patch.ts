/**
 * The patch text of one file pair, identical to what `git diff` prints for it, plus the
 * `--numstat` line counts.
 *
 * Header rules (git's): `diff --git a/<old> b/<new>`; `new file mode`/`deleted file mode` for a
 * missing side, else `old mode`/`new mode` when modes differ; for a rename `similarity index`,
 * `rename from`, `rename to`; `index <7 hex>..<7 hex>` when the ids differ, with the mode
 * appended when both modes are equal; `--- a/<p>`/`+++ b/<p>` (or `/dev/null`, and a trailing
 * TAB when the label contains a space) only before the first hunk. A pair whose type changes
 * (file <-> symlink <-> submodule) is printed as a deletion followed by an addition. Binary
 * content (see binary-content.ts) prints `Binary files <a> and <b> differ` and counts 0 lines.
 *
 * Difference from git, documented: ids are always abbreviated to 7 hex digits; git lengthens
 * an abbreviation that is ambiguous in the repository (practically never below ~10^5 objects).
 */
import type { Oid } from '../objects/oid';
import { isBinaryContent } from './binary-content';
import { diffLines, type LineChange } from './line-diff';
import { quotePath, quotePrefixedPath } from './path-quoting';
import { PatchWriter, writeHunks } from './unified-hunks';

/** One side of a file pair. `content` is the blob (symlink target, `Subproject commit ...`). */
export interface PatchSide {
  readonly path: string;
  readonly mode: string;
  readonly oid: Oid;
  readonly content: Uint8Array;
}

export interface FilePatchInput {
  /** null when the file is added. */
  readonly old: PatchSide | null;
  /** null when the file is deleted. */
  readonly new: PatchSide | null;
  /** Rename similarity in percent (0-100); only for renames. */
  readonly similarity?: number;
  /** Lines of context around changes; default 3. */
  readonly context?: number;
}

export interface FilePatch {
  /** The patch text (UTF-8 decoded; a file with invalid UTF-8 shows U+FFFD where git shows bytes). */
  readonly text: string;
  /** The same patch as raw bytes, exactly git's output. */
  readonly bytes: Buffer;
  readonly additions: number;
  readonly deletions: number;
  readonly binary: boolean;
}

const NULL_ABBREV = '0000000';

/** The file type part of a mode: regular files (644 or 755) are one type. */
export function modeType(mode: string): 'file' | 'symlink' | 'gitlink' | 'tree' | 'other' {
  switch (mode) {
    case '100644':
    case '100755':
    case '100664':
      return 'file';
    case '120000':
      return 'symlink';
    case '160000':
      return 'gitlink';
    case '40000':
    case '040000':
      return 'tree';
    default:
      return 'other';
  }
}

function paddedMode(mode: string): string {
  return mode.padStart(6, '0');
}

function sumChanges(changes: readonly LineChange[]): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const change of changes) {
    additions += change.newCount;
    deletions += change.oldCount;
  }
  return { additions, deletions };
}

/** Writes one `diff --git` section for sides that are of the same type (or absent). */
function writeSection(
  out: PatchWriter,
  input: FilePatchInput,
  oldSide: PatchSide | null,
  newSide: PatchSide | null,
): { additions: number; deletions: number } | undefined {
  const context = input.context ?? 3;
  const nameA = (oldSide ?? newSide)!.path;
  const nameB = (newSide ?? oldSide)!.path;
  const labelA = quotePrefixedPath('a/', nameA);
  const labelB = quotePrefixedPath('b/', nameB);
  const lineA = oldSide ? labelA : '/dev/null';
  const lineB = newSide ? labelB : '/dev/null';

  let header = `diff --git ${labelA} ${labelB}\n`;
  let mustShowHeader = false;
  const renamed =
    oldSide !== null &&
    newSide !== null &&
    input.similarity !== undefined &&
    oldSide.path !== newSide.path;
  let meta = '';
  if (renamed) {
    meta += `similarity index ${input.similarity}%\nrename from ${quotePath(oldSide.path)}\nrename to ${quotePath(newSide.path)}\n`;
  }
  const oldOid = oldSide?.oid;
  const newOid = newSide?.oid;
  if (oldOid !== newOid) {
    meta += `index ${oldOid?.slice(0, 7) ?? NULL_ABBREV}..${newOid?.slice(0, 7) ?? NULL_ABBREV}`;
    if (oldSide && newSide && oldSide.mode === newSide.mode) meta += ` ${paddedMode(oldSide.mode)}`;
    meta += '\n';
  }
  if (!oldSide) {
    header += `new file mode ${paddedMode(newSide!.mode)}\n${meta}`;
    mustShowHeader = true;
  } else if (!newSide) {
    header += `deleted file mode ${paddedMode(oldSide.mode)}\n${meta}`;
    mustShowHeader = true;
  } else {
    if (oldSide.mode !== newSide.mode) {
      header += `old mode ${paddedMode(oldSide.mode)}\nnew mode ${paddedMode(newSide.mode)}\n`;
      mustShowHeader = true;
    }
    header += meta;
    if (renamed) mustShowHeader = true;
  }

  const oldContent = oldSide?.content ?? new Uint8Array(0);
  const newContent = newSide?.content ?? new Uint8Array(0);
  if (isBinaryContent(oldContent) || isBinaryContent(newContent)) {
    if (Buffer.compare(oldContent, newContent) === 0) {
      if (mustShowHeader) out.text(header);
      return undefined;
    }
    out.text(header);
    out.text(`Binary files ${lineA} and ${lineB} differ\n`);
    return undefined;
  }

  const diff = diffLines(oldContent, newContent, { trimTail: context === 0 });
  const counts = sumChanges(diff.changes);
  if (diff.changes.length === 0) {
    if (mustShowHeader) out.text(header);
    return counts;
  }
  out.text(header);
  out.text(
    `--- ${lineA}${lineA.includes(' ') ? '\t' : ''}\n+++ ${lineB}${lineB.includes(' ') ? '\t' : ''}\n`,
  );
  writeHunks(out, diff.old, diff.new, diff.changes, context);
  return counts;
}

/** The patch and counts of one file pair (both sides null is a caller error). */
export function formatFilePatch(input: FilePatchInput): FilePatch {
  const { old: oldSide, new: newSide } = input;
  if (!oldSide && !newSide) throw new TypeError('formatFilePatch needs at least one side');
  const context = input.context ?? 3;
  const out = new PatchWriter();
  const oldContent = oldSide?.content ?? new Uint8Array(0);
  const newContent = newSide?.content ?? new Uint8Array(0);
  const binary = isBinaryContent(oldContent) || isBinaryContent(newContent);
  let counts: { additions: number; deletions: number } | undefined;
  if (oldSide && newSide && modeType(oldSide.mode) !== modeType(newSide.mode)) {
    // git prints a type change as two sections but counts it (numstat) as one text diff.
    writeSection(out, input, oldSide, null);
    writeSection(out, input, null, newSide);
    if (!binary)
      counts = sumChanges(diffLines(oldContent, newContent, { trimTail: context === 0 }).changes);
  } else {
    counts = writeSection(out, input, oldSide, newSide);
  }
  counts ??= { additions: 0, deletions: 0 };
  const bytes = out.toBuffer();
  return {
    text: bytes.toString('utf8'),
    bytes,
    additions: counts.additions,
    deletions: counts.deletions,
    binary,
  };
}
