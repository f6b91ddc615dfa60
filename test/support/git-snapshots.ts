/**
 * Building commits with the real git from in-memory file snapshots, and loading a repository's
 * objects into our memory store, so diff and blame interop tests compare the engine with git
 * on the very same objects. Snapshots go through `update-index --index-info` (no working tree,
 * so modes, symlinks, submodules and odd bytes are stored exactly as given); a whole snapshot
 * costs a handful of git processes whatever its size. Long histories go through one
 * `git fast-import` instead (`fastImportCommits`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectDatabase } from '../../src/core/objects/object-database';
import { MemoryObjectStore } from '../../src/core/storage/memory/memory-object-store';
import { git } from './git-cli';
import { gitCatFileBatch, gitHashObjects } from './git-objects';

export interface SnapshotFile {
  readonly mode: string;
  /** Blob content; for a submodule (`160000`), the commit id as 40 hex. */
  readonly content: Buffer | string;
}

export type Snapshot = ReadonlyMap<string, SnapshotFile>;

let indexCounter = 0;

/** Writes the snapshot's blobs and tree into `repo` and returns the tree id. */
export function writeSnapshotTree(repo: string, files: Snapshot): string {
  const entries = [...files.entries()];
  const blobs = entries.filter(([, f]) => f.mode !== '160000');
  const ids = gitHashObjects(
    blobs.map(([, f]) => ({
      type: 'blob' as const,
      body: typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content,
    })),
    { repo },
  );
  const idOf = new Map<string, string>();
  blobs.forEach(([path], i) => idOf.set(path, ids[i]!));
  const records = entries.map(([path, f]) => {
    const oid = f.mode === '160000' ? String(f.content) : idOf.get(path)!;
    return Buffer.from(`${f.mode} ${oid}\t${path}\0`, 'utf8');
  });
  const indexFile = join(repo, `snapshot-index-${process.pid}-${indexCounter++}`);
  const env = { GIT_INDEX_FILE: indexFile };
  git(['update-index', '-z', '--index-info'], { cwd: repo, input: Buffer.concat(records), env });
  const tree = git(['write-tree'], { cwd: repo, env }).trim();
  return tree;
}

/** Commits a snapshot on top of `parents`; `time` (seconds) makes dates and ids reproducible. */
export function commitSnapshot(
  repo: string,
  files: Snapshot,
  parents: readonly string[],
  time: number,
  message = `commit at ${time}`,
): string {
  const tree = writeSnapshotTree(repo, files);
  const date = `${time} +0000`;
  const args = ['commit-tree', tree, '-m', message];
  for (const parent of parents) args.push('-p', parent);
  return git(args, { cwd: repo, env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } }).trim();
}

/** Every object of the repository, copied into a fresh memory store. */
export function loadRepository(repo: string): ObjectDatabase {
  const oids = git(['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'], {
    cwd: repo,
  })
    .split('\n')
    .filter((line) => line !== '');
  const store = new MemoryObjectStore();
  for (const [oid, object] of gitCatFileBatch(repo, oids)) store.insert(oid, object);
  return new ObjectDatabase(store);
}

/** One commit for `fastImportCommits`: a full snapshot and parents given as earlier indexes. */
export interface ImportCommit {
  readonly files: Snapshot;
  readonly parents: readonly number[];
  /** Author and committer time, seconds. */
  readonly time: number;
  readonly message?: string;
}

/**
 * Writes a whole history with one `git fast-import` process (a commit per snapshot, parents
 * by index) and returns the commit ids in order. Paths must not need quoting.
 */
export function fastImportCommits(repo: string, commits: readonly ImportCommit[]): string[] {
  const parts: Buffer[] = [];
  const text = (s: string): void => {
    parts.push(Buffer.from(s, 'utf8'));
  };
  const data = (bytes: Buffer): void => {
    text(`data ${bytes.length}\n`);
    parts.push(bytes);
    text('\n');
  };
  commits.forEach((c, i) => {
    const message = Buffer.from(c.message ?? `commit ${i}\n`, 'utf8');
    text(`commit refs/heads/import\nmark :${i + 1}\n`);
    text(`author Test Author <author@example.com> ${c.time} +0000\n`);
    text(`committer Test Committer <committer@example.com> ${c.time} +0000\n`);
    data(message);
    const [first, ...rest] = c.parents;
    if (first !== undefined) text(`from :${first + 1}\n`);
    for (const p of rest) text(`merge :${p + 1}\n`);
    text('deleteall\n');
    for (const [path, file] of c.files) {
      if (file.mode === '160000') {
        text(`M 160000 ${String(file.content)} ${path}\n`);
      } else {
        text(`M ${file.mode} inline ${path}\n`);
        data(typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content);
      }
    }
    text('\n');
  });
  const marksFile = join(repo, `import-marks-${process.pid}-${indexCounter++}`);
  git(['fast-import', '--quiet', '--force', `--export-marks=${marksFile}`], {
    cwd: repo,
    input: Buffer.concat(parts),
  });
  const marks = new Map<number, string>();
  for (const line of readFileSync(marksFile, 'utf8').split('\n')) {
    const m = /^:(\d+) ([0-9a-f]{40})$/.exec(line);
    if (m) marks.set(Number(m[1]), m[2]!);
  }
  return commits.map((_, i) => {
    const oid = marks.get(i + 1);
    if (oid === undefined) throw new Error(`fast-import did not report commit ${i}`);
    return oid;
  });
}
