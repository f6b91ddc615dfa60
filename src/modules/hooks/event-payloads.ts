/**
 * The `data` of each domain event (api-contract.md §6.4), built from what the engine returned
 * for the operation. Producers pick the builder for their operation; the shapes live only here.
 */
import {
  diffTrees,
  realityName,
  type CommitResult,
  type MergeBranchResult,
  type Oid,
  type PickCommitResult,
  type RebaseResult,
  type Repository,
  type ResetResult,
  type StashEntry,
  type TagInfo,
  type TransactionInfo,
} from '../../core';
import { toCommitResponse } from '../repos/dto/commit-response.dto';
import type { EventName } from './domain-event';

/** One event a write produces, before the bus gives it an id. */
export interface EventSpec {
  readonly event: EventName;
  readonly data: Readonly<Record<string, unknown>>;
}

const branchRef = (branch: string | null): string =>
  branch === null ? 'HEAD' : `refs/heads/${branch}`;

/** `commit`: the new commit and the paths it added, modified and removed against its parent. */
export function commitEvent(repository: Repository, result: CommitResult): EventSpec {
  const [parent] = result.commit.parents;
  const parentTree = parent === undefined ? null : repository.odb.readCommit(parent).tree;
  const files = { added: [] as string[], modified: [] as string[], removed: [] as string[] };
  for (const change of diffTrees(repository.odb, parentTree, result.commit.tree, {
    renames: false,
  })) {
    if (change.status === 'added') files.added.push(change.path);
    else if (change.status === 'deleted') files.removed.push(change.path);
    else files.modified.push(change.path);
  }
  return {
    event: 'commit',
    data: {
      branch: result.branch,
      ref: branchRef(result.branch),
      commit: toCommitResponse(result.oid, result.commit),
      files,
    },
  };
}

export function branchEvent(
  action: 'created' | 'deleted' | 'checked_out',
  name: string,
  commit: Oid | null,
): EventSpec {
  return { event: 'branch', data: { action, name, ref: `refs/heads/${name}`, commit } };
}

/** A checkout to a detached HEAD names the revision and has the ref `HEAD`. */
export function checkoutEvent(requested: string, branch: string | null, commit: Oid | null) {
  const spec = branchEvent('checked_out', branch ?? requested, commit);
  return branch === null ? { ...spec, data: { ...spec.data, ref: 'HEAD' } } : spec;
}

export function tagEvent(action: 'created' | 'deleted', tag: TagInfo): EventSpec {
  return {
    event: 'tag',
    data: {
      action,
      name: tag.name,
      ref: `refs/tags/${tag.name}`,
      commit: tag.commit,
      annotated: tag.annotated,
      message: tag.message === undefined ? null : tag.message.replace(/\n$/, ''),
    },
  };
}

/** `merge`, or nothing when `to` already contained `from`. */
export function mergeEvents(from: string, result: MergeBranchResult): EventSpec[] {
  if (result.type === 'up-to-date') return [];
  return [
    {
      event: 'merge',
      data: {
        from,
        to: result.branch,
        strategy: result.type === 'fast-forward' ? 'fast-forward' : 'three-way',
        base: result.bases[0] ?? null,
        commit: result.commit,
      },
    },
  ];
}

export function stashEvent(
  action: 'created' | 'applied' | 'popped' | 'dropped',
  entry: StashEntry,
): EventSpec {
  return {
    event: 'stash',
    data: { action, stash: { id: entry.uuid, message: entry.message, files: [...entry.files] } },
  };
}

export function resetEvent(branch: string | null, result: ResetResult): EventSpec {
  return {
    event: 'reset',
    data: { branch, mode: result.mode, old_head: result.oldHead, new_head: result.newHead },
  };
}

export function rebaseEvent(branch: string | null, onto: string, result: RebaseResult): EventSpec {
  return {
    event: 'rebase',
    data: {
      branch,
      onto,
      old_head: result.oldHead,
      new_head: result.newHead,
      rebased_count: result.rebasedCount,
      commits: [...result.commits],
    },
  };
}

export function cherryPickEvent(result: PickCommitResult): EventSpec {
  return {
    event: 'cherry-pick',
    data: {
      branch: result.branch,
      original_commit: result.original,
      new_commit: result.newCommit,
      files_changed: [...result.filesChanged],
    },
  };
}

export function revertEvent(result: PickCommitResult): EventSpec {
  return {
    event: 'revert',
    data: {
      branch: result.branch,
      reverted_commit: result.original,
      new_commit: result.newCommit,
      files_changed: [...result.filesChanged],
    },
  };
}

export function transactionEvent(
  action: 'committed' | 'rolled_back' | 'expired',
  info: TransactionInfo,
  commit: Oid | null,
): EventSpec {
  return {
    event: 'transaction',
    data: {
      action,
      transaction_id: info.id,
      branch: info.branch,
      commit,
      files: info.files.map((file) => file.path),
    },
  };
}

export function repositoryEvent(
  action: 'created' | 'deleted' | 'imported' | 'restored',
  id: string,
  path: string,
): EventSpec {
  return { event: 'repository', data: { action, id, path } };
}

/** `name` is the reality's short name; `branch` is `parallel/<name>`. */
export function realityEvent(
  action: 'created' | 'applied' | 'merged' | 'deleted',
  branch: string,
  commit: Oid | null,
): EventSpec {
  return { event: 'reality', data: { action, name: realityName(branch), branch, commit } };
}
