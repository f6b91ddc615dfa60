/**
 * The TestRepo builder is test infrastructure other suites rely on: its defaults (branch,
 * parents, clock) and its file specs must do what its header promises.
 */
import { FileMode } from '../../../../src/core/objects/file-mode';
import { TEST_AUTHOR, TEST_EPOCH, TestClock, TestRepo } from '../../../support/test-repo';

describe('TestRepo', () => {
  it('commits on the current branch with its tip as parent, ticking the clock', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    const c2 = t.commit({ files: { b: '2' }, message: 'second' });
    const commit = t.repo.odb.readCommit(c2);
    expect(commit.parents).toEqual([c1]);
    expect(commit.message).toBe('second\n');
    expect(commit.author).toEqual({ ...TEST_AUTHOR, timestamp: TEST_EPOCH + 2, timezone: '+0000' });
    expect(t.repo.head()).toEqual({ branch: 'main', oid: c2 });
    expect(t.files(c2)).toEqual({ a: '1', b: '2' });
  });

  it('applies deletions and explicit modes on top of the first parent', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1', 'd/b': '2' } });
    const c2 = t.commit({
      files: { a: null, 'run.sh': { content: 'x', mode: FileMode.Executable } },
    });
    expect(t.files(c2)).toEqual({ 'd/b': '2', 'run.sh': 'x' });
    expect(t.repo.listTree('run.sh', { commit: c2 })[0]?.mode).toBe(FileMode.Executable);
  });

  it('commits on another branch without touching the current one', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    t.branch('side', c1);
    const s1 = t.commit({ branch: 'side', files: { s: '1' } });
    expect(t.repo.getBranch('side').commit).toBe(s1);
    expect(t.repo.head().oid).toBe(c1);
    expect(t.repo.status().clean).toBe(true);
  });

  it('builds merge commits from explicit parents', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { a: '1' } });
    t.branch('side', base);
    const side = t.commit({ branch: 'side', files: { s: '1' } });
    const main = t.commit({ files: { m: '1' } });
    const merge = t.commit({ parents: [main, side], files: { s: '1' } });
    expect(t.repo.odb.readCommit(merge).parents).toEqual([main, side]);
    expect(t.files(merge)).toEqual({ a: '1', m: '1', s: '1' });
    expect(t.repo.head().oid).toBe(merge);
  });

  it('keeps a clean checkout in step with commits on the current branch, but not a dirty one', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1' } });
    expect(t.repo.readWorking('a').content).toEqual(Buffer.from('1'));
    t.repo.write('local', 'x');
    t.commit({ files: { a: '2' } });
    expect(t.repo.readWorking('a').content).toEqual(Buffer.from('1'));
  });

  it('shares an injected clock and makes identical histories identical', () => {
    const clock = new TestClock(42);
    const a = TestRepo.create({ clock });
    expect(a.commit({ files: { x: 'y' } })).toBe(
      TestRepo.create({ clock: new TestClock(42) }).commit({ files: { x: 'y' } }),
    );
    expect(clock.now()).toBe(43);
  });

  it('creates lightweight and annotated tags', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    expect(t.tag('light', c1)).toBe(c1);
    const object = t.tag('heavy', c1, { message: 'm' });
    expect(t.repo.odb.typeOf(object)).toBe('tag');
    expect(t.repo.getTag('heavy').commit).toBe(c1);
  });
});
