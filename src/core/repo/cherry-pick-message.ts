/**
 * Messages of picked commits, byte for byte as git's sequencer writes them:
 *
 * - cherry-pick (`git cherry-pick -x`): the original message, then `(cherry picked from commit
 *   <40 hex>)` on its own line. A blank line separates the two unless the message already ends
 *   with a trailer block (`Signed-off-by: ...`, `Key: value` lines, an earlier "cherry picked"
 *   line), found with git's trailer rules (trailer.c find_trailer_start);
 * - revert: `Revert "<subject>"`, a blank line, `This reverts commit <40 hex>.` (for a merge
 *   commit `..., reversing\nchanges made to <mainline parent>.`). git 2.39 has no "Reapply"
 *   rule for reverting a revert, and neither do we.
 *
 * Both go through git's whitespace cleanup (`strbuf_stripspace` without comment stripping):
 * trailing whitespace off every line, runs of blank lines squeezed to one, none at either end.
 */
import type { Oid } from '../objects/oid';

/** git's isspace: space, tab, newline, carriage return (not \v or \f). */
function isGitSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

function rtrimGitSpace(line: string): string {
  let end = line.length;
  while (end > 0 && isGitSpace(line[end - 1])) end--;
  return line.slice(0, end);
}

/**
 * git's `strbuf_stripspace(sb, NULL)`: each line loses its trailing whitespace, blank lines at
 * the start and end disappear, inner runs of blank lines become one; every line ends in `\n`.
 * An all-blank message becomes ''.
 */
export function stripSpace(message: string): string {
  let out = '';
  let blanks = 0;
  for (const raw of message.split('\n')) {
    const line = rtrimGitSpace(raw);
    if (line === '') {
      blanks++;
      continue;
    }
    if (blanks > 0 && out !== '') out += '\n';
    blanks = 0;
    out += `${line}\n`;
  }
  return out;
}

/** The subject git's sequencer quotes: the first line that is not only spaces. */
export function pickSubject(message: string): string {
  const lines = message.split('\n');
  const first = lines.find((line) => !/^ *$/.test(line));
  return first ?? '';
}

const GIT_GENERATED_PREFIXES = ['Signed-off-by: ', '(cherry picked from commit '];

/** trailer.c find_separator with separators ":": the colon's index, or -1. */
function separatorIndex(line: string): number {
  let whitespaceFound = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ':') return i;
    if (!whitespaceFound && (/[A-Za-z0-9]/.test(c) || c === '-')) continue;
    if (i !== 0 && (c === ' ' || c === '\t')) {
      whitespaceFound = true;
      continue;
    }
    break;
  }
  return -1;
}

function isBlankLine(line: string): boolean {
  return /^[ \t\r]*$/.test(line);
}

/**
 * The length of `text` without what git's trailer parser ignores at its end: a final run of
 * blank lines, `#` comment lines and old-style `Conflicts:` blocks (ignored_log_message_bytes).
 */
function meaningfulLength(lines: readonly string[]): number {
  let boc = -1;
  let inConflicts = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Only a truly empty line counts here (git tests buf[bol] == '\n'), not a spaces-only one.
    if (line.startsWith('#') || line === '') {
      if (boc < 0) boc = i;
    } else if (line === 'Conflicts:') {
      inConflicts = true;
      if (boc < 0) boc = i;
    } else if (inConflicts && line.startsWith('\t')) {
      // a path of the conflicts block
    } else if (boc >= 0) {
      boc = -1;
      inConflicts = false;
    }
  }
  return boc < 0 ? lines.length : boc;
}

/**
 * True when the message ends with a trailer block, by git's rules: below the title paragraph,
 * the last paragraph's lines are all trailers (`Token: value`, continuation lines indented), or
 * it holds a git-generated trailer and at least a quarter of its lines are trailers.
 */
export function endsWithTrailerBlock(message: string): boolean {
  const all = message.endsWith('\n') ? message.slice(0, -1).split('\n') : message.split('\n');
  const lines = all.slice(0, meaningfulLength(all));

  // The first paragraph is the title and cannot hold trailers (comment lines are skipped).
  let endOfTitle = 0;
  while (endOfTitle < lines.length) {
    const line = lines[endOfTitle]!;
    if (!line.startsWith('#') && isBlankLine(line)) break;
    endOfTitle++;
  }

  let onlySpaces = true;
  let recognizedPrefix = false;
  let trailerLines = 0;
  let nonTrailerLines = 0;
  let possibleContinuationLines = 0;
  for (let i = lines.length - 1; i >= endOfTitle; i--) {
    const line = lines[i]!;
    if (line.startsWith('#')) {
      nonTrailerLines += possibleContinuationLines;
      possibleContinuationLines = 0;
      continue;
    }
    if (isBlankLine(line)) {
      if (onlySpaces) continue;
      nonTrailerLines += possibleContinuationLines;
      if (recognizedPrefix && trailerLines * 3 >= nonTrailerLines) return true;
      return trailerLines > 0 && nonTrailerLines === 0;
    }
    onlySpaces = false;
    if (GIT_GENERATED_PREFIXES.some((prefix) => line.startsWith(prefix))) {
      trailerLines++;
      possibleContinuationLines = 0;
      recognizedPrefix = true;
      continue;
    }
    const separator = separatorIndex(line);
    if (separator >= 1 && !isGitSpace(line[0])) {
      trailerLines++;
      possibleContinuationLines = 0;
    } else if (isGitSpace(line[0])) {
      possibleContinuationLines++;
    } else {
      nonTrailerLines += 1 + possibleContinuationLines;
      possibleContinuationLines = 0;
    }
  }
  return false;
}

/** `git cherry-pick -x`'s message for a commit with message `original` and id `oid`. */
export function cherryPickMessage(original: string, oid: Oid): string {
  let message = original;
  if (message !== '' && !message.endsWith('\n')) message += '\n';
  if (!endsWithTrailerBlock(message)) message += '\n';
  message += `(cherry picked from commit ${oid})\n`;
  return stripSpace(message);
}

/** `git revert`'s message; `parent` is the mainline parent when reverting a merge commit. */
export function revertMessage(original: string, oid: Oid, parent?: Oid): string {
  let message = `Revert "${pickSubject(original)}"\n\nThis reverts commit ${oid}`;
  if (parent !== undefined) message += `, reversing\nchanges made to ${parent}`;
  return stripSpace(`${message}.\n`);
}
