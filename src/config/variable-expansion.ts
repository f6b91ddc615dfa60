/**
 * `${VAR}` and `${VAR:-default}` in configuration file values, as in a shell or compose file:
 * the default applies when VAR is unset or empty, `$$` is a literal `$`, and a `$` before
 * anything else stays as it is. Only values are expanded, never keys or comments.
 */

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** Expands one string; throws an Error whose message is the reason (the caller adds the key). */
export function expandVariables(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) return out + text.slice(index);
    out += text.slice(index, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      index = dollar + 2;
    } else if (next === '{') {
      const close = text.indexOf('}', dollar + 2);
      if (close === -1) throw new Error(`unterminated variable reference "${text.slice(dollar)}"`);
      const body = text.slice(dollar + 2, close);
      const match = REFERENCE.exec(body);
      if (!match) throw new Error(`bad variable reference "\${${body}}"`);
      const [, name = '', fallback] = match;
      const value = env[name];
      out +=
        fallback !== undefined && (value === undefined || value === '') ? fallback : (value ?? '');
      index = close + 1;
    } else {
      out += '$';
      index = dollar + 1;
    }
  }
  return out;
}
