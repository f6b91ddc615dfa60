/**
 * Git's tree entry order: entries sort by the UTF-8 bytes of their names, where a tree's name
 * compares as if it ended in `/` (so `a.b` < `a/` < `a0`). Getting this wrong changes tree ids.
 *
 * JavaScript compares UTF-16 code units, which agrees with UTF-8 byte order except that
 * surrogates (astral characters) must sort after U+E000–U+FFFF; `byteOrderUnit` fixes that.
 */
function byteOrderUnit(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Compares two names under git's order; `aIsTree`/`bIsTree` append the virtual `/`. */
export function compareTreeEntryNames(
  a: string,
  aIsTree: boolean,
  b: string,
  bIsTree: boolean,
): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return byteOrderUnit(ca) - byteOrderUnit(cb);
  }
  const ta = a.length > common ? byteOrderUnit(a.charCodeAt(common)) : aIsTree ? 0x2f : 0;
  const tb = b.length > common ? byteOrderUnit(b.charCodeAt(common)) : bIsTree ? 0x2f : 0;
  return ta - tb;
}

/** Plain byte order of two paths (what git uses for index entries and sorted path lists). */
export function comparePaths(a: string, b: string): number {
  return compareTreeEntryNames(a, false, b, false);
}
