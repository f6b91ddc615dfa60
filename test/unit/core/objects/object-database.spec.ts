/**
 * ObjectDatabase is the typed layer every reader goes through: its caches must never serve a
 * value the store would not, a wrong type must be an error rather than a misparse, the empty
 * tree must exist without being stored, and peeling must follow tag chains to their end.
 */
import fc from 'fast-check';
import {
  ObjectNotFoundError,
  UnexpectedObjectTypeError,
} from '../../../../src/core/errors/object-errors';
import type { Commit } from '../../../../src/core/objects/commit';
import {
  hashObject,
  type ObjectType,
  type RawObject,
} from '../../../../src/core/objects/git-object';
import { EMPTY_TREE_OID, ObjectDatabase } from '../../../../src/core/objects/object-database';
import type { Oid } from '../../../../src/core/objects/oid';
import type { Tag } from '../../../../src/core/objects/tag';
import { serializeTree, type TreeEntry } from '../../../../src/core/objects/tree';
import { MemoryObjectStore } from '../../../../src/core/storage/memory/memory-object-store';
import { fcParams } from '../../../support/fast-check';
import { commitArb, treeEntriesArb } from '../../../support/object-arbitraries';

/** A memory store that counts reads, to observe when the database's caches answer instead. */
class CountingStore extends MemoryObjectStore {
  gets = 0;
  override get(oid: Oid): RawObject | undefined {
    this.gets++;
    return super.get(oid);
  }
}

const sig = { name: 'T', email: 't@example.com', timestamp: 1700000000, timezone: '+0000' };

function commitOn(tree: Oid, parents: Oid[] = [], message = 'm\n'): Commit {
  return { tree, parents, author: sig, committer: sig, extraHeaders: [], message };
}

function tagOf(object: Oid, type: ObjectType, name: string): Tag {
  return { object, type, name, tagger: sig, extraHeaders: [], message: `${name}\n` };
}

describe('ObjectDatabase', () => {
  let store: CountingStore;
  let db: ObjectDatabase;
  beforeEach(() => {
    store = new CountingStore();
    db = new ObjectDatabase(store);
  });

  describe('the empty tree', () => {
    it('exists and reads as no entries without being stored', () => {
      expect(store.has(EMPTY_TREE_OID)).toBe(false);
      expect(db.has(EMPTY_TREE_OID)).toBe(true);
      expect(db.readTree(EMPTY_TREE_OID)).toEqual([]);
      expect(db.typeOf(EMPTY_TREE_OID)).toBe('tree');
    });

    it('is the id git gives a tree with no entries', () => {
      expect(hashObject('tree', serializeTree([]))).toBe(EMPTY_TREE_OID);
      expect(db.writeTree([])).toBe(EMPTY_TREE_OID);
    });
  });

  describe('reads', () => {
    it('throws ObjectNotFoundError with the id for a missing object', () => {
      const missing = '0123456789012345678901234567890123456789';
      expect(() => db.readBlob(missing)).toThrow(ObjectNotFoundError);
      expect(() => db.readCommit(missing)).toThrow(
        expect.objectContaining({ code: 'OBJECT_NOT_FOUND', details: { oid: missing } }),
      );
      expect(db.has(missing)).toBe(false);
    });

    it('throws UnexpectedObjectTypeError when the object is of another type', () => {
      const blob = db.writeBlob('not a tree');
      expect(() => db.readTree(blob)).toThrow(UnexpectedObjectTypeError);
      expect(() => db.readCommit(blob)).toThrow(
        expect.objectContaining({ code: 'UNEXPECTED_OBJECT_TYPE' }),
      );
      expect(() => db.readTag(blob)).toThrow(UnexpectedObjectTypeError);
      const tree = db.writeTree([{ mode: '100644', name: 'f', oid: blob }]);
      expect(() => db.readBlob(tree)).toThrow(UnexpectedObjectTypeError);
    });

    it("stores strings as UTF-8 blobs with git's id", () => {
      const oid = db.writeBlob('hello\n');
      expect(oid).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
      expect(Buffer.from(db.readBlob(oid)).toString('utf8')).toBe('hello\n');
    });
  });

  describe('trees', () => {
    it('writes entries in git order whatever order they are given in', () => {
      fc.assert(
        fc.property(treeEntriesArb(), (entries) => {
          const fresh = new ObjectDatabase(new MemoryObjectStore());
          const oid = fresh.writeTree([...entries].reverse());
          expect(oid).toBe(hashObject('tree', serializeTree(entries)));
          expect(new ObjectDatabase(fresh.store).readTree(oid)).toEqual(fresh.readTree(oid));
        }),
        fcParams(200),
      );
    });

    it('answers a repeated read from its cache without touching the store', () => {
      const blob = db.writeBlob('x');
      const entries: TreeEntry[] = [{ mode: '100644', name: 'x', oid: blob }];
      const oid = store.put('tree', serializeTree(entries));
      const first = db.readTree(oid);
      const gets = store.gets;
      const second = db.readTree(oid);
      expect(store.gets).toBe(gets);
      expect(second).toBe(first);
      expect(second).toEqual(entries);
    });

    it('serves a tree it just wrote from its cache, sorted', () => {
      const oid = db.writeTree([
        { mode: '100644', name: 'b', oid: EMPTY_TREE_OID },
        { mode: '100644', name: 'a', oid: EMPTY_TREE_OID },
      ]);
      const gets = store.gets;
      expect(db.readTree(oid).map((e) => e.name)).toEqual(['a', 'b']);
      expect(store.gets).toBe(gets);
    });

    it('evicts the least recently used tree when its cache is full, and re-reads it correctly', () => {
      const small = new ObjectDatabase(store, { treeCacheSize: 2 });
      const trees = ['a', 'b', 'c'].map((name) =>
        small.writeTree([{ mode: '100644', name, oid: EMPTY_TREE_OID }]),
      );
      const gets = store.gets;
      expect(small.readTree(trees[2]!)[0]?.name).toBe('c');
      expect(small.readTree(trees[1]!)[0]?.name).toBe('b');
      expect(store.gets).toBe(gets);
      expect(small.readTree(trees[0]!)[0]?.name).toBe('a');
      expect(store.gets).toBe(gets + 1);
    });
  });

  describe('commits', () => {
    it('reads back what it wrote, from any commit', () => {
      fc.assert(
        fc.property(commitArb, (commit) => {
          const fresh = new ObjectDatabase(new MemoryObjectStore());
          const oid = fresh.writeCommit(commit);
          expect(new ObjectDatabase(fresh.store).readCommit(oid)).toEqual(commit);
          expect(fresh.readCommit(oid)).toEqual(commit);
        }),
        fcParams(200),
      );
    });

    it('caches parsed commits and keeps separate databases over one store consistent', () => {
      const oid = db.writeCommit(commitOn(EMPTY_TREE_OID));
      const gets = store.gets;
      expect(db.readCommit(oid).tree).toBe(EMPTY_TREE_OID);
      expect(store.gets).toBe(gets);
      const other = new ObjectDatabase(store, { commitCacheSize: 1 });
      expect(other.readCommit(oid)).toEqual(db.readCommit(oid));
      expect(store.gets).toBe(gets + 1);
    });

    it('writing the same commit twice yields one object and one id', () => {
      const a = db.writeCommit(commitOn(EMPTY_TREE_OID));
      const size = store.size;
      expect(db.writeCommit(commitOn(EMPTY_TREE_OID))).toBe(a);
      expect(store.size).toBe(size);
    });
  });

  describe('peel', () => {
    it('returns a non-tag object unchanged', () => {
      const commit = db.writeCommit(commitOn(EMPTY_TREE_OID));
      expect(db.peel(commit)).toBe(commit);
      expect(db.peel(EMPTY_TREE_OID)).toBe(EMPTY_TREE_OID);
    });

    it('follows a chain of tags to the object at its end', () => {
      const commit = db.writeCommit(commitOn(EMPTY_TREE_OID));
      const v1 = db.writeTag(tagOf(commit, 'commit', 'v1'));
      const v1Again = db.writeTag(tagOf(v1, 'tag', 'v1-again'));
      const v1Thrice = db.writeTag(tagOf(v1Again, 'tag', 'v1-thrice'));
      expect(db.peel(v1)).toBe(commit);
      expect(db.peel(v1Thrice)).toBe(commit);
      expect(db.readTag(v1Again)).toEqual(tagOf(v1, 'tag', 'v1-again'));
    });

    it('peels a tag of a tree or blob to that tree or blob', () => {
      const blob = db.writeBlob('payload');
      expect(db.peel(db.writeTag(tagOf(blob, 'blob', 'b')))).toBe(blob);
      expect(db.peel(db.writeTag(tagOf(EMPTY_TREE_OID, 'tree', 't')))).toBe(EMPTY_TREE_OID);
    });

    it('throws ObjectNotFoundError when a tag points at a missing object', () => {
      const dangling = db.writeTag(tagOf('d'.repeat(40), 'commit', 'dangling'));
      expect(() => db.peel(dangling)).toThrow(ObjectNotFoundError);
    });
  });
});
