/**
 * Typed access to an ObjectStore: read blobs, trees, commits and tags as parsed values (with
 * bounded caches of parsed trees and commits), and write them with git-identical bytes.
 *
 * Every read of a missing object throws ObjectNotFoundError and every read of the wrong type
 * throws UnexpectedObjectTypeError: callers that can miss use `store.has` first.
 */
import { ObjectNotFoundError, UnexpectedObjectTypeError } from '../errors/object-errors';
import type { ObjectStore } from '../storage/object-store';
import { parseCommit, serializeCommit, type Commit } from './commit';
import type { ObjectType, RawObject } from './git-object';
import { LruCache } from './lru-cache';
import type { Oid } from './oid';
import { parseTag, serializeTag, type Tag } from './tag';
import {
  compareTreeEntries,
  isSortedTree,
  parseTree,
  serializeSortedTree,
  type TreeEntry,
} from './tree';

/** The id of the empty tree, which git never needs to store to refer to. */
export const EMPTY_TREE_OID: Oid = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface ObjectDatabaseOptions {
  treeCacheSize?: number;
  commitCacheSize?: number;
}

export class ObjectDatabase {
  private readonly trees: LruCache<Oid, readonly TreeEntry[]>;
  private readonly commits: LruCache<Oid, Commit>;

  constructor(
    readonly store: ObjectStore,
    options: ObjectDatabaseOptions = {},
  ) {
    this.trees = new LruCache(options.treeCacheSize ?? 20_000);
    this.commits = new LruCache(options.commitCacheSize ?? 50_000);
  }

  has(oid: Oid): boolean {
    return oid === EMPTY_TREE_OID || this.store.has(oid);
  }

  readObject(oid: Oid): RawObject {
    const object = this.store.get(oid);
    if (object) return object;
    if (oid === EMPTY_TREE_OID) return { type: 'tree', body: new Uint8Array(0) };
    throw new ObjectNotFoundError(oid);
  }

  typeOf(oid: Oid): ObjectType {
    return this.readObject(oid).type;
  }

  private readTyped(oid: Oid, type: ObjectType): Uint8Array {
    const object = this.readObject(oid);
    if (object.type !== type) throw new UnexpectedObjectTypeError(oid, type, object.type);
    return object.body;
  }

  readBlob(oid: Oid): Uint8Array {
    return this.readTyped(oid, 'blob');
  }

  /** Parsed entries, in git's order. The array is shared: do not mutate it. */
  readTree(oid: Oid): readonly TreeEntry[] {
    const cached = this.trees.get(oid);
    if (cached) return cached;
    const entries = parseTree(this.readTyped(oid, 'tree'), oid);
    this.trees.set(oid, entries);
    return entries;
  }

  readCommit(oid: Oid): Commit {
    const cached = this.commits.get(oid);
    if (cached) return cached;
    const commit = parseCommit(this.readTyped(oid, 'commit'), oid);
    this.commits.set(oid, commit);
    return commit;
  }

  readTag(oid: Oid): Tag {
    return parseTag(this.readTyped(oid, 'tag'), oid);
  }

  writeBlob(content: Uint8Array | string): Oid {
    return this.store.put(
      'blob',
      typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    );
  }

  /** Writes a tree (sorting entries into git's order when needed) and caches its parsed form. */
  writeTree(entries: readonly TreeEntry[]): Oid {
    const ordered = isSortedTree(entries) ? entries : [...entries].sort(compareTreeEntries);
    const oid = this.store.put('tree', serializeSortedTree(ordered));
    this.trees.set(oid, ordered);
    return oid;
  }

  writeCommit(commit: Commit): Oid {
    const oid = this.store.put('commit', serializeCommit(commit));
    this.commits.set(oid, commit);
    return oid;
  }

  writeTag(tag: Tag): Oid {
    return this.store.put('tag', serializeTag(tag));
  }

  /** Follows annotated tags to the object they finally point at. */
  peel(oid: Oid): Oid {
    let current = oid;
    for (let depth = 0; depth < 64; depth++) {
      const object = this.readObject(current);
      if (object.type !== 'tag') return current;
      current = parseTag(object.body, current).object;
    }
    return current;
  }
}
