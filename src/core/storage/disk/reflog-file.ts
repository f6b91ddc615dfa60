/**
 * Git's reflog file format (`logs/<ref>`): one line per entry,
 * `<old> <new> <name> <<email>> <seconds> <tz>\t<message>\n`, the tab and message omitted
 * when the message is empty (refs/files-backend.c). A message is one line: newlines become
 * spaces, as git's own reflog writer does.
 */
import { isOid } from '../../objects/oid';
import { formatSignature, parseSignature } from '../../objects/signature';
import type { ReflogEntry } from '../ref-store';

export function formatReflog(entries: readonly ReflogEntry[]): string {
  let text = '';
  for (const entry of entries) {
    const message = entry.message.replace(/[\r\n]+/g, ' ');
    text += `${entry.oldOid} ${entry.newOid} ${formatSignature(entry.committer)}${message === '' ? '' : `\t${message}`}\n`;
  }
  return text;
}

/** The entries of a reflog file, oldest first; lines git could not have written are skipped. */
export function parseReflog(text: string): ReflogEntry[] {
  const entries: ReflogEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    const head = tab < 0 ? line : line.slice(0, tab);
    const oldOid = head.slice(0, 40);
    const newOid = head.slice(41, 81);
    if (!isOid(oldOid) || !isOid(newOid) || head[40] !== ' ' || head[81] !== ' ') continue;
    try {
      const committer = parseSignature(head.slice(82), 'reflog');
      entries.push({ oldOid, newOid, committer, message: tab < 0 ? '' : line.slice(tab + 1) });
    } catch {
      // A line with a broken identity: git's reflog reader skips such lines too.
    }
  }
  return entries;
}
