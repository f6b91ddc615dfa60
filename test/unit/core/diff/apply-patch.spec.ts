/**
 * applyPatch is the check that a patch means what it says (property tests apply every
 * generated patch) and the replay step of stash/rebase tooling, so it must refuse a patch that
 * does not fit instead of guessing.
 */
import { applyPatch } from '../../../../src/core/diff/apply-patch';
import { formatFilePatch, type PatchSide } from '../../../../src/core/diff/file-patch';
import { PatchApplyError } from '../../../../src/core/errors/diff-errors';
import { hashObject } from '../../../../src/core/objects/git-object';

function side(content: string, mode = '100644'): PatchSide {
  const bytes = Buffer.from(content, 'utf8');
  return { path: 'f', mode, oid: hashObject('blob', bytes), content: bytes };
}

function patchOf(a: string, b: string): string {
  return formatFilePatch({ old: side(a), new: side(b) }).text;
}

describe('applyPatch', () => {
  it('applies several hunks, including one that removes the final newline', () => {
    const a = `${Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n')}\n`;
    const b = a.replace('l2\n', 'two\n').replace('l19\n', 'end');
    expect(applyPatch(a, patchOf(a, b))).toBe(b);
  });

  it('creates a file from a new-file patch and empties one from a deletion patch', () => {
    expect(applyPatch('', formatFilePatch({ old: null, new: side('x\ny\n') }).text)).toBe('x\ny\n');
    expect(applyPatch('x\ny\n', formatFilePatch({ old: side('x\ny\n'), new: null }).text)).toBe('');
  });

  it('returns the text unchanged for a patch without hunks (a mode change)', () => {
    const patch = formatFilePatch({ old: side('a\n'), new: side('a\n', '100755') }).text;
    expect(applyPatch('a\n', patch)).toBe('a\n');
  });

  it('refuses a patch whose context does not match the text', () => {
    const patch = patchOf('a\nb\nc\n', 'a\nB\nc\n');
    expect(() => applyPatch('a\nb\nC\n', patch)).toThrow(PatchApplyError);
  });

  it('refuses a patch whose removed line lacks the newline the text has', () => {
    const patch = patchOf('a\nb', 'a\nc');
    expect(() => applyPatch('a\nb\n', patch)).toThrow(PatchApplyError);
  });

  it('refuses binary patches and patches of several files', () => {
    const binary = formatFilePatch({
      old: side('a'),
      new: { ...side('b'), content: Buffer.from([0, 1]) },
    }).text;
    expect(() => applyPatch('a', binary)).toThrow(/binary/);
    const typeChange = formatFilePatch({ old: side('t\n'), new: side('t', '120000') }).text;
    expect(() => applyPatch('t\n', typeChange)).toThrow(PatchApplyError);
  });

  it('reports the code clients can match on', () => {
    try {
      applyPatch('zzz\n', patchOf('a\n', 'b\n'));
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(PatchApplyError);
      expect((error as PatchApplyError).code).toBe('PATCH_DOES_NOT_APPLY');
    }
  });
});
