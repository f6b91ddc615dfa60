/**
 * Every object reachable from a set of tips (tags → their objects, commits → parents and trees,
 * trees → entries; gitlinks are not followed), for writing a bundle or a pack of a repository's
 * history, and as the connectivity check of an import: a missing object is reported, never
 * skipped. The walk is iterative and visits each object once.
 */
import { parseCommit } from '../objects/commit';
import type { ObjectType, RawObject } from '../objects/git-object';
import { EMPTY_TREE_OID } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { parseTag } from '../objects/tag';
import { parseTree } from '../objects/tree';
import type { PackWriteEntry } from '../protocol/pack-writer';
import { RejectedObjectError } from './bundle-errors';

export type ObjectLookup = (oid: Oid) => RawObject | undefined;

const GITLINK_MODE = '160000';
const EMPTY_TREE: RawObject = { type: 'tree', body: new Uint8Array(0) };

/** Follows the lookup, with the empty tree readable even when it is not stored (as in git). */
function read(lookup: ObjectLookup, oid: Oid): RawObject | undefined {
  return lookup(oid) ?? (oid === EMPTY_TREE_OID ? EMPTY_TREE : undefined);
}

/**
 * Objects reachable from `tips`, each once, with a path for trees and blobs (the pack writer
 * groups versions of one file by it). Objects for which `exclude` is true are neither yielded
 * nor walked. Throws RejectedObjectError naming the first missing object or a tag/entry whose
 * type does not match.
 */
export function* reachableObjects(
  lookup: ObjectLookup,
  tips: Iterable<Oid>,
  exclude: (oid: Oid) => boolean = () => false,
): Generator<PackWriteEntry & { readonly oid: Oid }> {
  const seen = new Set<Oid>();
  const work: Array<{ oid: Oid; expect?: ObjectType; path?: string }> = [];
  for (const oid of tips) work.push({ oid });
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const { oid, expect, path } = item;
    if (seen.has(oid) || exclude(oid)) continue;
    seen.add(oid);
    const object = read(lookup, oid);
    if (object === undefined) throw new RejectedObjectError('missing object', oid);
    if (expect !== undefined && object.type !== expect) {
      throw new RejectedObjectError(`is a ${object.type}, expected a ${expect}`, oid);
    }
    yield path === undefined
      ? { oid, type: object.type, body: object.body }
      : { oid, type: object.type, body: object.body, path };
    switch (object.type) {
      case 'commit': {
        const commit = parseCommit(object.body, oid);
        for (const parent of commit.parents) work.push({ oid: parent, expect: 'commit' });
        work.push({ oid: commit.tree, expect: 'tree', path: '' });
        break;
      }
      case 'tag': {
        const tag = parseTag(object.body, oid);
        work.push({ oid: tag.object, expect: tag.type });
        break;
      }
      case 'tree': {
        for (const entry of parseTree(object.body, oid)) {
          if (entry.mode === GITLINK_MODE) continue;
          const child = path === undefined || path === '' ? entry.name : `${path}/${entry.name}`;
          const type: ObjectType =
            entry.mode === '40000' || entry.mode === '040000' ? 'tree' : 'blob';
          work.push({ oid: entry.oid, expect: type, path: child });
        }
        break;
      }
      case 'blob':
        break;
    }
  }
}

/** Walks everything reachable from `tips` and throws RejectedObjectError on the first gap. */
export function checkConnectivity(
  lookup: ObjectLookup,
  tips: Iterable<Oid>,
  known: (oid: Oid) => boolean = () => false,
): number {
  let count = 0;
  for (const entry of reachableObjects(lookup, tips, known)) {
    void entry;
    count++;
  }
  return count;
}
