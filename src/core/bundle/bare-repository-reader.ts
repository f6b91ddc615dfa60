/**
 * Reads a bare git repository directory on this server (an import from a server path): its
 * packs, loose objects, packed-refs and loose refs, with the disk driver's own loader, into
 * throw-away stores. Nothing is written to the directory. The caller checks and copies what it
 * returns.
 */
import type { RawObject } from '../objects/git-object';
import type { Oid } from '../objects/oid';
import { PendingChanges } from '../storage/change-batch';
import { nodeFileSystem } from '../storage/disk/file-system';
import { GitDirectory } from '../storage/disk/git-directory';
import { loadGitDirectory } from '../storage/disk/git-directory-loader';
import { PersistentObjectStore } from '../storage/persistent-object-store';
import { PersistentRefStore } from '../storage/persistent-ref-store';
import type { Ref } from '../storage/ref-store';

export interface BareRepositoryContent {
  readonly objects: Map<Oid, RawObject>;
  /** Direct refs under `refs/`, sorted by name. */
  readonly refs: ReadonlyArray<{ readonly name: string; readonly oid: Oid }>;
  /** HEAD's symbolic target (`refs/heads/main`), when HEAD is symbolic. */
  readonly head: string | undefined;
}

/** Loads the repository at `path`; throws when its files do not verify. */
export async function readBareRepository(path: string): Promise<BareRepositoryContent> {
  const idle = (): Promise<void> => Promise.resolve();
  const objects = new PersistentObjectStore(new PendingChanges(), idle);
  const refs = new PersistentRefStore(new PendingChanges(), idle);
  await loadGitDirectory(nodeFileSystem, new GitDirectory(path), objects, refs);
  const map = new Map<Oid, RawObject>();
  for (const oid of objects.oids()) map.set(oid, objects.get(oid)!);
  const direct = refs
    .list('refs/')
    .filter((ref): ref is Extract<Ref, { kind: 'direct' }> => ref.kind === 'direct')
    .map((ref) => ({ name: ref.name, oid: ref.oid }));
  const head = refs.read('HEAD');
  return { objects: map, refs: direct, head: head?.kind === 'symbolic' ? head.target : undefined };
}
