/**
 * Path globs of the search routes (api-contract.md §5.2), matched against the whole path:
 * `*` any run of characters within one segment, `**` any run across segments (`a/**` also
 * matches `a` itself; `**\/x` also matches `x` at the root), `?` one character other than `/`,
 * `[...]` a class (`[!...]` or `[^...]` negated, ranges `a-z`), `\` escapes the next character.
 * The glob is translated to RE2 and run on re2js, so no glob can make matching slower than
 * linear in the path length.
 */
import { RE2JS } from 're2js';
import { InvalidPatternError } from './search-errors';

export type PathPredicate = (path: string) => boolean;

const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, (c) => `\\${c}`);
}

/** Translates a glob to an anchored RE2 source; InvalidPatternError for an unclosed class. */
export function globToRegex(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        i += 2;
        if (atSegmentStart && glob[i] === '/') {
          out += '(?:.*/)?';
          i++;
        } else if (atSegmentStart && i === glob.length && out.endsWith('/')) {
          out = `${out.slice(0, -1)}(?:/.*)?`;
        } else {
          out += '.*';
        }
      } else {
        out += '[^/]*';
        i++;
      }
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '[') {
      const close = classEnd(glob, i);
      if (close < 0) throw new InvalidPatternError(`unclosed '[' in glob '${glob}'`, i);
      let body = glob.slice(i + 1, close);
      let negated = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negated = true;
        body = body.slice(1);
      }
      const escaped = body.replace(/[\\\][^]/g, (ch) => `\\${ch}`);
      out += negated ? `[^/${escaped}]` : `[${escaped}]`;
      i = close + 1;
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1] as string);
      i += 2;
    } else {
      out += escapeRegex(c);
      i++;
    }
  }
  return `^${out}$`;
}

/** Index of the `]` closing the class opened at `open`, or -1. */
function classEnd(glob: string, open: number): number {
  let i = open + 1;
  if (glob[i] === '!' || glob[i] === '^') i++;
  if (glob[i] === ']') i++;
  while (i < glob.length) {
    if (glob[i] === ']') return i;
    i++;
  }
  return -1;
}

/**
 * A predicate for the glob; undefined or empty glob matches everything. Globs longer than
 * `maxLength` are InvalidPatternError, like over-long search patterns.
 */
export function compileGlob(glob: string | undefined, maxLength = 1000): PathPredicate {
  if (glob === undefined || glob === '') return () => true;
  if (glob.length > maxLength) {
    throw new InvalidPatternError(`glob is longer than ${maxLength} characters`, maxLength);
  }
  const source = globToRegex(glob);
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, RE2JS.DOTALL);
  } catch {
    throw new InvalidPatternError(`glob '${glob}' cannot be compiled`);
  }
  return (path) => re.matches(path);
}
