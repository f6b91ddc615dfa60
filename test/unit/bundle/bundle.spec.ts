import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkObject,
  checkObjects,
  encodeBundle,
  formatBundleHeader,
  InvalidBundleError,
  parseBundleHeader,
  readBundle,
  RejectedObjectError,
  type RawObject,
} from '../../../src/core';
import { git, gitBuffer, gitResult, tempDir } from '../../support/git-cli';

/** A small history made by git: two branches, an annotated tag, a nested tree. */
function makeRepository(path: string): void {
  git(['init', '-q', '-b', 'main', path]);
  writeFileSync(join(path, 'a.txt'), 'one\n');
  git(['add', '.'], { cwd: path });
  git(['commit', '-q', '-m', 'first'], { cwd: path });
  git(['checkout', '-q', '-b', 'feature'], { cwd: path });
  writeFileSync(join(path, 'b.txt'), 'two\n'.repeat(50));
  git(['add', '.'], { cwd: path });
  git(['commit', '-q', '-m', 'second'], { cwd: path });
  git(['tag', '-a', '-m', 'release', 'v1'], { cwd: path });
  git(['checkout', '-q', 'main'], { cwd: path });
}

function refsOf(path: string): string {
  return git(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: path });
}

describe('git bundles', () => {
  const dir = tempDir('govc-bundle-');
  afterAll(() => dir.cleanup());

  it('reads a bundle git wrote and writes one git verifies with the same refs', async () => {
    const source = join(dir.path, 'source');
    makeRepository(source);
    const bundlePath = join(dir.path, 'all.bundle');
    git(['bundle', 'create', '-q', bundlePath, '--all'], { cwd: source });
    const { header, objects } = await readBundle([readFileSync(bundlePath)]);
    expect(header.version).toBe(2);
    expect(header.prerequisites).toEqual([]);
    const names = header.refs.map((ref) => ref.name).sort();
    expect(names).toEqual(['HEAD', 'refs/heads/feature', 'refs/heads/main', 'refs/tags/v1']);
    const store = new Map<string, RawObject>(
      objects.map((o) => [o.oid, { type: o.type, body: o.body }]),
    );
    for (const [oid, object] of store) checkObject(oid, object);

    const written = await encodeBundle(header.refs, (oid) => store.get(oid));
    const outPath = join(dir.path, 'ours.bundle');
    writeFileSync(outPath, written);
    const verify = gitResult(['bundle', 'verify', outPath], { cwd: source });
    expect(verify.status).toBe(0);
    const clone = join(dir.path, 'clone');
    git(['clone', '-q', '--mirror', outPath, clone]);
    expect(refsOf(clone)).toBe(refsOf(source));
    expect(gitResult(['fsck', '--strict'], { cwd: clone }).status).toBe(0);
  });

  it('reads v3 headers and refuses filtered, sha256 and malformed ones', () => {
    const oid = 'a'.repeat(40);
    const v3 = parseBundleHeader(
      `# v3 git bundle\n@object-format=sha1\n-${oid} base\n${oid} refs/heads/x`,
    );
    expect(v3.version).toBe(3);
    expect(v3.prerequisites).toEqual([{ oid, comment: 'base' }]);
    expect(() =>
      parseBundleHeader(`# v3 git bundle\n@filter=blob:none\n${oid} refs/heads/x`),
    ).toThrow(InvalidBundleError);
    expect(() =>
      parseBundleHeader(`# v3 git bundle\n@object-format=sha256\n${oid} refs/heads/x`),
    ).toThrow(InvalidBundleError);
    expect(() => parseBundleHeader(`# v4 git bundle\n${oid} refs/heads/x`)).toThrow(
      InvalidBundleError,
    );
    expect(() => parseBundleHeader(`# v2 git bundle\nnot-an-oid refs/heads/x`)).toThrow(
      InvalidBundleError,
    );
    expect(formatBundleHeader([{ name: 'refs/heads/x', oid }]).toString()).toBe(
      `# v2 git bundle\n${oid} refs/heads/x\n\n`,
    );
  });

  it('refuses truncated and corrupted bundles with INVALID_BUNDLE', async () => {
    const source = join(dir.path, 'source2');
    makeRepository(source);
    const bundle = gitBuffer(['bundle', 'create', '-q', '-', '--all'], { cwd: source });
    await expect(readBundle([bundle.subarray(0, bundle.length - 30)])).rejects.toThrow(
      InvalidBundleError,
    );
    const flipped = Buffer.from(bundle);
    flipped[flipped.length - 40] = flipped[flipped.length - 40]! ^ 0xff;
    await expect(readBundle([flipped])).rejects.toMatchObject({ code: 'INVALID_BUNDLE' });
    await expect(readBundle([Buffer.from('hello world\n\n')])).rejects.toThrow(InvalidBundleError);
    await expect(readBundle([])).rejects.toThrow(InvalidBundleError);
  });

  it('refuses tree entries git fsck refuses', () => {
    const blob = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
    const tree = (name: string, mode = '100644'): RawObject => ({
      type: 'tree',
      body: Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(blob, 'hex')]),
    });
    for (const name of ['.git', '.GIT', 'git~1', '..', '.git. ', '.g\u200cit']) {
      expect(() => checkObject('1'.repeat(40), tree(name))).toThrow(RejectedObjectError);
    }
    expect(() => checkObject('1'.repeat(40), tree('.gitmodules', '120000'))).toThrow(
      RejectedObjectError,
    );
    expect(() => checkObject('1'.repeat(40), tree('ok.txt', '100600'))).toThrow(
      RejectedObjectError,
    );
    expect(() => checkObject('1'.repeat(40), tree('ok.txt'))).not.toThrow();
    // git's legacy zeroPaddedFilemode is only a warning: old repositories must still import.
    expect(() => checkObject('1'.repeat(40), tree('dir', '040000'))).not.toThrow();
    expect(() =>
      checkObject('1'.repeat(40), { type: 'commit', body: Buffer.from('parent x\n\nmsg') }),
    ).toThrow(RejectedObjectError);
  });

  it('refuses .gitmodules with option-like urls or .. names, whatever the spelling', () => {
    const blob = (text: string): RawObject => ({ type: 'blob', body: Buffer.from(text) });
    const treeOf = (name: string, oid: string): RawObject => ({
      type: 'tree',
      body: Buffer.concat([Buffer.from(`100644 ${name}\0`), Buffer.from(oid, 'hex')]),
    });
    const bad = '2'.repeat(40);
    const good = '3'.repeat(40);
    const objects = (name: string, text: string) =>
      new Map<string, RawObject>([
        ['1'.repeat(40), treeOf(name, bad)],
        [bad, blob(text)],
      ]);
    expect(() =>
      checkObjects(objects('.gitmodules', '[submodule "x"]\n\turl = --upload-pack=evil\n')),
    ).toThrow(RejectedObjectError);
    expect(() => checkObjects(objects('.GITMODULES', '[submodule "x"]\n\tpath = -x\n'))).toThrow(
      RejectedObjectError,
    );
    expect(() =>
      checkObjects(objects('.gitmodules', '[submodule "../../x"]\n\turl = https://e.com/x\n')),
    ).toThrow(RejectedObjectError);
    expect(() =>
      checkObjects(
        new Map([
          ['1'.repeat(40), treeOf('.gitmodules', good)],
          [good, blob('[submodule "x"]\n\turl = https://e.com/x\n\tpath = x\n')],
        ]),
      ),
    ).not.toThrow();
  });
});
