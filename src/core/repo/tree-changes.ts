/**
 * The leaf paths where two trees differ, found by walking both in git's entry order and
 * skipping every subtree whose id is the same on both sides. No rename detection: this is the
 * plumbing the working state needs (checkout, status against a moved HEAD), not a user diff.
 */
import { isTreeMode } from '../objects/file-mode';
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { compareTreeEntries, type TreeEntry } from '../objects/tree';
import { joinPath, type FileEntry } from './path-view';

export interface LeafChange {
  readonly path: string;
  /** The leaf in the first tree, or null when absent there. */
  readonly before: FileEntry | null;
  /** The leaf in the second tree, or null when absent there. */
  readonly after: FileEntry | null;
}

/** Calls `visit` for every leaf path whose entry differs between trees `a` and `b`. */
export function forEachLeafChange(
  odb: ObjectDatabase,
  a: Oid,
  b: Oid,
  visit: (change: LeafChange) => void,
): void {
  if (a !== b) compareTrees(odb, a, b, '', visit);
}

export function leafChanges(odb: ObjectDatabase, a: Oid, b: Oid): LeafChange[] {
  const changes: LeafChange[] = [];
  forEachLeafChange(odb, a, b, (change) => changes.push(change));
  return changes;
}

function leaf(entry: TreeEntry): FileEntry {
  return { mode: entry.mode, oid: entry.oid };
}

function compareTrees(
  odb: ObjectDatabase,
  a: Oid | undefined,
  b: Oid | undefined,
  prefix: string,
  visit: (change: LeafChange) => void,
): void {
  const left = a === undefined || a === EMPTY_TREE_OID ? [] : odb.readTree(a);
  const right = b === undefined || b === EMPTY_TREE_OID ? [] : odb.readTree(b);
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i];
    const r = right[j];
    const order = l === undefined ? 1 : r === undefined ? -1 : compareTreeEntries(l, r);
    if (order < 0) {
      side(odb, l!, prefix, 'before', visit);
      i++;
    } else if (order > 0) {
      side(odb, r!, prefix, 'after', visit);
      j++;
    } else {
      i++;
      j++;
      if (l!.oid === r!.oid && l!.mode === r!.mode) continue;
      const path = joinPath(prefix, l!.name);
      if (isTreeMode(l!.mode)) compareTrees(odb, l!.oid, r!.oid, path, visit);
      else visit({ path, before: leaf(l!), after: leaf(r!) });
    }
  }
}

/** An entry present on one side only: every leaf below it changes. */
function side(
  odb: ObjectDatabase,
  entry: TreeEntry,
  prefix: string,
  which: 'before' | 'after',
  visit: (change: LeafChange) => void,
): void {
  const path = joinPath(prefix, entry.name);
  if (isTreeMode(entry.mode)) {
    if (which === 'before') compareTrees(odb, entry.oid, undefined, path, visit);
    else compareTrees(odb, undefined, entry.oid, path, visit);
  } else {
    visit(
      which === 'before'
        ? { path, before: leaf(entry), after: null }
        : { path, before: null, after: leaf(entry) },
    );
  }
}
