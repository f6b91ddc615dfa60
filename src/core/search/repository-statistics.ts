/**
 * Repository statistics (api-contract.md §5.3 search/statistics): commits reachable from any
 * branch or tag, branch and tag counts, stored objects by type, distinct author emails, first
 * and last commit time, and the files of HEAD with their sizes and extensions.
 */
import { OBJECT_TYPES, type ObjectType } from '../objects/git-object';
import type { Repository } from '../repo/repository';
import { branchTips, reachableCommits } from './commit-search';
import { treeFiles } from './content-search';
import { extensionOf } from './fulltext-search';

export interface ExtensionStats {
  readonly extension: string;
  readonly files: number;
  readonly bytes: number;
}

export interface RepositoryStatistics {
  readonly commits: number;
  readonly branches: number;
  readonly tags: number;
  readonly files: number;
  readonly totalSize: number;
  readonly objects: Record<ObjectType, number> & { total: number };
  readonly authors: number;
  /** Committer times (Unix seconds) of the oldest and newest commit; null when none. */
  readonly firstCommit: number | null;
  readonly lastCommit: number | null;
  readonly extensions: ExtensionStats[];
}

export function repositoryStatistics(repository: Repository): RepositoryStatistics {
  const odb = repository.odb;
  const commits = reachableCommits(repository, branchTips(repository, true));
  const authors = new Set<string>();
  let first: number | null = null;
  let last: number | null = null;
  for (const oid of commits) {
    const commit = odb.readCommit(oid);
    authors.add(commit.author.email.toLowerCase());
    const time = commit.committer.timestamp;
    first = first === null ? time : Math.min(first, time);
    last = last === null ? time : Math.max(last, time);
  }

  const objects = { blob: 0, tree: 0, commit: 0, tag: 0, total: 0 };
  for (const oid of odb.store.oids()) {
    const type = odb.store.get(oid)?.type;
    if (type !== undefined && OBJECT_TYPES.includes(type)) {
      objects[type]++;
      objects.total++;
    }
  }

  const head = repository.head().oid;
  const tree = head === null ? null : odb.readCommit(head).tree;
  const extensions = new Map<string, { files: number; bytes: number }>();
  let files = 0;
  let totalSize = 0;
  for (const file of treeFiles(odb, tree)) {
    if (file.mode === '160000') continue;
    const size = odb.store.get(file.oid)?.body.length ?? 0;
    files++;
    totalSize += size;
    const extension = extensionOf(file.path);
    const entry = extensions.get(extension) ?? { files: 0, bytes: 0 };
    entry.files++;
    entry.bytes += size;
    extensions.set(extension, entry);
  }

  return {
    commits: commits.length,
    branches: repository.listBranches().filter((branch) => branch.commit !== null).length,
    tags: repository.listTags().length,
    files,
    totalSize,
    objects,
    authors: authors.size,
    firstCommit: first,
    lastCommit: last,
    extensions: [...extensions]
      .map(([extension, entry]) => ({ extension, ...entry }))
      .sort(
        (a, b) =>
          b.files - a.files || (a.extension < b.extension ? -1 : a.extension > b.extension ? 1 : 0),
      ),
  };
}
