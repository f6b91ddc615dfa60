/**
 * Tags (contract §3.4): lightweight and annotated creation, errors, listing with the peeled
 * commit, get and delete.
 */
import { isGitError } from '../../../../src/core/errors/git-error';
import { TEST_AUTHOR, TEST_EPOCH, TestRepo } from '../../../support/test-repo';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (isGitError(error)) return error.code;
    throw error;
  }
}

describe('tags', () => {
  it('creates a lightweight tag at HEAD: a ref straight to the commit', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    expect(t.repo.createTag('v1')).toEqual({ name: 'v1', commit: c1, annotated: false });
    expect(t.repo.refs.read('refs/tags/v1')).toMatchObject({ kind: 'direct', oid: c1 });
  });

  it('creates an annotated tag object when a message is given', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    const tagger = { ...TEST_AUTHOR, timestamp: TEST_EPOCH + 100 };
    const info = t.repo.createTag('release/1.0', c1, { message: 'Release 1.0', tagger });
    expect(info).toEqual({
      name: 'release/1.0',
      commit: c1,
      annotated: true,
      object: expect.any(String),
      message: 'Release 1.0\n',
      tagger: { ...tagger, timezone: '+0000' },
    });
    const tag = t.repo.odb.readTag(info.object!);
    expect(tag).toMatchObject({
      object: c1,
      type: 'commit',
      name: 'release/1.0',
      message: 'Release 1.0\n',
    });
    expect(t.repo.resolveCommit('release/1.0')).toBe(c1);
  });

  it('writes the tag object git writes for the same input', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    const info = t.repo.createTag('v1', c1, {
      message: 'msg',
      tagger: { ...TEST_AUTHOR, timestamp: TEST_EPOCH },
    });
    const body = Buffer.from(t.repo.odb.readObject(info.object!).body).toString('utf8');
    expect(body).toBe(
      `object ${c1}\ntype commit\ntag v1\ntagger Test Author <author@example.com> ${TEST_EPOCH} +0000\n\nmsg\n`,
    );
  });

  it('keeps an empty annotated message empty', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1' } });
    expect(t.repo.createTag('v1', 'HEAD', { message: '' }).message).toBe('');
  });

  it('uses the default identity and the clock when no tagger is given', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1' } });
    expect(t.repo.createTag('v1', 'HEAD', { message: 'm' }).tagger).toEqual({
      name: 'Unknown',
      email: 'unknown@example.com',
      timestamp: t.clock.now(),
      timezone: '+0000',
    });
  });

  it('fails with TAG_EXISTS, INVALID_TAG_NAME, TAG_CREATE_FAILED and REF_NOT_FOUND as the contract says', () => {
    const empty = TestRepo.create();
    expect(codeOf(() => empty.repo.createTag('v1'))).toBe('TAG_CREATE_FAILED');
    const t = TestRepo.create();
    t.commit({ files: { a: '1' } });
    t.repo.createTag('v1');
    expect(codeOf(() => t.repo.createTag('v1'))).toBe('TAG_EXISTS');
    expect(codeOf(() => t.repo.createTag('bad..name'))).toBe('INVALID_TAG_NAME');
    expect(codeOf(() => t.repo.createTag('v2', 'nope'))).toBe('REF_NOT_FOUND');
    expect(codeOf(() => t.repo.createTag('v2', 'HEAD', { message: 'a\0b' }))).toBe(
      'INVALID_COMMIT_MESSAGE',
    );
    expect(t.repo.listTags().map((tag) => tag.name)).toEqual(['v1']);
  });

  it('lists tags by name with the peeled commit, and gets one', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    const c2 = t.commit({ files: { a: '2' } });
    t.tag('b-light', c1);
    const object = t.tag('a-annotated', c2, { message: 'hello' });
    const tags = t.repo.listTags();
    expect(tags.map((tag) => [tag.name, tag.commit, tag.annotated, tag.object])).toEqual([
      ['a-annotated', c2, true, object],
      ['b-light', c1, false, undefined],
    ]);
    expect(t.repo.getTag('a-annotated')).toEqual(tags[0]);
  });

  it('deletes a tag, returning what it pointed at; a missing tag is TAG_NOT_FOUND', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { a: '1' } });
    t.tag('v1', c1);
    expect(t.repo.deleteTag('v1')).toBe(c1);
    expect(codeOf(() => t.repo.deleteTag('v1'))).toBe('TAG_NOT_FOUND');
    expect(codeOf(() => t.repo.getTag('v1'))).toBe('TAG_NOT_FOUND');
  });
});
