/**
 * Messages of cherry-picked and reverted commits. Expected strings were produced by git 2.39
 * (`git cherry-pick -x`, `git revert --no-edit`) for the same original messages; the interop
 * suite re-checks them against the installed git.
 */
import {
  cherryPickMessage,
  endsWithTrailerBlock,
  revertMessage,
  stripSpace,
} from '../../../../src/core/repo/cherry-pick-message';

const X = 'a'.repeat(40);
const P = 'b'.repeat(40);
const LINE = `(cherry picked from commit ${X})\n`;

describe('cherryPickMessage', () => {
  it.each([
    ['a one-line message', 'subject\n', `subject\n\n${LINE}`],
    ['a message without final newline', 'subject no newline', `subject no newline\n\n${LINE}`],
    ['a body paragraph', 'subject\n\nbody\n', `subject\n\nbody\n\n${LINE}`],
    [
      'a Signed-off-by block',
      'subject\n\nbody\n\nSigned-off-by: A <a@x>\n',
      `subject\n\nbody\n\nSigned-off-by: A <a@x>\n${LINE}`,
    ],
    [
      'an all-trailer block',
      'subject\n\nFixes: 123\nReviewed-by: B\n',
      `subject\n\nFixes: 123\nReviewed-by: B\n${LINE}`,
    ],
    [
      'text with one trailer-like line',
      'subject\n\nsome text\nKey: value\n',
      `subject\n\nsome text\nKey: value\n\n${LINE}`,
    ],
    [
      'text with a Signed-off-by (a quarter rule)',
      'subject\n\nsome text\nSigned-off-by: x\n',
      `subject\n\nsome text\nSigned-off-by: x\n${LINE}`,
    ],
    ['a title that looks like a trailer', 'Key: value\n', `Key: value\n\n${LINE}`],
    [
      'a trailer with a continuation line',
      'subject\n\nKey: v\n  continued\n',
      `subject\n\nKey: v\n  continued\n${LINE}`,
    ],
    [
      'indented lines before a trailer',
      'subject\n\nnot a trailer line\n  indented\nKey: v\n',
      `subject\n\nnot a trailer line\n  indented\nKey: v\n\n${LINE}`,
    ],
    [
      'a trailing comment line',
      'subject\n\nbody\n\n# comment\n',
      `subject\n\nbody\n\n# comment\n\n${LINE}`,
    ],
    [
      'a trailer block followed by a comment',
      'subject\n\nSigned-off-by: A\n# comment\n\n',
      `subject\n\nSigned-off-by: A\n# comment\n\n${LINE}`,
    ],
    [
      'extra blank lines and trailing spaces',
      'subject  \n\n\n\nbody   \n\n\n',
      `subject\n\nbody\n\n${LINE}`,
    ],
  ])('follows git for %s', (_name, original, expected) => {
    expect(cherryPickMessage(original, X)).toBe(expected);
  });

  it('treats an earlier cherry-picked line as a trailer', () => {
    const once = cherryPickMessage('subject\n', P);
    expect(endsWithTrailerBlock(once)).toBe(true);
    expect(cherryPickMessage(once, X)).toBe(`subject\n\n(cherry picked from commit ${P})\n${LINE}`);
  });
});

describe('revertMessage', () => {
  it("quotes the subject and names the reverted commit in full, like git's", () => {
    expect(revertMessage('fix the thing\n\nbody\n', X)).toBe(
      `Revert "fix the thing"\n\nThis reverts commit ${X}.\n`,
    );
  });

  it('names the mainline parent when reverting a merge', () => {
    expect(revertMessage("Merge branch 'x'\n", X, P)).toBe(
      `Revert "Merge branch 'x'"\n\nThis reverts commit ${X}, reversing\nchanges made to ${P}.\n`,
    );
  });

  it('skips leading blank lines to find the subject', () => {
    expect(revertMessage('\n  \nreal subject\n', X)).toBe(
      `Revert "real subject"\n\nThis reverts commit ${X}.\n`,
    );
  });
});

describe('stripSpace', () => {
  it('trims line ends, squeezes blank runs and drops blank lines at both ends', () => {
    expect(stripSpace('\n\n  a  \t\n\n\n b\r\n\n')).toBe('  a\n\n b\n');
    expect(stripSpace(' \n\t\n')).toBe('');
  });
});
