/**
 * The in-memory tables of the SQL subset (api-contract.md §5.4): `commits` (every commit
 * reachable from a branch or tag, once, newest first), `files` (the blobs of one tree) and
 * `refs` (branches and tags). Rows are built from the engine on each query; a file's `content`
 * is read only when a query mentions it. Time columns hold Unix seconds and are shown as RFC3339.
 */
import { isBinaryContent } from '../../diff/binary-content';
import { messageSubject } from '../../objects/commit';
import type { Oid } from '../../objects/oid';
import type { Repository } from '../../repo/repository';
import { branchTips, reachableCommits } from '../commit-search';
import { treeFiles } from '../content-search';
import { extensionOf } from '../fulltext-search';

export type ColumnType = 'string' | 'int' | 'time' | 'bool';

export type SqlValue = string | number | boolean | null;

export interface TableSpec {
  /** Column → type, in the order `*` lists them. */
  readonly columns: Readonly<Record<string, ColumnType>>;
  /** Columns `*` leaves out. */
  readonly hidden: readonly string[];
}

export const TABLES = {
  commits: {
    columns: {
      hash: 'string',
      tree: 'string',
      message: 'string',
      subject: 'string',
      author: 'string',
      email: 'string',
      timestamp: 'time',
      committer: 'string',
      committer_email: 'string',
      committed_at: 'time',
      parent: 'string',
      parent_count: 'int',
    },
    hidden: [],
  },
  files: {
    columns: {
      path: 'string',
      name: 'string',
      directory: 'string',
      extension: 'string',
      size: 'int',
      mode: 'string',
      blob: 'string',
      ref: 'string',
      commit: 'string',
      content: 'string',
    },
    hidden: ['content'],
  },
  refs: {
    columns: {
      name: 'string',
      short_name: 'string',
      type: 'string',
      hash: 'string',
      target: 'string',
      is_current: 'bool',
    },
    hidden: [],
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

/** A row: a column's value on demand (so costly columns are computed only when used). */
export type Row = (column: string) => SqlValue;

function eager(values: Record<string, SqlValue>): Row {
  return (column) => values[column] ?? null;
}

export function commitRows(repository: Repository): Iterable<Row> {
  const oids = reachableCommits(repository, branchTips(repository, true));
  return mapIterable(oids, (oid) => {
    const commit = repository.odb.readCommit(oid);
    const message = commit.message.endsWith('\n') ? commit.message.slice(0, -1) : commit.message;
    return eager({
      hash: oid,
      tree: commit.tree,
      message,
      subject: messageSubject(message),
      author: commit.author.name,
      email: commit.author.email,
      timestamp: commit.author.timestamp,
      committer: commit.committer.name,
      committer_email: commit.committer.email,
      committed_at: commit.committer.timestamp,
      parent: commit.parents[0] ?? null,
      parent_count: commit.parents.length,
    });
  });
}

/** Blobs of the tree of `commit` (null = an unborn HEAD: no rows). `ref` is shown as given. */
export function fileRows(repository: Repository, ref: string, commit: Oid | null): Iterable<Row> {
  const odb = repository.odb;
  const tree = commit === null ? null : odb.readCommit(commit).tree;
  const files = treeFiles(odb, tree).filter((file) => file.mode !== '160000');
  return mapIterable(files, (file) => {
    const slash = file.path.lastIndexOf('/');
    const values: Record<string, SqlValue> = {
      path: file.path,
      name: file.path.slice(slash + 1),
      directory: slash < 0 ? '' : file.path.slice(0, slash),
      extension: extensionOf(file.path),
      size: odb.store.get(file.oid)?.body.length ?? 0,
      mode: file.mode,
      blob: file.oid,
      ref,
      commit,
    };
    return (column) => {
      if (column !== 'content') return values[column] ?? null;
      const content = odb.readBlob(file.oid);
      return isBinaryContent(content) ? null : Buffer.from(content).toString('utf8');
    };
  });
}

export function refRows(repository: Repository): Iterable<Row> {
  const rows: Row[] = [];
  const current = repository.head().branch;
  for (const branch of repository.listBranches()) {
    if (branch.commit === null) continue;
    rows.push(
      eager({
        name: `refs/heads/${branch.name}`,
        short_name: branch.name,
        type: 'branch',
        hash: branch.commit,
        target: branch.commit,
        is_current: branch.name === current,
      }),
    );
  }
  for (const tag of repository.listTags()) {
    rows.push(
      eager({
        name: `refs/tags/${tag.name}`,
        short_name: tag.name,
        type: 'tag',
        hash: tag.object ?? tag.commit,
        target: tag.commit,
        is_current: false,
      }),
    );
  }
  return rows;
}

function* mapIterable<T, U>(items: readonly T[], map: (item: T) => U): Iterable<U> {
  for (const item of items) yield map(item);
}
