/**
 * Stash (contract §3.5) stored exactly as git stores it: push, list, find by position or uuid,
 * apply (index and working tree, onto a moved HEAD), drop with git's reflog rewrite, stable
 * uuids, and refusals that change nothing. Property: push then pop restores the exact state.
 */
import fc from 'fast-check';
import { isGitError } from '../../../../src/core/errors/git-error';
import { ZERO_OID } from '../../../../src/core/objects/oid';
import { Repository } from '../../../../src/core/repo/repository';
import { STASH_ID_PREFIX } from '../../../../src/core/repo/stash-ids';
import type { StashEntry } from '../../../../src/core/repo/stash-list';
import { fcParams } from '../../../support/fast-check';
import { contentArb, repoPathArb } from '../../../support/repo-arbitraries';
import { TestClock, TestRepo } from '../../../support/test-repo';

const ME = { name: 'Stasher', email: 'stasher@example.com' };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function text(repo: Repository, path: string): string {
  return Buffer.from(repo.readWorking(path).content).toString('utf8');
}

/** Index and working tree exactly: every entry of both, plus HEAD. */
function workingState(repo: Repository): unknown {
  const indexTree = repo.working.index;
  const index: string[] = [];
  indexTree.forEachFile('', (path, entry) => index.push(`${path} ${entry.mode} ${entry.oid}`));
  return {
    head: repo.head(),
    status: repo.status(),
    index: index.sort(),
    worktree: repo.listTree('', { recursive: true }).map((e) => `${e.path} ${e.mode} ${e.oid}`),
  };
}

function observe(repo: Repository): unknown {
  return {
    state: workingState(repo),
    refs: repo.refs.list('refs/'),
    stashLog: repo.refs.reflog('refs/stash'),
    headLog: repo.refs.reflog('HEAD'),
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

/** One commit (a, b, d/c); local: a staged, b edited in the working tree, u untracked. */
function dirty(): { t: TestRepo; head: string } {
  const t = TestRepo.create();
  const head = t.commit({
    files: { a: 'a\n', b: 'b\n', 'd/c': 'c\n' },
    message: 'first\nline two\n\nbody',
  });
  t.repo.add('a', 'staged a\n');
  t.repo.write('b', 'edited b\n');
  t.repo.write('u', 'untracked\n');
  return { t, head };
}

describe('stashPush', () => {
  it("writes git's W and I commits, moves refs/stash and resets to HEAD, keeping untracked files", () => {
    const { t, head } = dirty();
    t.clock.tick();
    const entry = t.repo.stashPush({ identity: ME });
    const short = head.slice(0, 7);
    const w = t.repo.odb.readCommit(entry.oid);
    const [base, i] = w.parents;
    expect(base).toBe(head);
    expect(w.parents).toHaveLength(2);
    expect(w.message).toBe(`WIP on main: ${short} first line two`);
    expect(w.author).toEqual({ ...ME, timestamp: t.clock.time, timezone: '+0000' });
    const index = t.repo.odb.readCommit(i!);
    expect(index.parents).toEqual([head]);
    expect(index.message).toBe(`index on main: ${short} first line two\n`);
    expect(t.files(i)).toEqual({ a: 'staged a\n', b: 'b\n', 'd/c': 'c\n' });
    expect(t.files(entry.oid)).toEqual({ a: 'staged a\n', b: 'edited b\n', 'd/c': 'c\n' });

    expect(entry).toMatchObject({
      index: 0,
      id: 'stash@{0}',
      message: `WIP on main: ${short} first line two`,
      branch: 'main',
      files: ['a', 'b'],
      base: head,
      indexCommit: i,
      untrackedCommit: null,
    });
    expect(entry.uuid).toMatch(UUID_V4);
    expect(t.repo.refs.read('refs/stash')).toMatchObject({ oid: entry.oid });
    expect(t.repo.refs.reflog('refs/stash')).toEqual([
      { oldOid: ZERO_OID, newOid: entry.oid, committer: w.committer, message: w.message },
    ]);
    expect(t.repo.refs.read(STASH_ID_PREFIX + entry.uuid)).toMatchObject({ oid: entry.oid });
    expect(t.repo.status()).toMatchObject({ staged: [], modified: [], untracked: ['u'] });
    expect(t.repo.refs.reflog('HEAD').at(-1)).toMatchObject({
      oldOid: head,
      newOid: head,
      message: 'reset: moving to HEAD',
    });
  });

  it('uses "On <branch>: <message>" when given a message, and "(no branch)" when detached', () => {
    const { t, head } = dirty();
    expect(t.repo.stashPush({ identity: ME, message: 'my work' }).message).toBe('On main: my work');
    t.repo.checkout(head);
    t.repo.write('a', 'again\n');
    const detached = t.repo.stashPush({ identity: ME });
    expect(detached.message).toBe(`WIP on (no branch): ${head.slice(0, 7)} first line two`);
    expect(detached.branch).toBeNull();
  });

  it('stashes untracked files in a parentless third commit with includeUntracked', () => {
    const { t, head } = dirty();
    const entry = t.repo.stashPush({ identity: ME, includeUntracked: true });
    const u = t.repo.odb.readCommit(entry.untrackedCommit!);
    expect(t.repo.odb.readCommit(entry.oid).parents).toHaveLength(3);
    expect(u.parents).toEqual([]);
    expect(u.message).toBe(`untracked files on main: ${head.slice(0, 7)} first line two\n`);
    expect(t.files(entry.untrackedCommit!)).toEqual({ u: 'untracked\n' });
    expect(entry.files).toEqual(['a', 'b', 'u']);
    expect(t.repo.status().clean).toBe(true);
  });

  it('refuses with STASH_FAILED when there is nothing to stash or no commit yet', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    expect(failure(() => t.repo.stashPush({ identity: ME }))).toMatchObject({
      code: 'STASH_FAILED',
      kind: 'invalid-argument',
      details: { reason: 'no commits yet' },
    });
    t.commit({ files: { a: '1' } });
    t.repo.reset('HEAD', 'hard');
    t.repo.write('only-untracked', 'u');
    expect(failure(() => t.repo.stashPush({ identity: ME })).details).toEqual({
      reason: 'no local changes to stash',
    });
    expect(t.repo.refs.read('refs/stash')).toBeUndefined();
  });

  it('refuses rather than delete an untracked file that HEAD needs the place of', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: 'file in HEAD\n' } });
    t.repo.remove('a');
    t.repo.write('a/x', 'untracked below\n');
    const before = observe(t.repo);
    expect(failure(() => t.repo.stashPush({ identity: ME }))).toEqual({
      code: 'STASH_FAILED',
      kind: 'invalid-argument',
      details: { reason: 'untracked files in the way', paths: ['a/x'] },
    });
    expect(observe(t.repo)).toEqual(before);
    const entry = t.repo.stashPush({ identity: ME, includeUntracked: true });
    expect(entry.files).toEqual(['a', 'a/x']);
    t.repo.applyStash('0', { drop: true });
    expect(t.repo.status()).toMatchObject({ staged: ['a'], removed: ['a'], untracked: ['a/x'] });
  });
});

describe('listing and finding stashes', () => {
  function threeStashes(): { t: TestRepo; uuids: string[] } {
    const { t } = dirty();
    const uuids: string[] = [];
    for (const n of [1, 2, 3]) {
      t.repo.write('b', `edit ${n}\n`);
      uuids.push(t.repo.stashPush({ identity: ME, message: `m${n}` }).uuid);
    }
    return { t, uuids };
  }

  it('lists newest first, and finds entries by N, stash@{N} (encoded or not) and uuid', () => {
    const { t, uuids } = threeStashes();
    expect(t.repo.listStashes().map((e) => [e.index, e.id, e.message, e.uuid])).toEqual([
      [0, 'stash@{0}', 'On main: m3', uuids[2]],
      [1, 'stash@{1}', 'On main: m2', uuids[1]],
      [2, 'stash@{2}', 'On main: m1', uuids[0]],
    ]);
    for (const id of ['1', 'stash@{1}', 'stash%40%7B1%7D', uuids[1]!, uuids[1]!.toUpperCase()])
      expect(t.repo.findStash(id)?.message).toBe('On main: m2');
    expect(t.repo.findStash('3')).toBeUndefined();
    expect(t.repo.findStash('stash@{x}')).toBeUndefined();
    expect(failure(() => t.repo.getStash('7'))).toEqual({
      code: 'STASH_NOT_FOUND',
      kind: 'not-found',
      details: { id: '7' },
    });
  });

  it('keeps uuids stable across drops and a reopen of the same stores', () => {
    const { t, uuids } = threeStashes();
    t.repo.dropStash('1');
    expect(t.repo.listStashes().map((e) => e.uuid)).toEqual([uuids[2], uuids[0]]);
    const reopened = new Repository({
      objects: t.repo.odb.store,
      refs: t.repo.refs,
      clock: new TestClock(),
    });
    expect(reopened.listStashes().map((e) => [e.id, e.uuid])).toEqual([
      ['stash@{0}', uuids[2]],
      ['stash@{1}', uuids[0]],
    ]);
    expect(reopened.findStash(uuids[0]!)?.index).toBe(1);
    expect(reopened.findStash(uuids[1]!)).toBeUndefined();
  });

  it('derives a stable v4-shaped uuid for stashes made elsewhere (no stored id)', () => {
    const { t } = dirty();
    const entry = t.repo.stashPush({ identity: ME });
    t.repo.refs.update({ name: STASH_ID_PREFIX + entry.uuid, expect: entry.oid, next: null });
    const derived = t.repo.listStashes()[0]!.uuid;
    expect(derived).toMatch(UUID_V4);
    expect(derived).not.toBe(entry.uuid);
    expect(t.repo.listStashes()[0]!.uuid).toBe(derived);
    expect(t.repo.findStash(derived)?.oid).toBe(entry.oid);
  });
});

describe('applyStash', () => {
  it('restores staged changes to the index and the rest to the working tree, exactly', () => {
    const { t } = dirty();
    const before = workingState(t.repo);
    t.repo.stashPush({ identity: ME });
    const applied = t.repo.applyStash('0');
    expect(applied.dropped).toBe(false);
    expect(workingState(t.repo)).toEqual(before);
    expect(t.repo.listStashes()).toHaveLength(1);
  });

  it('drops the entry with drop: true (pop)', () => {
    const { t } = dirty();
    const entry = t.repo.stashPush({ identity: ME });
    expect(t.repo.applyStash(entry.uuid, { drop: true })).toMatchObject({ dropped: true });
    expect(t.repo.listStashes()).toEqual([]);
    expect(t.repo.refs.read('refs/stash')).toBeUndefined();
    expect(t.repo.refs.list(STASH_ID_PREFIX)).toEqual([]);
  });

  it('merges the stash onto a moved HEAD', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1\n2\n3\n4\n5\n6\n7\n' } });
    t.repo.write('a', '1\n2\n3\n4\n5\n6\nseven\n');
    t.repo.stashPush({ identity: ME });
    t.commit({ files: { a: 'one\n2\n3\n4\n5\n6\n7\n', other: 'o\n' } });
    t.repo.applyStash('stash@{0}');
    expect(text(t.repo, 'a')).toBe('one\n2\n3\n4\n5\n6\nseven\n');
    expect(t.repo.status()).toMatchObject({ staged: [], modified: ['a'] });
  });

  it('refuses with STASH_APPLY_FAILED when local changes would be overwritten; nothing applied or dropped', () => {
    const { t } = dirty();
    t.repo.stashPush({ identity: ME, includeUntracked: true });
    t.repo.write('b', 'new local edit\n');
    t.repo.write('u', 'a new untracked file in the way\n');
    const before = observe(t.repo);
    expect(failure(() => t.repo.applyStash('0', { drop: true }))).toEqual({
      code: 'STASH_APPLY_FAILED',
      kind: 'conflict',
      details: { paths: ['b', 'u'] },
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('keeps local changes to files the stash does not touch', () => {
    const { t } = dirty();
    t.repo.stashPush({ identity: ME });
    t.repo.write('d/c', 'local\n');
    t.repo.applyStash('0');
    expect(text(t.repo, 'd/c')).toBe('local\n');
    expect(text(t.repo, 'b')).toBe('edited b\n');
    expect(t.repo.status()).toMatchObject({ staged: ['a'], modified: ['b', 'd/c'] });
  });

  it('refuses conflicts with MERGE_CONFLICT; nothing applied or dropped', () => {
    const { t } = dirty();
    t.repo.stashPush({ identity: ME });
    t.commit({ files: { b: 'committed b\n' } });
    t.repo.reset('HEAD', 'hard'); // the untracked file kept TestRepo from syncing the index
    const before = observe(t.repo);
    expect(failure(() => t.repo.applyStash('0', { drop: true }))).toEqual({
      code: 'MERGE_CONFLICT',
      kind: 'conflict',
      details: { conflicts: ['b'] },
    });
    expect(observe(t.repo)).toEqual(before);
  });

  it('answers STASH_NOT_FOUND for an unknown id', () => {
    const { t } = dirty();
    expect(failure(() => t.repo.applyStash('0')).code).toBe('STASH_NOT_FOUND');
  });

  it('restores exactly the working state and index that were stashed (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), path: repoPathArb, content: contentArb }),
      fc.record({ kind: fc.constant('write' as const), path: repoPathArb, content: contentArb }),
      fc.record({ kind: fc.constant('remove' as const), path: repoPathArb }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 10 }), fc.boolean(), (ops, untracked) => {
        const t = TestRepo.create();
        t.commit({ files: { a: 'x', 'b/a': 'y', é: 'hello\n' } });
        for (const step of ops) {
          try {
            if (step.kind === 'add') t.repo.add(step.path, step.content);
            else if (step.kind === 'write') t.repo.write(step.path, step.content);
            else t.repo.remove(step.path);
          } catch {
            // invalid operations are refused; not this test's subject
          }
        }
        const before = workingState(t.repo);
        let entry: StashEntry;
        try {
          entry = t.repo.stashPush({ identity: ME, includeUntracked: untracked });
        } catch (error) {
          expect(isGitError(error) && error.code === 'STASH_FAILED').toBe(true);
          expect(workingState(t.repo)).toEqual(before);
          return;
        }
        expect(t.repo.status().staged).toEqual([]);
        t.repo.applyStash(entry.uuid, { drop: true });
        expect(workingState(t.repo)).toEqual(before);
        expect(t.repo.refs.read('refs/stash')).toBeUndefined();
      }),
      fcParams(150),
    );
  });
});

describe('dropStash', () => {
  it("rewrites the reflog like git's reflog delete --rewrite --updateref", () => {
    const { t } = dirty();
    const made = [1, 2, 3].map((n) => {
      t.repo.write('b', `edit ${n}\n`);
      return t.repo.stashPush({ identity: ME, message: `m${n}` }).oid;
    });
    expect(t.repo.dropStash('stash@{1}').oid).toBe(made[1]);
    expect(t.repo.refs.reflog('refs/stash').map((e) => [e.oldOid, e.newOid])).toEqual([
      [ZERO_OID, made[0]],
      [made[0], made[2]],
    ]);
    expect(t.repo.refs.read('refs/stash')).toMatchObject({ oid: made[2] });
    t.repo.dropStash('0');
    expect(t.repo.refs.read('refs/stash')).toMatchObject({ oid: made[0] });
    expect(t.repo.refs.reflog('refs/stash').map((e) => [e.oldOid, e.newOid])).toEqual([
      [ZERO_OID, made[0]],
    ]);
    t.repo.dropStash('0');
    expect(t.repo.refs.read('refs/stash')).toBeUndefined();
    expect(t.repo.refs.reflog('refs/stash')).toEqual([]);
    expect(failure(() => t.repo.dropStash('0')).code).toBe('STASH_NOT_FOUND');
  });
});
