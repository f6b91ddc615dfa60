/**
 * `git reset <target>` (contract §3.6) and the ref move every history operation ends with.
 *
 * `advanceHead` moves the current branch (HEAD stays attached) or, when detached, HEAD itself,
 * by compare-and-swap from the value read when the operation started, and writes reflogs the
 * way git's files backend does: the moved ref gets an entry only when its value changes, while
 * an attached HEAD always gets one (git logs symref updates on HEAD even at the same id).
 *
 * Reset modes act on the overlay working state (working-state.ts):
 *   soft   index and working tree untouched: the index overlay keeps its old base, so status
 *          shows the difference to the new HEAD as staged (exactly git's soft reset);
 *   mixed  index = target tree; every working-tree file keeps its content (now unstaged);
 *   hard   index and working tree = target tree; untracked files stay unless the target
 *          needs their place (checkout's forced switch does exactly this).
 */
import { ConcurrentUpdateError } from '../errors/ref-errors';
import { ResetFailedError } from '../errors/operation-errors';
import type { ObjectDatabase } from '../objects/object-database';
import { ZERO_OID, type Oid } from '../objects/oid';
import type { Signature } from '../objects/signature';
import type { ReflogEntry } from '../storage/ref-store';
import { updateRef } from '../refs/ref-update';
import { HEAD } from '../refs/resolve-ref';
import { resolveCommit } from '../walk/rev-parse';
import { planSwitch } from './checkout';
import { readHead, treeOfCommit, type ResolvedHead } from './head';
import { DEFAULT_IDENTITY, toSignature, type Identity } from './identity';
import type { PathChange } from './path-overlay';
import { sameEntry } from './path-view';
import type { RepoContext } from './repo-context';
import { forEachLeafChange } from './tree-changes';
import { TreeView } from './tree-view';
import type { WorkingState } from './working-state';

export interface ReflogLine {
  readonly committer: Signature;
  readonly message: string;
}

/**
 * A reflog message as git stores it (refs.c copy_reflog_msg): leading whitespace dropped,
 * every run of whitespace (newlines included) squeezed to one space, trailing space trimmed.
 * Keeps multi-line subjects and stash messages from breaking the one-line reflog format.
 */
export function reflogMessage(text: string): string {
  return text
    .replace(/[ \t\n\r]+/g, ' ')
    .replace(/^ /, '')
    .replace(/ $/, '');
}

/**
 * Moves the ref HEAD resolves to (`head.ref`: the current branch, or HEAD when detached) from
 * `head.oid` to `next`, with `reflog` on that ref; an attached HEAD gets the same line, or
 * `headEntries` instead when given (rebase logs each step on HEAD). Throws
 * ConcurrentUpdateError, changing nothing, when the ref no longer holds `head.oid`.
 */
export function advanceHead(
  ctx: RepoContext,
  head: ResolvedHead,
  next: Oid,
  reflog: ReflogLine,
  headEntries?: readonly ReflogEntry[],
): void {
  const line = { committer: reflog.committer, message: reflogMessage(reflog.message) };
  const result = updateRef(ctx.refs, ctx.graph, {
    name: head.ref,
    expect: head.oid,
    next,
    force: true,
    reflog: line,
  });
  if (result.status === 'lock-failure' || result.status === 'rejected')
    throw new ConcurrentUpdateError(head.ref, head.oid, result.current ?? null);
  if (head.ref === HEAD) return;
  const entries = headEntries ?? [{ oldOid: head.oid ?? ZERO_OID, newOid: next, ...line }];
  for (const entry of entries)
    ctx.refs.appendReflog(HEAD, { ...entry, message: reflogMessage(entry.message) });
}

export type ResetMode = 'soft' | 'mixed' | 'hard';

export const RESET_MODES: readonly ResetMode[] = ['soft', 'mixed', 'hard'];

export interface ResetOptions {
  /** Identity for the reflog entries; default DEFAULT_IDENTITY. */
  readonly identity?: Identity;
}

export interface ResetResult {
  readonly oldHead: Oid;
  readonly newHead: Oid;
  readonly mode: ResetMode;
}

/**
 * Moves the current branch (or detached HEAD) to the commit `target` names and resets index
 * and working tree per `mode`. Throws ResetFailedError (unborn HEAD), RefNotFoundError /
 * InvalidRefError / AmbiguousRefError for the target, ConcurrentUpdateError.
 */
export function reset(
  ctx: RepoContext,
  target: string,
  mode: ResetMode,
  options: ResetOptions = {},
): ResetResult {
  const head = readHead(ctx.refs);
  if (head.oid === null) throw new ResetFailedError();
  const oldHead = head.oid;
  const newHead = resolveCommit(ctx.odb, ctx.refs, target);
  const committer = toSignature(options.identity ?? DEFAULT_IDENTITY, ctx.clock, 'identity');
  const targetTree = treeOfCommit(ctx.odb, newHead);

  // Plan before writing anything: a hard reset's plan is the only step that reads much.
  let install: (() => void) | undefined;
  if (mode === 'mixed') {
    const unstaged = worktreeOver(ctx.odb, ctx.working, targetTree);
    install = () => ctx.working.replace(targetTree, [], unstaged);
  } else if (mode === 'hard') {
    const headTree = treeOfCommit(ctx.odb, oldHead);
    const plan = planSwitch(ctx.odb, ctx.working, headTree, targetTree, true);
    install = () => ctx.working.replace(plan.tree, plan.staged, plan.unstaged);
  }
  advanceHead(ctx, head, newHead, { committer, message: `reset: moving to ${target}` });
  install?.();
  return { oldHead, newHead, mode };
}

/**
 * The working tree's entries expressed over an index equal to `tree`: every path where the
 * working tree differs from `tree`, with the working tree's value (null = absent). Only paths
 * some layer changed, or where the base and `tree` differ, can differ, so nothing else is read.
 */
export function worktreeOver(
  odb: ObjectDatabase,
  state: WorkingState,
  tree: Oid,
): Array<[string, PathChange]> {
  const target = new TreeView(odb, tree);
  const candidates = new Set<string>();
  for (const [path] of state.index.entries()) candidates.add(path);
  for (const [path] of state.worktree.entries()) candidates.add(path);
  forEachLeafChange(odb, state.baseTree, tree, ({ path }) => candidates.add(path));
  const unstaged: Array<[string, PathChange]> = [];
  for (const path of candidates) {
    const working = state.worktree.file(path);
    if (!sameEntry(working, target.file(path))) unstaged.push([path, working ?? null]);
  }
  return unstaged;
}
