/**
 * Patch text for one file pair: the exact header and hunk shapes `git diff` prints (checked in
 * bulk against git by the interop suite; pinned here so a regression names its rule), and the
 * properties every patch must have: it applies to its source and yields its target, a file
 * diffed with itself prints nothing, and the counts are the patch's +/- lines.
 */
import fc from 'fast-check';
import { applyPatch } from '../../../../src/core/diff/apply-patch';
import { formatFilePatch, type PatchSide } from '../../../../src/core/diff/file-patch';
import { hashObject } from '../../../../src/core/objects/git-object';
import { fcParams } from '../../../support/fast-check';

function side(path: string, content: string | Buffer, mode = '100644'): PatchSide {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { path, mode, oid: hashObject('blob', bytes), content: bytes };
}

function short(content: string): string {
  return hashObject('blob', Buffer.from(content, 'utf8')).slice(0, 7);
}

describe('formatFilePatch', () => {
  it('prints a modification with index line, labels and a hunk with 3 lines of context', () => {
    const before = 'one\ntwo\nthree\nfour\nfive\n';
    const after = 'one\ntwo\nTHREE\nfour\nfive\n';
    const patch = formatFilePatch({ old: side('f.txt', before), new: side('f.txt', after) });
    expect(patch.text).toBe(
      `diff --git a/f.txt b/f.txt\nindex ${short(before)}..${short(after)} 100644\n--- a/f.txt\n+++ b/f.txt\n` +
        '@@ -1,5 +1,5 @@\n one\n two\n-three\n+THREE\n four\n five\n',
    );
    expect([patch.additions, patch.deletions, patch.binary]).toEqual([1, 1, false]);
  });

  it('prints a new file against /dev/null with its mode and a zero id', () => {
    const patch = formatFilePatch({ old: null, new: side('n.sh', 'echo\n', '100755') });
    expect(patch.text).toBe(
      `diff --git a/n.sh b/n.sh\nnew file mode 100755\nindex 0000000..${short('echo\n')}\n--- /dev/null\n+++ b/n.sh\n@@ -0,0 +1 @@\n+echo\n`,
    );
  });

  it('prints a deleted empty file as a header only', () => {
    const patch = formatFilePatch({ old: side('e', ''), new: null });
    expect(patch.text).toBe(
      'diff --git a/e b/e\ndeleted file mode 100644\nindex e69de29..0000000\n',
    );
    expect([patch.additions, patch.deletions]).toEqual([0, 0]);
  });

  it('prints a pure mode change without index line or hunks', () => {
    const patch = formatFilePatch({ old: side('x', 'a\n'), new: side('x', 'a\n', '100755') });
    expect(patch.text).toBe('diff --git a/x b/x\nold mode 100644\nnew mode 100755\n');
  });

  it('prints an exact rename as similarity and rename lines only', () => {
    const patch = formatFilePatch({
      old: side('a/old name', 'x\n'),
      new: side('b/new', 'x\n'),
      similarity: 100,
    });
    expect(patch.text).toBe(
      'diff --git a/a/old name b/b/new\nsimilarity index 100%\nrename from a/old name\nrename to b/new\n',
    );
  });

  it('marks a missing final newline and ends labels containing a space with a tab', () => {
    const patch = formatFilePatch({ old: side('my file', 'a\nb'), new: side('my file', 'a\nc') });
    expect(patch.text).toContain('--- a/my file\t\n+++ b/my file\t\n');
    expect(patch.text).toContain(
      '-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
    );
  });

  it('quotes non-ASCII paths the way git does by default', () => {
    const patch = formatFilePatch({ old: null, new: side('café.txt', 'x\n') });
    expect(patch.text.split('\n')[0]).toBe(
      'diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"',
    );
    expect(patch.text).toContain('+++ "b/caf\\303\\251.txt"\n');
  });

  it('says binary files differ, counting no lines, when either side has a NUL byte', () => {
    const patch = formatFilePatch({
      old: side('b.bin', Buffer.from([1, 0, 2])),
      new: side('b.bin', Buffer.from([1, 0, 3])),
    });
    expect(patch.text.endsWith('Binary files a/b.bin and b/b.bin differ\n')).toBe(true);
    expect([patch.additions, patch.deletions, patch.binary]).toEqual([0, 0, true]);
  });

  it('prints a file turned into a symlink as a deletion then an addition, counted as one diff', () => {
    const patch = formatFilePatch({
      old: side('l', 'target\n'),
      new: side('l', 'target', '120000'),
    });
    const sections = patch.text.split(/(?=^diff --git )/m);
    expect(sections).toHaveLength(2);
    expect(sections[0]).toContain('deleted file mode 100644\n');
    expect(sections[1]).toContain('new file mode 120000\n');
    expect(sections[1]).toContain('+target\n\\ No newline at end of file\n');
    expect([patch.additions, patch.deletions]).toEqual([1, 1]);
  });

  it('names the nearest function line above each hunk, carrying it over to later hunks', () => {
    const body = Array.from({ length: 14 }, (_, i) => ` line${i}`);
    const before = ['int f()', '{', ...body, '}', ''].join('\n');
    // The second hunk has no function line between the two hunks: git repeats the first one.
    const after = before.replace(' line2\n', ' LINE2\n').replace(' line13\n', ' LINE13\n');
    const headers = formatFilePatch({
      old: side('f.c', before),
      new: side('f.c', after),
    }).text.match(/^@@.*$/gm);
    expect(headers).toEqual(['@@ -2,7 +2,7 @@ int f()', '@@ -13,5 +13,5 @@ int f()']);
  });

  it('cuts a function line at 80 bytes and drops a UTF-8 character split by the cut', () => {
    const func = `g${'x'.repeat(78)}é tail`; // the cut falls inside "é"
    const before = [func, '1', '2', '3', '4', '5', '6', ''].join('\n');
    const header = formatFilePatch({
      old: side('u', before),
      new: side('u', before.replace('6\n', 'E\n')),
    }).text.match(/^@@.*$/m);
    expect(header?.[0]).toBe(`@@ -4,4 +4,4 @@ g${'x'.repeat(78)}`);
  });

  it('merges changes closer than twice the context into one hunk', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const before = `${lines.join('\n')}\n`;
    const near = before.replace('l3\n', 'X\n').replace('l9\n', 'Y\n'); // 5 common lines between
    const far = before.replace('l3\n', 'X\n').replace('l10\n', 'Y\n'); // 6 = 2 x context: still one
    const farther = before.replace('l3\n', 'X\n').replace('l11\n', 'Y\n'); // 7: two hunks
    const hunks = (after: string): number =>
      (formatFilePatch({ old: side('f', before), new: side('f', after) }).text.match(/^@@/gm) ?? [])
        .length;
    expect([hunks(near), hunks(far), hunks(farther)]).toEqual([1, 1, 2]);
  });
});

const textArb = fc
  .array(fc.constantFrom('a', 'b', 'c', '', '  x', '\ty', '}', 'func()', 'é', 'a\r'), {
    maxLength: 30,
  })
  .chain((lines) =>
    fc.boolean().map((eol) => (lines.length === 0 ? '' : lines.join('\n') + (eol ? '\n' : ''))),
  );

describe('formatFilePatch properties', () => {
  it('yields the new text when its patch is applied to the old text', () => {
    fc.assert(
      fc.property(textArb, textArb, fc.constantFrom(0, 1, 3), (a, b, context) => {
        const patch = formatFilePatch({ old: side('f', a), new: side('f', b), context });
        expect(applyPatch(a, patch.text)).toBe(b);
      }),
      fcParams(300),
    );
  });

  it('prints nothing for a file compared with itself', () => {
    fc.assert(
      fc.property(textArb, (a) => {
        expect(formatFilePatch({ old: side('f', a), new: side('f', a) }).text).toBe('');
      }),
      fcParams(100),
    );
  });

  it('counts exactly the added and removed lines of its hunks', () => {
    fc.assert(
      fc.property(textArb, textArb, (a, b) => {
        const patch = formatFilePatch({ old: side('f', a), new: side('f', b) });
        const body = patch.text
          .split('\n')
          .filter((line) => !line.startsWith('+++') && !line.startsWith('---'));
        expect(patch.additions).toBe(body.filter((line) => line.startsWith('+')).length);
        expect(patch.deletions).toBe(body.filter((line) => line.startsWith('-')).length);
      }),
      fcParams(200),
    );
  });
});
