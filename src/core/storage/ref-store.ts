/**
 * The ref storage port: named pointers to objects (or, for symbolic refs such as HEAD, to other
 * refs), each with a reflog. Every write is a compare-and-swap decided inside one synchronous
 * call, so no other request can slip in between the check and the write.
 *
 * This layer knows nothing about history: whether a move is a fast-forward is decided above
 * it (refs/ref-update.ts), from the commit graph.
 */
import type { Oid } from '../objects/oid';
import type { Signature } from '../objects/signature';

/** A full ref name: `HEAD`, `refs/heads/main`, `refs/tags/v1`, `refs/stash`. */
export type RefName = string;

export type Ref =
  | { readonly name: RefName; readonly kind: 'direct'; readonly oid: Oid }
  | { readonly name: RefName; readonly kind: 'symbolic'; readonly target: RefName };

/** One reflog line: `<old> <new> <identity> <time> <tz>\t<message>`. */
export interface ReflogEntry {
  readonly oldOid: Oid;
  readonly newOid: Oid;
  readonly committer: Signature;
  readonly message: string;
}

export interface RefChange {
  readonly name: RefName;
  /** The value the caller saw: an id, or null for "must not exist". */
  readonly expect: Oid | null;
  /** The value to store, or null to delete the ref (and its reflog). */
  readonly next: Oid | null;
  /** Appended to the ref's reflog when the change applies (not on deletes or no-ops). */
  readonly reflog?: { readonly committer: Signature; readonly message: string };
  /**
   * Detaches a symbolic ref (HEAD): when `name` is symbolic, `expect` is compared with the id
   * it resolves to and, if equal, the symbolic ref is replaced by a direct one holding `next`
   * (even when that id is unchanged). Without it, `update` of a symbolic ref is a lock failure.
   */
  readonly detach?: boolean;
}

export type RefWriteResult =
  | { readonly status: 'ok' | 'no-change'; readonly previous: Oid | null }
  | { readonly status: 'lock-failure'; readonly current: Oid | null }
  /** Not applied because another change of the same all-or-nothing batch failed. */
  | { readonly status: 'aborted' };

export abstract class RefStore {
  /** The ref as stored (symbolic refs are not followed), or undefined on a miss. */
  abstract read(name: RefName): Ref | undefined;

  /** Every ref whose name starts with `prefix`, sorted by name (bytewise). */
  abstract list(prefix: string): Ref[];

  /**
   * Compare-and-swap of one direct ref: applies only if its current id equals `expect`
   * (null = absent). A symbolic ref cannot be the target of `update`: write its target.
   * A lost race is a `lock-failure` result, never an exception.
   */
  abstract update(change: RefChange): RefWriteResult;

  /**
   * All-or-nothing compare-and-swap of several refs: either every expectation holds and all
   * apply, or none does. Changes are checked in order, as if applied one after another, so two
   * changes of one ref must chain (A→B, then B→C). Results are in the order of `changes`; when
   * the batch fails, the failing changes get `lock-failure` and all others `aborted`.
   */
  abstract updateMany(changes: readonly RefChange[]): {
    readonly ok: boolean;
    readonly results: RefWriteResult[];
  };

  /** Creates or replaces a symbolic ref (e.g. HEAD → refs/heads/main). */
  abstract setSymbolic(name: RefName, target: RefName): void;

  /** Reflog entries of a ref, oldest first ([] when it has none). */
  abstract reflog(name: RefName): readonly ReflogEntry[];

  /** Appends to a reflog without moving a ref (git logs HEAD moves this way). */
  abstract appendReflog(name: RefName, entry: ReflogEntry): void;

  /** Replaces a ref's reflog (used when dropping a stash entry). */
  abstract rewriteReflog(name: RefName, entries: readonly ReflogEntry[]): void;

  /** Persists what was written since the last flush; resolves when it is durable. */
  abstract flush(): Promise<void>;

  /**
   * Runs `work` (synchronous) and says which direct refs it moved (created, changed or deleted),
   * each with its id before `work` (null: it did not exist): what event producers need, without
   * listing every ref before and after. A ref moved and moved back is reported too.
   */
  abstract recordMoves<T>(work: () => T): {
    readonly value: T;
    readonly moved: ReadonlyMap<RefName, Oid | null>;
  };
}
