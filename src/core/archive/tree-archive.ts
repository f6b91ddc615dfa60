/**
 * The tree of a commit as a tar archive, the way `git archive --format=tar <commit>` lays it out:
 * a pax global header whose comment is the commit id, then every directory (before its
 * contents) and file in tree order, modes after git's default tar.umask 002 (files 0664,
 * executables and directories 0775, symlinks 0777), every mtime the commit's committer time.
 * Submodules appear as empty directories, as git archive writes them.
 */
import { parseCommit } from '../objects/commit';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { endOfArchive } from './tar-header';
import { tarEntry, tarGlobalComment } from './tar-writer';

const TREE_MODES = new Set(['40000', '040000']);

/** Chunks of the archive of `commit`'s tree, with `prefix` (e.g. `repo/`) before every path. */
export function* treeArchiveChunks(
  odb: ObjectDatabase,
  commit: Oid,
  prefix = '',
): Generator<Buffer> {
  const parsed = parseCommit(odb.readObject(commit).body, commit);
  const mtime = parsed.committer.timestamp;
  yield tarGlobalComment(commit, mtime);
  if (prefix !== '') yield* tarEntry({ name: prefix, type: 'directory', mode: 0o775, mtime });
  const work: Array<{ tree: Oid; path: string }> = [{ tree: parsed.tree, path: prefix }];
  // Depth first in tree order: a stack of iterators keeps directories before their contents.
  const stack: Array<Iterator<{ mode: string; name: string; oid: Oid }>> = [];
  const paths: string[] = [];
  const first = work.pop()!;
  stack.push(odb.readTree(first.tree)[Symbol.iterator]());
  paths.push(first.path);
  while (stack.length > 0) {
    const next = stack[stack.length - 1]!.next();
    if (next.done === true) {
      stack.pop();
      paths.pop();
      continue;
    }
    const entry = next.value;
    const path = `${paths[paths.length - 1]!}${entry.name}`;
    if (TREE_MODES.has(entry.mode)) {
      yield* tarEntry({ name: `${path}/`, type: 'directory', mode: 0o775, mtime });
      stack.push(odb.readTree(entry.oid)[Symbol.iterator]());
      paths.push(`${path}/`);
    } else if (entry.mode === '160000') {
      yield* tarEntry({ name: `${path}/`, type: 'directory', mode: 0o775, mtime });
    } else if (entry.mode === '120000') {
      const target = Buffer.from(odb.readBlob(entry.oid)).toString('utf8');
      yield* tarEntry({ name: path, type: 'symlink', mode: 0o777, mtime, linkname: target });
    } else {
      const mode = entry.mode === '100755' ? 0o775 : 0o664;
      yield* tarEntry({ name: path, type: 'file', mode, mtime }, odb.readBlob(entry.oid));
    }
  }
  yield endOfArchive();
}
