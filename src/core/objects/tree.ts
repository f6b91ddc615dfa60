/**
 * Tree objects: `<mode> <name>\0<20-byte id>` repeated, sorted in git's entry order.
 *
 * Names are decoded as UTF-8. A name that is not valid UTF-8 still round-trips through the
 * object store (raw bytes are kept), but a tree rebuilt from parsed entries would re-encode it.
 */
import { CorruptObjectError } from '../errors/object-errors';
import { isTreeMode } from './file-mode';
import type { Oid } from './oid';
import { compareTreeEntryNames } from './tree-entry-order';

export interface TreeEntry {
  readonly mode: string;
  readonly name: string;
  readonly oid: Oid;
}

export function compareTreeEntries(a: TreeEntry, b: TreeEntry): number {
  return compareTreeEntryNames(a.name, isTreeMode(a.mode), b.name, isTreeMode(b.mode));
}

export function parseTree(body: Uint8Array, oid?: Oid): TreeEntry[] {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    if (space < 0 || space === pos || space - pos > 6)
      throw new CorruptObjectError('tree', 'bad entry mode', oid);
    const mode = buf.toString('latin1', pos, space);
    if (!/^[0-7]+$/.test(mode))
      throw new CorruptObjectError('tree', `bad entry mode '${mode}'`, oid);
    const nul = buf.indexOf(0, space + 1);
    if (nul < 0 || nul === space + 1) throw new CorruptObjectError('tree', 'bad entry name', oid);
    if (nul + 21 > buf.length) throw new CorruptObjectError('tree', 'truncated entry id', oid);
    entries.push({
      mode,
      name: buf.toString('utf8', space + 1, nul),
      oid: buf.toString('hex', nul + 1, nul + 21),
    });
    pos = nul + 21;
  }
  return entries;
}

/** True when entries are strictly increasing in git's order (no duplicates). */
export function isSortedTree(entries: readonly TreeEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) {
    if (compareTreeEntries(entries[i - 1]!, entries[i]!) >= 0) return false;
  }
  return true;
}

/** Serializes entries, sorting a copy first when they are not already in git's order. */
export function serializeTree(entries: readonly TreeEntry[]): Buffer {
  const ordered = isSortedTree(entries) ? entries : [...entries].sort(compareTreeEntries);
  return serializeSortedTree(ordered);
}

/** Serializes entries that the caller guarantees are already in git's order. */
export function serializeSortedTree(ordered: readonly TreeEntry[]): Buffer {
  let length = 0;
  for (const entry of ordered) length += entry.mode.length + Buffer.byteLength(entry.name) + 22;
  const out = Buffer.allocUnsafe(length);
  let pos = 0;
  for (const entry of ordered) {
    // `<mode> <name>\0` in one write: modes are ASCII, so UTF-8 encodes them unchanged.
    pos += out.write(`${entry.mode} ${entry.name}\0`, pos, 'utf8');
    pos += out.write(entry.oid, pos, 'hex');
  }
  return out;
}
