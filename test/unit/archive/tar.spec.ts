import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import {
  bareRepositoryChunks,
  MemoryObjectStore,
  ObjectDatabase,
  readBundle,
  readTar,
  tarEntry,
  endOfArchive,
  treeArchiveChunks,
  TarCorruptError,
} from '../../../src/core';
import { git, gitBuffer, gitResult, tempDir } from '../../support/git-cli';

async function collect(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** A repository with nested, long, executable and symlinked paths. */
function makeRepository(path: string): void {
  git(['init', '-q', '-b', 'main', path]);
  const deep = join(path, 'd'.repeat(60), 'e'.repeat(60), 'f'.repeat(60));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, `${'g'.repeat(120)}.txt`), 'deep\n');
  writeFileSync(join(path, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(path, 'run.sh'), 0o755);
  writeFileSync(join(path, 'readme.md'), '# hello\n');
  symlinkSync('readme.md', join(path, 'link'));
  git(['add', '.'], { cwd: path });
  git(['commit', '-q', '-m', 'files'], { cwd: path });
  git(['tag', '-a', '-m', 'tagged', 'v1'], { cwd: path });
}

async function loadObjects(path: string): Promise<ObjectDatabase> {
  const bundle = gitBuffer(['bundle', 'create', '-q', '-', '--all'], { cwd: path });
  const { objects } = await readBundle([bundle]);
  const store = new MemoryObjectStore();
  for (const object of objects) store.insert(object.oid, { type: object.type, body: object.body });
  return new ObjectDatabase(store);
}

describe('tar archives', () => {
  const dir = tempDir('govc-tar-');
  afterAll(() => dir.cleanup());

  it('archives a tree with the same entries, modes and contents as git archive', async () => {
    const source = join(dir.path, 'source');
    makeRepository(source);
    const odb = await loadObjects(source);
    const commit = git(['rev-parse', 'HEAD'], { cwd: source }).trim();
    const ours = await collect(treeArchiveChunks(odb, commit));
    const theirs = gitBuffer(['archive', '--format=tar', 'HEAD'], { cwd: source });
    const list = (tar: Buffer): string =>
      execFileSync('tar', ['-tvf', '-', '--full-time'], {
        input: tar,
        env: { TZ: 'UTC', PATH: process.env.PATH },
      }).toString();
    expect(list(ours)).toBe(list(theirs));
    const out = join(dir.path, 'extracted');
    mkdirSync(out);
    execFileSync('tar', ['-xf', '-', '-C', out], { input: ours });
    const deepFile = join(
      out,
      'd'.repeat(60),
      'e'.repeat(60),
      'f'.repeat(60),
      `${'g'.repeat(120)}.txt`,
    );
    expect(readFileSync(deepFile, 'utf8')).toBe('deep\n');
    expect(execFileSync('git', ['get-tar-commit-id'], { input: ours }).toString().trim()).toBe(
      commit,
    );
  });

  it('writes a bare repository that git clones and fscks with the same refs', async () => {
    const source = join(dir.path, 'source2');
    makeRepository(source);
    const odb = await loadObjects(source);
    const refs = git(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: source })
      .trim()
      .split('\n')
      .map((line) => ({ oid: line.slice(0, 40), name: line.slice(41) }));
    const tar = await collect(
      bareRepositoryChunks(
        { refs, head: { symbolic: 'refs/heads/main' }, lookup: (oid) => odb.store.get(oid) },
        'copy.git',
      ),
    );
    const out = join(dir.path, 'bare');
    mkdirSync(out);
    execFileSync('tar', ['-xf', '-', '-C', out], { input: tar });
    const bare = join(out, 'copy.git');
    expect(gitResult(['fsck', '--strict'], { cwd: bare }).status).toBe(0);
    const clone = join(dir.path, 'clone2');
    git(['clone', '-q', bare, clone]);
    expect(git(['rev-parse', 'HEAD'], { cwd: clone })).toBe(
      git(['rev-parse', 'HEAD'], { cwd: source }),
    );
    expect(git(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: bare })).toBe(
      git(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: source }),
    );
  });

  it('reads back long names, symlinks and data, and refuses damaged archives', async () => {
    const longName = `${'x'.repeat(200)}/${'y'.repeat(150)}.bin`;
    const data = Buffer.from('payload'.repeat(100));
    const archive = Buffer.concat([
      ...tarEntry({ name: longName, type: 'file', mode: 0o644, mtime: 1 }, data),
      ...tarEntry({
        name: 'link',
        type: 'symlink',
        mode: 0o777,
        mtime: 1,
        linkname: 'z'.repeat(150),
      }),
      endOfArchive(),
    ]);
    const entries = [];
    for await (const entry of readTar([archive])) entries.push(entry);
    expect(entries.map((e) => e.header.name)).toEqual([longName, 'link']);
    expect(entries[0]!.data.equals(data)).toBe(true);
    expect(entries[1]!.header.linkname).toBe('z'.repeat(150));
    const listing = execFileSync('tar', ['-tf', '-'], { input: archive })
      .toString()
      .trim()
      .split('\n');
    expect(listing).toEqual([longName, 'link']);

    const damaged = Buffer.from(archive);
    damaged[10] = damaged[10]! ^ 0xff;
    await expect(
      collect(
        (async function* () {
          for await (const e of readTar([damaged])) yield e.data;
        })(),
      ),
    ).rejects.toThrow(TarCorruptError);
    await expect(
      collect(
        (async function* () {
          for await (const e of readTar([archive.subarray(0, 700)])) yield e.data;
        })(),
      ),
    ).rejects.toThrow(TarCorruptError);
  });
});
