/**
 * buildTree must produce exactly the tree a full rebuild of the resulting snapshot gives (git's
 * order, no empty directories), while rewriting only the trees on changed paths.
 */
import fc from 'fast-check';
import { FileMode, isTreeMode } from '../../../../src/core/objects/file-mode';
import { EMPTY_TREE_OID, ObjectDatabase } from '../../../../src/core/objects/object-database';
import type { Oid } from '../../../../src/core/objects/oid';
import type { TreeEntry } from '../../../../src/core/objects/tree';
import type { PathChange } from '../../../../src/core/repo/path-overlay';
import { buildTree } from '../../../../src/core/repo/tree-builder';
import { walkTreeFiles } from '../../../../src/core/repo/tree-view';
import { MemoryObjectStore } from '../../../../src/core/storage/memory/memory-object-store';
import { fcParams } from '../../../support/fast-check';
import { repoPathArb } from '../../../support/repo-arbitraries';

function newOdb(): ObjectDatabase {
  return new ObjectDatabase(new MemoryObjectStore());
}

/** The reference: write every directory of a flat snapshot from scratch. */
function fullTree(odb: ObjectDatabase, files: ReadonlyMap<string, PathChange>): Oid {
  const root = new Map<string, Map<string, PathChange>>();
  for (const [path, entry] of files) {
    if (!entry) continue;
    const slash = path.indexOf('/');
    const key = slash < 0 ? '' : path.slice(0, slash);
    let group = root.get(key);
    if (!group) root.set(key, (group = new Map()));
    group.set(slash < 0 ? path : path.slice(slash + 1), entry);
  }
  const entries: TreeEntry[] = [];
  for (const [dir, group] of root) {
    if (dir === '')
      for (const [name, entry] of group) entries.push({ name, mode: entry!.mode, oid: entry!.oid });
    else entries.push({ name: dir, mode: FileMode.Tree, oid: fullTree(odb, group) });
  }
  return entries.length === 0 ? EMPTY_TREE_OID : odb.writeTree(entries);
}

function snapshot(odb: ObjectDatabase, tree: Oid): Map<string, string> {
  const files = new Map<string, string>();
  walkTreeFiles(odb, tree, '', (path, entry) => files.set(path, `${entry.mode} ${entry.oid}`));
  return files;
}

/** Applies changes to a flat snapshot the naive way: a leaf replaces whatever was on its path. */
function applyNaively(
  files: Map<string, PathChange>,
  changes: ReadonlyArray<readonly [string, PathChange]>,
): void {
  for (const [path, change] of changes) {
    if (change === null) {
      files.delete(path);
      continue;
    }
    for (const other of [...files.keys()]) {
      if (other.startsWith(`${path}/`) || path.startsWith(`${other}/`)) files.delete(other);
    }
    files.set(path, change);
  }
}

const changeListArb = fc.array(
  fc.tuple(
    repoPathArb,
    fc.option(fc.constantFrom('1', '2', '3'), { nil: null }),
    fc.constantFrom(FileMode.Regular, FileMode.Executable),
  ),
  { maxLength: 30 },
);

describe('buildTree', () => {
  it('returns the base tree itself when there are no changes', () => {
    const odb = newOdb();
    const base = fullTree(
      odb,
      new Map([['a/b', { mode: FileMode.Regular, oid: odb.writeBlob('x') }]]),
    );
    expect(buildTree(odb, base, [])).toBe(base);
  });

  it('returns the empty tree id when every file is deleted', () => {
    const odb = newOdb();
    const base = fullTree(
      odb,
      new Map([['a/b/c', { mode: FileMode.Regular, oid: odb.writeBlob('x') }]]),
    );
    expect(buildTree(odb, base, [['a/b/c', null]])).toBe(EMPTY_TREE_OID);
  });

  it('drops directories left without files and keeps siblings', () => {
    const odb = newOdb();
    const blob = odb.writeBlob('x');
    const base = fullTree(
      odb,
      new Map([
        ['a/b/c', { mode: FileMode.Regular, oid: blob }],
        ['a/d', { mode: FileMode.Regular, oid: blob }],
      ]),
    );
    const next = buildTree(odb, base, [['a/b/c', null]]);
    expect([...snapshot(odb, next).keys()]).toEqual(['a/d']);
    expect(odb.readTree(odb.readTree(next)[0]!.oid).map((e) => e.name)).toEqual(['d']);
  });

  it('replaces a file by a directory and a directory by a file', () => {
    const odb = newOdb();
    const blob = odb.writeBlob('x');
    const base = fullTree(
      odb,
      new Map([
        ['a', { mode: FileMode.Regular, oid: blob }],
        ['b/c', { mode: FileMode.Regular, oid: blob }],
      ]),
    );
    const next = buildTree(odb, base, [
      ['a', null],
      ['a/x', { mode: FileMode.Regular, oid: blob }],
      ['b/c', null],
      ['b', { mode: FileMode.Executable, oid: blob }],
    ]);
    expect(odb.readTree(next).map((e) => `${e.mode} ${e.name}`)).toEqual(['40000 a', '100755 b']);
  });

  it('keeps the ids of untouched subtrees and writes only the trees on the changed path', () => {
    const odb = newOdb();
    const blob = odb.writeBlob('x');
    const files = new Map<string, PathChange>();
    for (const dir of ['d1', 'd2', 'd3'])
      for (const name of ['f1', 'f2'])
        files.set(`${dir}/s/${name}`, { mode: FileMode.Regular, oid: blob });
    const base = fullTree(odb, files);
    const sizeBefore = odb.store.size;
    const next = buildTree(odb, base, [
      ['d2/s/f1', { mode: FileMode.Regular, oid: odb.writeBlob('y') }],
    ]);
    // One new blob plus exactly three trees: d2/s, d2 and the root.
    expect(odb.store.size - sizeBefore).toBe(4);
    const before = new Map(odb.readTree(base).map((e) => [e.name, e.oid]));
    const after = new Map(odb.readTree(next).map((e) => [e.name, e.oid]));
    expect(after.get('d1')).toBe(before.get('d1'));
    expect(after.get('d3')).toBe(before.get('d3'));
    expect(after.get('d2')).not.toBe(before.get('d2'));
  });

  it('computes the same ids without storing anything when write is false', () => {
    const odb = newOdb();
    const blob = odb.writeBlob('x');
    const base = fullTree(odb, new Map([['a/b', { mode: FileMode.Regular, oid: blob }]]));
    const sizeBefore = odb.store.size;
    const dry = buildTree(odb, base, [['a/c/d', { mode: FileMode.Regular, oid: blob }]], {
      write: false,
    });
    expect(odb.store.size).toBe(sizeBefore);
    expect(buildTree(odb, base, [['a/c/d', { mode: FileMode.Regular, oid: blob }]])).toBe(dry);
  });

  it('sorts many new entries of one directory in git order (the merge path)', () => {
    const odb = newOdb();
    const blob = odb.writeBlob('x');
    const names = ['a', 'a.b', 'a-', 'a0', 'b', 'é', '😀', '\ue000', 'A', 'z'];
    const changes: Array<[string, PathChange]> = names.map((name) => [
      name,
      { mode: FileMode.Regular, oid: blob },
    ]);
    changes.push(['a.c/x', { mode: FileMode.Regular, oid: blob }]);
    const built = buildTree(odb, EMPTY_TREE_OID, changes);
    expect(built).toBe(fullTree(odb, new Map(changes)));
  });

  it('agrees with a full rebuild for any sequence of change batches (property)', () => {
    fc.assert(
      fc.property(fc.array(changeListArb, { minLength: 1, maxLength: 4 }), (batches) => {
        const odb = newOdb();
        const files = new Map<string, PathChange>();
        let tree = EMPTY_TREE_OID;
        for (const batch of batches) {
          // One value per path per batch, and never a leaf together with a leaf below it.
          const changes: Array<[string, PathChange]> = [];
          const byPath = new Map<string, PathChange>();
          for (const [path, content, mode] of batch)
            byPath.set(path, content === null ? null : { mode, oid: odb.writeBlob(content) });
          const staged = new Map(files);
          for (const [path, change] of byPath) {
            applyNaively(staged, [[path, change]]);
          }
          // Express the batch as the exact difference, as the index overlay would hold it.
          for (const path of new Set([...files.keys(), ...staged.keys()])) {
            const a = files.get(path);
            const b = staged.get(path);
            if (a?.oid !== b?.oid || a?.mode !== b?.mode) changes.push([path, b ?? null]);
          }
          tree = buildTree(odb, tree, changes);
          files.clear();
          for (const [path, entry] of staged) files.set(path, entry);
          expect(tree).toBe(fullTree(odb, files));
          for (const entry of odb.readTree(tree))
            if (isTreeMode(entry.mode)) expect(odb.readTree(entry.oid).length).toBeGreaterThan(0);
        }
      }),
      fcParams(300),
    );
  });
});
