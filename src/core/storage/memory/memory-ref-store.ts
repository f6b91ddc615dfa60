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

  read(name: RefName): Ref | undefined {
    return this.refs.get(name);
  }

  list(prefix: string): Ref[] {
    const found: Ref[] = [];
    for (const [name, ref] of this.refs) if (name.startsWith(prefix)) found.push(ref);
    return found.sort((a, b) => comparePaths(a.name, b.name));
  }

  private currentOid(name: RefName): Oid | null {
    const ref = this.refs.get(name);
    return ref?.kind === 'direct' ? ref.oid : null;
  }

  private check(change: RefChange): RefWriteResult | undefined {
    const existing = this.refs.get(change.name);
    const current = existing?.kind === 'direct' ? existing.oid : null;
    if (existing?.kind === 'symbolic' || current !== change.expect) return { status: 'lock-failure', current };
    if (current === change.next) return { status: 'no-change', previous: current };
    return undefined;
  }

  private apply(change: RefChange): RefWriteResult {
    const previous = this.currentOid(change.name);
    if (change.next === null) {
      this.refs.delete(change.name);
      this.logs.delete(change.name);
    } else {
      this.refs.set(change.name, { name: change.name, kind: 'direct', oid: change.next });
      if (change.reflog) {
        this.appendReflog(change.name, { oldOid: previous ?? '0'.repeat(40), newOid: change.next, ...change.reflog });
      }
    }
    return { status: 'ok', previous };
  }

  update(change: RefChange): RefWriteResult {
    return this.check(change) ?? this.apply(change);
  }

  updateMany(changes: readonly RefChange[]): { ok: boolean; results: RefWriteResult[] } {
    const checks = changes.map((change) => this.check(change));
    if (checks.some((result) => result?.status === 'lock-failure')) {
      return {
        ok: false,
        results: checks.map((result): RefWriteResult => (result?.status === 'lock-failure' ? result : { status: 'aborted' })),
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
