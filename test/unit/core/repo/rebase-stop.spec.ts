/**
 * Repository.rebase with `onConflict: 'stop'`, rebaseContinue and rebaseAbort
 * (rebase-session.ts): a conflict stops with the paths and the commit, leaves the branch
 * unmoved and the conflicted result in the working state; continue commits the resolution and
 * finishes (or stops again); abort restores; other operations refuse meanwhile.
 */
import fc from 'fast-check';
import { isGitError } from '../../../../src/core/errors/git-error';
import type { RebaseStepResult } from '../../../../src/core/repo/rebase-session';
import type { Repository } from '../../../../src/core/repo/repository';
import { fcParams } from '../../../support/fast-check';
import { TestRepo } from '../../../support/test-repo';

const ME = { name: 'Rebaser', email: 'rebaser@example.com' };
const LINES = '1\n2\n3\n4\n5\n6\n7\n8\n9\n';
const AUTHOR = { name: 'Topic Author', email: 'topic@example.com' };

function observe(repo: Repository): unknown {
  return {
    head: repo.head(),
    refs: repo.refs.list('refs/'),
    reflogs: [repo.refs.reflog('HEAD'), repo.refs.reflog('refs/heads/topic')],
    status: repo.status(),
    files: repo.listTree('', { recursive: true }).map((e) => [e.path, e.mode, e.oid]),
  };
}

function failure(action: () => unknown): { code?: string; kind?: string; details?: unknown } {
  try {
    action();
  } catch (error) {
    if (isGitError(error)) return { code: error.code, kind: error.kind, details: error.details };
    throw error;
  }
  return {};
}

function text(repo: Repository, path: string): string {
  return Buffer.from(repo.readWorking(path).content).toString('utf8');
}

/**
 * main: base → two (line 2) → adds m → EIGHT (line 8); topic (checked out): base → t1 (`a` set
 * to `topicA`) → t2 (adds t). With topicA changing line 8, t1 conflicts.
 */
function forked(topicA = LINES.replace('8\n', 'eight\n')): {
  t: TestRepo;
  base: string;
  m3: string;
  t1: string;
  t2: string;
} {
  const t = TestRepo.create();
  const base = t.commit({ files: { a: LINES } });
  t.branch('topic', base);
  t.commit({ files: { a: LINES.replace('2\n', 'two\n') }, message: 'main two' });
  t.commit({ files: { m: 'm\n' }, message: 'main adds m' });
  const m3 = t.commit({
    files: { a: LINES.replace('2\n', 'two\n').replace('8\n', 'EIGHT\n') },
    message: 'main EIGHT',
  });
  t.repo.checkout('topic');
  const t1 = t.commit({ files: { a: topicA }, message: 'topic eight', author: AUTHOR });
  const t2 = t.commit({ files: { t: 't\n' }, message: 'topic adds t\n\nbody', author: AUTHOR });
  return { t, base, m3, t1, t2 };
}

function stopped(result: RebaseStepResult): Extract<RebaseStepResult, { status: 'stopped' }> {
  if (result.status !== 'stopped') throw new Error(`expected a stop, got ${result.status}`);
  return result;
}

function finished(result: RebaseStepResult): Extract<RebaseStepResult, { status: 'done' }> {
  if (result.status !== 'done') throw new Error(`expected done, got ${result.status}`);
  return result;
}

const RESOLVED = LINES.replace('2\n', 'two\n').replace('5\n', 'five\n').replace('8\n', 'EIGHT\n');

describe('rebase that stops on conflict', () => {
  it('stops with the conflicted paths and commit, leaving the branch unmoved', () => {
    const { t, t1, t2 } = forked();
    const topicLog = t.repo.refs.reflog('refs/heads/topic');
    const result = t.repo.rebase('main', { identity: ME, onConflict: 'stop' });
    expect(result).toEqual({
      status: 'stopped',
      conflicts: [{ path: 'a', kind: 'content' }],
      commit: t1,
      done: [],
      remaining: 1,
    });
    expect(t.repo.head()).toEqual({ branch: 'topic', oid: t2 });
    expect(t.repo.refs.reflog('refs/heads/topic')).toEqual(topicLog);
    expect(text(t.repo, 'a')).toContain('<<<<<<<');
    expect(t.repo.unstagedChanges().map((c) => c.path)).toEqual(['a']);
    // The clean part of the step (main's `m`) is staged; the conflicted path is not.
    expect(t.repo.stagedChanges().map((c) => c.path)).toContain('m');
    expect(t.repo.rebaseInProgress()).toMatchObject({ branch: 'topic', originalHead: t2 });
  });

  it('finishes after resolve + continue like the rebase of an equivalent clean history', () => {
    const { t, m3 } = forked();
    stopped(t.repo.rebase('main', { identity: ME, onConflict: 'stop' }));
    t.repo.add('a', RESOLVED);
    const done = finished(t.repo.rebaseContinue({ identity: ME }));
    expect(done).toMatchObject({ rebasedCount: 2 });
    expect(t.repo.rebaseInProgress()).toBeUndefined();
    expect(t.repo.head()).toEqual({ branch: 'topic', oid: done.newHead });
    expect(t.repo.status().clean).toBe(true);

    const clean = forked(LINES.replace('5\n', 'five\n'));
    const expected = clean.t.repo.rebase('main', { identity: ME });
    expect(t.files(done.newHead)).toEqual(clean.t.files(expected.newHead));
    const messages = (repo: Repository, commits: readonly string[]): unknown =>
      commits.map((c) => {
        const commit = repo.odb.readCommit(c);
        return [commit.message, commit.author.name, commit.committer.name];
      });
    expect(messages(t.repo, done.commits)).toEqual(messages(clean.t.repo, expected.commits));
    expect(t.repo.odb.readCommit(done.commits[0]!).parents).toEqual([m3]);

    expect(t.repo.refs.reflog('refs/heads/topic').at(-1)?.message).toBe(
      `rebase (finish): refs/heads/topic onto ${m3}`,
    );
    expect(
      t.repo.refs
        .reflog('HEAD')
        .slice(-4)
        .map((e) => e.message),
    ).toEqual([
      'rebase (start): checkout main',
      'rebase (pick): topic eight',
      'rebase (pick): topic adds t',
      'rebase (finish): returning to refs/heads/topic',
    ]);
  });

  it('stops again at a later conflict, reporting the commits done so far', () => {
    const { t } = forked();
    const t3 = t.commit({ files: { m: 'topic m\n' }, message: 'topic m', author: AUTHOR });
    stopped(t.repo.rebase('main', { identity: ME, onConflict: 'stop' }));
    t.repo.add('a', RESOLVED);
    const second = stopped(t.repo.rebaseContinue({ identity: ME }));
    expect(second).toMatchObject({ commit: t3, remaining: 0 });
    expect(second.conflicts).toEqual([{ path: 'm', kind: 'add/add' }]);
    expect(second.done).toHaveLength(2);
    t.repo.add('m', 'both\n');
    const done = finished(t.repo.rebaseContinue({ identity: ME }));
    expect(done.commits.slice(0, 2)).toEqual(second.done);
    expect(t.files(done.newHead)).toMatchObject({ a: RESOLVED, m: 'both\n', t: 't\n' });
  });

  it('aborts back to exactly the state before the rebase', () => {
    const { t } = forked();
    t.repo.write('untracked', 'u\n');
    const before = observe(t.repo);
    stopped(t.repo.rebase('main', { identity: ME, onConflict: 'stop' }));
    t.repo.add('a', 'half resolved\n');
    t.repo.rebaseAbort();
    expect(observe(t.repo)).toEqual(before);
    expect(t.repo.rebaseInProgress()).toBeUndefined();
  });

  it('refuses to continue until every conflicted path is resolved and staged', () => {
    const { t, t2 } = forked();
    stopped(t.repo.rebase('main', { identity: ME, onConflict: 'stop' }));
    const refusal = {
      code: 'REBASE_FAILED',
      kind: 'conflict',
      details: { paths: ['a'] },
    };
    expect(failure(() => t.repo.rebaseContinue({ identity: ME }))).toEqual(refusal);
    t.repo.write('a', RESOLVED); // resolved in the working tree but not added
    expect(failure(() => t.repo.rebaseContinue({ identity: ME }))).toEqual(refusal);
    expect(t.repo.head()).toEqual({ branch: 'topic', oid: t2 });
    expect(t.repo.rebaseInProgress()).toBeDefined();
  });

  it('answers REBASE_FAILED 400 to continue or abort without a rebase in progress', () => {
    const { t } = forked();
    const none = {
      code: 'REBASE_FAILED',
      kind: 'invalid-argument',
      details: { reason: 'no rebase in progress' },
    };
    expect(failure(() => t.repo.rebaseContinue({ identity: ME }))).toEqual(none);
    expect(failure(() => t.repo.rebaseAbort())).toEqual(none);
  });

  it('refuses other history operations while a rebase is in progress', () => {
    const { t, base } = forked();
    t.repo.write('untracked', 'u\n');
    t.repo.stashPush({ identity: ME, includeUntracked: true });
    stopped(t.repo.rebase('main', { identity: ME, onConflict: 'stop' }));
    const operations: Array<[string, () => unknown]> = [
      ['commit', () => t.repo.commit({ message: 'x', author: ME })],
      ['checkout', () => t.repo.checkout('main')],
      ['merge', () => t.repo.merge('main', 'topic', { identity: ME })],
      ['cherry-pick', () => t.repo.cherryPick('main', { identity: ME })],
      ['revert', () => t.repo.revert('main', { identity: ME })],
      ['reset', () => t.repo.reset(base, 'hard')],
      ['rebase', () => t.repo.rebase('main', { identity: ME })],
      ['stash push', () => t.repo.stashPush({ identity: ME })],
      ['stash apply', () => t.repo.applyStash('0')],
    ];
    for (const [name, run] of operations) {
      expect([name, failure(run)]).toEqual([
        name,
        { code: 'REBASE_FAILED', kind: 'conflict', details: { reason: 'rebase in progress' } },
      ]);
    }
    expect(t.repo.syncToHead()).toBe(false);
    t.repo.add('a', RESOLVED); // resolving is allowed
    finished(t.repo.rebaseContinue({ identity: ME }));
    expect(t.repo.checkout('main').branch).toBe('main');
  });

  it('keeps the rebase in progress when the branch moved meanwhile', () => {
    const { t, base } = forked();
    stopped(t.repo.rebase('main', { identity: ME, onConflict: 'stop' }));
    t.branch('topic', base);
    t.repo.add('a', RESOLVED);
    expect(failure(() => t.repo.rebaseContinue({ identity: ME })).code).toBe('CONCURRENT_UPDATE');
    expect(t.repo.rebaseInProgress()).toBeDefined();
  });

  it('finishes without stopping when nothing conflicts, like the all-or-nothing rebase', () => {
    const a = forked(LINES.replace('5\n', 'five\n'));
    const b = forked(LINES.replace('5\n', 'five\n'));
    const stopMode = finished(a.t.repo.rebase('main', { identity: ME, onConflict: 'stop' }));
    const { status, ...rest } = stopMode;
    expect(status).toBe('done');
    expect(rest).toEqual(b.t.repo.rebase('main', { identity: ME }));
    expect(observe(a.t.repo)).toEqual(observe(b.t.repo));
  });

  it('ends, taking theirs at each stop, at the tree of replaying with those resolutions (property)', () => {
    const paths = ['p', 'q', 'r'];
    let totalStops = 0;
    const edit = (prefix: string) =>
      fc
        .record({ path: fc.constantFrom(...paths), value: fc.integer({ min: 0, max: 2 }) })
        .map(({ path, value }) => ({ path, content: `${prefix}${value}\n` }));
    fc.assert(
      fc.property(
        fc.array(edit('up'), { minLength: 1, maxLength: 4 }),
        fc.array(edit('mine'), { minLength: 1, maxLength: 4 }),
        (upstream, mine) => {
          const t = TestRepo.create();
          const base = t.commit({ files: { p: 'base\n', q: 'base\n' } });
          t.branch('topic', base);
          for (const { path, content } of upstream) t.commit({ files: { [path]: content } });
          t.repo.checkout('topic');
          for (const { path, content } of mine) t.commit({ files: { [path]: content } });

          // The model: a file a pick changes ends as the pick has it (a clean merge gives
          // theirs when ours is the base or equal to theirs; a conflict is resolved as theirs);
          // a file it leaves alone keeps the replay tip's version.
          const model = t.files('main');
          const parentFiles = t.files(base);
          for (const { path, content } of mine) {
            if (parentFiles[path] !== content) model[path] = content;
            parentFiles[path] = content;
          }

          let result = t.repo.rebase('main', { identity: ME, onConflict: 'stop' });
          let stops = 0;
          while (result.status === 'stopped') {
            stops++;
            for (const { path } of result.conflicts)
              t.repo.add(path, t.repo.readAt(result.commit, path).content);
            result = t.repo.rebaseContinue({ identity: ME });
          }
          expect(stops).toBeLessThanOrEqual(mine.length);
          totalStops += stops;
          expect(t.files(result.newHead)).toEqual(model);
          expect(t.repo.rebaseInProgress()).toBeUndefined();
          expect(t.repo.status().clean).toBe(true);
        },
      ),
      fcParams(60),
    );
    expect(totalStops).toBeGreaterThan(0); // the generator does reach the stop path
  });
});
