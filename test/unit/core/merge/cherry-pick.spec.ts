/**
 * cherryPickTree and revertTree: a commit's change (or its inverse) applied to another tree by
 * a three-way merge, with git's sequencer labels and mainline rules.
 */
import { InvalidMainlineError } from '../../../../src/core/errors/merge-errors';
import { cherryPickTree, revertTree } from '../../../../src/core/merge/cherry-pick';
import { shortOid } from '../../../../src/core/objects/oid';
import { HistoryBuilder } from '../../../support/history-builder';
import { readContents } from './merge-fixtures';

function history() {
  const h = new HistoryBuilder();
  const base = h.commit({ files: { f: '1\n2\n3\n4\n5\n', g: 'g\n' } });
  const fix = h.commit({
    parents: [base],
    files: { f: '1\n2\n3\n4\nfive\n', g: 'g\n' },
    message: 'fix five',
  });
  const other = h.commit({
    parents: [base],
    files: { f: 'one\n2\n3\n4\n5\n', g: 'g\n', h: 'h\n' },
  });
  return { h, base, fix, other };
}

describe('cherryPickTree', () => {
  it("applies the commit's change onto another tree and keeps that tree's own changes", () => {
    const { h, fix, other } = history();
    const result = cherryPickTree(h.odb, fix, undefined, h.graph.tree(other));
    expect(result.clean).toBe(true);
    expect(readContents(h.odb, result.tree)).toEqual({
      f: 'one\n2\n3\n4\nfive\n',
      g: 'g\n',
      h: 'h\n',
    });
  });

  it('labels a conflict HEAD against "<short id> (<subject>)"', () => {
    const { h, base, fix } = history();
    const onto = h.commit({ parents: [base], files: { f: '1\n2\n3\n4\nFIVE\n', g: 'g\n' } });
    const result = cherryPickTree(h.odb, fix, undefined, h.graph.tree(onto));
    expect(result.clean).toBe(false);
    expect(readContents(h.odb, result.tree).f).toBe(
      `1\n2\n3\n4\n<<<<<<< HEAD\nFIVE\n=======\nfive\n>>>>>>> ${shortOid(fix)} (fix five)\n`,
    );
  });

  it('picks a root commit as the change from the empty tree', () => {
    const { h, other } = history();
    const root = h.commit({ files: { added: 'new\n' } });
    const result = cherryPickTree(h.odb, root, undefined, h.graph.tree(other));
    expect(result.clean).toBe(true);
    expect(readContents(h.odb, result.tree)).toMatchObject({ added: 'new\n', h: 'h\n' });
  });

  it('uses the chosen parent of a merge commit and refuses a merge without one', () => {
    const { h, base, fix, other } = history();
    const merge = h.commit({
      parents: [fix, other],
      files: { f: 'one\n2\n3\n4\nfive\n', g: 'g\n', h: 'h\n' },
    });
    // Relative to parent 1 (fix), the merge brought in `one` and h.
    const result = cherryPickTree(h.odb, merge, 1, h.graph.tree(base));
    expect(readContents(h.odb, result.tree)).toEqual({
      f: 'one\n2\n3\n4\n5\n',
      g: 'g\n',
      h: 'h\n',
    });
    expect(() => cherryPickTree(h.odb, merge, undefined, h.graph.tree(base))).toThrow(
      InvalidMainlineError,
    );
    expect(() => cherryPickTree(h.odb, merge, 3, h.graph.tree(base))).toThrow(
      /does not have parent 3/,
    );
  });

  it('refuses a mainline for a commit that is not a merge, with the cherry-pick code', () => {
    const { h, fix, other } = history();
    let error: unknown;
    try {
      cherryPickTree(h.odb, fix, 1, h.graph.tree(other));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidMainlineError);
    expect((error as InvalidMainlineError).code).toBe('CHERRY_PICK_FAILED');
    expect((error as InvalidMainlineError).kind).toBe('invalid-argument');
  });
});

describe('revertTree', () => {
  it("undoes the commit's change on a tree that has moved on", () => {
    const { h, fix } = history();
    const later = h.commit({ parents: [fix], files: { f: 'one\n2\n3\n4\nfive\n', g: 'g\n' } });
    const result = revertTree(h.odb, fix, undefined, h.graph.tree(later));
    expect(result.clean).toBe(true);
    expect(readContents(h.odb, result.tree)).toEqual({ f: 'one\n2\n3\n4\n5\n', g: 'g\n' });
  });

  it('reports the revert code for a merge commit without a mainline', () => {
    const { h, fix, other } = history();
    const merge = h.commit({ parents: [fix, other] });
    let error: unknown;
    try {
      revertTree(h.odb, merge, undefined, h.graph.tree(merge));
    } catch (caught) {
      error = caught;
    }
    expect((error as InvalidMainlineError).code).toBe('REVERT_FAILED');
  });
});
