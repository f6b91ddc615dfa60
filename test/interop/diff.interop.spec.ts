/**
 * The engine's diff against git's own, on the same objects: hundreds of generated file pairs
 * (random line edits with repeated and blank lines, indentation, CRLF, unicode, missing final
 * newlines, long function lines; binary, empty, mode changes, symlinks, submodules, exact and
 * similar renames, unicode and quoted paths) are committed as two snapshots in one repository,
 * then `git diff` (patch at several context sizes, --numstat, --name-status) is compared with
 * ours, section by section. One commit pair holds every case, so git runs only a few times.
 */
import fc from 'fast-check';
import { diffTrees } from '../../src/core/diff/tree-diff';
import { formatNameStatus, toFileDiffs, unifiedDiffText } from '../../src/core/diff/file-diffs';
import type { ObjectDatabase } from '../../src/core/objects/object-database';
import { gitAvailable, gitBuffer, tempBareRepo, git } from '../support/git-cli';
import { fcSeed } from '../support/fast-check';
import {
  commitSnapshot,
  fastImportCommits,
  loadRepository,
  type ImportCommit,
  type SnapshotFile,
} from '../support/git-snapshots';

const describeGit = gitAvailable() ? describe : describe.skip;

const LINE_POOL = [
  '',
  '',
  '{',
  '}',
  'foo',
  'bar',
  'baz',
  'int main(void)',
  '  return 0;',
  '\tif (x) {',
  '\t\ty++;',
  '\t}',
  '    indented deeper',
  '  indented',
  '// a comment',
  'x = 1',
  '$scalar = 2',
  '_private_fn()',
  'héllo wörld',
  '日本語のテキスト',
  'emoji 😀 line',
  '   ',
  '\t',
  'end',
  'function withAVeryLongNameThatExceedsTheEightyByteLimitOfGitHunkHeaders(argumentOne, argumentTwo)',
  `g${'x'.repeat(78)}éé tail`,
];

const PATH_NAMES = [
  'file.txt',
  'with space.c',
  'café.md',
  '日本.txt',
  'quote"d',
  'back\\slash',
  'tab\there',
  'a.b/c.txt',
];

type Edit = {
  op: 'insert' | 'delete' | 'replace' | 'duplicate';
  at: number;
  len: number;
  lines: string[];
};

const linesArb = (max: number): fc.Arbitrary<string[]> =>
  fc.array(fc.constantFrom(...LINE_POOL), { maxLength: max });

const editArb: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom('insert', 'delete', 'replace', 'duplicate'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 6 }),
  lines: linesArb(5),
});

function applyEdits(lines: readonly string[], edits: readonly Edit[]): string[] {
  const out = [...lines];
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + 1);
    if (edit.op === 'insert') out.splice(at, 0, ...edit.lines);
    else if (edit.op === 'delete') out.splice(at, edit.len);
    else if (edit.op === 'replace') out.splice(at, edit.len, ...edit.lines);
    else out.splice(at, 0, ...out.slice(at, at + edit.len));
  }
  return out;
}

interface TextVersion {
  lines: string[];
  crlf: boolean;
  noEol: boolean;
}

function render(v: TextVersion): Buffer {
  if (v.lines.length === 0) return Buffer.alloc(0);
  const eol = v.crlf ? '\r\n' : '\n';
  const text = v.lines.join(eol) + (v.noEol ? '' : eol);
  return Buffer.from(text, 'utf8');
}

const textPairArb = fc
  .record({
    lines: linesArb(40),
    edits: fc.array(editArb, { minLength: 1, maxLength: 5 }),
    crlf: fc.boolean(),
    oldNoEol: fc.boolean(),
    newNoEol: fc.boolean(),
  })
  .map(({ lines, edits, crlf, oldNoEol, newNoEol }) => ({
    old: render({ lines, crlf, noEol: oldNoEol }),
    new: render({ lines: applyEdits(lines, edits), crlf, noEol: newNoEol }),
  }));

type Case =
  | { kind: 'edit' | 'exec-edit'; old: Buffer; new: Buffer }
  | { kind: 'add' | 'delete'; content: Buffer }
  | { kind: 'binary'; variant: number; old: Buffer; new: Buffer }
  | { kind: 'empty'; variant: number; content: Buffer }
  | { kind: 'mode'; content: Buffer; changed: boolean }
  | { kind: 'symlink'; variant: number; a: string; b: string }
  | { kind: 'rename'; exact: boolean; old: Buffer; new: Buffer }
  | { kind: 'gitlink'; a: string; b: string };

const bufArb = textPairArb.map((p) => p.old);
const hexArb = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => Buffer.from(b).toString('hex'));

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  { weight: 60, arbitrary: textPairArb.map((p) => ({ kind: 'edit' as const, ...p })) },
  { weight: 4, arbitrary: textPairArb.map((p) => ({ kind: 'exec-edit' as const, ...p })) },
  { weight: 4, arbitrary: bufArb.map((content) => ({ kind: 'add' as const, content })) },
  { weight: 4, arbitrary: bufArb.map((content) => ({ kind: 'delete' as const, content })) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        variant: fc.integer({ min: 0, max: 3 }),
        old: fc
          .uint8Array({ maxLength: 300 })
          .map((b) => Buffer.concat([Buffer.from(b), Buffer.from([0])])),
        new: fc
          .uint8Array({ maxLength: 300 })
          .map((b) => Buffer.concat([Buffer.from([0]), Buffer.from(b)])),
      })
      .map((r) => ({ kind: 'binary' as const, ...r })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ variant: fc.integer({ min: 0, max: 3 }), content: bufArb })
      .map((r) => ({ kind: 'empty' as const, ...r })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ content: bufArb, changed: fc.boolean() })
      .map((r) => ({ kind: 'mode' as const, ...r })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        variant: fc.integer({ min: 0, max: 2 }),
        a: fc.constantFrom('target', '../up/x', 'dir/tärget'),
        b: fc.constantFrom('other', 'x y', 'ünï'),
      })
      .map((r) => ({ kind: 'symlink' as const, ...r })),
  },
  {
    weight: 6,
    arbitrary: fc
      .record({
        exact: fc.boolean(),
        lines: linesArb(60),
        edits: fc.array(editArb, { minLength: 1, maxLength: 3 }),
        seed: fc.nat(),
      })
      .map(({ exact, lines, edits, seed }) => {
        // A unique first line keeps a case's content from matching another case's by accident.
        const base = [`unique ${seed}`, ...lines];
        const old = render({ lines: base, crlf: false, noEol: false });
        return {
          kind: 'rename' as const,
          exact,
          old,
          new: exact ? old : render({ lines: applyEdits(base, edits), crlf: false, noEol: false }),
        };
      }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ a: hexArb, b: hexArb }).map((r) => ({ kind: 'gitlink' as const, ...r })),
  },
);

/** Large rewrites that push Myers past its cost heuristics (cost > 256, sqrt(N) cut-off). */
function largeCases(): Array<{ old: Buffer; new: Buffer }> {
  let state = 12345;
  const rand = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const out: Array<{ old: Buffer; new: Buffer }> = [];
  for (const [size, changeRate, alphabet] of [
    [3000, 0.3, 400],
    [2500, 0.5, 40],
    [4000, 0.15, 4000],
    [1500, 0.7, 8],
  ] as const) {
    const oldLines: string[] = [];
    for (let i = 0; i < size; i++) oldLines.push(`line ${rand(alphabet)}`);
    const newLines: string[] = [];
    for (const line of oldLines) {
      const r = rand(1000) / 1000;
      if (r < changeRate / 3) continue;
      if (r < (2 * changeRate) / 3) newLines.push(`new ${rand(alphabet)}`);
      else if (r < changeRate) newLines.push(line, `added ${rand(alphabet)}`);
      else newLines.push(line);
    }
    out.push({
      old: Buffer.from(`${oldLines.join('\n')}\n`),
      new: Buffer.from(`${newLines.join('\n')}\n`),
    });
  }
  // A long run of equal lines: where an inserted copy lands depends on git's tail trimming at -U0.
  out.push({
    old: Buffer.from('a\n'.repeat(1500)),
    new: Buffer.from(`${'a\n'.repeat(700)}b\n${'a\n'.repeat(801)}`),
  });
  out.push({
    old: Buffer.from(`top\n${'  x\n'.repeat(900)}`),
    new: Buffer.from(`top\n${'  x\n'.repeat(903)}`),
  });
  return out;
}

function buildSnapshots(cases: readonly Case[]): {
  before: Map<string, SnapshotFile>;
  after: Map<string, SnapshotFile>;
} {
  const before = new Map<string, SnapshotFile>();
  const after = new Map<string, SnapshotFile>();
  cases.forEach((c, i) => {
    const path = `c${String(i).padStart(3, '0')}/${PATH_NAMES[i % PATH_NAMES.length]!}`;
    switch (c.kind) {
      case 'edit':
        before.set(path, { mode: '100644', content: c.old });
        after.set(path, { mode: '100644', content: c.new });
        break;
      case 'exec-edit':
        before.set(path, { mode: '100755', content: c.old });
        after.set(path, { mode: '100755', content: c.new });
        break;
      case 'add':
        after.set(path, { mode: '100644', content: c.content });
        break;
      case 'delete':
        before.set(path, { mode: '100644', content: c.content });
        break;
      case 'binary':
        if (c.variant !== 1)
          before.set(path, {
            mode: '100644',
            content: c.variant === 3 ? Buffer.from('text\n') : c.old,
          });
        if (c.variant !== 2) after.set(path, { mode: '100644', content: c.new });
        break;
      case 'empty':
        if (c.variant === 0) after.set(path, { mode: '100644', content: '' });
        if (c.variant === 1) before.set(path, { mode: '100644', content: '' });
        if (c.variant === 2) {
          before.set(path, { mode: '100644', content: '' });
          after.set(path, { mode: '100644', content: c.content });
        }
        if (c.variant === 3) {
          before.set(path, { mode: '100644', content: c.content });
          after.set(path, { mode: '100644', content: '' });
        }
        break;
      case 'mode':
        before.set(path, { mode: '100644', content: c.content });
        after.set(path, {
          mode: '100755',
          content: c.changed ? Buffer.concat([c.content, Buffer.from('more\n')]) : c.content,
        });
        break;
      case 'symlink':
        if (c.variant === 0) {
          before.set(path, { mode: '120000', content: c.a });
          after.set(path, { mode: '120000', content: c.b });
        } else if (c.variant === 1) {
          before.set(path, { mode: '100644', content: `${c.a}\n` });
          after.set(path, { mode: '120000', content: c.b });
        } else {
          before.set(path, { mode: '120000', content: c.a });
          after.set(path, { mode: '100755', content: c.b });
        }
        break;
      case 'rename':
        before.set(path, { mode: '100644', content: c.old });
        after.set(
          `c${String(i).padStart(3, '0')}/moved/${PATH_NAMES[(i + 3) % PATH_NAMES.length]!}`,
          {
            mode: '100644',
            content: c.new,
          },
        );
        break;
      case 'gitlink':
        before.set(path, { mode: '160000', content: c.a });
        after.set(path, { mode: '160000', content: c.b });
        break;
    }
  });
  largeCases().forEach((pair, i) => {
    before.set(`large/${i}.txt`, { mode: '100644', content: pair.old });
    after.set(`large/${i}.txt`, { mode: '100644', content: pair.new });
  });
  return { before, after };
}

/** Splits `git diff` output into its `diff --git` sections, keyed by their header line. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = text.split(/(?=^diff --git )/m).filter((p) => p !== '');
  parts.forEach((part, i) => {
    const key = `${part.slice(0, part.indexOf('\n'))}#${i}`;
    out.set(key, part);
  });
  return out;
}

/** Headers of sections that differ; with DIFF_DEBUG set, also prints the first few side by side. */
function mismatchedSections(ours: string, theirs: string): string[] {
  const a = sections(ours);
  const b = sections(theirs);
  const keys = new Set([...a.keys(), ...b.keys()]);
  const bad = [...keys].filter((k) => a.get(k) !== b.get(k));
  if (process.env.DIFF_DEBUG !== undefined) {
    for (const k of bad.slice(0, 3))
      process.stdout.write(`=== OURS\n${a.get(k) ?? ''}=== GIT\n${b.get(k) ?? ''}\n`);
  }
  return bad;
}

describeGit('diff matches git diff on generated commits', () => {
  let repo: { path: string; cleanup: () => void };
  let db: ObjectDatabase;
  let from: string;
  let to: string;
  let caseCount = 0;
  let editCases = 0;

  beforeAll(() => {
    const cases = fc.sample(caseArb, { seed: fcSeed(), numRuns: 400 });
    caseCount = cases.length;
    editCases = cases.filter((c) => c.kind === 'edit' || c.kind === 'exec-edit').length;
    repo = tempBareRepo();
    const { before, after } = buildSnapshots(cases);
    from = commitSnapshot(repo.path, before, [], 1_700_000_000);
    to = commitSnapshot(repo.path, after, [from], 1_700_000_100);
    db = loadRepository(repo.path);
  });

  afterAll(() => repo?.cleanup());

  function treeOf(commit: string): string {
    return db.readCommit(commit).tree;
  }

  it('generates at least 200 line-diff cases in one commit pair', () => {
    expect(caseCount).toBe(400);
    expect(editCases).toBeGreaterThanOrEqual(200);
  });

  it.each([3, 0, 1, 7])('produces the same patch text as git diff -U%d', (context) => {
    const theirs = gitBuffer(['diff', `-U${context}`, from, to], { cwd: repo.path }).toString(
      'utf8',
    );
    const changes = diffTrees(db, treeOf(from), treeOf(to));
    const ours = unifiedDiffText(toFileDiffs(db, changes, { context }));
    expect(mismatchedSections(ours, theirs)).toEqual([]);
    expect(ours).toBe(theirs);
  });

  it('reports the same line counts as git diff --numstat', () => {
    const raw = git(['diff', '--numstat', '-z', from, to], { cwd: repo.path });
    const expected: string[] = [];
    const fields = raw.split('\0');
    for (let i = 0; i < fields.length - 1; i++) {
      const [add, del, ...rest] = fields[i]!.split('\t');
      const path = rest.join('\t');
      if (path === '') {
        // A rename: the two paths follow as separate fields.
        expected.push(`${add} ${del} ${fields[i + 2]!}`);
        i += 2;
      } else {
        expected.push(`${add} ${del} ${path}`);
      }
    }
    const files = toFileDiffs(db, diffTrees(db, treeOf(from), treeOf(to)), { patch: false });
    const ours = files.map((f) =>
      f.binary ? `- - ${f.path}` : `${f.additions} ${f.deletions} ${f.path}`,
    );
    expect(ours).toEqual(expected);
  });

  it('lists the same statuses and renames as git diff --name-status', () => {
    const theirs = git(['diff', '--name-status', from, to], { cwd: repo.path });
    expect(formatNameStatus(diffTrees(db, treeOf(from), treeOf(to)))).toBe(theirs);
  });

  it('matches git diff --no-renames when rename detection is off', () => {
    const theirs = git(['diff', '--no-renames', '--name-status', from, to], { cwd: repo.path });
    expect(formatNameStatus(diffTrees(db, treeOf(from), treeOf(to), { renames: false }))).toBe(
      theirs,
    );
  });
});

/**
 * Rename-heavy histories: files cloned from a few templates (so many pairs are similar and some
 * identical), shared base names across directories, moves with and without edits or mode
 * changes, symlinks, and a file replaced by a directory. These exercise the exact, base-name
 * and best-candidate stages of rename detection and their tie-breaking.
 */
const renameScenarioArb = fc.record({
  templates: fc.array(
    fc.array(fc.constantFrom(...LINE_POOL.slice(0, 20)), { minLength: 15, maxLength: 60 }),
    {
      minLength: 2,
      maxLength: 5,
    },
  ),
  files: fc.array(
    fc.record({
      dir: fc.constantFrom('', 'd1/', 'd2/', 'd1/sub/', 'zz/'),
      name: fc.constantFrom('a.txt', 'b.txt', 'main.c', 'x', 'README'),
      template: fc.nat(),
      edits: fc.array(editArb, { maxLength: 2 }),
      mode: fc.constantFrom('100644', '100644', '100755', '120000'),
    }),
    { minLength: 4, maxLength: 24 },
  ),
  fates: fc.array(
    fc.record({
      fate: fc.constantFrom(
        'keep',
        'delete',
        'move',
        'move',
        'move-edit',
        'move-mode',
        'modify',
        'copy-new',
      ),
      dir: fc.constantFrom('', 'd1/', 'd3/', 'new/deep/'),
      name: fc.constantFrom('a.txt', 'b.txt', 'main.c', 'y', 'README'),
      edits: fc.array(editArb, { minLength: 1, maxLength: 2 }),
    }),
    { minLength: 24, maxLength: 24 },
  ),
  replaceFileByDir: fc.boolean(),
});

type RenameScenario = typeof renameScenarioArb extends fc.Arbitrary<infer T> ? T : never;

function renameSnapshots(s: RenameScenario): {
  before: Map<string, SnapshotFile>;
  after: Map<string, SnapshotFile>;
} {
  const before = new Map<string, SnapshotFile>();
  const contents: Array<{ path: string; lines: string[]; mode: string }> = [];
  s.files.forEach((f, i) => {
    const path = `${f.dir}${f.name}`;
    if (
      before.has(path) ||
      [...before.keys()].some((p) => p.startsWith(`${path}/`) || path.startsWith(`${p}/`))
    )
      return;
    const template = s.templates[f.template % s.templates.length]!;
    const lines = applyEdits([`template ${f.template % s.templates.length}`, ...template], f.edits);
    const content =
      f.mode === '120000' ? `link-${i % 3}` : render({ lines, crlf: false, noEol: false });
    before.set(path, { mode: f.mode, content });
    contents.push({ path, lines, mode: f.mode });
  });
  const after = new Map<string, SnapshotFile>();
  const claim = (path: string, file: SnapshotFile): void => {
    if (
      after.has(path) ||
      [...after.keys()].some((p) => p.startsWith(`${path}/`) || path.startsWith(`${p}/`))
    )
      return;
    after.set(path, file);
  };
  // Files that stay where they are first, so moves cannot take their place.
  contents.forEach((c, i) => {
    const fate = s.fates[i]!;
    if (fate.fate === 'keep' || fate.fate === 'copy-new') claim(c.path, before.get(c.path)!);
    if (fate.fate === 'modify' && c.mode !== '120000') {
      claim(c.path, {
        mode: c.mode,
        content: render({ lines: applyEdits(c.lines, fate.edits), crlf: false, noEol: false }),
      });
    }
  });
  contents.forEach((c, i) => {
    const fate = s.fates[i]!;
    const target = `${fate.dir}${fate.name}`;
    const original = before.get(c.path)!;
    if (fate.fate === 'move') claim(target, original);
    if (fate.fate === 'move-mode' && c.mode !== '120000')
      claim(target, { mode: c.mode === '100644' ? '100755' : '100644', content: original.content });
    if (fate.fate === 'move-edit' && c.mode !== '120000') {
      claim(target, {
        mode: c.mode,
        content: render({ lines: applyEdits(c.lines, fate.edits), crlf: false, noEol: false }),
      });
    }
    if (fate.fate === 'copy-new' && c.mode !== '120000') {
      claim(`copies/${i}/${fate.name}`, {
        mode: c.mode,
        content: render({ lines: applyEdits(c.lines, fate.edits), crlf: false, noEol: false }),
      });
    }
  });
  if (s.replaceFileByDir) {
    before.set('swap', { mode: '100644', content: 'was a file\n' });
    after.set('swap/inner.txt', { mode: '100644', content: 'now a directory\n' });
  }
  return { before, after };
}

describeGit('rename detection matches git diff -M on rename-heavy commits', () => {
  const scenarios = fc.sample(renameScenarioArb, { seed: fcSeed() + 1, numRuns: 16 });
  const seen = { exact: 0, similar: 0 };
  let repo: { path: string; cleanup: () => void };
  let db: ObjectDatabase;
  let commits: string[] = [];

  beforeAll(() => {
    // Every scenario is a root commit and its child, all written by one fast-import.
    repo = tempBareRepo();
    const history: ImportCommit[] = [];
    scenarios.forEach((scenario, i) => {
      const { before, after } = renameSnapshots(scenario);
      history.push({ files: before, parents: [], time: 1_700_000_000 + i });
      history.push({ files: after, parents: [history.length - 1], time: 1_700_000_100 + i });
    });
    commits = fastImportCommits(repo.path, history);
    db = loadRepository(repo.path);
  });

  afterAll(() => repo?.cleanup());

  it.each(scenarios.map((_, i) => i))(
    'agrees with git on scenario %d (name-status and patch)',
    (i) => {
      const from = commits[2 * i]!;
      const to = commits[2 * i + 1]!;
      const changes = diffTrees(db, db.readCommit(from).tree, db.readCommit(to).tree);
      expect(formatNameStatus(changes)).toBe(
        git(['diff', '--name-status', from, to], { cwd: repo.path }),
      );
      for (const c of changes) {
        if (c.status === 'renamed' && c.similarity === 100) seen.exact++;
        if (c.status === 'renamed' && c.similarity !== 100) seen.similar++;
      }
      const theirs = gitBuffer(['diff', from, to], { cwd: repo.path }).toString('utf8');
      expect(unifiedDiffText(toFileDiffs(db, changes))).toBe(theirs);
    },
  );

  it('covered exact and similar renames across the scenarios', () => {
    expect(seen.exact).toBeGreaterThan(3);
    expect(seen.similar).toBeGreaterThan(3);
  });
});
