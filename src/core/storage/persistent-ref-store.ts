/**
 * The ref store of the durable adapters: the memory store plus a record of which refs and
 * reflogs changed since the last flush. Compare-and-swap stays the memory store's synchronous
 * decision; this class only notes what an applied change touched, so `flush()` can persist the
 * final state of those refs and the reflog entries added.
 *
 * `restoreRef` and `restoreReflog` put persisted state into memory without queuing it (loading,
 * replaying a journal, taking another process's update). They go through the memory store's
 * public operations, so the memory store needs no back door.
 */
import { ZERO_OID, type Oid } from '../objects/oid';
import type { PendingChanges, ReflogChange } from './change-batch';
import { MemoryRefStore } from './memory/memory-ref-store';
import type { Ref, RefChange, RefName, RefWriteResult, ReflogEntry } from './ref-store';

export interface PersistentRefStoreOptions {
  /** Throws for a name the adapter cannot persist (checked before anything changes). */
  readonly checkName?: (name: RefName) => void;
}

export class PersistentRefStore extends MemoryRefStore {
  private readonly checkName: (name: RefName) => void;

  constructor(
    private readonly pending: PendingChanges,
    private readonly persist: () => Promise<void>,
    options: PersistentRefStoreOptions = {},
  ) {
    super();
    this.checkName = options.checkName ?? (() => undefined);
  }

  override update(change: RefChange): RefWriteResult {
    this.checkName(change.name);
    const result = super.update(change);
    if (result.status === 'ok') this.recordApplied(change);
    return result;
  }

  override updateMany(changes: readonly RefChange[]): {
    readonly ok: boolean;
    readonly results: RefWriteResult[];
  } {
    for (const change of changes) this.checkName(change.name);
    const outcome = super.updateMany(changes);
    if (outcome.ok) {
      changes.forEach((change, i) => {
        if (outcome.results[i]?.status === 'ok') this.recordApplied(change);
      });
    }
    return outcome;
  }

  override setSymbolic(name: RefName, target: RefName): void {
    this.checkName(name);
    super.setSymbolic(name, target);
    this.pending.touchRef(name);
  }

  override appendReflog(name: RefName, entry: ReflogEntry): void {
    this.checkName(name);
    const base = this.reflog(name).length;
    super.appendReflog(name, entry);
    this.pending.appendedReflog(name, base, entry);
  }

  override rewriteReflog(name: RefName, entries: readonly ReflogEntry[]): void {
    this.checkName(name);
    super.rewriteReflog(name, entries);
    this.pending.replacedReflog(name, entries);
  }

  override flush(): Promise<void> {
    return this.persist();
  }

  /**
   * Appends of an applied change reached `appendReflog` already (the memory store calls it);
   * a delete dropped the reflog inside the memory store, so record the reflog as it is now (a
   * batch may have created the ref again after deleting it).
   */
  private recordApplied(change: RefChange): void {
    this.pending.touchRef(change.name);
    if (change.next === null) this.pending.replacedReflog(change.name, this.reflog(change.name));
  }

  /** Sets a ref to persisted state (null: absent), without queuing it. Drops the reflog on delete. */
  restoreRef(name: RefName, ref: Ref | null): void {
    const current = this.read(name);
    if (ref?.kind === 'symbolic') {
      super.setSymbolic(name, ref.target);
      return;
    }
    if (current === undefined && ref === null) return;
    let currentOid: Oid | null = current?.kind === 'direct' ? current.oid : null;
    if (current?.kind === 'symbolic') {
      // Detach first: the memory store changes a symbolic ref only that way.
      const next = ref?.oid ?? ZERO_OID;
      this.mustApply(
        super.update({ name, expect: this.resolvedOid(current.target), next, detach: true }),
        name,
      );
      currentOid = next;
    }
    const next = ref === null ? null : ref.oid;
    if (currentOid !== next) this.mustApply(super.update({ name, expect: currentOid, next }), name);
  }

  /** Applies a persisted reflog change, without queuing it (idempotent, see change-batch.ts). */
  restoreReflog(change: ReflogChange): void {
    if (change.reset) {
      super.rewriteReflog(change.name, change.entries);
      return;
    }
    const log = this.reflog(change.name);
    if (log.length === change.base) {
      for (const entry of change.entries) super.appendReflog(change.name, entry);
    } else {
      super.rewriteReflog(change.name, [...log.slice(0, change.base), ...change.entries]);
    }
  }

  private resolvedOid(name: RefName): Oid | null {
    let ref = this.read(name);
    for (let depth = 0; ref?.kind === 'symbolic' && depth < 5; depth++) ref = this.read(ref.target);
    return ref?.kind === 'direct' ? ref.oid : null;
  }

  private mustApply(result: RefWriteResult, name: RefName): void {
    if (result.status !== 'ok' && result.status !== 'no-change') {
      throw new Error(`restoring ref ${name} failed: ${result.status}`);
    }
  }
}
