/**
 * What one commit changed against its first parent (the empty tree for a root commit): the
 * changed paths with `--numstat` counts, renames detected like `git log --numstat`. Commits
 * never change, so results are cached per commit (a bounded map, dropped whole when full).
 */
import { toFileDiffs } from '../diff/file-diffs';
import { diffTrees } from '../diff/tree-diff';
import type { Oid } from '../objects/oid';
import type { Repository } from '../repo/repository';

export interface ChangedFile {
  readonly path: string;
  readonly additions: number;
  readonly deletions: number;
}

const MAX_CACHED = 200_000;

export class CommitStatsCache {
  private readonly cache = new Map<Oid, readonly ChangedFile[]>();

  changes(repository: Repository, oid: Oid): readonly ChangedFile[] {
    const cached = this.cache.get(oid);
    if (cached !== undefined) return cached;
    const odb = repository.odb;
    const commit = odb.readCommit(oid);
    const parent = commit.parents[0];
    const before = parent === undefined ? null : odb.readCommit(parent).tree;
    const changes = diffTrees(odb, before, commit.tree);
    const files = toFileDiffs(odb, changes, { patch: false }).map((diff) => ({
      path: diff.path,
      additions: diff.additions,
      deletions: diff.deletions,
    }));
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(oid, files);
    return files;
  }
}
