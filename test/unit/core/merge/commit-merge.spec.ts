/**
 * mergeCommits: the tree merge against the merge base(s) — a single base, a criss-cross with
 * two bases merged into a virtual base (checked against what git 2.39 writes), and unrelated
 * histories merged against the empty tree.
 */
import { hashObject } from '../../../../src/core/objects/git-object';
import { mergeCommits } from '../../../../src/core/merge/commit-merge';
import { HistoryBuilder } from '../../../support/history-builder';
import { readContents } from './merge-fixtures';

const labels = { ours: 'ours', theirs: 'theirs' };

describe('mergeCommits', () => {
  it('merges against the single merge base and reports it', () => {
    const h = new HistoryBuilder();
    const base = h.commit({ files: { f: '1\n2\n3\n', g: 'g\n' } });
    const ours = h.commit({ parents: [base], files: { f: '1\n2\n3\nours\n', g: 'g\n' } });
    const theirs = h.commit({ parents: [base], files: { f: 'theirs\n1\n2\n3\n', g: 'g\n' } });
    const result = mergeCommits(h.odb, h.graph, ours, theirs, { labels });
    expect(result.bases).toEqual([base]);
    expect(result.clean).toBe(true);
    expect(readContents(h.odb, result.tree)).toEqual({ f: 'theirs\n1\n2\n3\nours\n', g: 'g\n' });
  });

  it('returns the other tree when one commit is an ancestor of the other', () => {
    const h = new HistoryBuilder();
    const base = h.commit({ files: { f: 'a\n' } });
    const ahead = h.commit({ parents: [base], files: { f: 'b\n' } });
    const result = mergeCommits(h.odb, h.graph, base, ahead);
    expect(result).toMatchObject({ clean: true, bases: [base], tree: h.graph.tree(ahead) });
  });

  it('merges criss-cross merge bases into a virtual base first, as git does', () => {
    // git 2.39 reports a conflict here: the virtual base holds b's and a's versions in markers,
    // so ours' "a" and theirs' "c" both changed it. With base a1 alone the merge would be clean.
    const h = new HistoryBuilder();
    const root = h.commit({ files: { f: 'r\n' } });
    const a1 = h.commit({ parents: [root], files: { f: 'a\n' } });
    const b1 = h.commit({ parents: [root], files: { f: 'b\n' } });
    const ours = h.commit({ parents: [a1, b1], files: { f: 'a\n' } });
    const theirs = h.commit({ parents: [b1, a1], files: { f: 'c\n' } });
    const result = mergeCommits(h.odb, h.graph, ours, theirs, { labels });
    expect(result.bases).toEqual([a1, b1].sort());
    expect(result.clean).toBe(false);
    const virtualBase =
      '<<<<<<<<< Temporary merge branch 1\na\n=========\nb\n>>>>>>>>> Temporary merge branch 2\n';
    expect(result.conflicts[0]?.base?.oid).toBe(hashObject('blob', Buffer.from(virtualBase)));
    expect(readContents(h.odb, result.tree)).toEqual({
      f: '<<<<<<< ours\na\n=======\nc\n>>>>>>> theirs\n',
    });
  });

  it('merges unrelated histories against the empty tree', () => {
    const h = new HistoryBuilder();
    const ours = h.commit({ files: { shared: 'same\n', mine: 'm\n', clash: 'one\n' } });
    const theirs = h.commit({ files: { shared: 'same\n', yours: 'y\n', clash: 'two\n' } });
    const result = mergeCommits(h.odb, h.graph, ours, theirs, { labels });
    expect(result.bases).toEqual([]);
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([['clash', 'add/add']]);
    expect(readContents(h.odb, result.tree)).toEqual({
      shared: 'same\n',
      mine: 'm\n',
      yours: 'y\n',
      clash: '<<<<<<< ours\none\n=======\ntwo\n>>>>>>> theirs\n',
    });
  });
});
