/**
 * Stable ids of stash entries (contract §3.5: a UUID v4 per entry that survives drops of other
 * entries, restarts and reloads, and is never reused).
 *
 * Where they live: one ref per entry, `refs/govc/stash-ids/<uuid>`, pointing at the entry's
 * stash commit. Refs persist through every storage adapter with the same guarantees as
 * refs/stash, git ignores the namespace (no `git stash list` output changes, nothing in the
 * reflog message, where git would show it), and the ref is written in the same all-or-nothing
 * ref batch as the stash itself and deleted with it. Nothing is derived from an entry's
 * position, which shifts on every drop.
 *
 * Entries made by git itself (imported or pushed repositories) have no such ref. Rather than
 * writing on a read, their uuid is derived from the stash commit id: SHA-1 of a fixed prefix
 * and the id, shaped as a version-4 UUID. It is stable for as long as the entry exists and
 * differs for every stash commit. Known limit: one stash commit stored twice in refs/stash (only
 * `git stash store` can do that) gives both entries the same uuid.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Oid } from '../objects/oid';
import type { RefChange, RefStore } from '../storage/ref-store';

export const STASH_ID_PREFIX = 'refs/govc/stash-ids/';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isStashUuid(text: string): boolean {
  return UUID.test(text);
}

/** A fresh random UUID v4 for a new stash entry. */
export function newStashUuid(): string {
  return randomUUID();
}

/** The uuid of a stash commit that has no stored one (see the header). */
export function derivedStashUuid(stash: Oid): string {
  const hex = createHash('sha1').update(`govc-stash-id\0${stash}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Stored uuids by stash commit id (the first by name when several point at one commit). */
export function storedStashUuids(refs: RefStore): Map<Oid, string> {
  const byOid = new Map<Oid, string>();
  for (const ref of refs.list(STASH_ID_PREFIX)) {
    const uuid = ref.name.slice(STASH_ID_PREFIX.length);
    if (ref.kind === 'direct' && isStashUuid(uuid) && !byOid.has(ref.oid)) byOid.set(ref.oid, uuid);
  }
  return byOid;
}

/** The ref change that records `uuid` for stash commit `stash`. */
export function recordStashUuid(uuid: string, stash: Oid): RefChange {
  return { name: STASH_ID_PREFIX + uuid, expect: null, next: stash };
}

/** The ref change that forgets a stored uuid, or undefined when the uuid was derived. */
export function forgetStashUuid(refs: RefStore, uuid: string, stash: Oid): RefChange | undefined {
  const stored = refs.read(STASH_ID_PREFIX + uuid);
  if (stored?.kind !== 'direct' || stored.oid !== stash) return undefined;
  return { name: STASH_ID_PREFIX + uuid, expect: stash, next: null };
}
