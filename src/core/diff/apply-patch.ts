/**
 * Applying a unified patch of one file (as `formatFilePatch` or `git diff` writes it) to the
 * text it was made from. Strict, like `git apply` without fuzz: every hunk must start where its
 * header says and every context and removed line must match exactly (line ends included), or
 * PatchApplyError is thrown. Used to check that a diff reproduces its target, and by tooling
 * that replays changes (stash, rebase).
 *
 * Headers before the first `@@` are skipped; a patch without hunks (a mode change, a pure
 * rename) returns the text unchanged. Binary patches and multi-file patches are refused.
 */
import { PatchApplyError } from '../errors/diff-errors';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Lines of `text`, each with its `\n` (the last one may lack it). */
function splitKeepingNewlines(text: string): string[] {
  const lines: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const eol = text.indexOf('\n', pos);
    const end = eol < 0 ? text.length : eol + 1;
    lines.push(text.slice(pos, end));
    pos = end;
  }
  return lines;
}

export function applyPatch(oldText: string, patch: string): string {
  const patchLines = patch.split('\n');
  if (patchLines[patchLines.length - 1] === '') patchLines.pop();
  let sections = 0;
  for (const line of patchLines) {
    if (line.startsWith('diff --git ')) sections++;
    if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
      throw new PatchApplyError('binary patches cannot be applied as text');
    }
  }
  if (sections > 1)
    throw new PatchApplyError('the patch changes more than one file (or the type of a file)');

  const oldLines = splitKeepingNewlines(oldText);
  const out: string[] = [];
  let consumed = 0; // old lines already copied or replaced
  let p = 0;
  while (p < patchLines.length && !patchLines[p]!.startsWith('@@ ')) p++;

  while (p < patchLines.length) {
    const header = HUNK_HEADER.exec(patchLines[p]!);
    if (header === null)
      throw new PatchApplyError(`expected a hunk header, got '${patchLines[p]!}'`, { line: p + 1 });
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const newCount = header[4] === undefined ? 1 : Number(header[4]);
    // For an empty old side the start names the line before the hunk.
    const oldStart = oldCount === 0 ? Number(header[1]) : Number(header[1]) - 1;
    if (oldStart < consumed || oldStart > oldLines.length) {
      throw new PatchApplyError(`hunk at old line ${header[1]!} is out of place`, { line: p + 1 });
    }
    while (consumed < oldStart) out.push(oldLines[consumed++]!);
    p++;

    let seenOld = 0;
    let seenNew = 0;
    while (seenOld < oldCount || seenNew < newCount) {
      const line = patchLines[p];
      if (line === undefined) throw new PatchApplyError('the patch ends inside a hunk');
      const marker = line[0];
      const noNewline = patchLines[p + 1]?.startsWith('\\') === true;
      const text = line.slice(1) + (noNewline ? '' : '\n');
      if (marker === ' ' || marker === '-') {
        const actual = oldLines[consumed];
        if (actual !== text) {
          throw new PatchApplyError(`line ${consumed + 1} does not match the patch`, {
            line: consumed + 1,
          });
        }
        consumed++;
        seenOld++;
        if (marker === ' ') {
          out.push(text);
          seenNew++;
        }
      } else if (marker === '+') {
        out.push(text);
        seenNew++;
      } else {
        throw new PatchApplyError(`unexpected line in hunk: '${line}'`, { line: p + 1 });
      }
      p += noNewline ? 2 : 1;
    }
    if (seenOld !== oldCount || seenNew !== newCount)
      throw new PatchApplyError('hunk line counts do not match its header');
  }
  while (consumed < oldLines.length) out.push(oldLines[consumed++]!);
  return out.join('');
}
