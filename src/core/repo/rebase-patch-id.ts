/**
 * Patch ids: what `git rebase` (through `rev-list --cherry-pick`) compares to skip a commit
 * whose change upstream already has. Two commits get the same id exactly when git's would be
 * equal (patch-ids.c, diff.c diff_get_patch_id): the same files changed against the first
 * parent (the empty tree for a root; no rename detection), the same `new file` / `deleted file`
 * / mode-change headers, and the same unified diff with 3 lines of context once hunk headers
 * and `\ No newline` markers are dropped and all whitespace is removed; binary files compare by
 * their blob ids. Merge commits have no patch id.
 *
 * The id is a SHA-1 over that canonical stream, not git's byte-identical value (git sums
 * per-file hashes); only equality matters here.
 */
import { createHash, type Hash } from 'node:crypto';
import { isBinaryContent } from '../diff/binary-content';
import { entryContent } from '../diff/file-diffs';
import { diffLines } from '../diff/line-diff';
import { PatchWriter, writeHunks } from '../diff/unified-hunks';
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import { ZERO_OID, type Oid } from '../objects/oid';
import { leafChanges } from './tree-changes';

const CONTEXT_LINES = 3;

function isSpaceByte(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** git's remove_space: the bytes of `text` without any whitespace. */
function withoutSpace(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (const byte of bytes) if (!isSpaceByte(byte)) out[n++] = byte;
  return out.subarray(0, n);
}

function addText(hash: Hash, text: string): void {
  hash.update(withoutSpace(Buffer.from(text, 'utf8')));
}

/** Feeds the hunk lines (no headers, no `\ No newline`) of a text diff, whitespace removed. */
function addHunks(hash: Hash, before: Uint8Array, after: Uint8Array): void {
  const diff = diffLines(before, after);
  const out = new PatchWriter();
  writeHunks(out, diff.old, diff.new, diff.changes, CONTEXT_LINES);
  const patch = out.toBuffer();
  let start = 0;
  while (start < patch.length) {
    let end = patch.indexOf(0x0a, start);
    if (end < 0) end = patch.length;
    const first = patch[start];
    const isHunkHeader = first === 0x40 && patch[start + 1] === 0x40; // "@@"
    const isNoNewline = first === 0x5c && end - start > 12; // "\ No newline at end of file"
    if (!isHunkHeader && !isNoNewline) hash.update(withoutSpace(patch.subarray(start, end)));
    start = end + 1;
  }
}

/**
 * The patch id of a non-merge commit (hex), or undefined for a merge commit. Throws
 * ObjectNotFoundError when an object is missing.
 */
export function patchId(odb: ObjectDatabase, commit: Oid): string | undefined {
  const parsed = odb.readCommit(commit);
  if (parsed.parents.length > 1) return undefined;
  const parentTree =
    parsed.parents[0] === undefined ? EMPTY_TREE_OID : odb.readCommit(parsed.parents[0]).tree;
  const hash = createHash('sha1');
  for (const change of leafChanges(odb, parentTree, parsed.tree)) {
    const { path, before, after } = change;
    // A separator, so that one file's lines never run into the next file's header.
    hash.update('\0');
    addText(hash, `diff--gita/${path}b/${path}`);
    if (before === null && after !== null) addText(hash, `newfilemode${after.mode}`);
    else if (after === null && before !== null) addText(hash, `deletedfilemode${before.mode}`);
    else if (before !== null && after !== null && before.mode !== after.mode)
      addText(hash, `oldmode${before.mode}newmode${after.mode}`);

    const oldContent =
      before === null ? new Uint8Array(0) : entryContent(odb, before.mode, before.oid);
    const newContent =
      after === null ? new Uint8Array(0) : entryContent(odb, after.mode, after.oid);
    if (isBinaryContent(oldContent) || isBinaryContent(newContent)) {
      addText(hash, `${before?.oid ?? ZERO_OID}${after?.oid ?? ZERO_OID}`);
      continue;
    }
    addText(hash, before === null ? '---/dev/null' : `---a/${path}`);
    addText(hash, after === null ? '+++/dev/null' : `+++b/${path}`);
    addHunks(hash, oldContent, newContent);
  }
  return hash.digest('hex');
}
