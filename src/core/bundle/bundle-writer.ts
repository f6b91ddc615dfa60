/**
 * Writes a v2 git bundle (what `git bundle create` writes and `git bundle verify` accepts): the
 * header naming the refs, then a pack of every object reachable from them, streamed in chunks.
 * Bundles written here have no prerequisites: they are complete histories.
 */
import type { Oid } from '../objects/oid';
import { packChunks, type PackWriteOptions, type PackWriteResult } from '../protocol/pack-writer';
import { formatBundleHeader, type BundleRef } from './bundle-header';
import { reachableObjects, type ObjectLookup } from './reachable-objects';

/** The bundle as chunks; the return value describes its pack. */
export async function* bundleChunks(
  refs: readonly BundleRef[],
  lookup: ObjectLookup,
  options: PackWriteOptions = {},
): AsyncGenerator<Buffer, PackWriteResult, undefined> {
  // Collected before the first byte goes out: a missing object fails the export cleanly.
  const objects = [...reachableObjects(lookup, uniqueTips(refs))];
  yield formatBundleHeader(refs);
  return yield* packChunks(objects, options);
}

function uniqueTips(refs: readonly BundleRef[]): Oid[] {
  return [...new Set(refs.map((ref) => ref.oid))];
}

/** A whole bundle in one buffer (tests and small repositories). */
export async function encodeBundle(
  refs: readonly BundleRef[],
  lookup: ObjectLookup,
  options: PackWriteOptions = {},
): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of bundleChunks(refs, lookup, options)) parts.push(chunk);
  return Buffer.concat(parts);
}
