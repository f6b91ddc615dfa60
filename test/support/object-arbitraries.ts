/**
 * fast-check arbitraries for git objects, shared by the codec unit tests, the storage contract
 * and the interop tests. Two flavours where it matters: "any" values the codecs must round-trip,
 * and "git-clean" values that the git CLI itself can produce and `git fsck --strict` accepts
 * (git strips crud from identities, needs sane timezones and non-empty names).
 */
import fc from 'fast-check';
import { FileMode } from '../../src/core/objects/file-mode';
import type { ObjectType } from '../../src/core/objects/git-object';
import type { Commit } from '../../src/core/objects/commit';
import type { Signature } from '../../src/core/objects/signature';
import type { Tag } from '../../src/core/objects/tag';
import type { TreeEntry } from '../../src/core/objects/tree';

export const oidArb: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((bytes) => Buffer.from(bytes).toString('hex'));

/** Characters that stress git's tree order: `.` `-` `0` sort around `/`; BMP high vs astral. */
const TRICKY_NAME_CHARS = [
  'a',
  'b',
  'A',
  'Z',
  '0',
  '9',
  '.',
  '-',
  '_',
  ' ',
  '~',
  '+',
  '=',
  '!',
  'é',
  'ß',
  '中',
  '\u00ff',
  '\ue000',
  '\uffee',
  '\ufffd',
  '😀',
  '\u{10000}',
  '\u{10ffff}',
];

/** Any tree entry name git can store (no `/`, no NUL, not `.`/`..`), unicode included. */
export const treeEntryNameArb: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      'a',
      'a.b',
      'a0',
      'a-',
      'a_b',
      'ab',
      'a b',
      '.env',
      '.gitignore',
      'README.md',
      'é',
      '😀',
    ),
    fc
      .array(fc.constantFrom(...TRICKY_NAME_CHARS), { minLength: 1, maxLength: 6 })
      .map((chars) => chars.join('')),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
  )
  .filter((name) => !name.includes('/') && !name.includes('\0') && name !== '.' && name !== '..');

function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 || unit === 0x7f) return true;
  }
  return false;
}

/** Names `git fsck --strict` accepts: also no `.git` lookalikes, no control characters. */
export const fsckCleanNameArb: fc.Arbitrary<string> = treeEntryNameArb.filter(
  (name) =>
    !hasControlChar(name) && !name.includes('\\') && !/^\.git/i.test(name) && !/^git~/i.test(name),
);

export interface ModeKind {
  readonly mode: string;
  readonly type: ObjectType;
}

export const MODE_KINDS: readonly ModeKind[] = [
  { mode: FileMode.Regular, type: 'blob' },
  { mode: FileMode.Executable, type: 'blob' },
  { mode: FileMode.Symlink, type: 'blob' },
  { mode: FileMode.Tree, type: 'tree' },
  { mode: FileMode.Gitlink, type: 'commit' },
];

export const treeEntryArb: fc.Arbitrary<TreeEntry> = fc.record({
  mode: fc.constantFrom(...MODE_KINDS.map((kind) => kind.mode)),
  name: treeEntryNameArb,
  oid: oidArb,
});

/** Entries with distinct names (git treats a file and a directory of one name as a duplicate). */
export function treeEntriesArb(
  entry: fc.Arbitrary<TreeEntry> = treeEntryArb,
  maxLength = 12,
): fc.Arbitrary<TreeEntry[]> {
  return fc.uniqueArray(entry, { selector: (e) => e.name, maxLength });
}

/** `+hhmm`/`-hhmm` as git writes it; any digits (parsers must not assume a sane offset). */
export const timezoneArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('+', '-'),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
  )
  .map(([sign, h, m]) => `${sign}${String(h).padStart(2, '0')}${String(m).padStart(2, '0')}`);

/**
 * Offsets every git front end writes back unchanged: within ±14:00 (fast-import's limit) in
 * quarter hours, -0730 and +0530 among them (git turns `-0000` into `+0000`: zero is positive).
 */
export const gitTimezoneArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('+0000', '-0730', '+0530', '+0130', '-1200', '+1400', '-1400', '+0545'),
  fc
    .tuple(
      fc.constantFrom('+', '-'),
      fc.integer({ min: 0, max: 13 }),
      fc.constantFrom(0, 15, 30, 45),
    )
    .map(
      ([sign, h, m]) =>
        `${h === 0 && m === 0 ? '+' : sign}${String(h).padStart(2, '0')}${String(m).padStart(2, '0')}`,
    ),
);

/** Identity text the codec round-trips: no `<`, `>` or newline (git strips those too). */
const identityTextArb = (minLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', minLength, maxLength: 20 }).filter((s) => !/[<>\n\0]/.test(s));

export const signatureArb: fc.Arbitrary<Signature> = fc.record({
  name: identityTextArb(0),
  email: identityTextArb(0),
  timestamp: fc.integer({ min: -(2 ** 31), max: 2 ** 40 }),
  timezone: timezoneArb,
});

/** git's `crud()`: characters its ident code strips from both ends of names and emails. */
function isIdentCrud(ch: string | undefined): boolean {
  return ch !== undefined && (ch.charCodeAt(0) <= 0x20 || /^[\s.,:;<>"\\']$/.test(ch));
}

/** Identities git writes unchanged from GIT_AUTHOR_NAME/EMAIL (and fsck --strict accepts). */
export const gitSignatureArb: fc.Arbitrary<Signature> = fc.record({
  name: fc
    .oneof(
      fc.constantFrom('Ada Lövelace', 'J. Random Hacker', '山田 太郎', 'Zoë 😀 Q'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }),
    )
    .filter(
      (s) =>
        s.length > 0 &&
        !/[<>]/.test(s) &&
        !hasControlChar(s) &&
        !isIdentCrud(s[0]) &&
        !isIdentCrud(s[s.length - 1]),
    ),
  email: fc
    .tuple(
      fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,10}[a-z0-9]$/),
      fc.stringMatching(/^[a-z0-9]{1,10}\.[a-z]{2,4}$/),
    )
    .map(([local, domain]) => `${local}@${domain}`),
  timestamp: fc.integer({ min: 100_000_000, max: 4_000_000_000 }),
  timezone: gitTimezoneArb,
});

/** Header keys other than the ones the codecs place themselves. */
const extraHeaderKeyArb = fc.oneof(
  fc.constantFrom('encoding', 'gpgsig', 'gpgsig-sha256', 'mergetag', 'x-custom'),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
);

/** A multi-line value shaped like an armored signature (blank line included). */
export const gpgsigArb: fc.Arbitrary<string> = fc
  .array(fc.base64String({ minLength: 4, maxLength: 64 }), { minLength: 1, maxLength: 4 })
  .map((lines) =>
    ['-----BEGIN PGP SIGNATURE-----', '', ...lines, '-----END PGP SIGNATURE-----'].join('\n'),
  );

const headerValueArb = fc.oneof(
  gpgsigArb,
  fc.constantFrom('ISO-8859-1', 'UTF-8', ''),
  fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')),
);

export function extraHeadersArb(
  reserved: readonly string[],
): fc.Arbitrary<Array<[string, string]>> {
  return fc.array(
    fc.tuple(
      extraHeaderKeyArb.filter((key) => !reserved.includes(key)),
      headerValueArb,
    ),
    { maxLength: 3 },
  );
}

/** Any message text (leading blank lines, blank lines inside, no final newline, unicode). */
export const messageArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc
    .array(fc.string({ unit: 'grapheme', maxLength: 20 }), { maxLength: 5 })
    .map((lines) => lines.join('\n')),
  fc.constantFrom(
    '',
    '\n',
    'subject\n',
    'subject\n\nbody\n',
    '\n\nleading blank lines\n',
    'ünïcödé 😀\n',
  ),
);

/** Messages git writes as given (commit-tree and mktag: no NUL; fsck wants a final newline). */
export const gitMessageArb: fc.Arbitrary<string> = fc
  .array(
    fc
      .string({ unit: 'grapheme', maxLength: 24 })
      .filter((s) => !s.includes('\n') && !s.includes('\0')),
    { minLength: 1, maxLength: 4 },
  )
  .map((lines) => `${lines.join('\n')}\n`);

export const commitArb: fc.Arbitrary<Commit> = fc.record({
  tree: oidArb,
  parents: fc.array(oidArb, { maxLength: 4 }),
  author: signatureArb,
  committer: signatureArb,
  extraHeaders: extraHeadersArb(['tree', 'parent', 'author', 'committer']),
  message: messageArb,
});

export const tagArb: fc.Arbitrary<Tag> = fc
  .record({
    object: oidArb,
    type: fc.constantFrom<ObjectType>('blob', 'tree', 'commit', 'tag'),
    name: fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => !/[\n\0]/.test(s)),
    tagger: fc.option(signatureArb, { nil: undefined }),
    extraHeaders: extraHeadersArb(['object', 'type', 'tag', 'tagger']),
    message: messageArb,
  })
  .map(({ tagger, ...rest }) => (tagger === undefined ? rest : { ...rest, tagger }));

/** Any object body: binary bytes, NULs and all. */
export const blobBodyArb: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 512 });
