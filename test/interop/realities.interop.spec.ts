/**
 * Transactions and parallel realities against the real git: after transaction commits (one
 * merged onto a moved branch), reality applies and a reality merge, the exported repository
 * passes `git fsck --strict`, and git agrees with the engine on what it computed:
 * - `git merge-tree --write-tree` gives the tree of a transaction merged onto a moved branch
 *   and of a reality merge commit;
 * - `git rev-list --count base..reality` is the reality's `ahead`;
 * - `git diff --numstat base...reality` gives diffAgainstBase's files and line counts.
 * Skipped when git is not installed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatSignature } from '../../src/core/objects/signature';
import { RealityManager } from '../../src/core/repo/realities';
import type { Repository } from '../../src/core/repo/repository';
import { TransactionManager } from '../../src/core/repo/transactions';
import { encodeLooseObject, looseObjectPath } from '../../src/core/storage/loose-object';
import { git, gitAvailable, gitResult, tempBareRepo } from '../support/git-cli';
import { TEST_AUTHOR, TestRepo } from '../support/test-repo';

const describeWithGit = gitAvailable() ? describe : describe.skip;
const author = TEST_AUTHOR;

/** Every object and ref of `repo`, written into the bare repository at `dir`. */
function exportTo(repo: Repository, dir: string): void {
  for (const oid of repo.odb.store.oids()) {
    const object = repo.odb.store.get(oid)!;
    const file = join(dir, looseObjectPath(oid));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, encodeLooseObject(object.type, object.body));
  }
  const updates = repo.refs
    .list('refs/')
    .map((ref) => (ref.kind === 'direct' ? `update ${ref.name} ${ref.oid}\n` : ''))
    .join('');
  git(['update-ref', '--stdin'], { cwd: dir, input: updates });
  for (const ref of repo.refs.list('refs/heads/')) {
    const file = join(dir, 'logs', ref.name);
    mkdirSync(dirname(file), { recursive: true });
    const lines = repo.refs
      .reflog(ref.name)
      .map((e) => `${e.oldOid} ${e.newOid} ${formatSignature(e.committer)}\t${e.message}\n`);
    writeFileSync(file, lines.join(''));
  }
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

describeWithGit('transactions and realities interop with git', () => {
  it('writes repositories git accepts, with merges, counts and diffs git agrees with', () => {
    const t = TestRepo.create();
    const text = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n') + '\n';
    t.commit({ files: { 'doc.txt': text, 'src/a.ts': 'export const a = 1;\n', README: 'hi\n' } });
    const txs = new TransactionManager(t.repo);
    const realities = new RealityManager(t.repo);

    // A transaction whose branch moves under it: an edit at the other end of the same file.
    const id = txs.begin();
    const base = t.repo.head().oid!;
    const txDoc = text.replace('line 18', 'line 18 (tx)');
    txs.add(id, 'doc.txt', txDoc);
    txs.add(id, 'src/b.ts', 'export const b = 2;\n');
    const moved = t.commit({ files: { 'doc.txt': text.replace('line 1\n', 'line 1 (main)\n') } });
    txs.validate(id);
    const merged = txs.commit(id, { message: 'transaction', author });
    // The same changes as an ordinary commit on the old base, for git to merge.
    t.branch('tx-side', base);
    t.commit({
      branch: 'tx-side',
      files: { 'doc.txt': txDoc, 'src/b.ts': 'export const b = 2;\n' },
    });

    realities.createMany(['exp', 'other'], 'main');
    realities.apply(
      'exp',
      { 'src/a.ts': 'export const a = 10;\n', README: null },
      { identity: author },
    );
    realities.apply('exp', { 'new/file.txt': 'n1\nn2\n' }, { identity: author });
    realities.apply('other', { README: 'hello\n' }, { identity: author });
    t.commit({ files: { 'main-only.txt': 'm\n' } });
    const mainBeforeMerge = t.repo.head().oid!;
    const mergedReality = realities.merge('other');

    const bare = tempBareRepo();
    try {
      exportTo(t.repo, bare.path);
      const fsck = gitResult(['fsck', '--strict', '--no-dangling', '--no-progress'], {
        cwd: bare.path,
      });
      expect({
        status: fsck.status,
        problems: lines(fsck.stderr).filter((l) => !l.startsWith('notice:')),
      }).toEqual({
        status: 0,
        problems: [],
      });

      // git merging the moved head with the same changes committed on the old base.
      const gitTxMerge = git(['merge-tree', '--write-tree', moved, 'refs/heads/tx-side'], {
        cwd: bare.path,
      });
      expect(lines(gitTxMerge)[0]).toBe(merged.commit.tree);

      const gitMerge = git(
        ['merge-tree', '--write-tree', mainBeforeMerge, 'refs/heads/parallel/other'],
        {
          cwd: bare.path,
        },
      );
      expect(lines(gitMerge)[0]).toBe(t.repo.odb.readCommit(mergedReality.commit).tree);

      const ahead = git(['rev-list', '--count', 'refs/heads/main..refs/heads/parallel/exp'], {
        cwd: bare.path,
      });
      expect(Number(ahead.trim())).toBe(realities.get('exp').ahead);

      const numstat = git(['diff', '--numstat', 'refs/heads/main...refs/heads/parallel/exp'], {
        cwd: bare.path,
      });
      const ours = realities
        .diffAgainstBase('exp')
        .map((d) => `${d.additions}\t${d.deletions}\t${d.path}`);
      expect(lines(numstat).sort()).toEqual(ours.sort());
    } finally {
      bare.cleanup();
    }
  });
});
