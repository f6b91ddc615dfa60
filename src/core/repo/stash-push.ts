/**
 * `git stash push [-u] [-m <message>]` (contract §3.5), writing exactly what git writes
 * (builtin/stash.c do_create_stash), so `git stash list` / `git stash apply` work on an exported
 * copy and our reader needs no second format:
 *
 *   I  tree = the index; parents [HEAD]; message `index on <b>: <7 hex> <subject>\n`
 *   U  (only with includeUntracked and untracked files present) tree = the untracked files
 *      alone; no parents; message `untracked files on <b>: <7 hex> <subject>\n`
 *   W  tree = I's tree with every tracked path (in the index or in HEAD) as the working tree
 *      has it; parents [HEAD, I(, U)]; message `WIP on <b>: <7 hex> <subject>` or
 *      `On <b>: <message>`, without a final newline (git writes none)
 *
 * `<b>` is the branch, `(no branch)` when detached; `<subject>` is HEAD's subject as
 * `git log --oneline` shows it (first paragraph on one line). `refs/stash` moves to W with the
 * W message as reflog line, and the entry's uuid ref (stash-ids.ts) is created in the same
 * all-or-nothing ref batch. Then, as git's `reset --hard` (and `clean` for stashed untracked
 * files): index and working tree return to HEAD, other untracked files stay, and an attached
 * HEAD logs `reset: moving to HEAD`. Where git would delete an untracked file that is not
 * stashed because a file of HEAD needs its place (untracked `a/x` where HEAD has `a`), the push
 * is refused instead (STASH_FAILED "untracked files in the way").
 *
 * One more deliberate difference: a file removed from the index but still in the working tree
 * while also in HEAD is untracked, so with includeUntracked it goes into U only. git puts it
 * into W and U both, and then cannot apply its own stash (restoring U finds the file there).
 */
import { ConcurrentUpdateError } from '../errors/ref-errors';
import { StashFailedError } from '../errors/operation-errors';
import { EMPTY_TREE_OID } from '../objects/object-database';
import { shortOid, type Oid } from '../objects/oid';
import { HEAD } from '../refs/resolve-ref';
import type { Commit } from '../objects/commit';
import { planSwitch } from './checkout';
import { readHead, treeOfCommit } from './head';
import { toSignature, type Identity } from './identity';
import type { PathChange } from './path-overlay';
import type { RepoContext } from './repo-context';
import { reflogMessage } from './reset';
import { stagedChanges, unstagedChanges, untrackedPaths } from './status';
import { newStashUuid, recordStashUuid } from './stash-ids';
import { getStash, STASH_REF, type StashEntry } from './stash-list';
import { buildTree } from './tree-builder';
import { TreeView } from './tree-view';

export interface StashPushOptions {
  /** Author and committer of the stash commits, and the reflog identity. */
  readonly identity: Identity;
  /** `On <branch>: <message>` instead of the WIP line; '' counts as absent (as in git). */
  readonly message?: string;
  /** Also stash (and remove) untracked files (`-u`). */
  readonly includeUntracked?: boolean;
}

/** A commit's subject as `git log --oneline` prints it: the first paragraph, one line. */
export function onelineSubject(message: string): string {
  const lines = message.split('\n');
  let i = 0;
  while (i < lines.length && /^[ \t\r]*$/.test(lines[i]!)) i++;
  const subject: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!.replace(/[ \t\r]+$/, '');
    if (line === '') break;
    subject.push(line);
  }
  return subject.join(' ');
}

/**
 * Stashes the index and working-tree changes (and untracked files with `includeUntracked`) and
 * returns the new entry (index 0). Throws StashFailedError "no commits yet" / "no local changes
 * to stash", InvalidIdentityError, ConcurrentUpdateError.
 */
export function stashPush(ctx: RepoContext, options: StashPushOptions): StashEntry {
  const head = readHead(ctx.refs);
  if (head.oid === null) throw new StashFailedError('no commits yet');
  const signature = toSignature(options.identity, ctx.clock, 'identity');
  const state = ctx.working;
  const headTree = treeOfCommit(ctx.odb, head.oid);
  const untracked = options.includeUntracked === true ? untrackedPaths(state) : [];
  const staged = stagedChanges(ctx.odb, state, headTree);
  if (staged.length === 0 && unstagedChanges(state).length === 0 && untracked.length === 0)
    throw new StashFailedError('no local changes to stash');

  const headView = new TreeView(ctx.odb, headTree);
  const stashedUntracked = new Set(untracked);
  // git's `reset --hard` (+ `clean` of what -u stashes), planned before anything is written.
  const plan = planSwitch(ctx.odb, state, headTree, headTree, true);
  const keptUntracked = plan.unstaged.filter(([path]) => !stashedUntracked.has(path));
  // Untracked files HEAD needs the place of: git's reset --hard would delete them unsaved.
  const kept = new Set(keptUntracked.map(([path]) => path));
  const lost = untrackedPaths(state).filter(
    (path) => !stashedUntracked.has(path) && !kept.has(path) && headView.file(path) === undefined,
  );
  if (lost.length > 0) throw new StashFailedError('untracked files in the way', lost);

  const headCommit = ctx.odb.readCommit(head.oid);
  const label = `${head.branch ?? '(no branch)'}: ${shortOid(head.oid)} ${onelineSubject(headCommit.message)}`;
  const commit = (tree: Oid, parents: Oid[], message: string): Oid => {
    const object: Commit = {
      tree,
      parents,
      author: signature,
      committer: signature,
      extraHeaders: [],
      message,
    };
    return ctx.odb.writeCommit(object);
  };

  const indexTree = buildTree(ctx.odb, state.baseTree, state.index.entries());
  const indexCommit = commit(indexTree, [head.oid], `index on ${label}\n`);
  const parents = [head.oid, indexCommit];
  if (untracked.length > 0) {
    const files = untracked.map((path): [string, PathChange] => [path, state.worktree.file(path)!]);
    parents.push(
      commit(buildTree(ctx.odb, EMPTY_TREE_OID, files), [], `untracked files on ${label}\n`),
    );
  }
  const tracked: Array<[string, PathChange]> = [];
  for (const [path] of state.worktree.entries()) {
    if (stashedUntracked.has(path)) continue;
    if (state.index.file(path) !== undefined || headView.file(path) !== undefined)
      tracked.push([path, state.worktree.file(path) ?? null]);
  }
  const worktreeTree = buildTree(ctx.odb, indexTree, tracked);
  const stashMessage =
    options.message !== undefined && options.message !== ''
      ? `On ${head.branch ?? '(no branch)'}: ${options.message}`
      : `WIP on ${label}`;
  const stash = commit(worktreeTree, parents, stashMessage);

  const previous = ctx.refs.read(STASH_REF);
  const expect = previous?.kind === 'direct' ? previous.oid : null;
  const uuid = newStashUuid();
  const written = ctx.refs.updateMany([
    {
      name: STASH_REF,
      expect,
      next: stash,
      reflog: { committer: signature, message: reflogMessage(stashMessage) },
    },
    recordStashUuid(uuid, stash),
  ]);
  if (!written.ok) {
    const now = ctx.refs.read(STASH_REF);
    throw new ConcurrentUpdateError(STASH_REF, expect, now?.kind === 'direct' ? now.oid : null);
  }
  if (head.branch !== null) {
    ctx.refs.appendReflog(HEAD, {
      oldOid: head.oid,
      newOid: head.oid,
      committer: signature,
      message: 'reset: moving to HEAD',
    });
  }
  state.replace(headTree, [], keptUntracked);
  return getStash(ctx, uuid);
}
