/**
 * TreeEdit: edits over a committed tree recorded as made, the working tree's layout rules, and
 * a build that rewrites only the trees on changed paths.
 */
import { InvalidFileContentError } from '../../../../src/core/errors/path-errors';
import { FileMode } from '../../../../src/core/objects/file-mode';
import { TreeEdit } from '../../../../src/core/repo/tree-edit';
import { TreeView } from '../../../../src/core/repo/tree-view';
import { TestRepo } from '../../../support/test-repo';

function setup(): { t: TestRepo; edit: TreeEdit; tree: string } {
  const t = TestRepo.create();
  const oid = t.commit({ files: { 'a.txt': 'a', 'dir/b.txt': 'b', 'other/c.txt': 'c' } });
  const tree = t.repo.odb.readCommit(oid).tree;
  return { t, edit: new TreeEdit(t.repo.odb, new TreeView(t.repo.odb, tree)), tree };
}

describe('TreeEdit', () => {
  it('keeps a rewrite with unchanged content as an edit, but builds the base tree back', () => {
    const { t, edit, tree } = setup();
    edit.put('a.txt', { mode: FileMode.Regular, oid: t.repo.odb.writeBlob('a') });
    expect(edit.size).toBe(1);
    expect(edit.isNoOp).toBe(true);
    expect(edit.build()).toBe(tree);
  });

  it('marks deleted base files and simply forgets deleted added ones', () => {
    const { t, edit } = setup();
    edit.put('new.txt', { mode: FileMode.Regular, oid: t.repo.odb.writeBlob('n') });
    expect(edit.delete('new.txt')).toEqual(['new.txt']);
    expect(edit.change('new.txt')).toBeUndefined();
    expect(edit.delete('dir')).toEqual(['dir/b.txt']);
    expect(edit.change('dir/b.txt')).toBeNull();
    expect(edit.delete('missing')).toEqual([]);
    expect(edit.isNoOp).toBe(false);
  });

  it('refuses a file on the way to a path or a directory in its place', () => {
    const { t, edit } = setup();
    const entry = { mode: FileMode.Regular, oid: t.repo.odb.writeBlob('x') };
    expect(() => edit.put('a.txt/x', entry)).toThrow(InvalidFileContentError);
    expect(() => edit.put('dir', entry)).toThrow(InvalidFileContentError);
    edit.delete('dir');
    expect(() => edit.put('dir', entry)).not.toThrow();
  });

  it('rewrites only the trees on changed paths', () => {
    const { t, edit, tree } = setup();
    edit.put('dir/b.txt', { mode: FileMode.Regular, oid: t.repo.odb.writeBlob('B') });
    const built = edit.build();
    const before = new TreeView(t.repo.odb, tree);
    const after = new TreeView(t.repo.odb, built);
    expect(after.treeAt('other')).toBe(before.treeAt('other'));
    expect(after.treeAt('dir')).not.toBe(before.treeAt('dir'));
    expect(after.file('a.txt')).toEqual(before.file('a.txt'));
  });
});
