/**
 * Builds a new tree from a base tree plus a set of changed leaf paths, rewriting only the trees
 * on the changed paths: every untouched subtree keeps its id and is never read. This is what
 * makes a commit cost O(changes × depth) rather than O(repository size).
 *
 * Directories left without leaves disappear (git stores no empty trees); a leaf may replace a
 * directory and the reverse, provided the changes delete everything on the other side.
 */
import { FileMode, isTreeMode } from '../objects/file-mode';
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { hashObject } from '../objects/git-object';
import { compareTreeEntries, serializeTree, type TreeEntry } from '../objects/tree';
import type { PathChange } from './path-overlay';
import { indexOfTreeEntry, searchTreeEntry } from './tree-lookup';

interface DirNode {
  readonly files: Map<string, PathChange>;
  readonly dirs: Map<string, DirNode>;
}

function newNode(): DirNode {
  return { files: new Map(), dirs: new Map() };
}

/** Above this many edits in one directory, merging beats splicing into the sorted array. */
const SPLICE_LIMIT = 8;

export interface BuildTreeOptions {
  /** False: only compute the new ids (e.g. a working-tree directory's id), storing nothing. */
  readonly write?: boolean;
}

type TreeSink = (entries: readonly TreeEntry[]) => Oid;

/**
 * The id of `base` with `changes` applied (`null` deletes a leaf). Writes the new trees to
 * `odb` (unless `write: false`); returns `base` itself when nothing changes, and
 * EMPTY_TREE_OID for an empty result.
 */
export function buildTree(
  odb: ObjectDatabase,
  base: Oid,
  changes: Iterable<readonly [string, PathChange]>,
  options: BuildTreeOptions = {},
): Oid {
  const sink: TreeSink =
    options.write === false
      ? (entries) => hashObject('tree', serializeTree(entries))
      : (entries) => odb.writeTree(entries);
  const root = newNode();
  let any = false;
  for (const [path, change] of changes) {
    any = true;
    let node = root;
    let start = 0;
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', start)) {
      const name = path.slice(start, slash);
      let child = node.dirs.get(name);
      if (!child) node.dirs.set(name, (child = newNode()));
      node = child;
      start = slash + 1;
    }
    node.files.set(path.slice(start), change);
  }
  if (!any) return base;
  return (
    buildNode(odb, sink, root, base === EMPTY_TREE_OID ? undefined : base, '') ?? EMPTY_TREE_OID
  );
}

/** The new id of one directory, or undefined when it ends up empty. */
function buildNode(
  odb: ObjectDatabase,
  sink: TreeSink,
  node: DirNode,
  tree: Oid | undefined,
  dirPath: string,
): Oid | undefined {
  const entries = tree === undefined ? [] : odb.readTree(tree);
  const edits: Array<{ name: string; entry: TreeEntry | null }> = [];

  for (const [name, child] of node.dirs) {
    const index = indexOfTreeEntry(entries, name);
    const existing = index >= 0 ? entries[index] : undefined;
    const childTree = existing && isTreeMode(existing.mode) ? existing.oid : undefined;
    const built = buildNode(
      odb,
      sink,
      child,
      childTree,
      dirPath === '' ? name : `${dirPath}/${name}`,
    );
    const leaf = node.files.get(name);
    if (built !== undefined && leaf) {
      throw new Error(`tree builder: '${dirPath}/${name}' would be both a file and a directory`);
    }
    if (built !== undefined) {
      if (built !== childTree)
        edits.push({ name, entry: { mode: FileMode.Tree, name, oid: built } });
    } else if (leaf) {
      edits.push({ name, entry: { mode: leaf.mode, name, oid: leaf.oid } });
    } else if (existing !== undefined) {
      edits.push({ name, entry: null });
    }
  }
  for (const [name, change] of node.files) {
    if (node.dirs.has(name)) continue; // decided together with the directory above
    if (change) {
      const index = indexOfTreeEntry(entries, name);
      const existing = index >= 0 ? entries[index] : undefined;
      if (!existing || existing.mode !== change.mode || existing.oid !== change.oid) {
        edits.push({ name, entry: { mode: change.mode, name, oid: change.oid } });
      }
    } else if (indexOfTreeEntry(entries, name) >= 0) {
      edits.push({ name, entry: null });
    }
  }

  if (edits.length === 0) return tree !== undefined && entries.length > 0 ? tree : undefined;
  const next =
    edits.length <= SPLICE_LIMIT ? spliceEdits(entries, edits) : mergeEdits(entries, edits);
  return next.length === 0 ? undefined : sink(next);
}

/** Few edits: copy the sorted array and splice each one in place (binary-searched). */
function spliceEdits(
  entries: readonly TreeEntry[],
  edits: ReadonlyArray<{ name: string; entry: TreeEntry | null }>,
): TreeEntry[] {
  const next = entries.slice();
  for (const { name, entry } of edits) {
    const index = indexOfTreeEntry(next, name);
    if (index >= 0) next.splice(index, 1);
    if (entry) {
      const at = searchTreeEntry(next, entry.name, isTreeMode(entry.mode));
      next.splice(-at - 1, 0, entry);
    }
  }
  return next;
}

/** Many edits: drop the edited names, sort the new entries, merge the two sorted lists. */
function mergeEdits(
  entries: readonly TreeEntry[],
  edits: ReadonlyArray<{ name: string; entry: TreeEntry | null }>,
): TreeEntry[] {
  const edited = new Set<string>();
  const added: TreeEntry[] = [];
  for (const { name, entry } of edits) {
    edited.add(name);
    if (entry) added.push(entry);
  }
  added.sort(compareTreeEntries);
  const next: TreeEntry[] = [];
  let j = 0;
  for (const entry of entries) {
    if (edited.has(entry.name)) continue;
    while (j < added.length && compareTreeEntries(added[j]!, entry) < 0) next.push(added[j++]!);
    next.push(entry);
  }
  while (j < added.length) next.push(added[j++]!);
  return next;
}
