/** Push derivation from branch heads before and after a write (api-contract.md §6.4). */
import {
  ZERO_OID,
  branchMoves,
  describePush,
  headsBefore,
  movedBranches,
  snapshotBranchHeads,
} from '../../../src/modules/hooks/branch-moves';
import { TestRepo } from '../../support/test-repo';

describe('branch moves and push payloads', () => {
  it('finds created, moved and deleted branches, and ignores tags', () => {
    const t = TestRepo.create();
    const a = t.commit();
    t.branch('gone');
    const before = snapshotBranchHeads(t.repo.refs);
    const b = t.commit();
    t.branch('new');
    t.tag('v1');
    t.repo.deleteBranch('gone');
    const moves = branchMoves(before, snapshotBranchHeads(t.repo.refs));
    expect(moves).toEqual([
      { ref: 'refs/heads/gone', before: a, after: null },
      { ref: 'refs/heads/main', before: a, after: b },
      { ref: 'refs/heads/new', before: null, after: b },
    ]);
  });

  it('finds the same moves from the refs a write recorded, and the heads before it', () => {
    const t = TestRepo.create();
    const a = t.commit();
    t.branch('gone');
    t.branch('back');
    const before = snapshotBranchHeads(t.repo.refs);
    const { moved } = t.repo.refs.recordMoves(() => {
      const b = t.commit();
      t.branch('new');
      t.tag('v1');
      t.repo.deleteBranch('gone');
      // Moved and moved back: recorded, but not a move.
      t.repo.refs.update({ name: 'refs/heads/back', expect: a, next: b });
      t.repo.refs.update({ name: 'refs/heads/back', expect: b, next: a });
    });
    const after = snapshotBranchHeads(t.repo.refs);
    expect(movedBranches(t.repo.refs, moved)).toEqual(branchMoves(before, after));
    expect(moved.get('refs/tags/v1')).toBeNull();
    expect(headsBefore(t.repo.refs, moved).sort()).toEqual([...before.values()].sort());
  });

  it('lists before..after newest first, at most 20, with the full count', () => {
    const t = TestRepo.create();
    const base = t.commit();
    const made: string[] = [];
    for (let i = 0; i < 25; i++) made.push(t.commit({ message: `c${i}` }));
    const push = describePush(
      t.repo,
      { ref: 'refs/heads/main', before: base, after: made[24]! },
      'api',
    );
    expect(push).toMatchObject({
      before: base,
      after: made[24],
      created: false,
      deleted: false,
      forced: false,
      source: 'api',
      total_commits: 25,
    });
    expect(push.commits).toHaveLength(20);
    expect(push.commits.map((c) => c.id)).toEqual(made.slice(5).reverse());
    expect(push.commits[0]).toEqual({
      id: made[24],
      message: 'c24',
      author: { name: expect.any(String), email: expect.any(String) },
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    });
  });

  it('a created branch lists only commits no branch had; a move backwards is forced', () => {
    const t = TestRepo.create();
    const a = t.commit();
    const b = t.commit();
    const heads = snapshotBranchHeads(t.repo.refs);
    const created = describePush(
      t.repo,
      { ref: 'refs/heads/x', before: null, after: b },
      'git',
      heads.values(),
    );
    expect(created).toMatchObject({
      before: ZERO_OID,
      created: true,
      total_commits: 0,
      commits: [],
      source: 'git',
    });
    const back = describePush(t.repo, { ref: 'refs/heads/main', before: b, after: a }, 'api');
    expect(back).toMatchObject({ forced: true, total_commits: 0 });
    const deleted = describePush(t.repo, { ref: 'refs/heads/main', before: b, after: null }, 'api');
    expect(deleted).toMatchObject({ after: ZERO_OID, deleted: true, commits: [], forced: false });
  });
});
