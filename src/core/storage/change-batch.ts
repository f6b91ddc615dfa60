/**
 * A unit of work of the durable adapters: the objects, ref states and reflog changes written
 * since the last flush, collected while the engine writes to memory and sealed into one
 * `ChangeBatch` by `flush()`. The disk driver journals a batch as one record; postgres commits
 * it as one transaction.
 *
 * Refs are recorded as their final state (not as the operations that led there) and reflog
 * appends carry the length the reflog had before them, so applying a batch twice gives the
 * same state as applying it once: recovery may replay a record a checkpoint already covered.
 */
import type { RawObject } from '../objects/git-object';
import type { Oid } from '../objects/oid';
import type { Ref, RefName, ReflogEntry } from './ref-store';

export interface ObjectWrite {
  readonly oid: Oid;
  readonly object: RawObject;
}

/** A ref's state after the batch: the ref, or null when it was deleted. */
export interface RefState {
  readonly name: RefName;
  readonly ref: Ref | null;
}

export interface ReflogChange {
  readonly name: RefName;
  /** True: the reflog became exactly `entries` (rewritten, or dropped with its ref). */
  readonly reset: boolean;
  /** Without `reset`: the reflog's length before `entries` were appended. */
  readonly base: number;
  readonly entries: readonly ReflogEntry[];
}

export interface ChangeBatch {
  readonly objects: readonly ObjectWrite[];
  readonly refs: readonly RefState[];
  readonly reflogs: readonly ReflogChange[];
}

export const EMPTY_CHANGE_BATCH: ChangeBatch = { objects: [], refs: [], reflogs: [] };

export function isEmptyBatch(batch: ChangeBatch): boolean {
  return batch.objects.length === 0 && batch.refs.length === 0 && batch.reflogs.length === 0;
}

interface ReflogDraft {
  reset: boolean;
  base: number;
  entries: ReflogEntry[];
}

/** Changes written to memory and not yet sealed into a batch. */
export class PendingChanges {
  private objects: ObjectWrite[] = [];
  private refs = new Set<RefName>();
  private reflogs = new Map<RefName, ReflogDraft>();

  get isEmpty(): boolean {
    return this.objects.length === 0 && this.refs.size === 0 && this.reflogs.size === 0;
  }

  addObject(oid: Oid, object: RawObject): void {
    this.objects.push({ oid, object });
  }

  touchRef(name: RefName): void {
    this.refs.add(name);
  }

  /** An entry appended to a reflog that had `base` entries before it. */
  appendedReflog(name: RefName, base: number, entry: ReflogEntry): void {
    const draft = this.reflogs.get(name);
    if (draft === undefined) this.reflogs.set(name, { reset: false, base, entries: [entry] });
    else draft.entries.push(entry);
  }

  /** The reflog now is exactly `entries`. */
  replacedReflog(name: RefName, entries: readonly ReflogEntry[]): void {
    this.reflogs.set(name, { reset: true, base: 0, entries: [...entries] });
  }

  /** Whether a ref or its reflog changed since the last seal. */
  touchesRef(name: RefName): boolean {
    return this.refs.has(name) || this.reflogs.has(name);
  }

  /** Forgets the pending ref and reflog changes (their refs were reloaded); returns their names. */
  dropRefChanges(): RefName[] {
    const names = [...new Set([...this.refs, ...this.reflogs.keys()])];
    this.refs = new Set();
    this.reflogs = new Map();
    return names;
  }

  /** Takes everything pending as one batch; `readRef` gives each touched ref's final state. */
  seal(readRef: (name: RefName) => Ref | undefined): ChangeBatch {
    if (this.isEmpty) return EMPTY_CHANGE_BATCH;
    const batch: ChangeBatch = {
      objects: this.objects,
      refs: [...this.refs].map((name) => ({ name, ref: readRef(name) ?? null })),
      reflogs: [...this.reflogs].map(([name, draft]) => ({ name, ...draft })),
    };
    this.objects = [];
    this.refs = new Set();
    this.reflogs = new Map();
    return batch;
  }

  /**
   * Puts a batch that could not be persisted back before what is pending, so the next flush
   * carries it again (postgres, after the database came back). With `refs: false` only its
   * objects return: its ref changes were dropped (the refs were reloaded from storage).
   */
  requeue(batch: ChangeBatch, options: { refs: boolean }): void {
    this.objects = [...batch.objects, ...this.objects];
    if (!options.refs) return;
    for (const state of batch.refs) this.refs.add(state.name);
    for (const older of batch.reflogs) {
      const newer = this.reflogs.get(older.name);
      if (newer?.reset === true) continue;
      this.reflogs.set(older.name, {
        reset: older.reset,
        base: older.base,
        entries: [...older.entries, ...(newer?.entries ?? [])],
      });
    }
  }
}
