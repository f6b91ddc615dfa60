/**
 * The shared layout of commit and tag bodies: header lines `key value` (a value continues on
 * following lines that start with a space, as gpgsig and mergetag do), a blank line, the message.
 */
export interface HeaderBlock {
  readonly headers: Array<[string, string]>;
  readonly message: string;
  /** False when the body had no blank line separating headers from a message. */
  readonly hasMessageSeparator: boolean;
}

export function splitHeaders(text: string): HeaderBlock {
  const headers: Array<[string, string]> = [];
  let pos = 0;
  while (pos < text.length) {
    const eol = text.indexOf('\n', pos);
    const line = eol < 0 ? text.slice(pos) : text.slice(pos, eol);
    const next = eol < 0 ? text.length : eol + 1;
    if (line === '') return { headers, message: text.slice(next), hasMessageSeparator: true };
    const last = headers[headers.length - 1];
    if (line.startsWith(' ') && last) {
      last[1] += `\n${line.slice(1)}`;
    } else {
      const space = line.indexOf(' ');
      headers.push(space < 0 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)]);
    }
    pos = next;
  }
  return { headers, message: '', hasMessageSeparator: false };
}

export function formatHeader(key: string, value: string): string {
  return `${key} ${value.replace(/\n/g, '\n ')}\n`;
}
