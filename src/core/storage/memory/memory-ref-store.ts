/**
 * In-memory refs and reflogs. JavaScript runs one callback at a time and every method here
 * is synchronous, so each compare-and-swap is atomic without locks.
 */
import type { Oid } from '../../objects/oid';
import { comparePaths } from '../../objects/tree-entry-order';
import {
  RefStore,
  type Ref,
  type RefChange,
  type RefName,
  type RefWriteResult,
  type ReflogEntry,
} from '../ref-store';

export class MemoryRefStore extends RefStore {
  private readonly refs = new Map<RefName, Ref>();
  private readonly logs = new Map<RefName, ReflogEntry[]>();
  /** Open recordMoves calls: each notes the first previous id of every ref apply() moves. */
  private readonly recordings: Array<Map<RefName, Oid | null>> = [];

  read(name: RefName): Ref | undefined {
    return this.refs.get(name);
  }

  list(prefix: string): Ref[] {
    const found: Ref[] = [];
    for (const [name, ref] of this.refs) if (name.startsWith(prefix)) found.push(ref);
    return found.sort((a, b) => comparePaths(a.name, b.name));
  }

  /** The id a ref resolves to through symbolic refs (null when missing or cyclic). */
  private symbolicTargetOid(name: RefName): Oid | null {
    let ref = this.refs.get(name);
    for (let depth = 0; ref?.kind === 'symbolic' && depth < 5; depth++)
      ref = this.refs.get(ref.target);
    return ref?.kind === 'direct' ? ref.oid : null;
  }

  private currentOid(name: RefName): Oid | null {
    const ref = this.refs.get(name);
    return ref?.kind === 'direct' ? ref.oid : null;
  }

  /**
   * The result a change gets without being applied, or undefined when it applies. `pending`
   * holds the values earlier changes of the same batch will have set: a batch is checked as if
   * its changes ran one after the other, so two changes of one ref must chain (A→B, then B→C).
   */
  private check(
    change: RefChange,
    pending?: ReadonlyMap<RefName, Oid | null>,
  ): RefWriteResult | undefined {
    let current: Oid | null;
    if (pending?.has(change.name)) {
      current = pending.get(change.name) ?? null;
    } else {
      const existing = this.refs.get(change.name);
      if (existing?.kind === 'symbolic') {
        if (change.detach !== true || change.next === null)
          return { status: 'lock-failure', current: null };
        const target = this.symbolicTargetOid(existing.target);
        // Detaching always applies when the expectation holds, even to the same id.
        return target === change.expect ? undefined : { status: 'lock-failure', current: target };
      }
      current = existing?.oid ?? null;
    }
    if (current !== change.expect) return { status: 'lock-failure', current };
    if (current === change.next) return { status: 'no-change', previous: current };
    return undefined;
  }

  private apply(change: RefChange): RefWriteResult {
    const previous = this.currentOid(change.name);
    for (const recording of this.recordings)
      if (!recording.has(change.name)) recording.set(change.name, previous);
    if (change.next === null) {
      this.refs.delete(change.name);
      this.logs.delete(change.name);
    } else {
      this.refs.set(change.name, { name: change.name, kind: 'direct', oid: change.next });
      if (change.reflog) {
        this.appendReflog(change.name, {
          oldOid: previous ?? '0'.repeat(40),
          newOid: change.next,
          ...change.reflog,
        });
      }
    }
    return { status: 'ok', previous };
  }

  override recordMoves<T>(work: () => T): {
    readonly value: T;
    readonly moved: ReadonlyMap<RefName, Oid | null>;
  } {
    const moved = new Map<RefName, Oid | null>();
    this.recordings.push(moved);
    try {
      return { value: work(), moved };
    } finally {
      this.recordings.splice(this.recordings.indexOf(moved), 1);
    }
  }

  update(change: RefChange): RefWriteResult {
    return this.check(change) ?? this.apply(change);
  }

  updateMany(changes: readonly RefChange[]): { ok: boolean; results: RefWriteResult[] } {
    const pending = new Map<RefName, Oid | null>();
    const checks = changes.map((change) => {
      const result = this.check(change, pending);
      if (result === undefined) pending.set(change.name, change.next);
      return result;
    });
    if (checks.some((result) => result?.status === 'lock-failure')) {
      return {
        ok: false,
        results: checks.map((result): RefWriteResult =>
          result?.status === 'lock-failure' ? result : { status: 'aborted' },
        ),
      };
    }
    return { ok: true, results: changes.map((change, i) => checks[i] ?? this.apply(change)) };
  }

  setSymbolic(name: RefName, target: RefName): void {
    this.refs.set(name, { name, kind: 'symbolic', target });
  }

  reflog(name: RefName): readonly ReflogEntry[] {
    return this.logs.get(name) ?? [];
  }

  appendReflog(name: RefName, entry: ReflogEntry): void {
    const log = this.logs.get(name);
    if (log) log.push(entry);
    else this.logs.set(name, [entry]);
  }

  rewriteReflog(name: RefName, entries: readonly ReflogEntry[]): void {
    if (entries.length === 0) this.logs.delete(name);
    else this.logs.set(name, [...entries]);
  }

  async flush(): Promise<void> {
    // Nothing to persist in memory.
  }
}
