/**
 * mergeBlobs: git's line-level three-way merge. Expected outputs below were produced by git
 * 2.39 (`git merge-tree --write-tree`, which merges with the same settings), so the exact
 * bytes are pinned; properties cover the algebra (idempotence, one-sided changes, disjoint
 * edits, markers on real conflicts).
 */
import fc from 'fast-check';
import { mergeBlobs } from '../../../../src/core/merge/blob-merge';
import { fcParams } from '../../../support/fast-check';

const labels = { ours: 'ours', theirs: 'theirs' };

function text(result: { content: Buffer }): string {
  return result.content.toString('utf8');
}

describe('mergeBlobs', () => {
  it('merges edits to different lines cleanly and keeps both', () => {
    const result = mergeBlobs('a\nb\nc\nd\ne\n', 'A\nb\nc\nd\ne\n', 'a\nb\nc\nd\nE\n', { labels });
    expect(result.clean).toBe(true);
    expect(result.conflicts).toBe(0);
    expect(text(result)).toBe('A\nb\nc\nd\nE\n');
  });

  it('takes an identical change made on both sides without conflict', () => {
    const result = mergeBlobs('a\nb\nc\n', 'a\nX\nc\n', 'a\nX\nc\n', { labels });
    expect(result.clean).toBe(true);
    expect(text(result)).toBe('a\nX\nc\n');
  });

  it("writes git's default markers around different changes to the same line", () => {
    const result = mergeBlobs('a\nb\nc\nd\ne\n', 'a\nB1\nc\nd\ne\n', 'a\nB2\nc\nd\ne\n', {
      labels,
    });
    expect(result.clean).toBe(false);
    expect(result.conflicts).toBe(1);
    expect(text(result)).toBe('a\n<<<<<<< ours\nB1\n=======\nB2\n>>>>>>> theirs\nc\nd\ne\n');
  });

  it('moves lines both sides share at the edges of a conflict out of it (zealous refinement)', () => {
    const result = mergeBlobs('a\nb\nc\nd\ne\n', 'a\nX\nY1\nZ\ne\n', 'a\nX\nY2\nZ\ne\n', {
      labels,
    });
    expect(text(result)).toBe('a\nX\n<<<<<<< ours\nY1\n=======\nY2\n>>>>>>> theirs\nZ\ne\n');
  });

  it('joins conflicts separated by three lines or fewer into one', () => {
    const result = mergeBlobs(
      '1\n2\n3\n4\n5\n6\n7\n',
      '1\nA\n3\n4\nB\n6\n7\n',
      '1\nC\n3\n4\nD\n6\n7\n',
      { labels },
    );
    expect(result.conflicts).toBe(1);
    expect(text(result)).toBe(
      '1\n<<<<<<< ours\nA\n3\n4\nB\n=======\nC\n3\n4\nD\n>>>>>>> theirs\n6\n7\n',
    );
  });

  it('ends a side without a final newline before the next marker', () => {
    const result = mergeBlobs('a\nb', 'a\nc', 'a\nd', { labels });
    expect(text(result)).toBe('a\n<<<<<<< ours\nc\n=======\nd\n>>>>>>> theirs\n');
  });

  it('writes CRLF markers in a CRLF file', () => {
    const result = mergeBlobs('a\r\nb\r\nc\r\n', 'a\r\nX\r\nc\r\n', 'a\r\nY\r\nc\r\n', { labels });
    expect(text(result)).toBe('a\r\n<<<<<<< ours\r\nX\r\n=======\r\nY\r\n>>>>>>> theirs\r\nc\r\n');
  });

  it('shows the base section with its label in diff3 style', () => {
    const result = mergeBlobs('a\nb\nc\n', 'a\nX\nc\n', 'a\nY\nc\n', {
      labels: { ours: 'HEAD', theirs: 'topic', base: 'merge-base' },
      style: 'diff3',
    });
    expect(text(result)).toBe(
      'a\n<<<<<<< HEAD\nX\n||||||| merge-base\nb\n=======\nY\n>>>>>>> topic\nc\n',
    );
  });

  it('honours a longer marker size', () => {
    const result = mergeBlobs('b\n', 'x\n', 'y\n', { labels, markerSize: 9 });
    expect(text(result)).toBe('<<<<<<<<< ours\nx\n=========\ny\n>>>>>>>>> theirs\n');
  });

  it('merges two additions against an empty base as a two-way merge', () => {
    const result = mergeBlobs(null, 'same\nours\n', 'same\ntheirs\n', { labels });
    expect(text(result)).toBe('same\n<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> theirs\n');
  });

  it('keeps ours and reports a conflict for binary content', () => {
    const result = mergeBlobs('a\0b', 'a\0c', 'a\0d', { labels });
    expect(result).toMatchObject({ clean: false, binary: true, conflicts: 1 });
    expect(result.content.equals(Buffer.from('a\0c'))).toBe(true);
  });

  it('keeps the base, cleanly, for binary content in a merge of merge bases', () => {
    const result = mergeBlobs('a\0b', 'a\0c', 'a\0d', { labels, virtualAncestor: true });
    expect(result).toMatchObject({ clean: true, binary: true });
    expect(result.content.equals(Buffer.from('a\0b'))).toBe(true);
  });

  const lineArb = fc.constantFrom('a', 'b', 'c', '', '}', 'x y');
  const textArb = fc
    .array(lineArb, { maxLength: 30 })
    .map((lines) => lines.map((l) => `${l}\n`).join(''));

  it('returns the input when all three versions are the same', () => {
    fc.assert(
      fc.property(textArb, (x) => {
        const result = mergeBlobs(x, x, x, { labels });
        return result.clean && text(result) === x;
      }),
      fcParams(200),
    );
  });

  it('takes the changed side when only one side changed the base', () => {
    fc.assert(
      fc.property(textArb, textArb, (base, changed) => {
        const theirsOnly = mergeBlobs(base, base, changed, { labels });
        const oursOnly = mergeBlobs(base, changed, base, { labels });
        return (
          theirsOnly.clean &&
          text(theirsOnly) === changed &&
          oursOnly.clean &&
          text(oursOnly) === changed
        );
      }),
      fcParams(200),
    );
  });

  it('merges edits to distinct unique lines cleanly and contains both edits', () => {
    // A base of unique lines; ours rewrites line i, theirs line j, at least two lines apart.
    const arb = fc
      .integer({ min: 6, max: 40 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.integer({ min: 0, max: n - 1 }),
          fc.integer({ min: 0, max: n - 1 }),
        ),
      )
      .filter(([, i, j]) => Math.abs(i - j) >= 2);
    fc.assert(
      fc.property(arb, ([n, i, j]) => {
        const base = Array.from({ length: n }, (_, k) => `line ${k}`);
        const ours = base.map((l, k) => (k === i ? `ours ${k}` : l));
        const theirs = base.map((l, k) => (k === j ? `theirs ${k}` : l));
        const expected = base.map((l, k) => (k === i ? `ours ${k}` : k === j ? `theirs ${k}` : l));
        const join = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');
        const result = mergeBlobs(join(base), join(ours), join(theirs), { labels });
        return result.clean && text(result) === join(expected);
      }),
      fcParams(200),
    );
  });

  it('leaves markers naming both sides when both rewrite the same line differently', () => {
    const arb = fc
      .integer({ min: 1, max: 30 })
      .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));
    fc.assert(
      fc.property(arb, ([n, i]) => {
        const base = Array.from({ length: n }, (_, k) => `line ${k}\n`);
        const ours = base.map((l, k) => (k === i ? 'mine\n' : l)).join('');
        const theirs = base.map((l, k) => (k === i ? 'yours\n' : l)).join('');
        const merged = text(mergeBlobs(base.join(''), ours, theirs, { labels }));
        return merged.includes('<<<<<<< ours\nmine\n=======\nyours\n>>>>>>> theirs\n');
      }),
      fcParams(100),
    );
  });

  it('is symmetric up to the order of the sides inside conflicts', () => {
    fc.assert(
      fc.property(textArb, textArb, textArb, (base, a, b) => {
        const ab = mergeBlobs(base, a, b, { labels });
        const ba = mergeBlobs(base, b, a, { labels });
        return ab.clean === ba.clean && (!ab.clean || text(ab) === text(ba));
      }),
      fcParams(300),
    );
  });
});
