/**
 * The refs a git client sees: HEAD (when it resolves or at least names a branch) and every ref
 * under `refs/` except the server's internal namespace `refs/govc/` (stash ids, bookkeeping),
 * which is never advertised and never writable by a push. Annotated tags carry their peeled id,
 * as both protocol versions show it (`^{}` lines in v0, `peeled:` in v2).
 */
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { HEAD, resolveRef } from '../refs/resolve-ref';
import type { RefName, RefStore } from '../storage/ref-store';

/** Refs below this prefix belong to the server and stay invisible to git clients. */
export const INTERNAL_REF_PREFIX = 'refs/govc/';

export interface AdvertisedRef {
  readonly name: RefName;
  /** The id the ref resolves to; null only for an unborn HEAD. */
  readonly oid: Oid | null;
  /** The direct ref a symbolic ref points at (HEAD → refs/heads/main). */
  readonly symrefTarget?: RefName;
  /** The object an annotated tag finally points at. */
  readonly peeled?: Oid;
}

export function isInternalRef(name: RefName): boolean {
  return name.startsWith(INTERNAL_REF_PREFIX);
}

function peeledOf(odb: ObjectDatabase, oid: Oid): Oid | undefined {
  const object = odb.store.get(oid);
  if (object === undefined || object.type !== 'tag') return undefined;
  try {
    return odb.peel(oid);
  } catch {
    return undefined;
  }
}

/**
 * HEAD first (with its target; `oid` null when unborn, detached HEAD without a target), then
 * every visible ref sorted by name. Symbolic refs other than HEAD are shown resolved.
 */
export function listAdvertisedRefs(refs: RefStore, odb: ObjectDatabase): AdvertisedRef[] {
  const out: AdvertisedRef[] = [];
  const head = refs.read(HEAD);
  if (head !== undefined) {
    const resolved = resolveRef(refs, HEAD);
    if (head.kind === 'symbolic' && !isInternalRef(resolved.name)) {
      out.push({ name: HEAD, oid: resolved.oid, symrefTarget: resolved.name });
    } else if (head.kind === 'direct') {
      out.push({ name: HEAD, oid: head.oid });
    }
  }
  for (const ref of refs.list('refs/')) {
    if (isInternalRef(ref.name)) continue;
    const oid = ref.kind === 'direct' ? ref.oid : resolveRef(refs, ref.name).oid;
    if (oid === null) continue;
    const peeled = peeledOf(odb, oid);
    out.push(peeled === undefined ? { name: ref.name, oid } : { name: ref.name, oid, peeled });
  }
  return out;
}
