/**
 * Commit bodies must survive parse → serialize unchanged (else re-writing a commit we read would
 * change its id), including what real commits carry: several parents, gpgsig and mergetag
 * continuation lines, encoding headers, unicode identities and odd timezones.
 */
import fc from 'fast-check';
import { CorruptObjectError } from '../../../../src/core/errors/object-errors';
import {
  messageSubject,
  normalizeMessage,
  parseCommit,
  serializeCommit,
  type Commit,
} from '../../../../src/core/objects/commit';
import {
  formatSignature,
  parseSignature,
  signatureTimeIso,
  timezoneOffsetMinutes,
  type Signature,
} from '../../../../src/core/objects/signature';
import { fcParams } from '../../../support/fast-check';
import { commitArb, gpgsigArb, oidArb, signatureArb } from '../../../support/object-arbitraries';

const TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const P1 = '1'.repeat(40);
const P2 = '2'.repeat(40);
const ada: Signature = {
  name: 'Ada Lövelace',
  email: 'ada@example.com',
  timestamp: 1700000000,
  timezone: '-0730',
};

describe('signatures', () => {
  it('formats as git does: name, <email>, seconds, offset', () => {
    expect(formatSignature(ada)).toBe('Ada Lövelace <ada@example.com> 1700000000 -0730');
  });

  it('round-trips any identity without <, > or newline', () => {
    fc.assert(
      fc.property(signatureArb, (sig) => {
        expect(parseSignature(formatSignature(sig), 'commit')).toEqual(sig);
      }),
      fcParams(500),
    );
  });

  it('reads a missing timezone as +0000', () => {
    expect(parseSignature('A <a@b> 12', 'commit')).toEqual({
      name: 'A',
      email: 'a@b',
      timestamp: 12,
      timezone: '+0000',
    });
  });

  it.each(['no email at all 12 +0000', 'A <a@b 12 +0000', 'A <a@b> noon +0000', 'A <a@b> 12 +00'])(
    'rejects the identity %j as corrupt',
    (text) => {
      expect(() => parseSignature(text, 'commit')).toThrow(CorruptObjectError);
    },
  );

  it('converts offsets to minutes east of UTC', () => {
    expect(timezoneOffsetMinutes('-0730')).toBe(-450);
    expect(timezoneOffsetMinutes('+0545')).toBe(345);
    expect(timezoneOffsetMinutes('+0000')).toBe(0);
  });

  it('shows times as second-precision UTC RFC 3339', () => {
    expect(signatureTimeIso(ada)).toBe('2023-11-14T22:13:20Z');
  });
});

describe('parseCommit and serializeCommit', () => {
  it('round-trips any commit: parents, extra headers, unicode, any timezone', () => {
    fc.assert(
      fc.property(commitArb, (commit) => {
        expect(parseCommit(serializeCommit(commit))).toEqual(commit);
      }),
      fcParams(1000),
    );
  });

  it('re-serializes the bytes it parsed to the identical bytes', () => {
    fc.assert(
      fc.property(commitArb, (commit) => {
        const bytes = serializeCommit(commit);
        expect(serializeCommit(parseCommit(bytes)).equals(bytes)).toBe(true);
      }),
      fcParams(500),
    );
  });

  it("writes a merge commit in git's layout", () => {
    const commit: Commit = {
      tree: TREE,
      parents: [P1, P2],
      author: ada,
      committer: { ...ada, timezone: '+0530' },
      extraHeaders: [],
      message: "Merge branch 'side'\n",
    };
    expect(serializeCommit(commit).toString('utf8')).toBe(
      `tree ${TREE}\nparent ${P1}\nparent ${P2}\n` +
        'author Ada Lövelace <ada@example.com> 1700000000 -0730\n' +
        'committer Ada Lövelace <ada@example.com> 1700000000 +0530\n' +
        "\nMerge branch 'side'\n",
    );
  });

  it('keeps a multi-line gpgsig header, blank line included, as continuation lines', () => {
    fc.assert(
      fc.property(gpgsigArb, oidArb, (signature, tree) => {
        const commit: Commit = {
          tree,
          parents: [],
          author: ada,
          committer: ada,
          extraHeaders: [['gpgsig', signature]],
          message: 'signed\n',
        };
        const text = serializeCommit(commit).toString('utf8');
        expect(text).toContain(`gpgsig ${signature.split('\n').join('\n ')}\n\nsigned\n`);
        expect(text).toContain('\n \n');
        expect(parseCommit(Buffer.from(text)).extraHeaders).toEqual([['gpgsig', signature]]);
      }),
      fcParams(100),
    );
  });

  it('puts tree, parents, author and committer first and keeps other headers in order', () => {
    const body = Buffer.from(
      `tree ${TREE}\nparent ${P1}\nauthor A <a@b> 1 +0000\ncommitter C <c@d> 2 -0100\n` +
        'encoding ISO-8859-1\nx-one 1\nx-two 2\n\nmsg\n',
    );
    const commit = parseCommit(body);
    expect(commit.extraHeaders).toEqual([
      ['encoding', 'ISO-8859-1'],
      ['x-one', '1'],
      ['x-two', '2'],
    ]);
    expect(serializeCommit(commit).equals(body)).toBe(true);
  });

  it('keeps the message verbatim, blank lines and missing final newline included', () => {
    const body = Buffer.from(
      `tree ${TREE}\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\n\n\nfirst\n\n\nlast`,
    );
    expect(parseCommit(body).message).toBe('\n\nfirst\n\n\nlast');
    expect(serializeCommit(parseCommit(body)).equals(body)).toBe(true);
  });

  it.each<[string, string]>([
    ['no tree header', 'author A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nm\n'],
    ['a malformed tree id', 'tree 1234\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nm\n'],
    [
      'an upper-case tree id',
      `tree ${TREE.toUpperCase()}\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nm\n`,
    ],
    [
      'a malformed parent id',
      `tree ${TREE}\nparent xyz\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nm\n`,
    ],
    ['no author', `tree ${TREE}\ncommitter A <a@b> 1 +0000\n\nm\n`],
    ['no committer', `tree ${TREE}\nauthor A <a@b> 1 +0000\n\nm\n`],
    ['a broken author', `tree ${TREE}\nauthor A a@b 1 +0000\ncommitter A <a@b> 1 +0000\n\nm\n`],
  ])('rejects a commit with %s as corrupt', (_label, text) => {
    expect(() => parseCommit(Buffer.from(text), P1)).toThrow(CorruptObjectError);
  });
});

describe('message helpers', () => {
  it('normalizes a message to exactly one final newline', () => {
    expect(normalizeMessage('subject  \n\n\n')).toBe('subject\n');
    expect(normalizeMessage('subject')).toBe('subject\n');
  });

  it('takes the first line as the subject', () => {
    expect(messageSubject('subject\n\nbody\n')).toBe('subject');
    expect(messageSubject('only')).toBe('only');
  });
});
