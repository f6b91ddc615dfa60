/**
 * Following symbolic refs (HEAD → refs/heads/main → id).
 */
import type { Oid } from '../objects/oid';
import type { RefName, RefStore } from '../storage/ref-store';

export interface ResolvedRef {
  /** The direct ref at the end of the symbolic chain (e.g. `refs/heads/main` for HEAD). */
  readonly name: RefName;
  /** Its id, or null when that ref does not exist yet (an unborn branch). */
  readonly oid: Oid | null;
  /** True when `name` was reached through at least one symbolic ref. */
  readonly symbolic: boolean;
}

const MAX_SYMREF_DEPTH = 5;

/** Follows a ref to its direct target. A missing ref resolves to `{name, oid: null}`. */
export function resolveRef(refs: RefStore, name: RefName): ResolvedRef {
  let current = name;
  for (let depth = 0; depth <= MAX_SYMREF_DEPTH; depth++) {
    const ref = refs.read(current);
    if (ref === undefined) return { name: current, oid: null, symbolic: depth > 0 };
    if (ref.kind === 'direct') return { name: current, oid: ref.oid, symbolic: depth > 0 };
    current = ref.target;
  }
  return { name: current, oid: null, symbolic: true };
}

export const HEAD = 'HEAD';
export const BRANCH_PREFIX = 'refs/heads/';
export const TAG_PREFIX = 'refs/tags/';

export function branchRef(branch: string): RefName {
  return BRANCH_PREFIX + branch;
}

export function tagRef(tag: string): RefName {
  return TAG_PREFIX + tag;
}

/** `main` for `refs/heads/main`; undefined for anything that is not a branch. */
export function branchName(ref: RefName): string | undefined {
  return ref.startsWith(BRANCH_PREFIX) ? ref.slice(BRANCH_PREFIX.length) : undefined;
}
