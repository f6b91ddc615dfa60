/**
 * Repository.commit (contract §3.2): git-identical commits of the index, message rules, the
 * compare-and-swap move of the current branch (or detached HEAD), reflogs, and what happens
 * to the index and working tree afterwards.
 */
import fc from 'fast-check';
import { ConcurrentUpdateError } from '../../../../src/core/errors/ref-errors';
import {
  InvalidCommitMessageError,
  InvalidIdentityError,
  NothingToCommitError,
} from '../../../../src/core/errors/repo-errors';
import { EMPTY_TREE_OID } from '../../../../src/core/objects/object-database';
import { ZERO_OID } from '../../../../src/core/objects/oid';
import { fcParams } from '../../../support/fast-check';
import { contentArb, repoPathArb } from '../../../support/repo-arbitraries';
import { TEST_AUTHOR, TEST_EPOCH, TestRepo } from '../../../support/test-repo';

const author = TEST_AUTHOR;

describe('commit', () => {
  it('writes the same commit id git writes for the same tree, identity, time and message', () => {
    const t = TestRepo.create();
    t.repo.add('hello.txt', 'hello\n');
    const { oid, commit } = t.repo.commit({ message: 'first', author });
    // Computed with: echo hello > hello.txt; git add; GIT_*_DATE=@1700000000 git commit -m first
    expect(commit.tree).toBe('aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7');
    expect(oid).toBe('35ec84c7e96bc9cfbdd89e540e6fa840249855df');
  });

  it('stores the message with exactly one final newline', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    const { commit } = t.repo.commit({ message: 'subject\n\nbody  \n\n\n', author });
    expect(commit.message).toBe('subject\n\nbody\n');
  });

  it('uses the clock for times and the author as committer by default', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    const { commit } = t.repo.commit({ message: 'm', author });
    expect(commit.author).toEqual({ ...author, timestamp: TEST_EPOCH, timezone: '+0000' });
    expect(commit.committer).toEqual(commit.author);
  });

  it('records an explicit committer and explicit times', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    const committer = { name: 'C', email: 'c@example.com', timestamp: 5, timezone: '-0130' };
    const { commit } = t.repo.commit({
      message: 'm',
      author: { ...author, timestamp: 4 },
      committer,
    });
    expect(commit.author.timestamp).toBe(4);
    expect(commit.committer).toEqual(committer);
  });

  it('makes a root commit first and then commits with the current head as parent', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    const first = t.repo.commit({ message: 'one', author });
    t.repo.add('a', '2');
    const second = t.repo.commit({ message: 'two', author });
    expect(first.commit.parents).toEqual([]);
    expect(second.commit.parents).toEqual([first.oid]);
    expect(t.repo.head()).toEqual({ branch: 'main', oid: second.oid });
  });

  it('fails with COMMIT_FAILED when the index equals HEAD, unless allowEmpty', () => {
    const t = TestRepo.create();
    expect(() => t.repo.commit({ message: 'm', author })).toThrow(NothingToCommitError);
    expect(() => t.repo.commit({ message: 'm', author })).toThrow(
      'failed to commit: nothing to commit',
    );
    const empty = t.repo.commit({ message: 'm', author, allowEmpty: true });
    expect(empty.commit.tree).toBe(EMPTY_TREE_OID);
    t.repo.write('untracked', 'not staged');
    expect(() => t.repo.commit({ message: 'm', author })).toThrow(NothingToCommitError);
    const again = t.repo.commit({ message: 'm', author, allowEmpty: true });
    expect(again.commit.parents).toEqual([empty.oid]);
  });

  it.each([
    ['an empty message', ''],
    ['a blank message', ' \n\t '],
    ['a NUL byte', 'a\0b'],
    ['a lone surrogate', 'a\ud800b'],
    ['more than 100000 bytes', 'é'.repeat(50_001)],
  ])('rejects %s with INVALID_COMMIT_MESSAGE and changes nothing', (_label, message) => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    expect(() => t.repo.commit({ message, author })).toThrow(InvalidCommitMessageError);
    expect(t.repo.head().oid).toBeNull();
    expect(t.repo.status().staged).toEqual(['a']);
  });

  it('accepts a message of exactly 100000 bytes', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    expect(t.repo.commit({ message: 'x'.repeat(100_000), author }).commit.message).toHaveLength(
      100_001,
    );
  });

  it('rejects identities that would corrupt the commit with INVALID_REQUEST', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    expect(() =>
      t.repo.commit({ message: 'm', author: { name: 'Eve <x>', email: 'e@x' } }),
    ).toThrow(InvalidIdentityError);
    expect(() => t.repo.commit({ message: 'm', author: { name: 'E', email: 'e@x\n' } })).toThrow(
      InvalidIdentityError,
    );
    expect(() =>
      t.repo.commit({ message: 'm', author: { name: 'E', email: 'e@x', timezone: 'UTC' } }),
    ).toThrow(InvalidIdentityError);
    expect(t.repo.head().oid).toBeNull();
  });

  it('writes git-style reflog entries on the branch and on HEAD', () => {
    const t = TestRepo.create();
    t.repo.add('a', '1');
    const first = t.repo.commit({ message: 'first line\n\nbody', author });
    t.repo.add('a', '2');
    const second = t.repo.commit({ message: 'second', author });
    for (const ref of ['refs/heads/main', 'HEAD']) {
      expect(t.repo.refs.reflog(ref).map((e) => [e.oldOid, e.newOid, e.message])).toEqual([
        [ZERO_OID, first.oid, 'commit (initial): first line'],
        [first.oid, second.oid, 'commit: second'],
      ]);
    }
  });

  it('moves HEAD itself when detached, leaving the branch alone', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    t.repo.checkout(c1);
    t.repo.add('a', '2');
    const { oid, branch } = t.repo.commit({ message: 'detached', author });
    expect(branch).toBeNull();
    expect(t.repo.head()).toEqual({ branch: null, oid });
    expect(t.repo.getBranch('main').commit).toBe(c1);
    expect(t.repo.refs.reflog('HEAD').at(-1)?.message).toBe('commit: detached');
  });

  it('throws CONCURRENT_UPDATE and keeps the index when the branch moved between read and write', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    const repo = t.repo;
    repo.add('b', '2');
    // Simulate a writer that moves main after our commit read HEAD: wrap the ref store's update.
    const other = t.commit({ branch: 'other', files: { x: 'y' } });
    const update = repo.refs.update.bind(repo.refs);
    let raced = false;
    repo.refs.update = (change) => {
      if (!raced && change.name === 'refs/heads/main') {
        raced = true;
        update({ name: 'refs/heads/main', expect: c1, next: other });
      }
      return update(change);
    };
    expect(() => repo.commit({ message: 'm', author })).toThrow(ConcurrentUpdateError);
    expect(repo.head().oid).toBe(other);
    expect(repo.status().staged).toContain('b');
    expect(repo.working.index.change('b')).not.toBeUndefined();
  });

  it('rebuilds only the trees on changed paths and reuses unchanged subtree ids', () => {
    const t = TestRepo.create();
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`d${i % 5}/s${i % 3}/f${i}`] = `${i}`;
    const base = t.commit({ files });
    const before = t.repo.odb.store.size;
    t.repo.add('d2/s1/f7', 'changed');
    const { commit } = t.repo.commit({ message: 'm', author });
    // blob + d2/s1 + d2 + root + commit
    expect(t.repo.odb.store.size - before).toBe(5);
    const oldRoot = new Map(
      t.repo.odb.readTree(t.repo.odb.readCommit(base).tree).map((e) => [e.name, e.oid]),
    );
    for (const entry of t.repo.odb.readTree(commit.tree)) {
      if (entry.name === 'd2') expect(entry.oid).not.toBe(oldRoot.get('d2'));
      else expect(entry.oid).toBe(oldRoot.get(entry.name));
    }
  });

  it('after a commit, readAt returns exactly what was added (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(repoPathArb, contentArb), { minLength: 1, maxLength: 20 }),
        (adds) => {
          const t = TestRepo.create();
          const expected = new Map<string, string>();
          for (const [path, content] of adds) {
            try {
              t.repo.add(path, content);
              for (const key of [...expected.keys()])
                if (key.startsWith(`${path}/`) || path.startsWith(`${key}/`)) expected.delete(key);
              expected.set(path, content);
            } catch {
              // clashes are covered by the working-state properties
            }
          }
          t.repo.commit({ message: 'm', author, allowEmpty: true });
          for (const [path, content] of expected) {
            expect(Buffer.from(t.repo.readAt('HEAD', path).content).toString('utf8')).toBe(content);
          }
          expect(
            t.repo
              .listTree('', { recursive: true, commit: 'HEAD' })
              .map((e) => e.path)
              .sort(),
          ).toEqual([...expected.keys()].sort());
          expect(t.repo.status().clean).toBe(true);
        },
      ),
      fcParams(200),
    );
  });
});
