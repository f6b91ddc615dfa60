/**
 * Blame answers "which commit wrote this line". The rules pinned here are git's (the interop
 * suite compares with `git blame --porcelain` in bulk): lines are handed to parents through the
 * same line diff as `git diff` (indent heuristic included), a merge hands a whole file to a
 * parent that has it unchanged and otherwise prefers the first parent, renames are not
 * followed (our documented difference), and the API's range and binary rules hold.
 */
import { BinaryBlameError, InvalidBlameRangeError } from '../../../../src/core/errors/diff-errors';
import { FileNotFoundError } from '../../../../src/core/errors/path-errors';
import { blame } from '../../../../src/core/walk/blame';
import { TestRepo } from '../../../support/test-repo';

function who(t: TestRepo, commit: string, path = 'f.txt'): string[] {
  return blame(t.repo.odb, commit, path).map(
    (l) => `${l.commit.slice(0, 7)}:${l.originalLineNumber}:${l.content}`,
  );
}

function tag(commit: string, line: number, content: string): string {
  return `${commit.slice(0, 7)}:${line}:${content}`;
}

describe('blame', () => {
  it('attributes each line to the commit that last introduced it, with its line number there', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'f.txt': 'a\nb\nc\n' } });
    const c2 = t.commit({ files: { 'f.txt': 'a\nB\nc\n' } });
    const c3 = t.commit({ files: { 'f.txt': 'new\na\nB\nc\n' } });
    expect(who(t, c3)).toEqual([
      tag(c3, 1, 'new'),
      tag(c1, 1, 'a'),
      tag(c2, 2, 'B'),
      tag(c1, 3, 'c'),
    ]);
    expect(blame(t.repo.odb, c3, 'f.txt').map((l) => l.lineNumber)).toEqual([1, 2, 3, 4]);
  });

  it('passes over commits that did not touch the file', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'f.txt': 'a\n' } });
    const c2 = t.commit({ files: { other: 'x' } });
    expect(who(t, c2)).toEqual([tag(c1, 1, 'a')]);
  });

  it('credits the commit that removed a final newline with the last line', () => {
    const t = TestRepo.create();
    t.commit({ files: { 'f.txt': 'a\nb\n' } });
    const c2 = t.commit({ files: { 'f.txt': 'a\nb' } });
    expect(who(t, c2)[1]).toBe(tag(c2, 2, 'b'));
  });

  it('places an ambiguous insertion where the indent heuristic does, like git blame', () => {
    const t = TestRepo.create();
    const c1 = t.commit({
      files: { 'f.txt': '    x();\n    y();\n}\nif (a) {\n\n    if (b) {\n' },
    });
    const c2 = t.commit({
      files: {
        'f.txt':
          '    x();\n        z();\n    y();\n}\n    x();\n    y();\n}\nif (a) {\n\n    if (b) {\n',
      },
    });
    expect(blame(t.repo.odb, c2, 'f.txt').map((l) => (l.commit === c2 ? 'new' : 'old'))).toEqual([
      'new',
      'new',
      'new',
      'new',
      'old',
      'old',
      'old',
      'old',
      'old',
      'old',
    ]);
    expect(c1).not.toBe(c2);
  });

  it('follows a line of a merge into the side branch that wrote it', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { 'f.txt': 'a\nb\nc\n' } });
    const main = t.commit({ files: { 'f.txt': 'A\nb\nc\n' } });
    const side = t.commit({ parents: [base], branch: 'side', files: { 'f.txt': 'a\nb\nC\n' } });
    const merge = t.commit({ parents: [main, side], files: { 'f.txt': 'A\nb\nC\n' } });
    expect(who(t, merge)).toEqual([tag(main, 1, 'A'), tag(base, 2, 'b'), tag(side, 3, 'C')]);
  });

  it('prefers the first parent for a line both parents added', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { 'f.txt': 'a\n' } });
    const main = t.commit({ files: { 'f.txt': 'a\nsame\nm\n' } });
    const side = t.commit({ parents: [base], branch: 'side', files: { 'f.txt': 'a\nsame\ns\n' } });
    const merge = t.commit({ parents: [main, side], files: { 'f.txt': 'a\nsame\nm\ns\n' } });
    expect(who(t, merge)).toEqual([
      tag(base, 1, 'a'),
      tag(main, 2, 'same'),
      tag(main, 3, 'm'),
      tag(side, 3, 's'),
    ]);
  });

  it('hands the whole file to a parent whose version is identical, as git does', () => {
    const t = TestRepo.create();
    const base = t.commit({ files: { 'f.txt': 'a\nb\n' } });
    t.commit({ files: { 'f.txt': 'a\nb\nx\n' } });
    const main = t.commit({ files: { 'f.txt': 'a\nb\nx\ny\n' } });
    const side = t.commit({ parents: [base], branch: 'side', files: { 'f.txt': 'a\nb\nx\n' } });
    const merge = t.commit({ parents: [main, side], files: { 'f.txt': 'a\nb\nx\n' } });
    // "x" also exists (from another commit) in the first parent, but the second parent's file is
    // the merge result, so every line follows the second parent.
    expect(who(t, merge)[2]).toBe(tag(side, 3, 'x'));
  });

  it('does not follow renames: lines of a moved file belong to the move', () => {
    const t = TestRepo.create();
    t.commit({ files: { 'old.txt': 'a\nb\n' } });
    const moved = t.commit({ files: { 'old.txt': null, 'f.txt': 'a\nb\n' } });
    expect(who(t, moved)).toEqual([tag(moved, 1, 'a'), tag(moved, 2, 'b')]);
  });

  it('returns only the requested range, capping the end at the last line', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'f.txt': '1\n2\n3\n4\n' } });
    const lines = blame(t.repo.odb, c1, 'f.txt', { start: 2, end: 99 });
    expect(lines.map((l) => [l.lineNumber, l.content])).toEqual([
      [2, '2'],
      [3, '3'],
      [4, '4'],
    ]);
  });

  it('rejects a range starting before line 1, ending before its start, or starting past the end', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'f.txt': '1\n2\n' } });
    for (const range of [{ start: 0 }, { start: 2, end: 1 }, { start: 3 }]) {
      expect(() => blame(t.repo.odb, c1, 'f.txt', range)).toThrow(InvalidBlameRangeError);
    }
    expect(new InvalidBlameRangeError('f', 'x', { start: 0 }).code).toBe('INVALID_REQUEST');
  });

  it('returns no lines for an empty file', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'f.txt': '' } });
    expect(blame(t.repo.odb, c1, 'f.txt')).toEqual([]);
  });

  it('refuses binary files with a request error', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'f.bin': new Uint8Array([1, 0, 2]) } });
    expect(() => blame(t.repo.odb, c1, 'f.bin')).toThrow(BinaryBlameError);
    expect(new BinaryBlameError('f.bin').kind).toBe('invalid-argument');
  });

  it('reports a missing path or a directory as file not found, naming the revision', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'dir/f.txt': 'x\n' } });
    expect(() => blame(t.repo.odb, c1, 'nope.txt', { revisionLabel: 'main' })).toThrow(
      "file 'nope.txt' not found at ref 'main'",
    );
    expect(() => blame(t.repo.odb, c1, 'dir')).toThrow(FileNotFoundError);
  });

  // Speed is reported by `npm run bench`; here only the attribution is checked.
  it('blames a 1,000-line file edited over 200 commits', () => {
    const t = TestRepo.create();
    let lines = Array.from({ length: 1000 }, (_, i) => `line ${i} of the original file`);
    let head = t.commit({ files: { 'big.txt': `${lines.join('\n')}\n` } });
    for (let c = 1; c < 200; c++) {
      const at = (c * 37) % lines.length;
      lines = [...lines.slice(0, at), `edited in commit ${c}`, ...lines.slice(at + 1)];
      if (c % 10 === 0) lines.splice((c * 13) % lines.length, 0, `inserted in commit ${c}`);
      head = t.commit({ files: { 'big.txt': `${lines.join('\n')}\n` } });
    }
    const result = blame(t.repo.odb, head, 'big.txt');
    expect(result).toHaveLength(lines.length);
    expect(result.map((l) => l.content)).toEqual(lines);
    expect(result.filter((l) => l.content.startsWith('edited in commit 199'))).toHaveLength(1);
    expect(result.find((l) => l.content === 'edited in commit 199')!.commit).toBe(head);
  });
});
