/**
 * The literal runs every match of an RE2 pattern must contain, for the trigram prefilter. The
 * scan is conservative: anything it does not understand (alternation, groups, classes, escapes
 * other than escaped punctuation, non-ASCII) ends a run, and a pattern with a top-level `|`
 * yields nothing, so the index falls back to scanning every blob. Runs shorter than three
 * characters are dropped (they have no trigram).
 */

const PUNCTUATION = /^[!-/:-@[-`{-~]$/;

/** Folded-or-not literal runs of ≥ 3 ASCII characters that every match contains. */
export function requiredLiterals(pattern: string): string[] {
  const runs: string[] = [];
  let run = '';
  const flush = (): void => {
    if (run.length >= 3) runs.push(run);
    run = '';
  };
  let i = 0;
  let depth = 0;
  let sawAlternation = false;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (PUNCTUATION.test(next)) {
        if (depth === 0) run += next;
        i += 2;
        continue;
      }
      if (depth === 0) flush();
      i += 2;
      if ((next === 'x' || next === 'p' || next === 'P') && pattern[i] === '{') {
        const close = pattern.indexOf('}', i);
        i = close < 0 ? pattern.length : close + 1;
      } else if (next === 'x') {
        i += 2;
      } else if (next === 'p' || next === 'P') {
        i += 1;
      } else if (next === 'Q') {
        const end = pattern.indexOf('\\E', i);
        i = end < 0 ? pattern.length : end + 2;
      } else if (/[0-7]/.test(next)) {
        while (/[0-7]/.test(pattern[i] ?? '')) i++;
      }
      continue;
    }
    if (c === '[') {
      if (depth === 0) flush();
      i = skipClass(pattern, i);
      continue;
    }
    if (c === '(') {
      if (depth === 0) flush();
      depth++;
      i++;
      continue;
    }
    if (c === ')') {
      depth = Math.max(0, depth - 1);
      i++;
      continue;
    }
    if (depth > 0) {
      i++;
      continue;
    }
    if (c === '|') {
      sawAlternation = true;
      i++;
      continue;
    }
    if (c === '*' || c === '?') {
      run = run.slice(0, -1);
      flush();
      i++;
      continue;
    }
    if (c === '+') {
      flush();
      i++;
      continue;
    }
    if (c === '{') {
      const repeat = /^\{(\d+)(,\d*)?\}/.exec(pattern.slice(i));
      if (repeat) {
        if (Number(repeat[1]) === 0) run = run.slice(0, -1);
        flush();
        i += repeat[0].length;
        continue;
      }
    }
    if (c === '.' || c === '^' || c === '$' || c.charCodeAt(0) > 0x7f) {
      flush();
      i++;
      continue;
    }
    run += c;
    i++;
  }
  flush();
  return sawAlternation ? [] : runs;
}

/** The index just past the character class starting at `start` (`[`). */
function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') i += 2;
    else if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      i = close < 0 ? i + 1 : close + 2;
    } else if (c === ']') return i + 1;
    else i++;
  }
  return i;
}
