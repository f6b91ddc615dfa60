/**
 * `git commit`: turns the index into a commit on the current branch (or detached HEAD).
 *
 * Only the trees on staged paths are rebuilt (tree-builder.ts); the branch moves by
 * compare-and-swap from the head read at the start, so a concurrent move makes this throw
 * ConcurrentUpdateError with the index untouched. Objects written before a lost race are
 * unreferenced and harmless. Reflogs: the branch's and HEAD's, with git's messages.
 */
import { ConcurrentUpdateError } from '../errors/ref-errors';
import { NothingToCommitError } from '../errors/repo-errors';
import { messageSubject, type Commit } from '../objects/commit';
import { ZERO_OID, type Oid } from '../objects/oid';
import { HEAD } from '../refs/resolve-ref';
import { updateRef } from '../refs/ref-update';
import { validateCommitMessage } from './commit-message';
import { readHead, treeOfCommit } from './head';
import { toSignature, type Identity } from './identity';
import type { RepoContext } from './repo-context';
import { buildTree } from './tree-builder';

export interface CommitOptions {
  readonly message: string;
  readonly author: Identity;
  /** Default: the author's name and email, at the same time. */
  readonly committer?: Identity;
  /** Commit even when the index equals HEAD (`git commit --allow-empty`). */
  readonly allowEmpty?: boolean;
}

export interface CommitResult {
  readonly oid: Oid;
  readonly commit: Commit;
  /** The branch that moved, or null when HEAD is detached. */
  readonly branch: string | null;
}

export function commitIndex(ctx: RepoContext, options: CommitOptions): CommitResult {
  const message = validateCommitMessage(options.message);
  const author = toSignature(options.author, ctx.clock, 'author');
  const committer = options.committer
    ? toSignature(options.committer, ctx.clock, 'committer')
    : author;

  const head = readHead(ctx.refs);
  const headTree = treeOfCommit(ctx.odb, head.oid);
  const state = ctx.working;
  const tree = buildTree(ctx.odb, state.baseTree, state.index.entries());
  if (tree === headTree && options.allowEmpty !== true) throw new NothingToCommitError();

  const commit: Commit = {
    tree,
    parents: head.oid === null ? [] : [head.oid],
    author,
    committer,
    extraHeaders: [],
    message,
  };
  const oid = ctx.odb.writeCommit(commit);
  const reflog = {
    committer,
    message: `commit${head.oid === null ? ' (initial)' : ''}: ${messageSubject(message)}`,
  };
  const result = updateRef(ctx.refs, ctx.graph, {
    name: head.ref,
    expect: head.oid,
    next: oid,
    reflog,
  });
  if (result.status === 'lock-failure' || result.status === 'rejected') {
    throw new ConcurrentUpdateError(head.ref, head.oid, result.current ?? null);
  }
  if (head.ref !== HEAD)
    ctx.refs.appendReflog(HEAD, { oldOid: head.oid ?? ZERO_OID, newOid: oid, ...reflog });
  state.indexCommitted(tree);
  return { oid, commit, branch: head.branch };
}
