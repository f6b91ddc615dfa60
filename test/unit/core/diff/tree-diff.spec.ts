/**
 * The tree diff decides which files a diff, status or commit view shows. It must read only the
 * directories that changed (repositories are large, changes small), agree whatever the source
 * of the listing (stored tree, flat index map, overlay of changes), and classify file/directory
 * swaps and type changes the way git does.
 */
import fc from 'fast-check';
import {
  formatNameOnly,
  formatNameStatus,
  isTypeChange,
} from '../../../../src/core/diff/file-diffs';
import {
  diffSources,
  diffTrees,
  overlaySource,
  pathMapSource,
  treeSource,
  type PathEntry,
} from '../../../../src/core/diff/tree-diff';
import type { RawObject } from '../../../../src/core/objects/git-object';
import { EMPTY_TREE_OID, ObjectDatabase } from '../../../../src/core/objects/object-database';
import type { Oid } from '../../../../src/core/objects/oid';
import { buildTree } from '../../../../src/core/repo/tree-builder';
import { MemoryObjectStore } from '../../../../src/core/storage/memory/memory-object-store';
import { fcParams } from '../../../support/fast-check';

/** A memory store that remembers which objects were read. */
class ReadTrackingStore extends MemoryObjectStore {
  readonly reads = new Set<Oid>();
  override get(oid: Oid): RawObject | undefined {
    this.reads.add(oid);
    return super.get(oid);
  }
}

type Files = Record<string, string | { content: string; mode: string }>;

function writeFiles(db: ObjectDatabase, files: Files): Oid {
  return buildTree(
    db,
    EMPTY_TREE_OID,
    Object.entries(files).map(([path, f]) => {
      const spec = typeof f === 'string' ? { content: f, mode: '100644' } : f;
      return [path, { mode: spec.mode, oid: db.writeBlob(spec.content) }] as const;
    }),
  );
}

function flatten(
  db: ObjectDatabase,
  tree: Oid,
  prefix = '',
  out = new Map<string, PathEntry>(),
): Map<string, PathEntry> {
  for (const e of db.readTree(tree)) {
    const path = prefix + e.name;
    if (e.mode === '40000') flatten(db, e.oid, `${path}/`, out);
    else out.set(path, { mode: e.mode, oid: e.oid });
  }
  return out;
}

describe('diffTrees', () => {
  it('lists added, modified and deleted files sorted by path', () => {
    const db = new ObjectDatabase(new MemoryObjectStore());
    const a = writeFiles(db, { 'a.txt': '1', 'dir/b.txt': '2', 'dir/c.txt': '3', z: 'z' });
    const b = writeFiles(db, { 'a.txt': '1!', 'dir/c.txt': '3', 'dir/d.txt': '4', z: 'z' });
    expect(diffTrees(db, a, b).map((c) => `${c.status} ${c.path}`)).toEqual([
      'modified a.txt',
      'deleted dir/b.txt',
      'added dir/d.txt',
    ]);
  });

  it('never reads a subtree whose id is equal on both sides', () => {
    const writer = new ObjectDatabase(new MemoryObjectStore());
    const big: Files = {};
    for (let i = 0; i < 50; i++) big[`vendor/lib${i}/file.js`] = `code ${i}`;
    const a = writeFiles(writer, { ...big, 'src/main.c': 'v1' });
    const b = writeFiles(writer, { ...big, 'src/main.c': 'v2' });
    const store = new ReadTrackingStore();
    for (const oid of writer.store.oids()) store.insert(oid, writer.store.get(oid)!);
    store.reads.clear();
    const db = new ObjectDatabase(store);
    expect(diffTrees(db, a, b).map((c) => c.path)).toEqual(['src/main.c']);
    const vendor = db.readTree(a).find((e) => e.name === 'vendor')!.oid;
    store.reads.delete(a);
    expect(store.reads.has(vendor)).toBe(false);
    expect(store.reads.size).toBeLessThanOrEqual(5); // two roots, two src trees, the blobs at most
  });

  it('treats a file replaced by a directory as a deletion plus additions', () => {
    const db = new ObjectDatabase(new MemoryObjectStore());
    const a = writeFiles(db, { x: 'file', 'x-y': 'keep' });
    const b = writeFiles(db, { 'x/inner': 'dir', 'x-y': 'keep' });
    expect(diffTrees(db, a, b).map((c) => `${c.status} ${c.path}`)).toEqual([
      'deleted x',
      'added x/inner',
    ]);
  });

  it('keeps a file that becomes a symlink as one modification marked T in name-status', () => {
    const db = new ObjectDatabase(new MemoryObjectStore());
    const a = writeFiles(db, { link: 'target' });
    const b = writeFiles(db, { link: { content: 'target', mode: '120000' } });
    const changes = diffTrees(db, a, b);
    expect(changes).toHaveLength(1);
    expect(isTypeChange(changes[0]!)).toBe(true);
    expect(formatNameStatus(changes)).toBe('T\tlink\n');
  });

  it('diffs against the empty tree when a side is null (a root commit)', () => {
    const db = new ObjectDatabase(new MemoryObjectStore());
    const b = writeFiles(db, { 'a b': '1', é: '2' });
    const changes = diffTrees(db, null, b);
    expect(formatNameStatus(changes)).toBe('A\ta b\nA\t"\\303\\251"\n');
    expect(formatNameOnly(changes)).toBe('a b\n"\\303\\251"\n');
  });
});

const pathArb = fc
  .array(fc.constantFrom('a', 'b', 'a.b', 'a-b', 'c0'), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('/'));
const filesArb = fc
  .dictionary(pathArb, fc.constantFrom('1', '2', '3'), { maxKeys: 12 })
  .map((files) => {
    // Drop paths that would be both a file and a directory.
    const paths = Object.keys(files).sort();
    const kept: Files = {};
    for (const p of paths)
      if (!paths.some((q) => q !== p && (q.startsWith(`${p}/`) || p.startsWith(`${q}/`))))
        kept[p] = files[p]!;
    return kept;
  });

describe('tree sources', () => {
  it('give the same changes from a flat path map as from the stored tree (property)', () => {
    fc.assert(
      fc.property(filesArb, filesArb, (before, after) => {
        const db = new ObjectDatabase(new MemoryObjectStore());
        const a = writeFiles(db, before);
        const b = writeFiles(db, after);
        const expected = diffTrees(db, a, b, { renames: false });
        expect(diffSources(treeSource(db, a), pathMapSource(flatten(db, b)))).toEqual(expected);
        expect(diffSources(pathMapSource(flatten(db, a)), treeSource(db, b))).toEqual(expected);
      }),
      fcParams(150),
    );
  });

  it('give the same changes from an overlay of edits as from the tree they produce (property)', () => {
    fc.assert(
      fc.property(filesArb, filesArb, (before, after) => {
        const db = new ObjectDatabase(new MemoryObjectStore());
        const a = writeFiles(db, before);
        const b = writeFiles(db, after);
        const changes = new Map<string, PathEntry | null>();
        const flatA = flatten(db, a);
        const flatB = flatten(db, b);
        for (const path of flatA.keys()) if (!flatB.has(path)) changes.set(path, null);
        for (const [path, entry] of flatB) changes.set(path, entry);
        expect(diffSources(treeSource(db, a), overlaySource(db, a, changes))).toEqual(
          diffTrees(db, a, b, { renames: false }),
        );
      }),
      fcParams(150),
    );
  });

  it('skip unchanged directories of an overlay without reading them', () => {
    const writer = new ObjectDatabase(new MemoryObjectStore());
    const base = writeFiles(writer, { 'big/one': '1', 'big/two': '2', 'src/a.c': 'a' });
    const store = new ReadTrackingStore();
    for (const oid of writer.store.oids()) store.insert(oid, writer.store.get(oid)!);
    const db = new ObjectDatabase(store);
    const edited = overlaySource(
      db,
      base,
      new Map([['src/a.c', { mode: '100644', oid: db.writeBlob('b') }]]),
    );
    store.reads.clear();
    expect(diffSources(treeSource(db, base), edited).map((c) => c.path)).toEqual(['src/a.c']);
    const big = writer.readTree(base).find((e) => e.name === 'big')!.oid;
    expect(store.reads.has(big)).toBe(false);
  });
});
