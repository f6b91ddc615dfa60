/**
 * Commit objects. Serialization writes git's canonical header order (tree, parents, author,
 * committer, then every other header in the order it was read: encoding, mergetag, gpgsig...),
 * so a parsed commit re-serializes to the same bytes and the same id.
 */
import { CorruptObjectError } from '../errors/object-errors';
import { formatHeader, splitHeaders } from './object-headers';
import { isOid, type Oid } from './oid';
import { formatSignature, parseSignature, type Signature } from './signature';

export interface Commit {
  readonly tree: Oid;
  readonly parents: readonly Oid[];
  readonly author: Signature;
  readonly committer: Signature;
  /** Headers other than tree/parent/author/committer, in their original order. */
  readonly extraHeaders: ReadonlyArray<readonly [string, string]>;
  /** Everything after the blank line, verbatim (git messages end with one `\n`). */
  readonly message: string;
}

export function parseCommit(body: Uint8Array, oid?: Oid): Commit {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const { headers, message } = splitHeaders(text);
  let tree: Oid | undefined;
  const parents: Oid[] = [];
  let author: Signature | undefined;
  let committer: Signature | undefined;
  const extraHeaders: Array<[string, string]> = [];
  for (const [key, value] of headers) {
    if (key === 'tree' && tree === undefined && parents.length === 0) {
      if (!isOid(value)) throw new CorruptObjectError('commit', 'bad tree id', oid);
      tree = value;
    } else if (key === 'parent' && author === undefined) {
      if (!isOid(value)) throw new CorruptObjectError('commit', 'bad parent id', oid);
      parents.push(value);
    } else if (key === 'author' && author === undefined) {
      author = parseSignature(value, 'commit');
    } else if (key === 'committer' && committer === undefined && author !== undefined) {
      committer = parseSignature(value, 'commit');
    } else {
      extraHeaders.push([key, value]);
    }
  }
  if (tree === undefined) throw new CorruptObjectError('commit', 'missing tree', oid);
  if (author === undefined) throw new CorruptObjectError('commit', 'missing author', oid);
  if (committer === undefined) throw new CorruptObjectError('commit', 'missing committer', oid);
  return { tree, parents, author, committer, extraHeaders, message };
}

export function serializeCommit(commit: Commit): Buffer {
  let text = `tree ${commit.tree}\n`;
  for (const parent of commit.parents) text += `parent ${parent}\n`;
  text += `author ${formatSignature(commit.author)}\n`;
  text += `committer ${formatSignature(commit.committer)}\n`;
  for (const [key, value] of commit.extraHeaders) text += formatHeader(key, value);
  text += `\n${commit.message}`;
  return Buffer.from(text, 'utf8');
}

/** Git stores messages with exactly one final newline (`git commit` cleanup of trailing space). */
export function normalizeMessage(message: string): string {
  return `${message.replace(/\s+$/, '')}\n`;
}

/** The first line of a message, as `git log --oneline` shows it. */
export function messageSubject(message: string): string {
  const eol = message.indexOf('\n');
  return eol < 0 ? message : message.slice(0, eol);
}
