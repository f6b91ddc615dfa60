/**
 * The line diff is the base of patches, counts and blame. Beyond "a script that turns the old
 * lines into the new ones" (checked as properties), it must pick the same script as git among
 * the equivalent ones; the fixed cases below were taken from git 2.39's output.
 */
import fc from 'fast-check';
import { diffLines, type LineChange } from '../../../../src/core/diff/line-diff';
import { LineInterner, trimCommonTail } from '../../../../src/core/diff/line-records';
import { fcParams } from '../../../support/fast-check';

function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Applies changes (from a diff of `a` to `b`) to the lines of `a`. */
function applyChanges(
  a: readonly string[],
  b: readonly string[],
  changes: readonly LineChange[],
): string[] {
  const out: string[] = [];
  let i = 0;
  for (const c of changes) {
    while (i < c.oldStart) out.push(a[i++]!);
    i += c.oldCount;
    out.push(...b.slice(c.newStart, c.newStart + c.newCount));
  }
  while (i < a.length) out.push(a[i++]!);
  return out;
}

const textArb = fc
  .array(fc.constantFrom('a\n', 'b\n', 'c\n', '\n', '  x\n', '\ty\n', '}\n', 'z'), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));

describe('diffLines', () => {
  it('finds no changes between identical texts', () => {
    expect(diffLines('a\nb\nc\n', 'a\nb\nc\n').changes).toEqual([]);
  });

  it('reports a replaced line as one change with one line on each side', () => {
    expect(diffLines('a\nb\nc\n', 'a\nB\nc\n').changes).toEqual([
      { oldStart: 1, oldCount: 1, newStart: 1, newCount: 1 },
    ]);
  });

  it('treats a last line without newline as different from the same line with one', () => {
    expect(diffLines('a\nb', 'a\nb\n').changes).toEqual([
      { oldStart: 1, oldCount: 1, newStart: 1, newCount: 1 },
    ]);
  });

  it('reports insertions into and deletions from an empty text', () => {
    expect(diffLines('', 'x\ny\n').changes).toEqual([
      { oldStart: 0, oldCount: 0, newStart: 0, newCount: 2 },
    ]);
    expect(diffLines('x\ny\n', '').changes).toEqual([
      { oldStart: 0, oldCount: 2, newStart: 0, newCount: 0 },
    ]);
  });

  it('slides an ambiguous insertion to where the indent heuristic puts it, as git does', () => {
    // git 2.39 shows lines 1-4 of the new text as added; without the heuristic, lines 2-5.
    const before = '    x();\n    y();\n}\nif (a) {\n\n    if (b) {\n';
    const after =
      '    x();\n        z();\n    y();\n}\n    x();\n    y();\n}\nif (a) {\n\n    if (b) {\n';
    expect(diffLines(before, after).changes).toEqual([
      { oldStart: 0, oldCount: 0, newStart: 0, newCount: 4 },
    ]);
    expect(diffLines(before, after, { indentHeuristic: false }).changes).toEqual([
      { oldStart: 1, oldCount: 0, newStart: 1, newCount: 4 },
    ]);
  });

  it('aligns a group with a change on the other side rather than sliding it away', () => {
    // "b" removed and "B" added: the deletion stays next to the addition (one -/+ block).
    expect(diffLines('a\nb\nb\nc\n', 'a\nb\nB\nc\n').changes).toEqual([
      { oldStart: 2, oldCount: 1, newStart: 2, newCount: 1 },
    ]);
  });

  it('produces a valid script on a large rewrite that triggers the cost heuristics', () => {
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 0; i < 6000; i++) {
      a.push(`line ${(i * 7919) % 97}\n`);
      if (i % 3 !== 0) b.push(`line ${(i * 104729) % 89}\n`);
      if (i % 5 === 0) b.push(`new ${i}\n`);
    }
    const diff = diffLines(a.join(''), b.join(''));
    expect(applyChanges(a, b, diff.changes)).toEqual(b);
  });

  it('turns the old lines into the new ones (property)', () => {
    fc.assert(
      fc.property(textArb, textArb, (a, b) => {
        const diff = diffLines(a, b);
        expect(applyChanges(lines(a), lines(b), diff.changes).join('')).toBe(b);
      }),
      fcParams(300),
    );
  });

  it('finds no changes between a text and itself (property)', () => {
    fc.assert(
      fc.property(textArb, (a) => {
        expect(diffLines(a, a).changes).toEqual([]);
      }),
      fcParams(100),
    );
  });

  it('keeps changes ordered, disjoint and separated by at least one common line (property)', () => {
    fc.assert(
      fc.property(textArb, textArb, (a, b) => {
        const { changes } = diffLines(a, b);
        for (let k = 1; k < changes.length; k++) {
          const prev = changes[k - 1]!;
          const next = changes[k]!;
          expect(next.oldStart).toBeGreaterThan(prev.oldStart + prev.oldCount);
          expect(next.newStart - (prev.newStart + prev.newCount)).toBe(
            next.oldStart - (prev.oldStart + prev.oldCount),
          );
        }
      }),
      fcParams(200),
    );
  });
});

describe('LineInterner', () => {
  it('gives equal lines equal ids across texts and keeps the final newline in the record', () => {
    const interner = new LineInterner();
    const a = interner.records(Buffer.from('x\ny\nx'));
    const b = interner.records(Buffer.from('y\nx\n'));
    expect(a.count).toBe(3);
    expect(a.ids[0]).toBe(b.ids[1]);
    expect(a.ids[1]).toBe(b.ids[0]);
    expect(a.ids[2]).not.toBe(a.ids[0]);
  });

  it('splits a text the same way with or without a similar text as reference (property)', () => {
    const versionArb = fc
      .array(fc.constantFrom('a\n', 'b\n', '\n', 'ab', 'a', 'b\r\n', 'é\n'), { maxLength: 30 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(versionArb, versionArb, (a, b) => {
        const interner = new LineInterner();
        const plain = interner.records(Buffer.from(b));
        const fromReference = interner.records(
          Buffer.from(b),
          Buffer.byteLength(b),
          interner.records(Buffer.from(a)),
        );
        expect(Array.from(fromReference.starts)).toEqual(Array.from(plain.starts));
        expect(Array.from(fromReference.ids)).toEqual(Array.from(plain.ids));
      }),
      fcParams(400),
    );
  });
});

describe('trimCommonTail', () => {
  it('keeps everything when the texts share less than one 1 KiB block at the end', () => {
    const a = Buffer.from('a\n'.repeat(100));
    expect(trimCommonTail(a, Buffer.from(`x\n${'a\n'.repeat(99)}`))).toEqual([200, 200]);
  });

  it('drops whole common 1 KiB blocks but keeps the text up to the first newline inside them', () => {
    const tail = 'line\n'.repeat(1000);
    const a = Buffer.from(`old\n${tail}`);
    const b = Buffer.from(`newer\n${tail}`);
    const [la, lb] = trimCommonTail(a, b);
    expect(la).toBeLessThan(a.length);
    expect(a.length - la).toBe(b.length - lb);
    expect(a[la - 1]).toBe(0x0a);
    expect((a.length - la) % 5).toBe(0);
  });
});
