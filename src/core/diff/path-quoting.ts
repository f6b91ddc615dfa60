/**
 * Paths in diff headers and name lists, quoted as git quotes them by default
 * (`core.quotePath=true`): a path with a control character, `"`, `\` or any byte >= 0x80 is put
 * in double quotes with C escapes (`\t`, `\n`, `\"`, `\\`) and octal for the rest, so
 * `café.txt` is written `"caf\303\251.txt"`. Spaces are never quoted.
 */
const NAMED_ESCAPES: Record<number, string> = {
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x22: '"',
  0x5c: '\\',
};

function mustQuote(byte: number): boolean {
  return byte < 0x20 || byte === 0x22 || byte === 0x5c || byte >= 0x7f;
}

/** The path's bytes with escapes, without surrounding quotes; undefined when none are needed. */
function escapeBody(path: string): string | undefined {
  const bytes = Buffer.from(path, 'utf8');
  if (!bytes.some(mustQuote)) return undefined;
  let out = '';
  let runStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (!mustQuote(byte)) continue;
    out += bytes.toString('latin1', runStart, i);
    const named = NAMED_ESCAPES[byte];
    out +=
      named === undefined
        ? `\\${(byte >> 6).toString(8)}${((byte >> 3) & 7).toString(8)}${(byte & 7).toString(8)}`
        : `\\${named}`;
    runStart = i + 1;
  }
  return out + bytes.toString('latin1', runStart);
}

/** A path as git prints it in name lists and `rename from/to` lines. */
export function quotePath(path: string): string {
  const body = escapeBody(path);
  return body === undefined ? path : `"${body}"`;
}

/** `prefix` + `path` quoted as one string when either needs it (git's quote_two), e.g. `"a/caf\303\251"`. */
export function quotePrefixedPath(prefix: string, path: string): string {
  const prefixBody = escapeBody(prefix);
  const pathBody = escapeBody(path);
  if (prefixBody === undefined && pathBody === undefined) return prefix + path;
  return `"${prefixBody ?? prefix}${pathBody ?? path}"`;
}
