/**
 * Moving one ref with JGit's result vocabulary: the caller learns whether the move created the
 * ref, fast-forwarded it, forced it, changed nothing, was refused (not a fast-forward) or lost
 * a compare-and-swap race. Only invalid input throws.
 *
 * Relies on RefStore.update (the CAS itself, decided in one synchronous call) and CommitGraph
 * (fast-forward = old value is an ancestor of the new one).
 */
import { InvalidRefError } from '../errors/ref-errors';
import type { Oid } from '../objects/oid';
import type { RefChange, RefName, RefStore } from '../storage/ref-store';
import type { CommitGraph } from '../walk/commit-graph';
import { isValidRefName } from './ref-name';
import { resolveRef, TAG_PREFIX } from './resolve-ref';

export type RefUpdateStatus =
  'created' | 'fast-forward' | 'forced' | 'no-change' | 'rejected' | 'lock-failure';

export interface RefUpdateResult {
  readonly status: RefUpdateStatus;
  /** The direct ref that was (or would have been) written: symbolic refs are followed. */
  readonly name: RefName;
  /** The value before the update: what the store held (for a lock failure, what the caller expected). */
  readonly oldOid: Oid | null;
  /** The value asked for (null = delete). */
  readonly newOid: Oid | null;
  /** On 'lock-failure' and 'rejected': what the ref actually holds now. */
  readonly current?: Oid | null;
}

/** Upper-case one-level names (HEAD, ORIG_HEAD) are git's pseudo-refs; everything else needs `refs/...`. */
const PSEUDO_REF = /^[A-Z][A-Z0-9_]*$/;

/**
 * Compare-and-swap of one ref, classified:
 * - current value ≠ `change.expect` → 'lock-failure' (nothing written, `current` says what is there);
 * - `next` equals the current value → 'no-change' (nothing written);
 * - delete (`next` null) → 'forced'; ref absent before → 'created';
 * - old value an ancestor of the new one, both commits, not under refs/tags/ → 'fast-forward';
 * - anything else → 'forced' with `force`, else 'rejected' (nothing written).
 * A symbolic ref (HEAD → refs/heads/main) is followed and its target written; the symbolic
 * ref's own reflog is the caller's business. With `detach`, a symbolic ref is instead replaced
 * by a direct one (detached HEAD), even at the same id (then 'no-change', but written).
 * Throws InvalidRefError for a malformed name.
 */
export function updateRef(
  refs: RefStore,
  graph: CommitGraph,
  change: RefChange & { readonly force?: boolean },
): RefUpdateResult {
  if (!PSEUDO_REF.test(change.name) && !isValidRefName(change.name)) {
    throw new InvalidRefError(change.name, 'not a valid ref name');
  }
  const resolved = resolveRef(refs, change.name);
  const detach = change.detach === true && resolved.symbolic && change.next !== null;
  const name = detach ? change.name : resolved.name;
  const current = resolved.oid;
  const newOid = change.next;
  if (current !== change.expect) {
    return { status: 'lock-failure', name, oldOid: change.expect, newOid, current };
  }
  if (newOid === current && !detach) return { status: 'no-change', name, oldOid: current, newOid };

  let status: RefUpdateStatus;
  if (newOid === current) status = 'no-change';
  else if (newOid === null) status = 'forced';
  else if (current === null) status = 'created';
  else if (isFastForward(graph, name, current, newOid)) status = 'fast-forward';
  else if (change.force === true) status = 'forced';
  else return { status: 'rejected', name, oldOid: current, newOid, current };

  const written = refs.update({
    name,
    expect: current,
    next: newOid,
    ...(change.reflog ? { reflog: change.reflog } : {}),
    ...(detach ? { detach: true } : {}),
  });
  if (written.status === 'lock-failure') {
    return {
      status: 'lock-failure',
      name,
      oldOid: change.expect,
      newOid,
      current: written.current,
    };
  }
  if (written.status === 'aborted') {
    // A single update is never part of a batch; treat it as a lost race to stay safe.
    return {
      status: 'lock-failure',
      name,
      oldOid: change.expect,
      newOid,
      current: resolveRef(refs, name).oid,
    };
  }
  return { status, name, oldOid: current, newOid };
}

/** Tags never fast-forward (git refuses to move them without force); non-commits neither. */
function isFastForward(graph: CommitGraph, name: RefName, from: Oid, to: Oid): boolean {
  if (name.startsWith(TAG_PREFIX)) return false;
  if (!graph.isCommit(from) || !graph.isCommit(to)) return false;
  return graph.isAncestor(from, to);
}
