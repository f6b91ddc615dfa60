/**
 * The case folding every case-insensitive comparison of the search engine uses: one UTF-16 unit
 * to one unit (`lower(upper(c))` when both stay single units, else `c`), so a folded text has the
 * same length as the original and offsets carry over unchanged. The trigram index stores folded
 * text too, which makes it a sound prefilter for both the substring matcher and RE2's `(?i)`
 * (`ſ` and `K` fold to `s` and `k`, as RE2 matches them).
 */

let table: Uint16Array | undefined;

function foldTable(): Uint16Array {
  if (table !== undefined) return table;
  const built = new Uint16Array(0x10000);
  for (let unit = 0; unit < 0x10000; unit++) {
    built[unit] = unit;
    if (unit >= 0xd800 && unit <= 0xdfff) continue;
    const upper = String.fromCharCode(unit).toUpperCase();
    if (upper.length !== 1) continue;
    const lower = upper.toLowerCase();
    if (lower.length === 1) built[unit] = lower.charCodeAt(0);
  }
  table = built;
  return built;
}

// eslint-disable-next-line no-control-regex -- NUL..DEL is exactly the ASCII range
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The folded form of `text` (same length). ASCII text takes the fast native path. */
export function foldCase(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  const fold = foldTable();
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = fold[text.charCodeAt(i)] as number;
  return Buffer.from(units.buffer).toString('utf16le');
}

/** True when `text` has only ASCII characters (its UTF-16 offsets are its UTF-8 offsets). */
export function isAscii(text: string): boolean {
  return ASCII_ONLY.test(text);
}
