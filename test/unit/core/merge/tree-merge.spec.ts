/**
 * mergeTrees: one test per kind of outcome merge-ort defines (clean merges, content, add/add,
 * modify/delete, renames, file/directory, modes and types, binary, submodules), the promise
 * not to read unchanged subtrees, and properties over generated trees.
 */
import fc from 'fast-check';
import { ObjectDatabase } from '../../../../src/core/objects/object-database';
import { mergeTrees } from '../../../../src/core/merge/tree-merge';
import { fcParams } from '../../../support/fast-check';
import {
  newDatabase,
  numberedLines,
  readContents,
  readSnapshot,
  RecordingObjectStore,
  writeSnapshot,
  type FileSnapshot,
} from './merge-fixtures';

const labels = { ours: 'main', theirs: 'topic' };

function merge(
  base: FileSnapshot,
  ours: FileSnapshot,
  theirs: FileSnapshot,
  options: Parameters<typeof mergeTrees>[4] = { labels },
) {
  const odb = newDatabase();
  const result = mergeTrees(
    odb,
    writeSnapshot(odb, base),
    writeSnapshot(odb, ours),
    writeSnapshot(odb, theirs),
    options,
  );
  return { odb, result, files: readContents(odb, result.tree) };
}

describe('mergeTrees', () => {
  it('combines changes to different files and to different lines of one file', () => {
    const base = { 'a.txt': 'a\n', 'dir/b.txt': 'b1\nb2\nb3\nb4\n', 'c.txt': 'c\n' };
    const { result, files } = merge(
      base,
      { ...base, 'a.txt': 'A\n', 'dir/b.txt': 'B1\nb2\nb3\nb4\n' },
      { ...base, 'c.txt': 'C\n', 'dir/b.txt': 'b1\nb2\nb3\nB4\n', 'new.txt': 'n\n' },
    );
    expect(result.clean).toBe(true);
    expect(result.conflicts).toEqual([]);
    expect(files).toEqual({
      'a.txt': 'A\n',
      'dir/b.txt': 'B1\nb2\nb3\nB4\n',
      'c.txt': 'C\n',
      'new.txt': 'n\n',
    });
  });

  it('writes a conflicted file with markers labelled by the side names', () => {
    const { result, files } = merge({ f: 'x\n' }, { f: 'ours\n' }, { f: 'theirs\n' });
    expect(result.clean).toBe(false);
    expect(result.conflicts).toEqual([
      expect.objectContaining({
        path: 'f',
        kind: 'content',
        message: 'CONFLICT (content): Merge conflict in f',
      }),
    ]);
    expect(result.conflicts[0]!.base?.path).toBe('f');
    expect(files.f).toBe('<<<<<<< main\nours\n=======\ntheirs\n>>>>>>> topic\n');
  });

  it('takes identical additions cleanly and conflicts on different ones (add/add)', () => {
    const same = merge({}, { f: 'same\n' }, { f: 'same\n' });
    expect(same.result.clean).toBe(true);
    expect(same.files).toEqual({ f: 'same\n' });

    const different = merge({}, { f: 'one\n' }, { f: 'two\n' });
    expect(different.result.conflicts.map((c) => [c.path, c.kind])).toEqual([['f', 'add/add']]);
    expect(different.result.conflicts[0]!.base).toBeUndefined();
    expect(different.files.f).toBe('<<<<<<< main\none\n=======\ntwo\n>>>>>>> topic\n');
  });

  it('keeps the modified version of a file the other side deleted (modify/delete)', () => {
    const { result, files } = merge(
      { f: 'x\n', g: 'g\n' },
      { f: 'changed\n', g: 'g\n' },
      { g: 'g\n' },
    );
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([['f', 'modify/delete']]);
    expect(result.conflicts[0]).toMatchObject({ ours: { path: 'f' }, base: { path: 'f' } });
    expect(result.conflicts[0]!.theirs).toBeUndefined();
    expect(files).toEqual({ f: 'changed\n', g: 'g\n' });
  });

  it('removes a file deleted on both sides, and one deleted on one side and untouched on the other', () => {
    const { result, files } = merge(
      { a: 'a\n', b: 'b\n', c: 'c\n' },
      { b: 'b\n', c: 'c\n' },
      { b: 'b\n' },
    );
    expect(result.clean).toBe(true);
    expect(files).toEqual({ b: 'b\n' });
  });

  it("applies the other side's edit to a renamed file at its new path", () => {
    const original = numberedLines('doc', 12);
    const renamedAndEdited = original.replace('doc line 1\n', 'doc line one\n');
    const edited = original.replace('doc line 12\n', 'doc line twelve\n');
    const { result, files } = merge(
      { 'old.txt': original },
      { 'docs/new.txt': renamedAndEdited },
      { 'old.txt': edited },
    );
    expect(result.clean).toBe(true);
    expect(files).toEqual({
      'docs/new.txt': renamedAndEdited.replace('doc line 12\n', 'doc line twelve\n'),
    });
  });

  it('treats a rename as a deletion plus an addition when rename detection is off', () => {
    const original = numberedLines('doc', 12);
    const { result, files } = merge(
      { 'old.txt': original },
      { 'new.txt': original },
      { 'old.txt': `${original}more\n` },
      { labels, renames: false },
    );
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([['old.txt', 'modify/delete']]);
    expect(Object.keys(files).sort()).toEqual(['new.txt', 'old.txt']);
  });

  it('keeps both targets of a file renamed differently on each side (rename/rename)', () => {
    const content = numberedLines('r', 10);
    const { result, files } = merge({ a: content }, { b: content }, { c: content });
    expect(result.clean).toBe(false);
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([
      ['a', 'rename/rename'],
      ['b', 'rename/rename'],
      ['c', 'rename/rename'],
    ]);
    expect(files).toEqual({ b: content, c: content });
  });

  it('reports a rename of a file the other side deleted at the new path (rename/delete)', () => {
    const content = numberedLines('r', 10);
    const { result, files } = merge(
      { a: content, keep: 'k\n' },
      { b: content, keep: 'k\n' },
      { keep: 'k\n' },
    );
    expect(result.conflicts.map((c) => [c.path, c.kind, c.relatedPaths])).toEqual([
      ['b', 'rename/delete', ['a']],
    ]);
    expect(files).toEqual({ b: content, keep: 'k\n' });
  });

  it('moves a file out of the way of a directory to path~label (file/directory)', () => {
    const { result, files } = merge(
      { keep: 'k\n' },
      { keep: 'k\n', 'p/inner': 'dir\n' },
      { keep: 'k\n', p: 'file\n' },
    );
    expect(result.conflicts.map((c) => [c.path, c.kind, c.relatedPaths])).toEqual([
      ['p~topic', 'file/directory', ['p']],
    ]);
    expect(files).toEqual({ keep: 'k\n', 'p/inner': 'dir\n', 'p~topic': 'file\n' });
  });

  it('flattens slashes of the label in the moved-aside path', () => {
    const { result } = merge(
      {},
      { 'p/inner': 'dir\n' },
      { p: 'file\n' },
      { labels: { ours: 'main', theirs: 'feature/x' } },
    );
    expect(result.conflicts.map((c) => c.path)).toEqual(['p~feature_x']);
  });

  it('lets a file take the path of a directory that merged away', () => {
    const { result, files } = merge(
      { 'd/x': 'x\n', other: 'o\n' },
      { d: 'now a file\n', other: 'o\n' },
      { 'd/x': 'x\n', other: 'O\n' },
    );
    expect(result.clean).toBe(true);
    expect(files).toEqual({ d: 'now a file\n', other: 'O\n' });
  });

  it("combines one side's executable bit with the other side's edit", () => {
    const { odb, result } = merge(
      { run: 'v1\n' },
      { run: { content: 'v1\n', mode: '100755' } },
      { run: 'v2\n' },
    );
    expect(result.clean).toBe(true);
    expect(readSnapshot(odb, result.tree)).toEqual({ run: { mode: '100755', content: 'v2\n' } });
  });

  it('reports a mode conflict when both sides add the same content with different modes', () => {
    const { odb, result } = merge(
      {},
      { run: 'same\n' },
      { run: { content: 'same\n', mode: '100755' } },
    );
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([['run', 'mode']]);
    expect(readSnapshot(odb, result.tree)).toEqual({ run: { mode: '100644', content: 'same\n' } });
  });

  it('records both when one side turns a file into a symlink and the other edits it', () => {
    const { odb, result } = merge(
      { f: 'text\n' },
      { f: { content: 'target', mode: '120000' } },
      { f: 'edited\n' },
    );
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([
      ['f', 'mode'],
      ['f~topic', 'mode'],
    ]);
    expect(readSnapshot(odb, result.tree)).toEqual({
      f: { mode: '120000', content: 'target' },
      'f~topic': { mode: '100644', content: 'edited\n' },
    });
  });

  it('keeps ours for a binary file changed on both sides', () => {
    const { result, files } = merge({ bin: 'a\0b' }, { bin: 'a\0c' }, { bin: 'a\0d' });
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([['bin', 'binary']]);
    expect(files.bin).toBe('a\0c');
  });

  it('keeps ours for a submodule moved to different commits on each side', () => {
    const commit = (n: string): { content: string; mode: string } => ({
      content: n.repeat(40),
      mode: '160000',
    });
    const { odb, result } = merge({ sub: commit('1') }, { sub: commit('2') }, { sub: commit('3') });
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([['sub', 'submodule']]);
    expect(readSnapshot(odb, result.tree).sub).toEqual({ mode: '160000', content: '2'.repeat(40) });
  });

  it('never reads subtrees that are equal on two sides', () => {
    const writer = newDatabase();
    const store = writer.store;
    const stable = { 'stable/deep/s.txt': 's\n' };
    const base = writeSnapshot(writer, { ...stable, 'one/x.txt': 'x\n', f: 'f\n' });
    const ours = writeSnapshot(writer, { ...stable, 'one/x.txt': 'X\n', f: 'F\n' });
    const theirs = writeSnapshot(writer, { ...stable, 'one/x.txt': 'x\n', f: 'f\n', g: 'g\n' });
    const recording = new RecordingObjectStore();
    for (const oid of store.oids()) recording.insert(oid, store.get(oid)!);
    const odb = new ObjectDatabase(recording);
    const stableTree = odb.readTree(base).find((e) => e.name === 'stable')!.oid;
    const oneTrees = [base, ours, theirs].map(
      (t) => odb.readTree(t).find((e) => e.name === 'one')!.oid,
    );
    recording.reads.clear();

    const result = mergeTrees(odb, base, ours, theirs);
    expect(result.clean).toBe(true);
    expect(recording.reads.has(stableTree)).toBe(false);
    for (const oid of oneTrees) expect(recording.reads.has(oid)).toBe(false);
    expect(readContents(odb, result.tree)).toEqual({
      ...stable,
      'one/x.txt': 'X\n',
      f: 'F\n',
      g: 'g\n',
    });
  });

  // Generated trees: a few paths (some nested, one that can be a file or a directory).
  const PATHS = ['a', 'b', 'd/c', 'd/e/f', 'g/h', 'g/i'] as const;
  const snapshotArb = fc
    .array(
      fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom('1\n', '2\n', '1\n2\n', '3\n4\n5\n')),
      { maxLength: 6 },
    )
    .map((pairs) => Object.fromEntries(pairs) as Record<string, string>);

  it('returns the tree itself when all three trees are the same', () => {
    fc.assert(
      fc.property(snapshotArb, (x) => {
        const odb = newDatabase();
        const tree = writeSnapshot(odb, x);
        const result = mergeTrees(odb, tree, tree, tree);
        return result.clean && result.tree === tree;
      }),
      fcParams(100),
    );
  });

  it('returns the descendant when one side is the base (merging an ancestor)', () => {
    fc.assert(
      fc.property(snapshotArb, snapshotArb, (a, b) => {
        const odb = newDatabase();
        const ta = writeSnapshot(odb, a);
        const tb = writeSnapshot(odb, b);
        const theirsAhead = mergeTrees(odb, ta, ta, tb);
        const oursAhead = mergeTrees(odb, ta, tb, ta);
        return (
          theirsAhead.clean && theirsAhead.tree === tb && oursAhead.clean && oursAhead.tree === tb
        );
      }),
      fcParams(100),
    );
  });

  it('gives the same tree whichever side is ours when the merge is clean', () => {
    fc.assert(
      fc.property(snapshotArb, snapshotArb, snapshotArb, (base, a, b) => {
        const odb = newDatabase();
        const [tBase, ta, tb] = [base, a, b].map((s) => writeSnapshot(odb, s));
        const ab = mergeTrees(odb, tBase!, ta!, tb!);
        const ba = mergeTrees(odb, tBase!, tb!, ta!);
        return ab.clean === ba.clean && (!ab.clean || ab.tree === ba.tree);
      }),
      fcParams(200),
    );
  });

  it('merges changes to disjoint files cleanly into their union', () => {
    const contentArb = fc.constantFrom<string | null>(null, 'x\n', 'y\ny\n');
    const editsArb = fc.tuple(
      fc.array(contentArb, { minLength: 3, maxLength: 3 }),
      fc.array(contentArb, { minLength: 3, maxLength: 3 }),
    );
    fc.assert(
      fc.property(snapshotArb, editsArb, (baseFiles, [oursEdits, theirsEdits]) => {
        // Ours edits only under `left/`, theirs only under `right/`; nothing else changes.
        const base: Record<string, string> = { ...baseFiles, 'left/0': '0\n', 'right/0': '0\n' };
        const apply = (
          dir: string,
          edits: ReadonlyArray<string | null>,
        ): Record<string, string> => {
          const files: Record<string, string> = { ...base };
          edits.forEach((content, i) => {
            if (content === null) delete files[`${dir}/${i}`];
            else files[`${dir}/${i}`] = content;
          });
          return files;
        };
        const ours = apply('left', oursEdits);
        const theirs = apply('right', theirsEdits);
        const expected: Record<string, string> = { ...ours };
        for (const key of Object.keys(expected)) if (key.startsWith('right/')) delete expected[key];
        for (const [key, value] of Object.entries(theirs))
          if (key.startsWith('right/')) expected[key] = value;
        const { result, files } = merge(base, ours, theirs);
        return result.clean && JSON.stringify(files) === JSON.stringify(sortKeys(expected));
      }),
      fcParams(150),
    );
  });
});

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
