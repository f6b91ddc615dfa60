/**
 * Finding entries in a parsed tree by name, in O(log n): tree entries are sorted in git's order,
 * where a tree named `n` sorts as `n/`, so a name is searched once as a leaf and once as a tree.
 */
import { isTreeMode } from '../objects/file-mode';
import type { TreeEntry } from '../objects/tree';
import { compareTreeEntryNames } from '../objects/tree-entry-order';

/** Index of the entry with this name and kind, or `-(insertion point) - 1` when absent. */
export function searchTreeEntry(
  entries: readonly TreeEntry[],
  name: string,
  isTree: boolean,
): number {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const entry = entries[mid]!;
    const cmp = compareTreeEntryNames(entry.name, isTreeMode(entry.mode), name, isTree);
    if (cmp < 0) lo = mid + 1;
    else if (cmp > 0) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** Index of the entry named `name` of either kind, or -1. */
export function indexOfTreeEntry(entries: readonly TreeEntry[], name: string): number {
  const leaf = searchTreeEntry(entries, name, false);
  if (leaf >= 0) return leaf;
  const tree = searchTreeEntry(entries, name, true);
  return tree >= 0 ? tree : -1;
}

export function findTreeEntry(entries: readonly TreeEntry[], name: string): TreeEntry | undefined {
  const index = indexOfTreeEntry(entries, name);
  return index >= 0 ? entries[index] : undefined;
}
