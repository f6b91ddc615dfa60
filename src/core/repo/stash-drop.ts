/**
 * `git stash drop` (contract §3.5): removes one line from the `refs/stash` reflog the way
 * `git reflog delete --rewrite --updateref` does: every kept line's old id is rewritten to the
 * new id of the kept line before it (zeros for the first), `refs/stash` is set to the newest
 * kept line, and the ref (with its reflog) is deleted when no line is left. The entry's uuid
 * ref goes in the same ref batch, so other entries keep their ids and positions shift.
 */
import { ConcurrentUpdateError } from '../errors/ref-errors';
import { StashNotFoundError } from '../errors/operation-errors';
import { ZERO_OID, type Oid } from '../objects/oid';
import type { RefChange, ReflogEntry } from '../storage/ref-store';
import type { RepoContext } from './repo-context';
import { forgetStashUuid } from './stash-ids';
import { getStash, STASH_REF, type StashEntry } from './stash-list';

/** A planned drop: check it with `plan`, write it with `apply` (no check in between needed). */
export interface StashDropPlan {
  readonly entry: StashEntry;
  readonly changes: readonly RefChange[];
  readonly reflog: readonly ReflogEntry[];
}

/**
 * Plans dropping `entry` without writing anything. Throws StashNotFoundError when the reflog
 * no longer holds it at its position.
 */
export function planStashDrop(ctx: RepoContext, entry: StashEntry): StashDropPlan {
  const stored = ctx.refs.read(STASH_REF);
  const log = ctx.refs.reflog(STASH_REF);
  const position = log.length - 1 - entry.index;
  if (stored?.kind !== 'direct' || log[position]?.newOid !== entry.oid)
    throw new StashNotFoundError(entry.id);

  const kept: ReflogEntry[] = [];
  let lastKept: Oid = ZERO_OID;
  log.forEach((line, i) => {
    if (i === position) return;
    kept.push({ ...line, oldOid: lastKept });
    lastKept = line.newOid;
  });
  const last = kept[kept.length - 1];
  const changes: RefChange[] = [];
  if (last === undefined) changes.push({ name: STASH_REF, expect: stored.oid, next: null });
  else if (last.newOid !== stored.oid)
    changes.push({ name: STASH_REF, expect: stored.oid, next: last.newOid });
  const stillListed = kept.some((line) => line.newOid === entry.oid);
  const forget = stillListed ? undefined : forgetStashUuid(ctx.refs, entry.uuid, entry.oid);
  if (forget !== undefined) changes.push(forget);
  return { entry, changes, reflog: kept };
}

/** Writes a planned drop. Throws ConcurrentUpdateError when refs moved since `planStashDrop`. */
export function applyStashDrop(ctx: RepoContext, plan: StashDropPlan): void {
  if (plan.changes.length > 0) {
    const written = ctx.refs.updateMany(plan.changes);
    if (!written.ok) throw new ConcurrentUpdateError(STASH_REF, plan.entry.oid, null);
  }
  // Also when the ref was deleted: stores that keep a reflog apart from its ref drop it here.
  ctx.refs.rewriteReflog(STASH_REF, plan.reflog);
}

/** Drops the entry `id` names and returns it. Throws StashNotFoundError. */
export function dropStash(ctx: RepoContext, id: string): StashEntry {
  const plan = planStashDrop(ctx, getStash(ctx, id));
  applyStashDrop(ctx, plan);
  return plan.entry;
}
