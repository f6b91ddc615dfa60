/**
 * The history operations against the real git, on the very same objects. Generated histories
 * (files in nested directories; line edits, additions, deletions, renames and mode changes on
 * two branches, overlapping or not) are built with the engine and exported into a non-bare git
 * repository; then, with fixed identities and dates on both sides:
 *
 * - merge: the merge commit's tree equals `git merge-tree --write-tree`, conflicts name the same
 *   paths, and `git merge --no-edit` writes the very commit the engine wrote (so message,
 *   parents and tree all agree) and the same reflog line;
 * - cherry-pick (`git cherry-pick -x`), revert (`git revert --no-edit`) and rebase
 *   (`git rebase`) write the same commit ids, or refuse the same cases (conflict vs. empty);
 * - stash: for the same working state `git stash push` writes the same W/I/U commits; a stash
 *   made by the engine and exported (loose objects, refs, logs/refs/stash) is listed by
 *   `git stash list` and restored exactly by `git stash apply --index`; a stash made by git is
 *   restored exactly by the engine; `git stash list` agrees after an engine drop.
 * Skipped when git is not installed.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isGitError } from '../../src/core/errors/git-error';
import { MergeConflictError } from '../../src/core/errors/operation-errors';
import type { Oid } from '../../src/core/objects/oid';
import { formatSignature, parseSignature } from '../../src/core/objects/signature';
import { Repository } from '../../src/core/repo/repository';
import { encodeLooseObject, looseObjectPath } from '../../src/core/storage/loose-object';
import { MemoryRefStore } from '../../src/core/storage/memory/memory-ref-store';
import { git, gitAvailable, gitResult, tempDir } from '../support/git-cli';
import { loadRepository } from '../support/git-snapshots';
import { TestClock, TestRepo, type FileSpec } from '../support/test-repo';

const describeGit = gitAvailable() ? describe : describe.skip;

/** The identity of every operation, on both sides; its fixed time makes commit ids comparable. */
const WHEN = 1_700_500_000;
const IDENTITY = { name: 'Op Runner', email: 'runner@example.com', timestamp: WHEN };
const GIT_IDENTITY: Record<string, string> = {
  GIT_AUTHOR_NAME: IDENTITY.name,
  GIT_AUTHOR_EMAIL: IDENTITY.email,
  GIT_AUTHOR_DATE: `@${WHEN} +0000`,
  GIT_COMMITTER_NAME: IDENTITY.name,
  GIT_COMMITTER_EMAIL: IDENTITY.email,
  GIT_COMMITTER_DATE: `@${WHEN} +0000`,
};

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
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

// ---- generated histories ----------------------------------------------------------------

interface GenFile {
  readonly content: string;
  readonly mode: '100644' | '100755';
}
type Snapshot = Map<string, GenFile>;

const DIRS = ['', 'src', 'src/lib', 'docs'];
const NAMES = ['alpha.txt', 'beta.md', 'gamma.c', 'delta', 'eps.txt', 'zeta.md'];
const WORDS = ['apple', 'river', 'stone', 'cloud', 'ember', 'frost', 'grove', 'harbor'];

let counter = 0;
function line(rng: Random): string {
  return `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${counter++}`;
}

function freePath(rng: Random, files: Snapshot): string | undefined {
  for (let attempt = 0; attempt < 10; attempt++) {
    const dir = rng.pick(DIRS);
    const path = dir === '' ? rng.pick(NAMES) : `${dir}/${rng.pick(NAMES)}`;
    if (!files.has(path)) return path;
  }
  return undefined;
}

/** One random change to `files`, recorded in `spec` for TestRepo (null deletes). */
function mutate(rng: Random, files: Snapshot, spec: Record<string, FileSpec>): void {
  const paths = [...files.keys()];
  const path = paths.length > 0 ? rng.pick(paths) : undefined;
  const roll = rng.next();
  const set = (p: string, file: GenFile | null): void => {
    if (file === null) files.delete(p);
    else files.set(p, file);
    spec[p] = file === null ? null : { content: file.content, mode: file.mode };
  };
  if (path !== undefined && roll < 0.55) {
    const file = files.get(path)!;
    const lines = file.content.split('\n').slice(0, -1);
    const at = rng.int(lines.length + 1);
    lines.splice(at, rng.int(2), line(rng));
    set(path, { ...file, content: `${lines.join('\n')}\n` });
  } else if (roll < 0.7) {
    const target = freePath(rng, files);
    if (target !== undefined)
      set(target, {
        mode: '100644',
        content: `${Array.from({ length: 6 }, () => line(rng)).join('\n')}\n`,
      });
  } else if (path !== undefined && roll < 0.8) {
    set(path, null);
  } else if (path !== undefined && roll < 0.92) {
    // A rename within the same directory (git's directory-rename detection stays out of it).
    const file = files.get(path)!;
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    const target = `${dir}renamed-${counter++}.txt`;
    set(path, null);
    set(target, file);
  } else if (path !== undefined) {
    const file = files.get(path)!;
    set(path, { ...file, mode: file.mode === '100644' ? '100755' : '100644' });
  }
}

interface History {
  readonly t: TestRepo;
  readonly base: Oid;
  readonly main: Oid[];
  readonly feature: Oid[];
}

function generate(seed: number): History {
  const rng = new Random(seed);
  const t = TestRepo.create();
  const files: Snapshot = new Map();
  const baseSpec: Record<string, FileSpec> = {};
  for (let i = 0; i < 4 + rng.int(4); i++) {
    const path = freePath(rng, files);
    if (path === undefined) continue;
    const file: GenFile = {
      mode: '100644',
      content: `${Array.from({ length: 8 + rng.int(10) }, () => line(rng)).join('\n')}\n`,
    };
    files.set(path, file);
    baseSpec[path] = { content: file.content, mode: file.mode };
  }
  const base = t.commit({ files: baseSpec, message: `base ${seed}` });
  t.branch('feature', base);
  const side = (branch: string): Oid[] => {
    const snapshot = new Map(files);
    const made: Oid[] = [];
    const count = 1 + rng.int(3);
    for (let c = 0; c < count; c++) {
      const spec: Record<string, FileSpec> = {};
      for (let k = 0; k < 1 + rng.int(3); k++) mutate(rng, snapshot, spec);
      const message = rng.pick([
        `${branch} change ${c}`,
        `${branch} change ${c}\n\nWith a body line.`,
        `${branch} change ${c}\n\nSigned-off-by: Someone <someone@example.com>`,
      ]);
      made.push(t.commit({ branch, files: spec, message }));
    }
    return made;
  };
  const feature = side('feature');
  const main = side('main');
  return { t, base, main, feature };
}

// ---- moving repositories between the engine and git -------------------------------------

function exportTo(repo: Repository, gitDir: string): void {
  for (const oid of repo.odb.store.oids()) {
    const file = join(gitDir, looseObjectPath(oid));
    mkdirSync(dirname(file), { recursive: true });
    const object = repo.odb.store.get(oid)!;
    writeFileSync(file, encodeLooseObject(object.type, object.body));
  }
  const updates = repo.refs
    .list('refs/')
    .map((ref) => (ref.kind === 'direct' ? `update ${ref.name} ${ref.oid}\n` : ''))
    .join('');
  if (updates !== '') git(['update-ref', '--stdin'], { cwd: gitDir, input: updates });
  const head = repo.refs.read('HEAD');
  if (head?.kind === 'symbolic') git(['symbolic-ref', 'HEAD', head.target], { cwd: gitDir });
  const stashLog = repo.refs.reflog('refs/stash');
  if (stashLog.length > 0) {
    const file = join(gitDir, 'logs', 'refs', 'stash');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      stashLog
        .map((e) => `${e.oldOid} ${e.newOid} ${formatSignature(e.committer)}\t${e.message}\n`)
        .join(''),
    );
  }
}

/** A non-bare git repository holding the engine's objects and refs, checked out at HEAD. */
function gitCopy(repo: Repository): { dir: string; cleanup: () => void } {
  const tmp = tempDir('govc-ops-');
  git(['init', '-q', '-b', 'main', tmp.path]);
  exportTo(repo, join(tmp.path, '.git'));
  git(['reset', '-q', '--hard'], { cwd: tmp.path });
  return { dir: tmp.path, cleanup: tmp.cleanup };
}

/** An engine Repository over everything a git repository holds (objects, HEAD, branches, stash). */
function engineCopy(dir: string): Repository {
  const odb = loadRepository(dir);
  const refs = new MemoryRefStore();
  const headTarget = git(['symbolic-ref', 'HEAD'], { cwd: dir }).trim();
  refs.setSymbolic('HEAD', headTarget);
  const listed = git(['for-each-ref', '--format=%(refname) %(objectname)'], { cwd: dir });
  for (const row of listed.split('\n').filter(Boolean)) {
    const [name, oid] = row.split(' ') as [string, string];
    refs.update({ name, expect: null, next: oid });
  }
  const log = readFileSync(join(dir, '.git', 'logs', 'refs', 'stash'), 'utf8');
  refs.rewriteReflog(
    'refs/stash',
    log
      .split('\n')
      .filter(Boolean)
      .map((row) => {
        const [meta, message = ''] = row.split('\t') as [string, string?];
        return {
          oldOid: meta.slice(0, 40),
          newOid: meta.slice(41, 81),
          committer: parseSignature(meta.slice(82), 'reflog'),
          message,
        };
      }),
  );
  return new Repository({ objects: odb.store, refs, clock: new TestClock(WHEN) });
}

type Outcome = { readonly commit: Oid } | { readonly refused: 'conflict' | 'empty' };

/** HEAD's commit, read from the files git just wrote (a process per read would cost 20 ms). */
function headOid(dir: string): Oid {
  const head = readFileSync(join(dir, '.git', 'HEAD'), 'utf8').trim();
  if (!head.startsWith('ref: ')) return head;
  return readFileSync(join(dir, '.git', head.slice(5)), 'utf8').trim();
}

/** The message of the newest reflog line of `ref` (`HEAD`, `refs/heads/x`), from the log file. */
function lastReflog(dir: string, ref: string): string | undefined {
  const lines = readFileSync(join(dir, '.git', 'logs', ref), 'utf8')
    .split('\n')
    .filter(Boolean);
  return lines.at(-1)?.split('\t')[1];
}

/** Runs a git operation that may stop; a stop is classified and cleaned up with `abort`. */
function gitOutcome(dir: string, args: string[], abort: string[]): Outcome {
  const result = gitResult(args, { cwd: dir, env: GIT_IDENTITY });
  if (result.status === 0) return { commit: headOid(dir) };
  gitResult(abort, { cwd: dir });
  const output = result.stdout + result.stderr;
  if (/CONFLICT|could not apply/.test(output)) return { refused: 'conflict' };
  if (/empty|nothing to commit/.test(output)) return { refused: 'empty' };
  throw new Error(`git ${args.join(' ')} failed unexpectedly:\n${output}`);
}

function engineOutcome(action: () => Oid): Outcome {
  try {
    return { commit: action() };
  } catch (error) {
    if (isGitError(error) && error.code === 'MERGE_CONFLICT') return { refused: 'conflict' };
    if (
      isGitError(error) &&
      /_FAILED$/.test(error.code) &&
      error.message === 'changes already present'
    )
      return { refused: 'empty' };
    throw error;
  }
}

/** Both sides on `branch` at `tip` again, with `other` at `otherTip`; index and files clean. */
function restart(
  h: History,
  dir: string,
  branch: string,
  tip: Oid,
  other: string,
  otherTip: Oid,
): void {
  h.t.repo.checkout(branch, { force: true });
  h.t.repo.reset(tip, 'hard');
  h.t.branch(other, otherTip);
  git(['checkout', '-q', '-f', '-B', branch, tip], { cwd: dir });
  if (headOid(join(dir, '.git', '..')) !== tip) throw new Error('restart failed');
  if (readRef(dir, other) !== otherTip) git(['branch', '-f', other, otherTip], { cwd: dir });
}

function readRef(dir: string, branch: string): string {
  return readFileSync(join(dir, '.git', 'refs', 'heads', branch), 'utf8').trim();
}

const CASES = 14;

describeGit('history operations interop with git', () => {
  it('merge, cherry-pick, revert and rebase write the commits git writes on generated histories', () => {
    const tally = { merge: 0, conflict: 0, pick: 0, revert: 0, rebase: 0, refused: 0 };
    for (let seed = 1; seed <= CASES; seed++) {
      const h = generate(seed);
      const mainTip = h.main.at(-1)!;
      const featureTip = h.feature.at(-1)!;
      const { dir, cleanup } = gitCopy(h.t.repo);
      try {
        const repo = h.t.repo;

        // cherry-pick the first feature commit onto main
        const picked = h.feature[0]!;
        const enginePick = engineOutcome(
          () => repo.cherryPick(picked, { identity: IDENTITY }).newCommit,
        );
        const gitPick = gitOutcome(dir, ['cherry-pick', '-x', picked], ['cherry-pick', '--abort']);
        expect({ seed, op: 'cherry-pick', outcome: enginePick }).toEqual({
          seed,
          op: 'cherry-pick',
          outcome: gitPick,
        });
        if ('commit' in enginePick) {
          tally.pick++;
          expect(lastReflog(dir, 'HEAD')).toBe(repo.refs.reflog('HEAD').at(-1)?.message);
        } else tally.refused++;
        restart(h, dir, 'main', mainTip, 'feature', featureTip);

        // revert the first main commit on main
        const reverted = h.main[0]!;
        const engineRevert = engineOutcome(
          () => repo.revert(reverted, { identity: IDENTITY }).newCommit,
        );
        const gitRevert = gitOutcome(dir, ['revert', '--no-edit', reverted], ['revert', '--abort']);
        expect({ seed, op: 'revert', outcome: engineRevert }).toEqual({
          seed,
          op: 'revert',
          outcome: gitRevert,
        });
        if ('commit' in engineRevert) tally.revert++;
        else tally.refused++;

        // rebase feature onto main
        restart(h, dir, 'feature', featureTip, 'main', mainTip);
        const engineRebase = engineOutcome(
          () => repo.rebase('main', { identity: IDENTITY }).newHead,
        );
        const gitRebase = gitOutcome(dir, ['rebase', 'main'], ['rebase', '--abort']);
        expect({ seed, op: 'rebase', outcome: engineRebase }).toEqual({
          seed,
          op: 'rebase',
          outcome: gitRebase,
        });
        if ('commit' in engineRebase) {
          tally.rebase++;
          expect(lastReflog(dir, 'refs/heads/feature')).toBe(
            repo.refs.reflog('refs/heads/feature').at(-1)?.message,
          );
        } else tally.refused++;

        // merge (into main or into feature): tree against merge-tree, commit against git merge
        const into = seed % 2 === 0 ? 'main' : 'feature';
        const from = into === 'main' ? 'feature' : 'main';
        restart(
          h,
          dir,
          from,
          from === 'main' ? mainTip : featureTip,
          into,
          into === 'main' ? mainTip : featureTip,
        );
        const tree = gitResult(['merge-tree', '--write-tree', '--name-only', into, from], {
          cwd: dir,
        });
        const [treeLine = '', ...rest] = tree.stdout.split('\n');
        let engineMerge: Outcome;
        let engineConflicts: readonly string[] = [];
        try {
          // `into` is not the current branch: the engine switches as part of the merge.
          engineMerge = { commit: repo.merge(from, into, { identity: IDENTITY }).commit };
        } catch (error) {
          if (!(error instanceof MergeConflictError)) throw error;
          engineMerge = { refused: 'conflict' };
          engineConflicts = error.conflicts;
        }
        if ('commit' in engineMerge) {
          expect({ seed, status: tree.status }).toEqual({ seed, status: 0 });
          expect(repo.odb.readCommit(engineMerge.commit).tree).toBe(treeLine);
        } else {
          expect({ seed, status: tree.status }).toEqual({ seed, status: 1 });
          expect(engineConflicts).toEqual(rest.slice(0, rest.indexOf('')).sort());
        }
        git(['checkout', '-q', into], { cwd: dir });
        const gitMerge = gitOutcome(dir, ['merge', '--no-edit', from], ['merge', '--abort']);
        expect({ seed, op: 'merge', outcome: engineMerge }).toEqual({
          seed,
          op: 'merge',
          outcome: gitMerge,
        });
        if ('commit' in engineMerge) {
          tally.merge++;
          expect(lastReflog(dir, `refs/heads/${into}`)).toBe(
            repo.refs.reflog(`refs/heads/${into}`).at(-1)?.message,
          );
        } else tally.conflict++;
      } finally {
        cleanup();
      }
    }
    // The generator must exercise both outcomes, or the comparison proves little.
    expect(tally.merge).toBeGreaterThan(CASES / 3);
    expect(tally.conflict).toBeGreaterThan(0);
    expect(tally.pick + tally.revert + tally.rebase).toBeGreaterThan(CASES);
  });

  it('writes the merge messages git writes for tags, early parts and commit ids', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { a: '1\n' } });
    t.branch('side', base);
    const s1 = t.commit({ branch: 'side', files: { s1: 'x\n' } });
    t.commit({ branch: 'side', files: { s2: 'y\n' } });
    t.commit({ files: { m: 'm\n' } });
    t.tag('v1', s1, { message: 'release one\n\nnotes' });
    const mainTip = t.repo.head().oid!;
    const copy = gitCopy(t.repo);
    try {
      for (const from of ['side~1', 'v1', s1, 'side^']) {
        t.repo.reset(mainTip, 'hard');
        git(['reset', '-q', '--hard', mainTip], { cwd: copy.dir });
        const ours = t.repo.merge(from, 'main', { identity: IDENTITY });
        const theirs = gitOutcome(copy.dir, ['merge', '--no-edit', from], ['merge', '--abort']);
        expect({
          from,
          message: t.repo.odb.readCommit(ours.commit).message,
          outcome: theirs,
        }).toEqual({
          from,
          message: git(['log', '-1', '--format=%B', 'HEAD'], { cwd: copy.dir }).replace(/\n$/, ''),
          outcome: { commit: ours.commit },
        });
      }
    } finally {
      copy.cleanup();
    }
  });

  it('rebase skips upstream patches, drops emptied commits and flattens merges like git rebase', () => {
    const lines = '1\n2\n3\n4\n5\n6\n7\n8\n9\n';
    const t = TestRepo.create();
    const base = t.commit({ files: { a: lines } });
    t.branch('topic', base);
    t.commit({ files: { a: lines.replace('5\n', 'five\n') }, message: 'main five' });
    t.commit({
      files: { a: lines.replace('5\n', 'five\n').replace('2\n', 'two\n') },
      message: 'main two',
    });
    t.commit({ files: { b: 'same\n' }, message: 'main adds b' });
    t.repo.checkout('topic');
    t.commit({ files: { b: 'same\n' }, message: 'topic adds b' });
    const two = t.commit({ files: { a: lines.replace('2\n', 'two\n') }, message: 'topic two' });
    t.commit({ message: 'empty on purpose' });
    const side = t.commit({ branch: 'side', parents: [two], files: { s: 's\n' }, message: 'side' });
    t.commit({ parents: [t.repo.head().oid!, side], files: { s: 's\n' }, message: 'merge side' });
    t.commit({ files: { c: 'c\n' }, message: 'topic adds c' });
    const copy = gitCopy(t.repo);
    try {
      const ours = t.repo.rebase('main', { identity: IDENTITY });
      expect(gitOutcome(copy.dir, ['rebase', 'main'], ['rebase', '--abort'])).toEqual({
        commit: ours.newHead,
      });
      expect(ours.rebasedCount).toBe(3);
    } finally {
      copy.cleanup();
    }
  });

  // ---- stash ------------------------------------------------------------------------------

  interface LocalStep {
    readonly op: 'add' | 'write' | 'remove';
    readonly path: string;
    readonly content?: string;
  }

  const SCENARIOS: ReadonlyArray<{
    name: string;
    steps: LocalStep[];
    untracked: boolean;
    message?: string;
  }> = [
    {
      name: 'staged and unstaged edits',
      steps: [
        { op: 'add', path: 'a.txt', content: 'staged a\n' },
        { op: 'write', path: 'a.txt', content: 'then edited a\n' },
        { op: 'write', path: 'src/b.txt', content: 'edited b\n' },
      ],
      untracked: false,
    },
    {
      name: 'a new staged file, a deletion and untracked files (-u)',
      steps: [
        { op: 'add', path: 'src/new.txt', content: 'new\n' },
        { op: 'remove', path: 'docs/c.md' },
        { op: 'write', path: 'loose.txt', content: 'untracked\n' },
        { op: 'write', path: 'deep/er/file.txt', content: 'untracked too\n' },
      ],
      untracked: true,
    },
    {
      name: 'a message',
      steps: [{ op: 'write', path: 'docs/c.md', content: 'changed c\n' }],
      untracked: false,
      message: 'my own words',
    },
  ];

  function applyStep(repo: Repository, dir: string, step: LocalStep): void {
    const full = join(dir, step.path);
    if (step.op === 'remove') {
      repo.remove(step.path);
      git(['rm', '-q', '-r', '-f', step.path], { cwd: dir });
      return;
    }
    if (step.op === 'add') repo.add(step.path, step.content!);
    else repo.write(step.path, step.content!);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, step.content!);
    if (step.op === 'add') git(['add', step.path], { cwd: dir });
  }

  function engineIndex(repo: Repository): string[] {
    const rows: string[] = [];
    repo.working.index.forEachFile('', (path, entry) =>
      rows.push(`${entry.mode} ${entry.oid} 0\t${path}`),
    );
    return rows.sort();
  }

  function engineFiles(repo: Repository, withUntracked: boolean): Record<string, string> {
    const untracked = new Set(repo.status().untracked);
    const files: Record<string, string> = {};
    for (const entry of repo.listTree('', { recursive: true })) {
      if (!withUntracked && untracked.has(entry.path)) continue;
      files[entry.path] = Buffer.from(repo.readWorking(entry.path).content).toString('utf8');
    }
    return files;
  }

  function gitIndex(dir: string): string[] {
    return git(['ls-files', '-s'], { cwd: dir }).split('\n').filter(Boolean).sort();
  }

  function gitFiles(
    dir: string,
    root = dir,
    files: Record<string, string> = {},
  ): Record<string, string> {
    for (const name of readdirSync(dir)) {
      if (dir === root && name === '.git') continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) gitFiles(full, root, files);
      else files[full.slice(root.length + 1)] = readFileSync(full, 'utf8');
    }
    return files;
  }

  function stashBase(): TestRepo {
    const t = TestRepo.create();
    t.commit({
      files: { 'a.txt': 'a\n', 'src/b.txt': 'b\n', 'docs/c.md': 'c\n' },
      message: 'base commit\nsecond subject line\n\nbody',
    });
    return t;
  }

  it.each(SCENARIOS)(
    'stash ($name): same commits as git stash, and each side applies the other’s',
    (scenario) => {
      const t = stashBase();
      const origin = gitCopy(t.repo);
      let copy: { dir: string; cleanup: () => void } | undefined;
      try {
        for (const step of scenario.steps) applyStep(t.repo, origin.dir, step);
        const index = engineIndex(t.repo);
        const files = engineFiles(t.repo, true);
        const tracked = engineFiles(t.repo, false);
        expect(gitIndex(origin.dir)).toEqual(index);
        expect(gitFiles(origin.dir)).toEqual(files);

        // Same state, same identity and time: git stash writes the very commits the engine does.
        const entry = t.repo.stashPush({
          identity: IDENTITY,
          includeUntracked: scenario.untracked,
          ...(scenario.message !== undefined ? { message: scenario.message } : {}),
        });
        const args = ['stash', 'push', '-q'];
        if (scenario.untracked) args.push('-u');
        if (scenario.message !== undefined) args.push('-m', scenario.message);
        git(args, { cwd: origin.dir, env: GIT_IDENTITY });
        expect(git(['rev-parse', 'refs/stash'], { cwd: origin.dir }).trim()).toBe(entry.oid);
        expect(gitFiles(origin.dir)).toEqual(engineFiles(t.repo, true));

        // git lists and applies the engine's stash from an exported copy.
        copy = gitCopy(t.repo);
        expect(git(['stash', 'list'], { cwd: copy.dir }).trim()).toBe(
          `stash@{0}: ${entry.message}`,
        );
        git(['stash', 'apply', '--index', '-q'], { cwd: copy.dir });
        expect(gitIndex(copy.dir)).toEqual(index);
        expect(gitFiles(copy.dir)).toEqual(scenario.untracked ? files : tracked);

        // The engine applies git's stash.
        const fromGit = engineCopy(origin.dir);
        expect(fromGit.listStashes().map((e) => [e.id, e.message, e.oid])).toEqual([
          ['stash@{0}', entry.message, entry.oid],
        ]);
        fromGit.applyStash('stash@{0}');
        expect(engineIndex(fromGit)).toEqual(index);
        expect(engineFiles(fromGit, true)).toEqual(scenario.untracked ? files : tracked);
      } finally {
        origin.cleanup();
        copy?.cleanup();
      }
    },
  );

  it('git stash list agrees after the engine drops an entry', () => {
    const t = stashBase();
    for (const n of [1, 2, 3]) {
      t.repo.write('a.txt', `edit ${n}\n`);
      t.clock.tick();
      t.repo.stashPush({ identity: { ...IDENTITY, timestamp: WHEN + n }, message: `stash ${n}` });
    }
    t.repo.dropStash('stash@{1}');
    const copy = gitCopy(t.repo);
    try {
      expect(git(['stash', 'list'], { cwd: copy.dir }).trim().split('\n')).toEqual([
        'stash@{0}: On main: stash 3',
        'stash@{1}: On main: stash 1',
      ]);
      const shown = git(['stash', 'show', '-p', 'stash@{1}'], { cwd: copy.dir });
      expect(shown).toContain('+edit 1');
      expect(gitResult(['fsck', '--no-dangling', '--no-progress'], { cwd: copy.dir }).status).toBe(
        0,
      );
    } finally {
      copy.cleanup();
    }
  });
});
