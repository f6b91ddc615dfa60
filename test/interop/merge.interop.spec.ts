/**
 * The engine's merges against git merge-ort on the same objects: generated histories (random
 * files in nested directories, line edits on both branches that overlap or not, deletions,
 * additions, renames with and without edits, mode changes, symlinks, binary files, CRLF and
 * missing final newlines, file/directory clashes, criss-cross histories with several merge
 * bases, unrelated histories) are written with one `git fast-import`, loaded into our memory
 * store, and merged by both. For every case the tree id and the conflicted-path set must equal
 * `git merge-tree --write-tree --name-only <ours> <theirs>` (git labels conflict markers with
 * the names given, so the branch names are our labels too).
 *
 * Excluded, by design, and counted: cases where git's directory rename detection applies (a
 * side adds a file under a directory the other side renamed away; git says so in its conflict
 * messages), which the engine does not implement. A case counts as excluded only if it differs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { mergeCommits } from '../../src/core/merge/commit-merge';
import { CommitGraph } from '../../src/core/walk/commit-graph';
import { fcSeed } from '../support/fast-check';
import { gitAvailable, gitEnv, tempBareRepo } from '../support/git-cli';
import { loadRepository } from '../support/git-snapshots';

const describeGit = gitAvailable() ? describe : describe.skip;

interface FileSpec {
  /** `160000` is a submodule whose content is the commit id it points at. */
  readonly mode: '100644' | '100755' | '120000' | '160000';
  readonly content: string;
}
type Snapshot = Map<string, FileSpec>;

/** Deterministic pseudo-random numbers (mulberry32). */
class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const DIRS = ['', 'src', 'src/lib', 'docs', 'pkg/a', 'pkg/b'];
const NAMES = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
const EXTS = ['.txt', '.md', '.c', ''];
const WORDS = [
  'apple',
  'river',
  'stone',
  'cloud',
  'ember',
  'frost',
  'grove',
  'harbor',
  'ivory',
  'jungle',
];
const FILLER = ['', '}', '{', '  return x;', '# note'];

let lineCounter = 0;
function freshLine(rng: Random): string {
  if (rng.chance(0.2)) return rng.pick(FILLER);
  return `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${lineCounter++}`;
}

/** Lines from a tiny alphabet: many repeats, some over 64 times (histogram diff's fallback). */
function repetitiveLine(rng: Random): string {
  return rng.pick(['x', 'y', '}', '', 'z z']);
}

function makeText(rng: Random, crlf = false): string {
  const repetitive = rng.chance(0.15);
  const lines = repetitive
    ? Array.from({ length: 20 + rng.int(180) }, () =>
        rng.chance(0.9) ? repetitiveLine(rng) : freshLine(rng),
      )
    : Array.from({ length: 6 + rng.int(18) }, () => freshLine(rng));
  const eol = crlf ? '\r\n' : '\n';
  return lines.join(eol) + (rng.chance(0.9) ? eol : '');
}

function makeContent(rng: Random): string {
  const roll = rng.next();
  if (roll < 0.05) return `bin\0ary ${lineCounter++}\0${'x'.repeat(rng.int(40))}`;
  if (roll < 0.1) return makeText(rng, true);
  return makeText(rng);
}

function splitLines(text: string): { lines: string[]; eol: string; finalEol: boolean } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const finalEol = text.endsWith(eol);
  const body = finalEol ? text.slice(0, -eol.length) : text;
  return { lines: body === '' ? [] : body.split(eol), eol, finalEol };
}

/** A local line edit: replace a few lines around a random position with fresh ones. */
function editText(rng: Random, text: string): string {
  if (text.includes('\0')) return `${text}${lineCounter++}`;
  const { lines, eol, finalEol } = splitLines(text);
  const edits = lines.length > 40 ? 1 + rng.int(4) : 1;
  for (let e = 0; e < edits; e++) {
    const start = rng.int(lines.length + 1);
    const removed = rng.int(Math.min(3, lines.length - start) + 1);
    const line = (): string => (rng.chance(0.3) ? repetitiveLine(rng) : freshLine(rng));
    const added = Array.from({ length: rng.int(3) + (removed === 0 ? 1 : 0) }, line);
    lines.splice(start, removed, ...added);
  }
  return lines.join(eol) + (finalEol || lines.length === 0 ? eol : '');
}

function dirsOf(snapshot: Snapshot): Set<string> {
  const dirs = new Set<string>(['']);
  for (const path of snapshot.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs;
}

/** True when `path` can hold a file: no file on a parent path, no directory at it. */
function canPlace(snapshot: Snapshot, path: string): boolean {
  if (snapshot.has(path) || dirsOf(snapshot).has(path)) return false;
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++)
    if (snapshot.has(parts.slice(0, i).join('/'))) return false;
  return true;
}

function newPath(rng: Random, snapshot: Snapshot): string | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    const dir = rng.pick(DIRS);
    const name = `${rng.pick(NAMES)}${rng.pick(EXTS)}`;
    const path = dir === '' ? name : `${dir}/${name}`;
    if (canPlace(snapshot, path)) return path;
  }
  return undefined;
}

function makeBase(rng: Random): Snapshot {
  const snapshot: Snapshot = new Map();
  const count = 4 + rng.int(10);
  for (let i = 0; i < count; i++) {
    const path = newPath(rng, snapshot);
    if (path === undefined) continue;
    const symlink = rng.chance(0.05);
    snapshot.set(path, {
      mode: symlink ? '120000' : rng.chance(0.15) ? '100755' : '100644',
      content: symlink ? `target-${lineCounter++}` : makeContent(rng),
    });
  }
  return snapshot;
}

interface SideHistory {
  readonly snapshot: Snapshot;
  /** Base paths this side renamed, and where to. */
  readonly renames: Map<string, string>;
}

/** Random changes on one branch: edits, deletions, additions, renames, modes, clashes. */
function mutate(rng: Random, base: Snapshot, operations: number): SideHistory {
  const files: Snapshot = new Map(base);
  const renames = new Map<string, string>();
  for (let op = 0; op < operations; op++) {
    const paths = [...files.keys()];
    const path = paths.length > 0 ? rng.pick(paths) : undefined;
    const file = path === undefined ? undefined : files.get(path)!;
    const roll = rng.next();
    if (path !== undefined && file !== undefined && roll < 0.4) {
      if (file.mode !== '120000')
        files.set(path, { ...file, content: editText(rng, file.content) });
    } else if (path !== undefined && roll < 0.5) {
      files.delete(path);
    } else if (roll < 0.6) {
      const target = newPath(rng, files);
      if (target !== undefined) files.set(target, { mode: '100644', content: makeContent(rng) });
    } else if (path !== undefined && file !== undefined && roll < 0.75) {
      files.delete(path);
      const target = newPath(rng, files);
      if (target === undefined) {
        files.set(path, file);
        continue;
      }
      const edited =
        rng.chance(0.5) && file.mode !== '120000' ? editText(rng, file.content) : file.content;
      files.set(target, { ...file, content: edited });
      if (base.has(path)) renames.set(path, target);
    } else if (path !== undefined && file !== undefined && roll < 0.85) {
      if (file.mode !== '120000')
        files.set(path, { ...file, mode: file.mode === '100644' ? '100755' : '100644' });
    } else if (path !== undefined && file !== undefined && roll < 0.9) {
      // A file becomes a directory.
      files.delete(path);
      files.set(`${path}/inner.txt`, { mode: '100644', content: makeContent(rng) });
    } else if (roll < 0.95) {
      // A directory becomes a file.
      const dirs = [...dirsOf(files)].filter((d) => d !== '');
      if (dirs.length === 0) continue;
      const dir = rng.pick(dirs);
      for (const p of [...files.keys()]) if (p.startsWith(`${dir}/`)) files.delete(p);
      if (canPlace(files, dir)) files.set(dir, { mode: '100644', content: makeContent(rng) });
    } else if (path !== undefined && file !== undefined) {
      files.set(path, { mode: '120000', content: `link-${lineCounter++}` });
    }
  }
  return { snapshot: files, renames };
}

/** Changes made identically on both sides (same additions, same edits): clean by definition. */
function applyShared(rng: Random, base: Snapshot, ours: Snapshot, theirs: Snapshot): void {
  if (rng.chance(0.3)) {
    const target = newPath(rng, ours);
    if (target !== undefined && canPlace(theirs, target)) {
      const content = makeContent(rng);
      ours.set(target, { mode: '100644', content });
      // add/add: identical, or different content (and sometimes mode) on the other side.
      theirs.set(
        target,
        rng.chance(0.5)
          ? { mode: '100644', content }
          : { mode: rng.chance(0.3) ? '100755' : '100644', content: makeContent(rng) },
      );
    }
  }
  if (rng.chance(0.2)) {
    const common = [...base.keys()].filter(
      (p) => ours.get(p) === base.get(p) && theirs.get(p) === base.get(p),
    );
    if (common.length > 0) {
      const path = rng.pick(common);
      const file = base.get(path)!;
      if (file.mode !== '120000') {
        const edited = { ...file, content: editText(rng, file.content) };
        ours.set(path, edited);
        theirs.set(path, edited);
      }
    }
  }
}

interface CommitDraft {
  readonly ref: string;
  readonly parents: readonly string[];
  readonly snapshot: Snapshot;
}

interface MergeCase {
  readonly name: string;
  readonly ours: string;
  readonly theirs: string;
  readonly unrelated: boolean;
}

class HistoryScript {
  readonly commits: CommitDraft[] = [];
  readonly cases: MergeCase[] = [];

  commit(ref: string, parents: readonly string[], snapshot: Snapshot): string {
    this.commits.push({ ref, parents, snapshot });
    return ref;
  }

  /** The fast-import stream: every commit as a full snapshot on its own branch. */
  stream(): Buffer {
    const parts: Buffer[] = [];
    const text = (s: string): void => void parts.push(Buffer.from(s, 'utf8'));
    const data = (bytes: Buffer): void => {
      text(`data ${bytes.length}\n`);
      parts.push(bytes);
      text('\n');
    };
    this.commits.forEach((c, i) => {
      text(`commit refs/heads/${c.ref}\nmark :${i + 1}\n`);
      text(`committer Test <test@example.com> ${1_700_000_000 + i * 60} +0000\n`);
      data(Buffer.from(`${c.ref}\n`));
      c.parents.forEach((parent, k) => {
        const mark = this.commits.findIndex((d) => d.ref === parent) + 1;
        text(`${k === 0 ? 'from' : 'merge'} :${mark}\n`);
      });
      text('deleteall\n');
      for (const [path, file] of c.snapshot) {
        if (file.mode === '160000') {
          text(`M 160000 ${file.content} ${path}\n`);
          continue;
        }
        text(`M ${file.mode} inline ${path}\n`);
        data(Buffer.from(file.content, 'utf8'));
      }
      text('\n');
    });
    return Buffer.concat(parts);
  }
}

const LONG_A = Array.from({ length: 12 }, (_, i) => `shared line ${i}\n`).join('');
const file = (content: string, mode: FileSpec['mode'] = '100644'): FileSpec => ({ mode, content });

/** Named shapes the random ones reach only by luck: [name, base, ours, theirs]. */
const TARGETED: ReadonlyArray<
  readonly [string, Record<string, FileSpec>, Record<string, FileSpec>, Record<string, FileSpec>]
> = [
  [
    'submodule-both-moved',
    { sub: file('1'.repeat(40), '160000') },
    { sub: file('2'.repeat(40), '160000') },
    { sub: file('3'.repeat(40), '160000') },
  ],
  [
    'submodule-one-moved',
    { sub: file('1'.repeat(40), '160000'), f: file('x\n') },
    { sub: file('2'.repeat(40), '160000'), f: file('x\n') },
    { sub: file('1'.repeat(40), '160000'), f: file('y\n') },
  ],
  ['exec-bit-add-add', {}, { run: file('same\n') }, { run: file('same\n', '100755') }],
  [
    'rename-rename-1to2-edited',
    { a: file(LONG_A) },
    { b: file(`${LONG_A}ours\n`) },
    { c: file(`theirs\n${LONG_A}`) },
  ],
  [
    'rename-rename-1to2-binary',
    { a: file('bin\0ary') },
    { b: file('bin\0ary') },
    { c: file('bin\0ary') },
  ],
  [
    'rename-add-collision',
    { a: file(LONG_A), keep: file('k\n') },
    { b: file(`${LONG_A}ours\n`), keep: file('k\n') },
    { a: file(`theirs\n${LONG_A}`), b: file('unrelated\n'), keep: file('k\n') },
  ],
  [
    'rename-rename-2to1',
    { a: file(LONG_A), z: file(LONG_A.replace(/shared/g, 'other')) },
    { c: file(LONG_A), z: file(LONG_A.replace(/shared/g, 'other')) },
    { a: file(LONG_A), c: file(LONG_A.replace(/shared/g, 'other')) },
  ],
  [
    'symlink-vs-file',
    { f: file('text\n') },
    { f: file('target', '120000') },
    { f: file('edited\n') },
  ],
  [
    'symlink-both-changed',
    { l: file('t0', '120000') },
    { l: file('t1', '120000') },
    { l: file('t2', '120000') },
  ],
  [
    'file-vs-directory-both-ways',
    { p: file('p\n'), 'q/x': file('q\n') },
    { 'p/inner': file('dir\n'), q: file('file\n') },
    { p: file('P\n'), 'q/x': file('Q\n') },
  ],
  [
    'rename-into-df-clash',
    { a: file(LONG_A), 'd/x': file('x\n') },
    { d: file(LONG_A) },
    { a: file(`${LONG_A}more\n`), 'd/x': file('X\n') },
  ],
];

function buildCases(seed: number): HistoryScript {
  const script = new HistoryScript();
  for (const [name, base, ours, theirs] of TARGETED) {
    const root = script.commit(`${name}-base`, [], new Map(Object.entries(base)));
    const o = script.commit(`${name}-ours`, [root], new Map(Object.entries(ours)));
    const t = script.commit(`${name}-theirs`, [root], new Map(Object.entries(theirs)));
    script.cases.push({ name, ours: o, theirs: t, unrelated: false });
  }
  const caseSeeds = fc.sample(fc.integer(), { seed, numRuns: 90 });
  caseSeeds.forEach((caseSeed, n) => {
    const rng = new Random(caseSeed);
    const name = `c${n}`;
    const base = makeBase(rng);
    const kind = n % 15 === 14 ? 'crisscross' : n % 15 === 13 ? 'unrelated' : 'fork';
    if (kind === 'unrelated') {
      const ours = script.commit(`${name}-ours`, [], mutate(rng, base, 2).snapshot);
      const theirs = script.commit(`${name}-theirs`, [], mutate(rng, base, 2).snapshot);
      script.cases.push({ name, ours, theirs, unrelated: true });
      return;
    }
    const root = script.commit(`${name}-base`, [], base);
    const ours = mutate(rng, base, 1 + rng.int(5));
    const theirs = mutate(rng, base, 1 + rng.int(5));
    applyShared(rng, base, ours.snapshot, theirs.snapshot);
    if (kind === 'fork') {
      const o = script.commit(`${name}-ours`, [root], ours.snapshot);
      const t = script.commit(`${name}-theirs`, [root], theirs.snapshot);
      script.cases.push({ name, ours: o, theirs: t, unrelated: false });
      return;
    }
    // Criss-cross: both tips merge both branches, so there are two merge bases.
    const a1 = script.commit(`${name}-a1`, [root], ours.snapshot);
    const b1 = script.commit(`${name}-b1`, [root], theirs.snapshot);
    const a2 = mutate(rng, ours.snapshot, 2);
    const b2 = mutate(rng, theirs.snapshot, 2);
    const o = script.commit(`${name}-ours`, [a1, b1], a2.snapshot);
    const t = script.commit(`${name}-theirs`, [b1, a1], b2.snapshot);
    script.cases.push({ name, ours: o, theirs: t, unrelated: false });
  });
  return script;
}

interface GitMerge {
  readonly tree: string;
  readonly conflicts: string[];
  readonly clean: boolean;
  /** git applied (or tried) directory rename detection, which the engine does not implement. */
  readonly directoryRenames: boolean;
}

/**
 * `git merge-tree --write-tree --name-only -z`: the tree, the conflicted paths, an empty
 * record, then per message `<count>\0<paths>\0<type>\0<text>\0`; conflict types tell whether
 * directory rename detection took part.
 */
function runGit(
  repo: string,
  args: readonly string[],
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: repo, env: gitEnv() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({
        status: status ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

async function gitMergeTree(repo: string, c: MergeCase): Promise<GitMerge> {
  const args = ['merge-tree', '--write-tree', '--name-only', '-z'];
  if (c.unrelated) args.push('--allow-unrelated-histories');
  args.push(c.ours, c.theirs);
  const run = await runGit(repo, args);
  if (run.status !== 0 && run.status !== 1) throw new Error(`git merge-tree failed: ${run.stderr}`);
  const [tree, ...rest] = run.stdout.split('\0');
  const end = rest.indexOf('');
  const conflicts = rest.slice(0, end < 0 ? rest.length : end);
  const messages = end < 0 ? '' : rest.slice(end + 1).join('\n');
  return {
    tree: tree!,
    conflicts,
    clean: run.status === 0,
    directoryRenames: /directory rename|dir rename/i.test(messages),
  };
}

/** git's answers for every case, a few processes at a time (one spawn costs tens of ms). */
async function gitMergeTrees(repo: string, cases: readonly MergeCase[]): Promise<GitMerge[]> {
  const results: GitMerge[] = new Array<GitMerge>(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await gitMergeTree(repo, cases[i]!);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return results;
}

describeGit('merge interop with git merge-tree (merge-ort)', () => {
  const repo = tempBareRepo();
  afterAll(() => (process.env.MERGE_INTEROP_DEBUG !== undefined ? undefined : repo.cleanup()));

  it('writes the same trees and reports the same conflicted paths as git on generated histories', async () => {
    const script = buildCases(fcSeed());
    const marks = join(repo.path, 'marks');
    const imported = spawnSync('git', ['fast-import', '--quiet', `--export-marks=${marks}`], {
      cwd: repo.path,
      env: gitEnv(),
      input: script.stream(),
    });
    expect(imported.status).toBe(0);
    const ids = new Map<string, string>();
    for (const line of readFileSync(marks, 'utf8').split('\n')) {
      const [mark, oid] = line.split(' ');
      if (mark !== undefined && oid !== undefined)
        ids.set(script.commits[Number(mark.slice(1)) - 1]!.ref, oid);
    }
    const odb = loadRepository(repo.path);
    const graph = new CommitGraph(odb);

    const mismatches: string[] = [];
    const kinds = new Map<string, number>();
    let compared = 0;
    let conflicted = 0;
    let excluded = 0;
    const answers = await gitMergeTrees(repo.path, script.cases);
    for (const [i, c] of script.cases.entries()) {
      const expected = answers[i]!;
      const actual = mergeCommits(odb, graph, ids.get(c.ours)!, ids.get(c.theirs)!, {
        labels: { ours: c.ours, theirs: c.theirs },
      });
      const actualPaths = [...new Set(actual.conflicts.map((x) => x.path))].sort();
      const same =
        actual.tree === expected.tree &&
        actual.clean === expected.clean &&
        JSON.stringify(actualPaths) === JSON.stringify([...expected.conflicts].sort());
      if (expected.directoryRenames && !same) {
        excluded++;
        continue;
      }
      compared++;
      if (!expected.clean) conflicted++;
      for (const conflict of actual.conflicts)
        kinds.set(conflict.kind, (kinds.get(conflict.kind) ?? 0) + 1);
      if (!same && process.env.MERGE_INTEROP_DEBUG !== undefined) {
        const full = spawnSync('git', ['merge-tree', '--write-tree', c.ours, c.theirs], {
          cwd: repo.path,
          env: gitEnv(),
        });
        console.log(
          `${c.name} in ${repo.path}\n${full.stdout.toString()}\nours: ${JSON.stringify(actual.conflicts, null, 1)}`,
        );
      }
      if (!same) {
        mismatches.push(
          `${c.name}: git ${expected.tree} clean=${expected.clean} [${expected.conflicts.join(', ')}] / ours ${actual.tree} clean=${actual.clean} [${actualPaths.join(', ')}]`,
        );
      }
    }
    console.log(
      `merge interop: ${compared - mismatches.length}/${compared} identical (${conflicted} conflicted), ` +
        `${excluded} excluded (directory renames); conflict kinds: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(40);
    expect(conflicted).toBeGreaterThanOrEqual(10);
  });
});
