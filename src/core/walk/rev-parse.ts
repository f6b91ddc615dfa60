/**
 * Revision expressions (contract §0.7): a base name resolved in the order HEAD → 40-hex → full
 * ref → refs/heads/<n> → refs/tags/<n> → abbreviated hex, then suffixes applied left to right:
 * `@{N}` (only right after a branch or HEAD), `~N`, `^N`.
 *
 * Differences from `git rev-parse`, on purpose: no `^{type}`, `:path`, `@{-N}`, `@{date}`,
 * `<rev>^!` or remote-tracking short names; an abbreviated id is ambiguous when it matches
 * several objects of any type (git may prefer a commit when a suffix follows). `@` alone is HEAD.
 * `HEAD@{N}` reads HEAD's own reflog, or the current branch's when HEAD has none.
 *
 * Relies on RefStore (refs, reflogs) and ObjectDatabase (commits, tags, prefix lookup).
 */
import { AmbiguousRefError, InvalidRefError, RefNotFoundError } from '../errors/ref-errors';
import type { ObjectDatabase } from '../objects/object-database';
import { ZERO_OID, type Oid } from '../objects/oid';
import type { ReflogEntry, RefName, RefStore } from '../storage/ref-store';
import { isValidRefName } from '../refs/ref-name';
import { BRANCH_PREFIX, HEAD, resolveRef, TAG_PREFIX } from '../refs/resolve-ref';

/** How many candidates an AMBIGUOUS_REF error lists. */
const MAX_CANDIDATES = 10;
const FULL_HEX = /^[0-9a-fA-F]{40}$/;
const SHORT_HEX = /^[0-9a-fA-F]{4,39}$/;

interface Step {
  readonly op: '~' | '^';
  readonly n: number;
}

interface ParsedRevision {
  readonly base: string;
  readonly reflogIndex: number | undefined;
  readonly steps: readonly Step[];
}

/** Splits `main@{1}~2^2` into base `main`, reflog index 1, steps ~2 ^2; throws InvalidRefError. */
function parseRevision(expr: string): ParsedRevision {
  let end = expr.length;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (ch === '~' || ch === '^' || (ch === '@' && expr[i + 1] === '{')) {
      end = i;
      break;
    }
  }
  const base = expr.slice(0, end);
  if (base === '') throw new InvalidRefError(expr, 'missing a name before the suffix');
  if (base !== HEAD && base !== '@') {
    const full = base.startsWith('refs/') ? base : `${BRANCH_PREFIX}${base}`;
    if (!isValidRefName(full)) throw new InvalidRefError(expr, 'not a valid ref name');
  }

  let pos = end;
  let reflogIndex: number | undefined;
  if (expr.startsWith('@{', pos)) {
    const close = expr.indexOf('}', pos);
    const inner = close < 0 ? '' : expr.slice(pos + 2, close);
    if (inner.startsWith('-')) throw new InvalidRefError(expr, '@{-N} is not supported');
    if (!/^[0-9]+$/.test(inner)) throw new InvalidRefError(expr, '@{...} takes a reflog index');
    reflogIndex = toCount(inner, expr);
    pos = close + 1;
  }

  const steps: Step[] = [];
  while (pos < expr.length) {
    const op = expr[pos];
    if (op !== '~' && op !== '^')
      throw new InvalidRefError(expr, `unexpected '${expr.slice(pos)}'`);
    let digitsEnd = pos + 1;
    while (
      digitsEnd < expr.length &&
      expr.charCodeAt(digitsEnd) >= 48 &&
      expr.charCodeAt(digitsEnd) <= 57
    )
      digitsEnd++;
    const n = digitsEnd === pos + 1 ? 1 : toCount(expr.slice(pos + 1, digitsEnd), expr);
    steps.push({ op, n });
    pos = digitsEnd;
  }
  return { base, reflogIndex, steps };
}

function toCount(digits: string, expr: string): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) throw new InvalidRefError(expr, `number too large: ${digits}`);
  return n;
}

interface ResolvedBase {
  readonly oid: Oid;
  /** The ref whose reflog `@{N}` reads: HEAD or a branch; undefined for tags and ids. */
  readonly reflogRef: RefName | undefined;
}

function resolveBase(
  odb: ObjectDatabase,
  refs: RefStore,
  base: string,
  expr: string,
): ResolvedBase {
  if (base === HEAD || base === '@') {
    const head = resolveRef(refs, HEAD);
    if (head.oid === null) throw new RefNotFoundError(expr);
    return { oid: head.oid, reflogRef: HEAD };
  }
  if (FULL_HEX.test(base)) {
    const oid = base.toLowerCase();
    if (odb.has(oid)) return { oid, reflogRef: undefined };
  }
  const candidates = base.startsWith('refs/') ? [base] : [BRANCH_PREFIX + base, TAG_PREFIX + base];
  for (const candidate of candidates) {
    const ref = resolveRef(refs, candidate);
    if (ref.oid !== null) {
      return { oid: ref.oid, reflogRef: ref.name.startsWith(BRANCH_PREFIX) ? ref.name : undefined };
    }
  }
  if (SHORT_HEX.test(base)) {
    const matches = odb.store.findByPrefix(base.toLowerCase(), MAX_CANDIDATES + 1);
    if (matches.length > 1) throw new AmbiguousRefError(expr, matches.sort());
    if (matches.length === 1) return { oid: matches[0]!, reflogRef: undefined };
  }
  throw new RefNotFoundError(expr);
}

/**
 * The value a ref had N moves ago, as git's read_ref_at: the old value of the N-th newest
 * reflog entry (an entry that created the ref has none, so older entries are tried). `@{0}` is
 * the newest entry's new value, or the ref's current value when it has no reflog.
 */
function reflogValue(entries: readonly ReflogEntry[], n: number, current: Oid): Oid | undefined {
  if (n === 0) return entries.length === 0 ? current : entries[entries.length - 1]!.newOid;
  for (let i = entries.length - n; i >= 0; i--) {
    const old = entries[i]!.oldOid;
    if (old !== ZERO_OID) return old;
  }
  return undefined;
}

function reflogEntries(refs: RefStore, reflogRef: RefName): readonly ReflogEntry[] {
  const own = refs.reflog(reflogRef);
  if (own.length > 0 || reflogRef !== HEAD) return own;
  // Without a HEAD reflog of its own, HEAD@{N} reads the current branch's (documented above).
  const target = resolveRef(refs, HEAD);
  return target.symbolic ? refs.reflog(target.name) : own;
}

/** Follows annotated tags to a commit; a missing object or a tree/blob is REF_NOT_FOUND. */
function peelToCommit(odb: ObjectDatabase, oid: Oid, expr: string): Oid {
  let current = oid;
  for (let depth = 0; depth < 64; depth++) {
    if (!odb.has(current)) throw new RefNotFoundError(expr);
    const type = odb.typeOf(current);
    if (type === 'commit') return current;
    if (type !== 'tag') throw new RefNotFoundError(expr);
    current = odb.readTag(current).object;
  }
  throw new RefNotFoundError(expr);
}

/**
 * Resolves a revision expression (§0.7) to an object id. Without suffixes the result is what
 * the name points at (an annotated tag stays a tag); any suffix first peels to a commit.
 * Throws InvalidRefError (malformed, `@{N}` on a tag or id), AmbiguousRefError (short id
 * matching several objects; at most 10 candidates), RefNotFoundError(expr) (no match, unborn
 * HEAD, `~N` past the root, `^N` past the parents, a suffix on a tree or blob).
 */
export function resolveRevision(odb: ObjectDatabase, refs: RefStore, expr: string): Oid {
  if (expr === '') throw new InvalidRefError(expr, 'empty revision');
  const { base, reflogIndex, steps } = parseRevision(expr);
  const resolved = resolveBase(odb, refs, base, expr);
  let oid = resolved.oid;
  if (reflogIndex !== undefined) {
    if (resolved.reflogRef === undefined)
      throw new InvalidRefError(expr, '@{N} applies only to a branch or HEAD');
    const previous = reflogValue(reflogEntries(refs, resolved.reflogRef), reflogIndex, oid);
    if (previous === undefined) throw new RefNotFoundError(expr);
    oid = previous;
  }
  for (const step of steps) {
    let commit = peelToCommit(odb, oid, expr);
    if (step.op === '^') {
      if (step.n > 0) {
        const parent = odb.readCommit(commit).parents[step.n - 1];
        if (parent === undefined) throw new RefNotFoundError(expr);
        commit = parent;
      }
    } else {
      for (let i = 0; i < step.n; i++) {
        const parent = odb.readCommit(commit).parents[0];
        if (parent === undefined) throw new RefNotFoundError(expr);
        commit = parent;
      }
    }
    oid = commit;
  }
  return oid;
}

/** resolveRevision, then peel annotated tags; a tree or blob (or missing object) is REF_NOT_FOUND. */
export function resolveCommit(odb: ObjectDatabase, refs: RefStore, expr: string): Oid {
  return peelToCommit(odb, resolveRevision(odb, refs, expr), expr);
}
