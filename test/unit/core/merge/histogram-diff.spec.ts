/**
 * The merge's histogram line diff: its scripts must be valid edit scripts (applying them to
 * the old text yields the new one), and it must anchor on rare lines the way git's histogram
 * diff does, which is where it differs from Myers.
 */
import fc from 'fast-check';
import type { LineChange } from '../../../../src/core/diff/line-diff';
import {
  LineInterner,
  recordBytes,
  type LineRecords,
} from '../../../../src/core/diff/line-records';
import { mergeDiffRecords } from '../../../../src/core/merge/histogram-diff';
import { fcParams } from '../../../support/fast-check';

function diff(
  oldText: string,
  newText: string,
): { a: LineRecords; b: LineRecords; changes: LineChange[] } {
  const interner = new LineInterner();
  const a = interner.records(Buffer.from(oldText));
  const b = interner.records(Buffer.from(newText));
  return { a, b, changes: mergeDiffRecords(a, b, interner) };
}

/** Rebuilds the new text from the old records, the new records and the change script. */
function applyScript(a: LineRecords, b: LineRecords, changes: readonly LineChange[]): string {
  const lines: string[] = [];
  let next = 0;
  for (const change of changes) {
    for (; next < change.oldStart; next++) lines.push(Buffer.from(recordBytes(a, next)).toString());
    for (let k = 0; k < change.newCount; k++)
      lines.push(Buffer.from(recordBytes(b, change.newStart + k)).toString());
    next = change.oldStart + change.oldCount;
  }
  for (; next < a.count; next++) lines.push(Buffer.from(recordBytes(a, next)).toString());
  return lines.join('');
}

describe('mergeDiffRecords (histogram diff)', () => {
  it('finds no changes between equal texts', () => {
    expect(diff('a\nb\n', 'a\nb\n').changes).toEqual([]);
  });

  it('reports a pure insertion and a pure deletion', () => {
    expect(diff('a\nc\n', 'a\nb\nc\n').changes).toEqual([
      { oldStart: 1, oldCount: 0, newStart: 1, newCount: 1 },
    ]);
    expect(diff('a\nb\nc\n', 'a\nc\n').changes).toEqual([
      { oldStart: 1, oldCount: 1, newStart: 1, newCount: 0 },
    ]);
  });

  it('anchors on the unique line rather than on frequent ones', () => {
    // Myers keeps the three `x` lines; histogram keeps the unique `key` line instead.
    const { changes } = diff('x\nx\nx\nkey\n', 'key\nx\nx\nx\n');
    expect(changes).toEqual([
      { oldStart: 0, oldCount: 3, newStart: 0, newCount: 0 },
      { oldStart: 4, oldCount: 0, newStart: 1, newCount: 3 },
    ]);
  });

  it('falls back to the classic diff when every common line occurs more than 64 times', () => {
    const oldText = 'x\n'.repeat(70);
    const newText = `${'x\n'.repeat(30)}new\n${'x\n'.repeat(40)}`;
    const { a, b, changes } = diff(oldText, newText);
    expect(changes).toEqual([{ oldStart: 30, oldCount: 0, newStart: 30, newCount: 1 }]);
    expect(applyScript(a, b, changes)).toBe(newText);
  });

  it('produces scripts that turn the old text into the new one', () => {
    const textArb = fc
      .array(fc.constantFrom('a', 'b', 'c', '', '}', 'x', 'unique'), { maxLength: 40 })
      .map((lines) => lines.map((l) => `${l}\n`).join(''));
    fc.assert(
      fc.property(textArb, textArb, (oldText, newText) => {
        const { a, b, changes } = diff(oldText, newText);
        return applyScript(a, b, changes) === newText;
      }),
      fcParams(300),
    );
  });
});
