/**
 * The commit a request is about to make, computed without making it, for the pre-commit hook
 * (ServerHookService.preCommitCheck): the REST commit of the index and a transaction commit.
 * Each returns undefined when the commit would refuse by itself (nothing to commit), so no hook
 * runs for a request that changes nothing.
 */
import {
  NothingToCommitError,
  buildTree,
  treeOfCommit,
  type Repository,
  type TransactionAccess,
  type TransactionManager,
} from '../../../core';
import type { ProposedCommit } from './server-hook.service';

/** `git commit` of the index on the current branch (or detached HEAD). */
export function proposeIndexCommit(
  repository: Repository,
  allowEmpty: boolean,
): ProposedCommit | undefined {
  const head = repository.head();
  const { working, odb } = repository;
  const tree = buildTree(odb, working.baseTree, working.index.entries());
  if (tree === treeOfCommit(odb, head.oid) && !allowEmpty) return undefined;
  return { branch: head.branch, parent: head.oid, tree };
}

/** The commit of transaction `txId` (merged onto its branch's head when that moved). */
export function proposeTransactionCommit(
  manager: TransactionManager,
  txId: string,
  access: TransactionAccess,
): ProposedCommit | undefined {
  try {
    return manager.preview(txId, access);
  } catch (error) {
    if (error instanceof NothingToCommitError) return undefined;
    throw error;
  }
}
