/**
 * RealityManager (contract §8): all-or-nothing copy-on-write creation, listing with `ahead`,
 * one-commit `apply` that never touches the working state, comparisons, real benchmark
 * figures, merge back (fast-forward or merge commit), delete and TTL cleanup.
 */
import fc from 'fast-check';
import {
  BranchNotFoundError,
  InvalidBranchNameError,
  RefNotFoundError,
} from '../../../../src/core/errors/ref-errors';
import { InvalidFilePathError } from '../../../../src/core/errors/path-errors';
import { MergeConflictError, MergeFailedError } from '../../../../src/core/errors/operation-errors';
import { DeleteCurrentBranchError } from '../../../../src/core/errors/repo-errors';
import {
  RealityExistsError,
  RealityNotFoundError,
  TooManyRealitiesError,
} from '../../../../src/core/errors/transaction-errors';
import { RealityManager, realityName } from '../../../../src/core/repo/realities';
import { fcParams } from '../../../support/fast-check';
import { TEST_AUTHOR, TestRepo } from '../../../support/test-repo';

const identity = TEST_AUTHOR;

function setup(clock?: () => number): { t: TestRepo; realities: RealityManager } {
  const t = TestRepo.create();
  t.commit({ files: { 'a.txt': 'one\ntwo\nthree\n', 'dir/b.txt': 'b\n' } });
  return { t, realities: new RealityManager(t.repo, clock ? { clock } : {}) };
}

function refNames(t: TestRepo): string[] {
  return t.repo.refs.list('refs/').map((ref) => ref.name);
}

describe('RealityManager.createMany', () => {
  it('creates parallel/<name> branches at the base without writing any object', () => {
    const { t, realities } = setup(() => 5000);
    const head = t.repo.head().oid!;
    const objects = [...t.repo.odb.store.oids()].length;
    const created = realities.createMany(['x', 'parallel/y']);
    expect(created.map((r) => r.name)).toEqual(['parallel/x', 'parallel/y']);
    expect(created[0]).toEqual({
      name: 'parallel/x',
      shortName: 'x',
      isolated: true,
      ephemeral: true,
      createdAt: 5000,
      base: 'HEAD',
      baseCommit: head,
      head,
      ahead: 0,
    });
    expect(t.repo.getBranch('parallel/y').commit).toBe(head);
    expect([...t.repo.odb.store.oids()].length).toBe(objects);
    expect(t.repo.head().branch).toBe('main');
  });

  it('creates at another base ref and records it', () => {
    const { t, realities } = setup();
    const first = t.repo.head().oid!;
    t.commit({ files: { 'c.txt': 'c\n' } });
    const [info] = realities.createMany(['old'], first);
    expect(info).toMatchObject({ base: first, baseCommit: first, head: first });
  });

  it('creates nothing when any name is invalid, taken, repeated, or the base is unknown', () => {
    const { t, realities } = setup();
    realities.createMany(['taken']);
    const before = refNames(t);
    expect(() => realities.createMany(['ok1', 'bad..name'])).toThrow(InvalidBranchNameError);
    expect(() => realities.createMany(['ok1', ''])).toThrow(InvalidBranchNameError);
    expect(() => realities.createMany(['ok1', 'taken'])).toThrow(RealityExistsError);
    expect(() => realities.createMany(['ok1', 'ok1'])).toThrow(RealityExistsError);
    expect(() => realities.createMany(['ok1'], 'no-such-ref')).toThrow(RefNotFoundError);
    expect(refNames(t)).toEqual(before);
  });

  it('refuses more names than maxPerRequest with TOO_MANY_REALITIES', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: 'a' } });
    const realities = new RealityManager(t.repo, { maxPerRequest: 2 });
    expect(() => realities.createMany(['a', 'b', 'c'])).toThrow(TooManyRealitiesError);
    expect(realities.createMany([])).toEqual([]);
  });

  it('creates all names or none, whatever mix of good and bad names it gets', () => {
    const nameArb = fc.constantFrom('a', 'b', 'c/d', 'taken', 'bad..', 'x.lock', 'e f', 'ok');
    fc.assert(
      fc.property(fc.array(nameArb, { maxLength: 6 }), (names) => {
        const { t, realities } = setup();
        realities.createMany(['taken']);
        const before = refNames(t);
        let created = true;
        try {
          realities.createMany(names);
        } catch {
          created = false;
        }
        const after = refNames(t);
        if (created) {
          const expected = new Set([...before, ...names.map((n) => `refs/heads/parallel/${n}`)]);
          expect(new Set(after)).toEqual(expected);
          expect(after.length).toBe(before.length + names.length);
        } else {
          expect(after).toEqual(before);
        }
        const valid = names.every((n) => !['taken', 'bad..', 'x.lock', 'e f'].includes(n));
        expect(created).toBe(valid && new Set(names).size === names.length);
      }),
      fcParams(200),
    );
  });
});

describe('RealityManager.list and get', () => {
  it('lists every reality sorted, with head and commits ahead of the base', () => {
    const { realities } = setup();
    realities.createMany(['b', 'a']);
    realities.apply('b', { 'n1.txt': '1' }, { identity });
    realities.apply('b', { 'n2.txt': '2' }, { identity });
    const listed = realities.list();
    expect(listed.map((r) => [r.name, r.ahead])).toEqual([
      ['parallel/a', 0],
      ['parallel/b', 2],
    ]);
  });

  it('counts only the reality own commits after its base branch moves on', () => {
    const { t, realities } = setup();
    realities.createMany(['x'], 'main');
    realities.apply('x', { 'n.txt': 'n' }, { identity });
    t.commit({ files: { 'm.txt': 'm' } });
    expect(realities.get('x').ahead).toBe(1);
  });

  it('includes parallel branches made elsewhere, without metadata', () => {
    const { t, realities } = setup();
    t.branch('parallel/pushed');
    expect(realities.get('parallel/pushed')).toMatchObject({
      base: null,
      createdAt: null,
      ahead: 0,
    });
    expect(realities.list().map((r) => r.name)).toEqual(['parallel/pushed']);
  });

  it('answers REALITY_NOT_FOUND for an unknown reality', () => {
    const { realities } = setup();
    expect(() => realities.get('nope')).toThrow(RealityNotFoundError);
  });

  it('accepts names with and without the parallel/ prefix', () => {
    expect(realityName('x')).toBe('x');
    expect(realityName('parallel/x')).toBe('x');
    expect(realityName('parallel/parallel/x')).toBe('parallel/x');
  });
});

describe('RealityManager.apply', () => {
  it('makes one commit on the reality from its head, leaving HEAD, index and working tree alone', () => {
    const { t, realities } = setup();
    t.repo.write('a.txt', 'local\n');
    const main = t.repo.head().oid;
    const [info] = realities.createMany(['x']);
    const { commit } = realities.apply(
      'x',
      { 'a.txt': 'changed\n', 'dir/b.txt': null, 'new/deep.txt': 'deep\n' },
      { identity, message: 'try it' },
    );
    expect(commit?.commit.parents).toEqual([info!.head]);
    expect(commit?.branch).toBe('parallel/x');
    expect(realities.get('x').head).toBe(commit?.oid);
    expect(t.files('parallel/x')).toEqual({ 'a.txt': 'changed\n', 'new/deep.txt': 'deep\n' });
    expect(t.repo.head().oid).toBe(main);
    expect(t.repo.status().changes).toEqual(['a.txt']);
    expect(t.repo.readWorking('dir/b.txt').content.length).toBe(2);
  });

  it('uses the default message and skips the commit for empty or no-op changes', () => {
    const { t, realities } = setup();
    realities.createMany(['x']);
    expect(realities.apply('x', {}, { identity })).toEqual({});
    expect(realities.apply('x', new Map([['a.txt', 'one\ntwo\nthree\n']]), { identity })).toEqual(
      {},
    );
    expect(realities.apply('x', { 'missing.txt': null }, { identity })).toEqual({});
    const { commit } = realities.apply('x', new Map([['z', 'z']]), { identity });
    expect(commit?.commit.message).toBe('Apply changes to reality x\n');
    expect(t.repo.graph.parents(commit!.oid)).toEqual([t.repo.head().oid]);
  });

  it('rejects a bad path before writing anything', () => {
    const { realities } = setup();
    const [info] = realities.createMany(['x']);
    expect(() => realities.apply('x', { ok: '1', '../evil': '2' }, { identity })).toThrow(
      InvalidFilePathError,
    );
    expect(realities.get('x').head).toBe(info!.head);
  });

  it('answers REALITY_NOT_FOUND for an unknown reality', () => {
    const { realities } = setup();
    expect(() => realities.apply('nope', { a: '1' }, { identity })).toThrow(RealityNotFoundError);
  });

  it('keeps the working state in step when the reality itself is checked out', () => {
    const { t, realities } = setup();
    realities.createMany(['x']);
    t.repo.checkout('parallel/x');
    realities.apply('x', { 'n.txt': 'n\n' }, { identity });
    expect(t.repo.status().clean).toBe(true);
    expect(Buffer.from(t.repo.readWorking('n.txt').content).toString()).toBe('n\n');
  });
});

describe('RealityManager comparisons', () => {
  it('compares two realities file by file, with line counts and patches', () => {
    const { realities } = setup();
    realities.createMany(['x', 'y']);
    realities.apply('y', { 'a.txt': 'one\nTWO\nthree\nfour\n', 'dir/b.txt': null }, { identity });
    const diffs = realities.compare('x', 'y');
    expect(diffs.map((d) => [d.path, d.status, d.additions, d.deletions])).toEqual([
      ['a.txt', 'modified', 2, 1],
      ['dir/b.txt', 'deleted', 0, 1],
    ]);
    expect(diffs[0]!.patch).toContain('+TWO');
  });

  it('diffs against the fork point, ignoring what the base branch did since', () => {
    const { t, realities } = setup();
    realities.createMany(['x'], 'main');
    realities.apply('x', { 'x.txt': 'x\n' }, { identity });
    t.commit({ files: { 'main.txt': 'm\n' } });
    expect(realities.diffAgainstBase('x').map((d) => [d.path, d.status])).toEqual([
      ['x.txt', 'added'],
    ]);
  });
});

describe('RealityManager.benchmark', () => {
  it('reports real figures for the reality and its base', async () => {
    const { t, realities } = setup();
    realities.createMany(['x'], 'main');
    realities.apply('x', { 'a.txt': 'one\n2\nthree\n', 'c.txt': 'c1\nc2\n' }, { identity });
    t.commit({ files: { 'm.txt': 'mm\n' } });
    const result = await realities.benchmark('x');
    expect(result.reality).toBe('parallel/x');
    expect(result.metrics).toMatchObject({
      files: 3,
      total_bytes: 12 + 2 + 6, // a.txt, dir/b.txt, c.txt
      commits_ahead: 1,
      changed_files: 2,
      additions: 3,
      deletions: 1,
    });
    expect(result.base.branch).toBe('main');
    expect(result.base.metrics).toMatchObject({
      files: 3,
      total_bytes: 14 + 2 + 3,
      commits_ahead: 1,
      changed_files: 1,
      additions: 1,
      deletions: 0,
    });
    for (const key of ['tree_build_ms', 'read_all_ms', 'diff_ms'] as const) {
      expect(result.metrics[key]).toBeGreaterThanOrEqual(0);
      expect(result.base.metrics[key]).toBeGreaterThanOrEqual(0);
    }
    expect(result.better).toBeNull();
    expect(result.metrics.script_ms).toBeUndefined();
    expect(result.endTime).toBeGreaterThanOrEqual(result.startTime);
  });

  it('merges scorer figures into the metrics and compares scores, never overwriting a measurement', async () => {
    const { realities } = setup();
    realities.createMany(['x']);
    const sides: string[] = [];
    const result = await realities.benchmark('x', {
      runScript: (side) => {
        sides.push(`${side.role}:${side.branch}`);
        return Promise.resolve({
          score: side.role === 'reality' ? 0.9 : 0.5,
          files: -1,
          'Bad Key': 3,
          note: 'text',
          latency_p99: 12,
        });
      },
    });
    expect(sides).toEqual(['reality:parallel/x', 'base:main']);
    expect(result.metrics.score).toBe(0.9);
    expect(result.metrics.files).toBe(2);
    expect(result.metrics.latency_p99).toBe(12);
    expect(Object.keys(result.metrics)).not.toContain('Bad Key');
    expect(Object.keys(result.metrics)).not.toContain('note');
    expect(result.metrics.script_ms).toBeGreaterThanOrEqual(0);
    expect(result.better).toBe(true);

    const worse = await realities.benchmark('x', {
      runScript: (side) => Promise.resolve({ score: side.role === 'reality' ? 1 : 2 }),
    });
    expect(worse.better).toBe(false);
  });

  it('answers REALITY_NOT_FOUND for an unknown reality', async () => {
    const { realities } = setup();
    await expect(realities.benchmark('nope')).rejects.toBeInstanceOf(RealityNotFoundError);
  });
});

describe('RealityManager.merge', () => {
  it('fast-forwards its base branch and the checked-out working state follows', () => {
    const { t, realities } = setup();
    realities.createMany(['x'], 'main');
    const { commit } = realities.apply('x', { 'x.txt': 'x\n' }, { identity });
    const result = realities.merge('x');
    expect(result).toEqual({
      from: 'parallel/x',
      to: 'main',
      fastForward: true,
      upToDate: false,
      commit: commit!.oid,
    });
    expect(t.repo.head().oid).toBe(commit!.oid);
    expect(t.repo.status().clean).toBe(true);
    expect(Buffer.from(t.repo.readWorking('x.txt').content).toString()).toBe('x\n');
  });

  it('makes a merge commit when the base moved, and can delete the reality', () => {
    const { t, realities } = setup();
    realities.createMany(['x'], 'main');
    const applied = realities.apply('x', { 'x.txt': 'x\n' }, { identity }).commit!.oid;
    const moved = t.commit({ files: { 'm.txt': 'm\n' } });
    const result = realities.merge('x', { delete: true, identity });
    expect(result.fastForward).toBe(false);
    expect(t.repo.graph.parents(result.commit)).toEqual([moved, applied]);
    expect(t.repo.odb.readCommit(result.commit).message).toBe("Merge branch 'parallel/x'\n");
    expect(t.files('main')).toMatchObject({ 'x.txt': 'x\n', 'm.txt': 'm\n' });
    expect(() => realities.get('x')).toThrow(RealityNotFoundError);
  });

  it('merges into another branch without touching HEAD or the working state', () => {
    const { t, realities } = setup();
    t.branch('target');
    realities.createMany(['x']);
    const { commit } = realities.apply('x', { 'x.txt': 'x\n' }, { identity });
    const main = t.repo.head().oid;
    expect(realities.merge('x', { into: 'target' }).commit).toBe(commit!.oid);
    expect(t.repo.getBranch('target').commit).toBe(commit!.oid);
    expect(t.repo.head().oid).toBe(main);
    expect(t.repo.status().clean).toBe(true);
  });

  it('makes a merge commit on a branch that is not checked out, or stops on its conflicts', () => {
    const { t, realities } = setup();
    t.branch('target');
    realities.createMany(['x', 'y']);
    const applied = realities.apply('x', { 'x.txt': 'x\n' }, { identity }).commit!.oid;
    realities.apply('y', { 'a.txt': 'y\n' }, { identity });
    const moved = t.commit({ branch: 'target', files: { 'a.txt': 'target\n' } });
    const main = t.repo.head().oid;
    const result = realities.merge('x', { into: 'target', identity });
    expect(t.repo.graph.parents(result.commit)).toEqual([moved, applied]);
    expect(t.repo.odb.readCommit(result.commit).message).toBe(
      "Merge branch 'parallel/x' into target\n",
    );
    expect(t.files('target')).toMatchObject({ 'x.txt': 'x\n', 'a.txt': 'target\n' });
    expect(() => realities.merge('y', { into: 'target' })).toThrow(MergeConflictError);
    expect(t.repo.getBranch('target').commit).toBe(result.commit);
    expect(() => realities.merge('y', { into: 'nope' })).toThrow(BranchNotFoundError);
    expect(t.repo.head().oid).toBe(main);
    expect(t.repo.status().clean).toBe(true);
  });

  it('stops on conflicts with MERGE_CONFLICT and changes nothing', () => {
    const { t, realities } = setup();
    realities.createMany(['x'], 'main');
    realities.apply('x', { 'a.txt': 'reality\n' }, { identity });
    const moved = t.commit({ files: { 'a.txt': 'main\n' } });
    let error: unknown;
    try {
      realities.merge('x');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MergeConflictError);
    expect((error as MergeConflictError).details).toEqual({ conflicts: ['a.txt'] });
    expect(t.repo.head().oid).toBe(moved);
    expect(realities.get('x').ahead).toBe(1);
  });

  it('refuses to move the checked-out branch over conflicting local changes', () => {
    const { t, realities } = setup();
    realities.createMany(['x'], 'main');
    realities.apply('x', { 'a.txt': 'reality\n' }, { identity });
    t.repo.write('a.txt', 'local\n');
    const head = t.repo.head().oid;
    expect(() => realities.merge('x')).toThrow(MergeFailedError);
    expect(t.repo.head().oid).toBe(head);
  });

  it('reports an already merged reality as up to date', () => {
    const { t, realities } = setup();
    realities.createMany(['x']);
    t.commit({ files: { 'm.txt': 'm' } });
    const result = realities.merge('x');
    expect(result).toMatchObject({ upToDate: true, fastForward: false, commit: t.repo.head().oid });
  });
});

describe('RealityManager.delete and sweep', () => {
  it('deletes the branch and its metadata, and answers REALITY_NOT_FOUND after', () => {
    const { t, realities } = setup();
    realities.createMany(['x']);
    realities.delete('parallel/x');
    expect(t.repo.refs.read('refs/heads/parallel/x')).toBeUndefined();
    expect(realities.records()).toEqual([]);
    expect(() => realities.delete('x')).toThrow(RealityNotFoundError);
  });

  it('refuses to delete the checked-out reality', () => {
    const { t, realities } = setup();
    realities.createMany(['x']);
    t.repo.checkout('parallel/x');
    expect(() => realities.delete('x')).toThrow(DeleteCurrentBranchError);
  });

  it('sweeps realities untouched for the TTL, counting apply as a touch', () => {
    let now = 0;
    const { realities } = setup(() => now);
    realities.createMany(['idle', 'busy']);
    now = 50_000;
    realities.apply('busy', { f: '1' }, { identity });
    now = 60_000;
    expect(realities.sweep(now, 0)).toEqual([]);
    expect(realities.sweep(now, 60)).toEqual(['parallel/idle']);
    expect(realities.list().map((r) => r.name)).toEqual(['parallel/busy']);
    expect(realities.sweep(110_000, 60)).toEqual(['parallel/busy']);
  });

  it('keeps its metadata as plain records that a new manager can start from', () => {
    const { t, realities } = setup(() => 7);
    realities.createMany(['x'], 'main');
    const records = JSON.parse(JSON.stringify(realities.records())) as ReturnType<
      RealityManager['records']
    >;
    const reopened = new RealityManager(t.repo, { records });
    expect(reopened.get('x')).toEqual(realities.get('x'));
    expect(reopened.get('x').base).toBe('main');
  });
});
