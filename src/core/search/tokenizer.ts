/**
 * Full-text tokens (api-contract.md §5.3): runs of Unicode letters and digits, split further at
 * camelCase humps (`parseHTTPRequest` → parse, http, request) and, by being non-letters, at `_`
 * and `-`; lower-cased; no stemming. Tokens longer than MAX_TOKEN_LENGTH (hashes, base64) are
 * dropped so that they cannot bloat the index (and letter runs over MAX_RUN_LENGTH with them).
 */

export const MAX_TOKEN_LENGTH = 64;

export interface Token {
  readonly term: string;
  /** UTF-16 offsets in the text. */
  readonly start: number;
  readonly end: number;
}

const RUN = /[\p{L}\p{N}\p{M}]+/gu;
const HUMP = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?[^\p{Lu}]+|\p{Lu}+\p{N}*/gu;
/** Longer runs are not split (nor kept): the hump regex backtracks quadratically in a run. */
const MAX_RUN_LENGTH = 256;

/** Every token of `text` with its offsets, in order. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const run of text.matchAll(RUN)) {
    const base = run.index;
    const word = run[0];
    if (word.length > MAX_RUN_LENGTH) continue;
    for (const part of word.matchAll(HUMP)) {
      const term = part[0].toLowerCase();
      if (term.length > MAX_TOKEN_LENGTH) continue;
      tokens.push({ term, start: base + part.index, end: base + part.index + part[0].length });
    }
  }
  return tokens;
}

/** Just the terms of `text`, in order. */
export function terms(text: string): string[] {
  return tokenize(text).map((token) => token.term);
}
