/**
 * The disk driver's data directory against the real git (RELIABILITY P3): right after creation,
 * while writes are only journaled, and after each checkpoint, every repository passes
 * `git fsck --strict --no-dangling`, and after a checkpoint git sees exactly our history
 * (log, refs, peeled tags, reflogs) and a plain `git clone` works. Also the other way round:
 * a repository git wrote (gc'd packs with deltas, packed-refs, a loose object) loads into memory
 * with the same history. Skipped when git is not installed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiskStorageDriver } from '../../src/core/storage/disk/disk-storage-driver';
import type { StorageLogger } from '../../src/core/storage/storage-driver';
import { Repository } from '../../src/core/repo/repository';
import { git, gitAvailable, gitResult, tempDir } from '../support/git-cli';
import { TEST_AUTHOR, TestClock } from '../support/test-repo';

const describeWithGit = gitAvailable() ? describe : describe.skip;
const quietLogger: StorageLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** fsck's exit status and its complaints (an empty repository's "notice:" lines are not). */
function fsck(gitDir: string): { status: number; output: string } {
  const result = gitResult([
    '--git-dir',
    gitDir,
    'fsck',
    '--strict',
    '--no-dangling',
    '--no-progress',
  ]);
  const complaints = (result.stdout + result.stderr)
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('notice:'));
  return { status: result.status, output: complaints.join('\n') };
}

describeWithGit('disk storage as seen by git', () => {
  let dir: { path: string; cleanup: () => void };
  let driver: DiskStorageDriver;

  beforeEach(async () => {
    dir = tempDir('govc-disk-interop-');
    driver = new DiskStorageDriver({ path: dir.path, logger: quietLogger });
    await driver.open();
  });

  afterEach(async () => {
    await driver.close();
    dir.cleanup();
  });

  it('stays a valid git repository before, between and after checkpoints, and git sees our history', async () => {
    await driver.createRepository('interop');
    const gitDir = join(dir.path, 'repos', 'interop.git');
    expect(fsck(gitDir)).toEqual({ status: 0, output: '' });

    const stores = await driver.openRepository('interop');
    const clock = new TestClock();
    const repo = new Repository({ objects: stores.objects, refs: stores.refs, clock });
    const commitFiles = (files: Record<string, string>, message: string): string => {
      clock.tick();
      for (const [path, content] of Object.entries(files)) repo.add(path, content);
      return repo.commit({ message, author: TEST_AUTHOR }).oid;
    };
    commitFiles(
      {
        'README.md': '# interop\n',
        'src/a.ts': 'export const a = 1;\n',
        'é/日本.txt': 'unicode\n',
      },
      'first',
    );
    for (let i = 0; i < 20; i++)
      commitFiles(
        { 'src/a.ts': `export const a = ${i};\n`.repeat(40), [`notes/${i}.md`]: `note ${i}\n` },
        `change ${i}`,
      );
    repo.createBranch('feature');
    repo.createTag('v1', 'HEAD', { message: 'release 1' });
    repo.createTag('light');
    await stores.refs.flush();

    // Only journaled so far: git sees the empty repository it was created as, and it is valid.
    expect(fsck(gitDir)).toEqual({ status: 0, output: '' });
    expect(
      gitResult(['--git-dir', gitDir, 'rev-parse', '--verify', '-q', 'refs/heads/main']).status,
    ).not.toBe(0);

    await driver.checkpointAll();
    expect(fsck(gitDir)).toEqual({ status: 0, output: '' });
    const ourLog = repo.log({ limit: 1000 }).commits;
    expect(git(['--git-dir', gitDir, 'log', '--format=%H', 'main']).trim().split('\n')).toEqual(
      ourLog,
    );
    expect(
      git(['--git-dir', gitDir, 'rev-parse', 'v1^{}', 'light', 'feature']).trim().split('\n'),
    ).toEqual([ourLog[0], ourLog[0], ourLog[0]]);
    expect(git(['--git-dir', gitDir, 'symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');
    const gitReflog = git(['--git-dir', gitDir, 'log', '-g', '--format=%H %gs', 'refs/heads/main'])
      .trim()
      .split('\n');
    const ourReflog = [...stores.refs.reflog('refs/heads/main')]
      .reverse()
      .map((e) => `${e.newOid} ${e.message}`);
    expect(gitReflog).toEqual(ourReflog);
    expect(
      readdirSync(join(gitDir, 'objects', 'pack')).filter((name) => name.endsWith('.idx')),
    ).toHaveLength(1);

    const clone = tempDir('govc-disk-clone-');
    try {
      git(['clone', '-q', gitDir, join(clone.path, 'work')]);
      expect(git(['-C', join(clone.path, 'work'), 'rev-parse', 'HEAD']).trim()).toBe(ourLog[0]);
      expect(readFileSync(join(clone.path, 'work', 'é', '日本.txt'), 'utf8')).toBe('unicode\n');
    } finally {
      clone.cleanup();
    }

    // More commits: journaled only, git still sees the last checkpoint; then a second pack.
    const before = ourLog[0];
    repo.checkout('feature');
    commitFiles({ 'feature.txt': 'feature work\n' }, 'on feature');
    await stores.refs.flush();
    expect(fsck(gitDir)).toEqual({ status: 0, output: '' });
    expect(git(['--git-dir', gitDir, 'rev-parse', 'feature']).trim()).toBe(before);
    await driver.closeRepository('interop');
    expect(fsck(gitDir)).toEqual({ status: 0, output: '' });
    expect(git(['--git-dir', gitDir, 'symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/feature');
    expect(git(['--git-dir', gitDir, 'log', '--format=%H', 'feature']).trim().split('\n')).toEqual(
      repo.log({ limit: 1000 }).commits,
    );
    expect(readdirSync(join(gitDir, 'govc', 'journal'))).toEqual([]);

    // And back: a new driver loads both packs and the refs.
    await driver.close();
    driver = new DiskStorageDriver({ path: dir.path, logger: quietLogger });
    await driver.open();
    const loaded = await driver.openRepository('interop');
    const reloaded = new Repository({ objects: loaded.objects, refs: loaded.refs, clock });
    expect(reloaded.log({ limit: 1000 }).commits).toEqual(repo.log({ limit: 1000 }).commits);
    expect(loaded.objects.size).toBe(stores.objects.size);
    expect(loaded.refs.list('')).toEqual(stores.refs.list(''));
  });

  it("loads a repository git wrote: gc'd packs with deltas, packed-refs, loose objects", async () => {
    const work = tempDir('govc-git-made-');
    try {
      const source = join(work.path, 'src');
      git(['init', '-q', '-b', 'main', source]);
      for (let i = 0; i < 12; i++) {
        git(['-C', source, 'commit', '-q', '--allow-empty', '-m', `empty ${i}`]);
        const lines = Array.from(
          { length: 200 },
          (_, k) => `line ${k} ${k === i ? 'changed' : ''}`,
        ).join('\n');
        writeFileSync(join(source, 'big.txt'), lines);
        git(['-C', source, 'add', 'big.txt']);
        git(['-C', source, 'commit', '-q', '-m', `edit ${i}`]);
      }
      git(['-C', source, 'tag', '-a', 'v1', '-m', 'annotated']);
      const target = join(dir.path, 'repos', 'made.git');
      git(['clone', '-q', '--bare', source, target]);
      git(['--git-dir', target, 'gc', '-q', '--aggressive']);
      git(['--git-dir', target, 'hash-object', '-w', '--stdin'], { input: 'a loose blob\n' });
      const loose = git(['--git-dir', target, 'hash-object', '--stdin'], {
        input: 'a loose blob\n',
      }).trim();

      const stores = await driver.openRepository('made');
      const repo = new Repository({ objects: stores.objects, refs: stores.refs });
      expect(repo.log({ limit: 1000 }).commits).toEqual(
        git(['--git-dir', target, 'log', '--format=%H', 'main']).trim().split('\n'),
      );
      expect(stores.objects.has(loose)).toBe(true);
      const count = git(['--git-dir', target, 'count-objects', '-v']);
      const inPack = Number(/in-pack: (\d+)/.exec(count)?.[1]);
      expect(stores.objects.size).toBe(inPack + 1);
      expect(repo.resolveCommit('v1')).toBe(repo.resolveCommit('main'));
      expect(stores.objects.get(repo.resolve('v1'))?.type).toBe('tag');
    } finally {
      work.cleanup();
    }
  });
});
