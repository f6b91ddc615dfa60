/**
 * Text matching for every search route (api-contract.md §5.1): a case-insensitive substring by
 * default, exact with `caseSensitive`, an RE2 regex (re2js: linear time, no backtracking) with
 * `regex`; plus grep's whole-word and whole-line modes. Ranges are UTF-16 offsets of the line;
 * `utf8Offset` converts them to the UTF-8 byte offsets the API reports.
 *
 * Patterns the engine refuses become InvalidPatternError with a reason a person can act on
 * (backreference, lookaround, possessive quantifier) and the byte position when known.
 */
import { RE2JS, RE2JSException } from 're2js';
import { foldCase, isAscii } from './case-fold';
import { requiredLiterals } from './regex-literals';
import { InvalidPatternError } from './search-errors';

export interface MatchOptions {
  readonly pattern: string;
  readonly regex?: boolean;
  readonly caseSensitive?: boolean;
  /** grep -w: a match must not touch a word character ([A-Za-z0-9_]) on either side. */
  readonly wordRegexp?: boolean;
  /** grep -x: a match must span the whole line. */
  readonly lineRegexp?: boolean;
  readonly maxPatternLength: number;
}

/** [start, end) in UTF-16 units of the line. */
export type Range = readonly [number, number];

export interface TextMatcher {
  /** Every match in the line, leftmost first, not overlapping (an empty match advances by 1). */
  matchLine(line: string): Range[];
  /** False only when no line of `text` can match (a cheap whole-text check first). */
  mayMatch(text: string): boolean;
  /** Folded literals every match contains (the trigram prefilter); [] when none is usable. */
  readonly literals: readonly string[];
}

/** At most this many ranges are reported per line (a pattern matching everywhere stays bounded). */
const MAX_RANGES_PER_LINE = 1000;

export function compileMatcher(options: MatchOptions): TextMatcher {
  const { pattern } = options;
  if (pattern.length > options.maxPatternLength) {
    throw new InvalidPatternError(
      `pattern is longer than ${options.maxPatternLength} characters`,
      options.maxPatternLength,
    );
  }
  const caseSensitive = options.caseSensitive === true;
  const word = options.wordRegexp === true && options.lineRegexp !== true;
  const searcher =
    options.regex === true
      ? regexSearcher(options)
      : options.lineRegexp === true
        ? wholeLineSearcher(pattern, caseSensitive)
        : literalSearcher(pattern, caseSensitive);
  return {
    literals: searcher.literals,
    mayMatch: (text) => searcher.mayMatch(text),
    matchLine(line: string): Range[] {
      const find = searcher.finder(line);
      const out: Range[] = [];
      let from = 0;
      while (from <= line.length && out.length < MAX_RANGES_PER_LINE) {
        const found = find(from);
        if (found === undefined) break;
        const [start, end] = found;
        if (word && !isWordBoundary(line, start, end)) {
          // git grep -w: a match touching a word character is retried one character later.
          from = start + 1;
          continue;
        }
        out.push(found);
        from = end > start ? end : end + 1;
      }
      return out;
    },
  };
}

/** How one kind of pattern finds its next match in a line. */
interface Searcher {
  readonly literals: readonly string[];
  mayMatch(text: string): boolean;
  /** Prepares the line once; the returned function finds the first match at or after `from`. */
  finder(line: string): (from: number) => Range | undefined;
}

function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95
  );
}

function isWordBoundary(line: string, start: number, end: number): boolean {
  if (start > 0 && isWordChar(line.charCodeAt(start - 1))) return false;
  if (end < line.length && isWordChar(line.charCodeAt(end))) return false;
  return start < end;
}

const identity = (text: string): string => text;

function literalSearcher(pattern: string, caseSensitive: boolean): Searcher {
  const prepare = caseSensitive ? identity : foldCase;
  const needle = prepare(pattern);
  return {
    literals: needle.length >= 3 ? [foldCase(pattern)] : [],
    mayMatch: (text) => prepare(text).includes(needle),
    finder(line) {
      const haystack = prepare(line);
      return (from) => {
        const at = haystack.indexOf(needle, from);
        return at < 0 ? undefined : [at, at + needle.length];
      };
    },
  };
}

/** grep -x with a literal: the whole line equals the pattern. */
function wholeLineSearcher(pattern: string, caseSensitive: boolean): Searcher {
  const prepare = caseSensitive ? identity : foldCase;
  const needle = prepare(pattern);
  return {
    literals: needle.length >= 3 ? [foldCase(pattern)] : [],
    mayMatch: (text) => prepare(text).includes(needle),
    finder(line) {
      const equal = prepare(line) === needle;
      return (from) => (equal && from === 0 ? [0, line.length] : undefined);
    },
  };
}

const NOT_WORD = '[^A-Za-z0-9_]';

function regexSearcher(options: MatchOptions): Searcher {
  const caseSensitive = options.caseSensitive === true;
  const flags = caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE;
  // The pattern alone must compile: wrapping could otherwise balance a stray `)`.
  const plain = compileRe2(options.pattern, options.pattern, flags);
  const line = options.lineRegexp === true;
  // grep -w on RE2: the word boundaries are part of the pattern (group 1 is the match), so the
  // search stays linear instead of retrying from every rejected start.
  const word = options.wordRegexp === true && !line;
  const source = line
    ? `^(?:${options.pattern})$`
    : word
      ? `(?:^|${NOT_WORD})(${options.pattern})(?:$|${NOT_WORD})`
      : undefined;
  const lineRe = source === undefined ? plain : compileRe2(options.pattern, source, flags);
  const group = word ? 1 : 0;
  // \A and \z mean "start/end of the line" here but of the text in a whole-text check.
  const textRe = /\\[Az]/.test(options.pattern)
    ? undefined
    : compileRe2(options.pattern, source ?? options.pattern, flags | RE2JS.MULTILINE);
  return {
    literals: requiredLiterals(options.pattern).map(foldCase),
    mayMatch: (text) => textRe === undefined || textRe.matcher(text).find(),
    finder(text) {
      const matcher = lineRe.matcher(text);
      return (from) =>
        matcher.find(from) ? [matcher.start(group), matcher.end(group)] : undefined;
    },
  };
}

function compileRe2(pattern: string, source: string, flags: number): RE2JS {
  try {
    return RE2JS.compile(source, flags);
  } catch (error) {
    if (error instanceof RE2JSException) throw describeSyntaxError(pattern, error.message);
    throw error;
  }
}

/** re2js messages end with the offending fragment in backquotes; name the unsupported feature. */
function describeSyntaxError(pattern: string, message: string): InvalidPatternError {
  const fragment = /`([^`]*)`\s*$/.exec(message)?.[1];
  const at = fragment === undefined ? -1 : pattern.indexOf(fragment);
  const position = at < 0 ? undefined : Buffer.byteLength(pattern.slice(0, at), 'utf8');
  const detail = message.replace(/^error parsing regexp: /, '');
  let reason = detail;
  if (fragment !== undefined) {
    if (/^\\([1-9]|k)/.test(fragment)) reason = `backreferences are not supported (${detail})`;
    else if (/^\(\?(<?[=!])/.test(fragment)) {
      reason = `lookahead and lookbehind are not supported (${detail})`;
    } else if (/[*+?}]\+$/.test(fragment)) {
      reason = `possessive quantifiers are not supported (${detail})`;
    }
  }
  return new InvalidPatternError(reason, position);
}

/** The UTF-8 byte offset of UTF-16 offset `index` in `line`. */
export function utf8Offset(line: string, index: number, ascii = isAscii(line)): number {
  return ascii ? index : Buffer.byteLength(line.slice(0, index), 'utf8');
}
