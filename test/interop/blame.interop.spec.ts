/**
 * Blame against `git blame --porcelain` on generated histories: long linear edit chains (with
 * repeated and blank lines, indentation, CRLF, a missing final newline, mode changes, a file
 * deleted and re-added) and merges whose result is one parent's file, a mix of both, or new
 * text, with commit times out of order now and then. Each history is written by one
 * `git fast-import`; per blamed commit, git and the engine must name the same commit and the
 * same original line for every line (and for line ranges).
 */
import fc from 'fast-check';
import type { ObjectDatabase } from '../../src/core/objects/object-database';
import { blame } from '../../src/core/walk/blame';
import { gitAvailable, git, tempBareRepo } from '../support/git-cli';
import { fcSeed } from '../support/fast-check';
import {
  fastImportCommits,
  loadRepository,
  type ImportCommit,
  type SnapshotFile,
} from '../support/git-snapshots';

const describeGit = gitAvailable() ? describe : describe.skip;

const LINE_POOL = [
  '',
  '{',
  '}',
  'foo',
  'bar',
  'return x;',
  '  indented',
  '\tif (y) {',
  '\t}',
  'héllo',
  '日本',
  '// note',
  'x = 1',
];
const PATH = 'src/file.c';

interface Edit {
  readonly op: 'insert' | 'delete' | 'replace';
  readonly at: number;
  readonly len: number;
  readonly lines: readonly string[];
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 4 }),
  lines: fc.array(fc.constantFrom(...LINE_POOL), { minLength: 1, maxLength: 4 }),
});

function applyEdits(lines: readonly string[], edits: readonly Edit[], tag: string): string[] {
  const out = [...lines];
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + 1);
    // Half of the inserted lines are unique to this commit, half come from the shared pool.
    const fresh = edit.lines.map((line, i) => (i % 2 === 0 ? `${line} ${tag}` : line));
    if (edit.op === 'insert') out.splice(at, 0, ...fresh);
    else if (edit.op === 'delete') out.splice(at, edit.len);
    else out.splice(at, edit.len, ...fresh);
  }
  return out;
}

type Step =
  | { kind: 'edit'; edits: Edit[]; skew: boolean }
  | { kind: 'untouched' }
  | { kind: 'eol' }
  | { kind: 'mode' }
  | { kind: 'readd'; edits: Edit[] }
  | {
      kind: 'merge';
      main: Edit[][];
      side: Edit[][];
      result: 'theirs' | 'ours' | 'mix' | 'new';
      edits: Edit[];
    };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({ edits: fc.array(editArb, { minLength: 1, maxLength: 3 }), skew: fc.boolean() })
      .map((r) => ({ kind: 'edit' as const, ...r })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'untouched' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'eol' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'mode' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .array(editArb, { maxLength: 2 })
      .map((edits) => ({ kind: 'readd' as const, edits })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        main: fc.array(fc.array(editArb, { minLength: 1, maxLength: 2 }), { maxLength: 3 }),
        side: fc.array(fc.array(editArb, { minLength: 1, maxLength: 2 }), {
          minLength: 1,
          maxLength: 3,
        }),
        result: fc.constantFrom('theirs' as const, 'ours' as const, 'mix' as const, 'new' as const),
        edits: fc.array(editArb, { minLength: 1, maxLength: 2 }),
      })
      .map((r) => ({ kind: 'merge' as const, ...r })),
  },
);

const historyArb = fc.record({
  base: fc.array(fc.constantFrom(...LINE_POOL), { minLength: 1, maxLength: 30 }),
  crlf: fc.boolean(),
  steps: fc.array(stepArb, { minLength: 5, maxLength: 30 }),
});

type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

interface FileState {
  lines: string[];
  noEol: boolean;
  mode: string;
}

function render(state: FileState, crlf: boolean): string {
  if (state.lines.length === 0) return '';
  const eol = crlf ? '\r\n' : '\n';
  return state.lines.join(eol) + (state.noEol ? '' : eol);
}

/** Turns a generated history into fast-import commits (the file plus a bystander file). */
function buildHistory(h: History): ImportCommit[] {
  const commits: ImportCommit[] = [];
  let time = 1_600_000_000;
  const snapshot = (state: FileState | null, n: number): Map<string, SnapshotFile> => {
    const files = new Map<string, SnapshotFile>([
      ['other.txt', { mode: '100644', content: `bystander ${n}\n` }],
    ]);
    if (state !== null) files.set(PATH, { mode: state.mode, content: render(state, h.crlf) });
    return files;
  };
  const commit = (state: FileState | null, parents: number[], skew = false): number => {
    time += 60;
    commits.push({
      files: snapshot(state, commits.length),
      parents,
      time: skew ? time - 100_000 : time,
    });
    return commits.length - 1;
  };

  let main: FileState = {
    lines: h.base.map((l, i) => `${l} base${i}`),
    noEol: false,
    mode: '100644',
  };
  let tip = commit(main, []);
  h.steps.forEach((step, s) => {
    switch (step.kind) {
      case 'edit':
        main = { ...main, lines: applyEdits(main.lines, step.edits, `c${s}`) };
        tip = commit(main, [tip], step.skew);
        break;
      case 'untouched':
        tip = commit(main, [tip]);
        break;
      case 'eol':
        main = { ...main, noEol: !main.noEol };
        tip = commit(main, [tip]);
        break;
      case 'mode':
        main = { ...main, mode: main.mode === '100644' ? '100755' : '100644' };
        tip = commit(main, [tip]);
        break;
      case 'readd':
        tip = commit(null, [tip]);
        main = { ...main, lines: applyEdits(main.lines, step.edits, `r${s}`) };
        tip = commit(main, [tip]);
        break;
      case 'merge': {
        const fork = tip;
        let side: FileState = { ...main };
        let sideTip = fork;
        step.side.forEach((edits, k) => {
          side = { ...side, lines: applyEdits(side.lines, edits, `s${s}.${k}`) };
          sideTip = commit(side, [sideTip]);
        });
        step.main.forEach((edits, k) => {
          main = { ...main, lines: applyEdits(main.lines, edits, `m${s}.${k}`) };
          tip = commit(main, [tip]);
        });
        if (step.result === 'theirs') main = { ...side };
        else if (step.result === 'mix') {
          const half = Math.floor(main.lines.length / 2);
          main = {
            ...main,
            lines: [
              ...main.lines.slice(0, half),
              ...side.lines.slice(Math.floor(side.lines.length / 2)),
            ],
          };
        } else if (step.result === 'new')
          main = { ...main, lines: applyEdits(main.lines, step.edits, `x${s}`) };
        tip = commit(main, [tip, sideTip]);
        break;
      }
    }
  });
  return commits;
}

/** `git blame --porcelain`: per final line, "<commit> <original line>". */
function gitBlame(repo: string, commit: string, range?: [number, number]): string[] {
  const args = ['blame', '--porcelain'];
  if (range !== undefined) args.push('-L', `${range[0]},${range[1]}`);
  args.push(commit, '--', PATH);
  const out: string[] = [];
  for (const line of git(args, { cwd: repo }).split('\n')) {
    const m = /^([0-9a-f]{40}) (\d+) (\d+)/.exec(line);
    if (m) out.push(`${m[1]!} ${m[2]!}`);
  }
  return out;
}

function ours(db: ObjectDatabase, commit: string, range?: [number, number]): string[] {
  const options = range === undefined ? {} : { start: range[0], end: range[1] };
  return blame(db, commit, PATH, options).map((l) => `${l.commit} ${l.originalLineNumber}`);
}

describeGit('blame matches git blame --porcelain', () => {
  const histories = fc.sample(historyArb, { seed: fcSeed(), numRuns: 14 });
  let repo: { path: string; cleanup: () => void };
  let db: ObjectDatabase;
  const heads: string[][] = [];
  let merges = 0;

  beforeAll(() => {
    repo = tempBareRepo();
    const all: ImportCommit[] = [];
    const offsets: number[] = [];
    for (const h of histories) {
      offsets.push(all.length);
      for (const c of buildHistory(h))
        all.push({ ...c, parents: c.parents.map((p) => p + offsets[offsets.length - 1]!) });
    }
    const oids = fastImportCommits(repo.path, all);
    histories.forEach((h, i) => {
      const endIndex = i + 1 < offsets.length ? offsets[i + 1]! : all.length;
      heads.push(oids.slice(offsets[i], endIndex));
    });
    merges = all.filter((c) => c.parents.length > 1).length;
    db = loadRepository(repo.path);
  });

  afterAll(() => repo?.cleanup());

  it('generates histories with merges to compare on', () => {
    expect(heads).toHaveLength(14);
    expect(merges).toBeGreaterThanOrEqual(5);
  });

  it.each(histories.map((_, i) => i))(
    'attributes every line like git at the tip of history %d',
    (i) => {
      const commits = heads[i]!;
      const tip = commits[commits.length - 1]!;
      const expected = gitBlame(repo.path, tip);
      expect(ours(db, tip)).toEqual(expected);
    },
  );

  it('agrees with git on long runs of equal lines, where the zero-context tail trimming matters', () => {
    const longRepo = tempBareRepo();
    try {
      const file = (text: string): Map<string, SnapshotFile> =>
        new Map([[PATH, { mode: '100644', content: text }]]);
      const versions = [
        'a\n'.repeat(1200),
        `${'a\n'.repeat(600)}b\n${'a\n'.repeat(601)}`,
        `${'a\n'.repeat(300)}c\n${'a\n'.repeat(300)}b\n${'a\n'.repeat(603)}`,
        `${'a\n'.repeat(300)}c\n${'a\n'.repeat(302)}b\n${'a\n'.repeat(603)}d\n`,
      ];
      const oids = fastImportCommits(
        longRepo.path,
        versions.map((text, i) => ({
          files: file(text),
          parents: i === 0 ? [] : [i - 1],
          time: 1_650_000_000 + i,
        })),
      );
      const longDb = loadRepository(longRepo.path);
      const tip = oids[oids.length - 1]!;
      expect(ours(longDb, tip)).toEqual(gitBlame(longRepo.path, tip));
    } finally {
      longRepo.cleanup();
    }
  });

  it('agrees with git in the middle of histories and on line ranges', () => {
    let compared = 0;
    heads.forEach((commits, i) => {
      const middle = commits[Math.floor(commits.length / 2)]!;
      if (git(['ls-tree', middle, '--', PATH], { cwd: repo.path }).trim() === '') return;
      const full = gitBlame(repo.path, middle);
      expect(ours(db, middle)).toEqual(full);
      if (full.length >= 3) {
        const range: [number, number] = [2, Math.min(full.length, 2 + (i % 5))];
        expect(ours(db, middle, range)).toEqual(gitBlame(repo.path, middle, range));
      }
      compared++;
    });
    expect(compared).toBeGreaterThan(5);
  });
});
