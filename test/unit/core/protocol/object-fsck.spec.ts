/**
 * The receive.fsckObjects-strict checks on pushed objects: what git writes passes; each kind of
 * malformed or dangerous object is refused with git's message id.
 */
import { createHash } from 'node:crypto';
import type { ObjectType, RawObject } from '../../../../src/core/objects/git-object';
import { serializeTree } from '../../../../src/core/objects/tree';
import { checkReceivedObjects, ObjectCheckError } from '../../../../src/core/protocol/object-fsck';

function object(type: ObjectType, text: string | Buffer): [string, RawObject] {
  const body = typeof text === 'string' ? Buffer.from(text) : text;
  const oid = createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
  return [oid, { type, body }];
}

const blob = object('blob', 'hello\n');
const ident = 'A U Thor <a@example.com> 1700000000 +0100';

function treeWith(
  entries: Array<{ mode: string; name: string; oid: string }>,
): [string, RawObject] {
  return object('tree', serializeTree(entries));
}

function check(...objects: Array<[string, RawObject]>): void {
  checkReceivedObjects(new Map(objects), () => undefined);
}

function checkFails(id: string, ...objects: Array<[string, RawObject]>): void {
  try {
    check(...objects);
  } catch (error) {
    expect(error).toBeInstanceOf(ObjectCheckError);
    expect((error as ObjectCheckError).check).toBe(id);
    return;
  }
  throw new Error(`expected ${id}`);
}

describe('checkReceivedObjects', () => {
  const tree = treeWith([{ mode: '100644', name: 'a.txt', oid: blob[0] }]);
  const commit = object('commit', `tree ${tree[0]}\nauthor ${ident}\ncommitter ${ident}\n\nmsg\n`);

  it('accepts well-formed objects that link to each other', () => {
    const tag = object('tag', `object ${commit[0]}\ntype commit\ntag v1\ntagger ${ident}\n\nrel\n`);
    expect(() => check(blob, tree, commit, tag)).not.toThrow();
  });

  it('accepts links to objects the repository already has', () => {
    const objects = new Map([commit]);
    expect(() =>
      checkReceivedObjects(objects, (oid) => (oid === tree[0] ? 'tree' : undefined)),
    ).not.toThrow();
  });

  it.each([
    ['.git', 'hasDotgit'],
    ['.GIT', 'hasDotgit'],
    ['.Git.', 'hasDotgit'],
    ['git~1', 'hasDotgit'],
    ['.git::$INDEX_ALLOCATION', 'hasDotgit'],
    ['.g\u200cit', 'hasDotgit'],
    ['..', 'hasDotdot'],
    ['.', 'hasDot'],
    ['..\\evil', 'hasDotgit'],
  ])('refuses a tree entry named %j', (name, id) => {
    checkFails(id, blob, treeWith([{ mode: '100644', name, oid: blob[0] }]));
  });

  it('refuses bad modes, zero-padded modes, unsorted and duplicate entries', () => {
    checkFails('badFilemode', blob, treeWith([{ mode: '100664', name: 'a', oid: blob[0] }]));
    const raw = (entries: Array<[string, string]>) =>
      object(
        'tree',
        Buffer.concat(
          entries.map(([mode, name]) =>
            Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(blob[0], 'hex')]),
          ),
        ),
      );
    checkFails('zeroPaddedFilemode', blob, raw([['0100644', 'a']]));
    checkFails(
      'treeNotSorted',
      blob,
      raw([
        ['100644', 'b'],
        ['100644', 'a'],
      ]),
    );
    checkFails(
      'duplicateEntries',
      blob,
      raw([
        ['100644', 'a'],
        ['100644', 'a'],
      ]),
    );
  });

  it('refuses a .gitmodules symlink and a dangerous .gitmodules', () => {
    checkFails(
      'gitmodulesSymlink',
      blob,
      treeWith([{ mode: '120000', name: '.gitmodules', oid: blob[0] }]),
    );
    const url = object('blob', '[submodule "x"]\n\tpath = x\n\turl = -upload-pack=evil\n');
    checkFails(
      'gitmodulesUrl',
      url,
      treeWith([{ mode: '100644', name: '.gitmodules', oid: url[0] }]),
    );
    const name = object('blob', '[submodule "../../hooks"]\n\tpath = x\n\turl = https://x/y\n');
    checkFails(
      'gitmodulesName',
      name,
      treeWith([{ mode: '100644', name: '.gitmodules', oid: name[0] }]),
    );
  });

  it('refuses malformed commits and tags', () => {
    checkFails('missingTree', object('commit', `author ${ident}\ncommitter ${ident}\n\nx\n`));
    checkFails(
      'badEmail',
      blob,
      tree,
      object('commit', `tree ${tree[0]}\nauthor nobody\ncommitter ${ident}\n\nx\n`),
    );
    checkFails(
      'badTimezone',
      blob,
      tree,
      object('commit', `tree ${tree[0]}\nauthor A <a@b> 17 +1\ncommitter ${ident}\n\nx\n`),
    );
    checkFails(
      'zeroPaddedDate',
      blob,
      tree,
      object('commit', `tree ${tree[0]}\nauthor A <a@b> 017 +0000\ncommitter ${ident}\n\nx\n`),
    );
    checkFails(
      'missingTagEntry',
      commit,
      blob,
      tree,
      object('tag', `object ${commit[0]}\ntype commit\n\nx\n`),
    );
  });

  it('refuses missing and mistyped links', () => {
    checkFails('missingObject', tree);
    const wrong = object('commit', `tree ${blob[0]}\nauthor ${ident}\ncommitter ${ident}\n\nx\n`);
    checkFails('badType', blob, wrong);
  });
});
