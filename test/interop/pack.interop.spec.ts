/**
 * Our packs must be git's packs (RELIABILITY P3; clone, fetch and push all move packs): packs we
 * write, with and without deltas and thin, pass `git index-pack --strict` and `git verify-pack`,
 * and our .idx is byte-identical to the one git derives from the same pack; packs git writes
 * (OFS_DELTA, REF_DELTA, thin) read back as exactly the objects git was given, and our index of
 * them equals git's. One generated history of ~1,300 objects (similar versions of many files, a
 * 2 MB text file, a binary blob) serves every case; git runs a handful of times in all.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeCommit } from '../../src/core/objects/commit';
import { hashObject, type ObjectType, type RawObject } from '../../src/core/objects/git-object';
import type { Oid } from '../../src/core/objects/oid';
import { serializeTree, type TreeEntry } from '../../src/core/objects/tree';
import { PackBaseCache, readObjectAt } from '../../src/core/protocol/pack-file';
import { PackIndex, writePackIndex } from '../../src/core/protocol/pack-index';
import { readPack } from '../../src/core/protocol/pack-reader';
import { encodePack, type PackWriteEntry } from '../../src/core/protocol/pack-writer';
import { git, gitAvailable, gitBuffer, tempBareRepo } from '../support/git-cli';
import { seededRandom } from '../support/seeded-random';

const describeGit = gitAvailable() ? describe : describe.skip;

interface History {
  /** Every object, with the path it was reached by (trees: their directory). */
  readonly objects: PackWriteEntry[];
  readonly byOid: Map<Oid, RawObject>;
  readonly commits: Oid[];
}

/** `commitCount` commits over ~40 files, each commit editing a few lines of a few files. */
function generateHistory(commitCount: number): History {
  const next = seededRandom(20240601);
  const pick = (n: number): number => Math.floor(next() * n);
  const lines = (count: number, tag: string): string[] =>
    Array.from(
      { length: count },
      (_, i) => `${tag} line ${i}: value ${pick(1_000_000)} and some text\n`,
    );
  const files = new Map<string, string[] | Buffer>();
  for (let m = 0; m < 6; m++) {
    for (let f = 0; f < 6; f++)
      files.set(`src/mod${m}/file${f}.ts`, lines(40 + pick(160), `m${m}f${f}`));
  }
  files.set('assets/large.txt', lines(40_000, 'large'));
  files.set('assets/blob.bin', Buffer.from(Array.from({ length: 300_000 }, () => pick(256))));
  files.set('README.md', lines(30, 'readme'));

  /** Blob ids of unchanged files, so each commit hashes only what it edited. */
  const blobOids = new Map<string, Oid>();
  const byOid = new Map<Oid, RawObject>();
  const objects: PackWriteEntry[] = [];
  const add = (type: ObjectType, body: Buffer, path: string): Oid => {
    const oid = hashObject(type, body);
    if (!byOid.has(oid)) {
      byOid.set(oid, { type, body });
      objects.push({ oid, type, body, path });
    }
    return oid;
  };
  const writeTree = (dir: string): Oid => {
    const prefix = dir === '' ? '' : `${dir}/`;
    const entries: TreeEntry[] = [];
    const subdirs = new Set<string>();
    for (const [path, content] of files) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) {
        subdirs.add(rest.slice(0, slash));
        continue;
      }
      let oid = blobOids.get(path);
      if (oid === undefined) {
        oid = add('blob', Array.isArray(content) ? Buffer.from(content.join('')) : content, path);
        blobOids.set(path, oid);
      }
      entries.push({ mode: '100644', name: rest, oid });
    }
    for (const sub of subdirs)
      entries.push({ mode: '40000', name: sub, oid: writeTree(prefix + sub) });
    return add('tree', serializeTree(entries), dir);
  };

  const commits: Oid[] = [];
  for (let c = 0; c < commitCount; c++) {
    if (c > 0) {
      const textPaths = [...files.keys()].filter((p) => p.endsWith('.ts') || p === 'README.md');
      for (let e = 0; e < 4; e++) {
        const path = textPaths[pick(textPaths.length)]!;
        const text = files.get(path) as string[];
        text.splice(pick(text.length), pick(2), `edit ${c}.${e}: ${pick(1_000_000)}\n`);
        blobOids.delete(path);
      }
      if (c % 15 === 0) {
        (files.get('assets/large.txt') as string[]).splice(pick(40_000), 1, `large edit ${c}\n`);
        blobOids.delete('assets/large.txt');
      }
      if (c % 40 === 0) {
        const blob = Buffer.from(files.get('assets/blob.bin') as Buffer);
        for (let i = 0; i < 20; i++) blob[pick(blob.length)] = pick(256);
        files.set('assets/blob.bin', blob);
        blobOids.delete('assets/blob.bin');
      }
    }
    const sig = {
      name: 'Pack Tester',
      email: 'pack@example.com',
      timestamp: 1_700_000_000 + c * 60,
      timezone: '+0000',
    };
    const body = serializeCommit({
      tree: writeTree(''),
      parents: commits.length === 0 ? [] : [commits[commits.length - 1]!],
      author: sig,
      committer: sig,
      extraHeaders: [],
      message: `commit ${c}\n`,
    });
    commits.push(add('commit', body, ''));
  }
  return { objects, byOid, commits };
}

interface VerifyPackLine {
  readonly oid: Oid;
  readonly type: string;
  readonly offset: number;
  readonly depth: number;
}

/** The per-object lines of `git verify-pack -v`. */
function parseVerifyPack(output: string): VerifyPackLine[] {
  const result: VerifyPackLine[] = [];
  for (const line of output.split('\n')) {
    const m = /^([0-9a-f]{40}) (\w+)\s+\d+ \d+ (\d+)(?: (\d+) [0-9a-f]{40})?$/.exec(line);
    if (m)
      result.push({
        oid: m[1]!,
        type: m[2]!,
        offset: Number(m[3]),
        depth: m[4] === undefined ? 0 : Number(m[4]),
      });
  }
  return result;
}

function expectObjectsEqual(
  read: ReadonlyArray<{ oid: Oid } & RawObject>,
  expected: Map<Oid, RawObject>,
): void {
  expect(read.length).toBe(expected.size);
  let mismatches = 0;
  for (const object of read) {
    const original = expected.get(object.oid);
    if (
      original?.type !== object.type ||
      !Buffer.from(original.body).equals(Buffer.from(object.body))
    )
      mismatches++;
  }
  expect(mismatches).toBe(0);
}

describeGit('pack files interoperate with git', () => {
  const history = generateHistory(120);
  let repo: { path: string; cleanup: () => void };

  beforeAll(() => {
    repo = tempBareRepo();
  });
  afterAll(() => repo.cleanup());

  it('generates a history of over 1,000 objects including large and similar blobs', () => {
    expect(history.objects.length).toBeGreaterThan(1000);
    expect(Math.max(...history.objects.map((o) => o.body.length))).toBeGreaterThan(1_000_000);
  });

  /** Our packs by name, for the checks that need only one of them. */
  const ours = new Map<
    string,
    { written: Awaited<ReturnType<typeof encodePack>>; packPath: string }
  >();

  describe.each([
    ['with deltas', { window: 10, depth: 50 }, true],
    ['without deltas', { deltas: false }, false],
  ] as const)('a pack we write %s', (name, options, expectDeltas) => {
    let written: Awaited<ReturnType<typeof encodePack>>;
    let packPath: string;

    beforeAll(async () => {
      written = await encodePack(history.objects, options);
      packPath = join(repo.path, `ours-${name.replace(/ /g, '-')}.pack`);
      writeFileSync(packPath, written.pack);
      ours.set(name, { written, packPath });
    });

    it('passes git index-pack --strict, and our .idx is byte-identical to git’s', () => {
      const idxPath = packPath.replace(/\.pack$/, '.idx');
      const out = git(['index-pack', '--strict', '-o', idxPath, packPath], { cwd: repo.path });
      expect(out.trim()).toBe(written.checksum);
      const idx = writePackIndex(written.entries, written.checksum);
      expect(idx.equals(readFileSync(idxPath))).toBe(true);
    });

    it('passes git verify-pack -v with every object at the offset we recorded', () => {
      const out = git(['verify-pack', '-v', packPath.replace(/\.pack$/, '.idx')], {
        cwd: repo.path,
      });
      expect(out).toContain(': ok');
      const lines = parseVerifyPack(out);
      expect(lines.length).toBe(history.objects.length);
      const offsets = new Map(written.entries.map((e) => [e.oid, e.offset]));
      expect(lines.filter((l) => offsets.get(l.oid) !== l.offset)).toEqual([]);
      const deltas = lines.filter((l) => l.depth > 0).length;
      expect(deltas).toBe(written.ofsDeltas);
      const rawBytes = history.objects.reduce((n, o) => n + o.body.length, 0);
      if (expectDeltas) {
        expect(deltas).toBeGreaterThan(history.objects.length / 3);
        expect(written.pack.length).toBeLessThan(rawBytes / 10);
      } else {
        expect(deltas).toBe(0);
      }
    });
  });

  it('writes an .idx byte-identical to git’s with a lowered 64-bit offset threshold', () => {
    // One pack suffices for the 64-bit table; each git index-pack run costs a second or more.
    const { written, packPath } = ours.get('with deltas')!;
    const threshold = Math.floor(written.byteLength / 2);
    const idxPath = packPath.replace(/\.pack$/, '.large.idx');
    git(['index-pack', `--index-version=2,${threshold}`, '-o', idxPath, packPath], {
      cwd: repo.path,
    });
    const idx = writePackIndex(written.entries, written.checksum, {
      largeOffsetThreshold: threshold,
    });
    expect(idx.length).toBeGreaterThan(writePackIndex(written.entries, written.checksum).length);
    expect(idx.equals(readFileSync(idxPath))).toBe(true);
  });

  describe('packs git writes', () => {
    const oldCommit = 95;

    beforeAll(async () => {
      // Load the history into the repository (ours, no deltas) and point main at its tip.
      const { pack } = await encodePack(history.objects, { deltas: false });
      git(['index-pack', '--stdin', '--strict'], { cwd: repo.path, input: pack });
      git(['update-ref', 'refs/heads/main', history.commits[history.commits.length - 1]!], {
        cwd: repo.path,
      });
      git(['update-ref', 'refs/heads/old', history.commits[oldCommit]!], { cwd: repo.path });
    });

    const packObjects = (extra: readonly string[], revs = 'main\n'): Buffer =>
      gitBuffer(
        [
          'pack-objects',
          '--revs',
          '--stdout',
          '--no-reuse-delta',
          '--window=10',
          '--depth=50',
          ...extra,
        ],
        {
          cwd: repo.path,
          input: revs,
        },
      );

    it.each([
      ['OFS_DELTA (--delta-base-offset)', ['--delta-base-offset'], 'ofsDeltas'],
      ['REF_DELTA (no --delta-base-offset)', [], 'refDeltas'],
    ] as const)(
      'reads a %s pack as the same objects, with the same .idx as git',
      async (_name, extra, kind) => {
        const pack = packObjects(extra);
        const { objects, summary } = await readPack(pack);
        expectObjectsEqual(objects, history.byOid);
        expect(summary[kind]).toBeGreaterThan(history.objects.length / 3);
        const packPath = join(repo.path, `git-${kind}.pack`);
        writeFileSync(packPath, pack);
        git(['index-pack', '-o', packPath.replace(/\.pack$/, '.idx'), packPath], {
          cwd: repo.path,
        });
        const gitIdx = readFileSync(packPath.replace(/\.pack$/, '.idx'));
        expect(writePackIndex(objects, summary.checksum).equals(gitIdx)).toBe(true);
        // Random access through git's index agrees too, for entries spread over the pack.
        const index = new PackIndex(gitIdx);
        const cache = new PackBaseCache();
        for (const object of objects.filter((_, i) => i % 25 === 0)) {
          const again = await readObjectAt(pack, object.offset, { index, cache });
          expect(hashObject(again.type, again.body)).toBe(object.oid);
        }
      },
    );

    it('reads a thin pack from git against the bases we have', async () => {
      const pack = packObjects(['--thin', '--delta-base-offset'], 'main\n^old\n');
      await expect(readPack(pack)).rejects.toMatchObject({ code: 'DELTA_BASE_MISSING' });
      const { objects, summary } = await readPack(pack, {
        resolveExternalBase: (oid) => history.byOid.get(oid),
      });
      expect(summary.externalBases).toBeGreaterThan(0);
      for (const object of objects) expect(hashObject(object.type, object.body)).toBe(object.oid);
      expect(objects.map((o) => o.oid)).toContain(history.commits[history.commits.length - 1]);
    });

    it('accepts a thin pack we write with git index-pack --fix-thin', async () => {
      const newOids = new Set(
        parseVerifyPackRevList(git(['rev-list', '--objects', 'main', '^old'], { cwd: repo.path })),
      );
      const wanted = history.objects.filter((o) => newOids.has(o.oid!));
      const bases = history.objects.filter((o) => !newOids.has(o.oid!) && o.type !== 'commit');
      const written = await encodePack(wanted, { thinBases: bases });
      expect(written.refDeltas).toBeGreaterThan(0);
      const out = git(['index-pack', '--stdin', '--fix-thin', '--strict'], {
        cwd: repo.path,
        input: written.pack,
      });
      expect(out).toMatch(/^pack\s+[0-9a-f]{40}/);
    });
  });
});

/** Object ids from `git rev-list --objects` output (`<oid> [path]` lines). */
function parseVerifyPackRevList(output: string): Oid[] {
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.slice(0, 40));
}
