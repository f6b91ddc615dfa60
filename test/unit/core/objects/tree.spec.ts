/**
 * Tree ids depend on exact bytes and on git's peculiar entry order (a directory sorts as if its
 * name ended in `/`, names compare as UTF-8 bytes). A mistake here silently forks history from
 * git's, so the order is checked against a byte oracle and against `git mktree` itself.
 */
import fc from 'fast-check';
import { CorruptObjectError } from '../../../../src/core/errors/object-errors';
import { hashObject } from '../../../../src/core/objects/git-object';
import {
  compareTreeEntries,
  isSortedTree,
  parseTree,
  serializeTree,
  type TreeEntry,
} from '../../../../src/core/objects/tree';
import { comparePaths, compareTreeEntryNames } from '../../../../src/core/objects/tree-entry-order';
import { gitAvailable, tempBareRepo } from '../../../support/git-cli';
import { gitMktreeBatch } from '../../../support/git-objects';
import { fcParams } from '../../../support/fast-check';
import {
  oidArb,
  treeEntriesArb,
  treeEntryArb,
  treeEntryNameArb,
} from '../../../support/object-arbitraries';

const OID_A = 'a'.repeat(40);
const OID_B = 'b'.repeat(40);

function sortedCopy(entries: readonly TreeEntry[]): TreeEntry[] {
  return [...entries].sort(compareTreeEntries);
}

/** The order by definition: UTF-8 bytes, with `/` appended to directory names. */
function byteOracle(a: string, aIsTree: boolean, b: string, bIsTree: boolean): number {
  return Buffer.compare(
    Buffer.from(aIsTree ? `${a}/` : a, 'utf8'),
    Buffer.from(bIsTree ? `${b}/` : b, 'utf8'),
  );
}

describe('tree entry order', () => {
  it('sorts a directory as if its name ended in a slash (a.b < a/ < a0)', () => {
    const entries: TreeEntry[] = [
      { mode: '100644', name: 'a0', oid: OID_A },
      { mode: '40000', name: 'a', oid: OID_B },
      { mode: '100644', name: 'a.b', oid: OID_A },
    ];
    expect(sortedCopy(entries).map((e) => e.name)).toEqual(['a.b', 'a', 'a0']);
  });

  it('sorts a file before a longer name it prefixes, and a directory after a-', () => {
    const entries: TreeEntry[] = [
      { mode: '40000', name: 'foo', oid: OID_A },
      { mode: '100644', name: 'foo-bar', oid: OID_A },
      { mode: '100644', name: 'foo.c', oid: OID_A },
      { mode: '100644', name: 'fo', oid: OID_A },
    ];
    expect(sortedCopy(entries).map((e) => e.name)).toEqual(['fo', 'foo-bar', 'foo.c', 'foo']);
  });

  it('sorts astral characters after every BMP character, as their UTF-8 bytes do', () => {
    expect(compareTreeEntryNames('\u{1f600}', false, '\uffee', false)).toBeGreaterThan(0);
    expect(compareTreeEntryNames('\ue000', false, '\u{10000}', false)).toBeLessThan(0);
    expect(comparePaths('z', 'é')).toBeLessThan(0);
  });

  it('agrees in sign with comparing UTF-8 bytes with a slash appended to directories', () => {
    fc.assert(
      fc.property(
        treeEntryNameArb,
        fc.boolean(),
        treeEntryNameArb,
        fc.boolean(),
        (a, aTree, b, bTree) => {
          expect(Math.sign(compareTreeEntryNames(a, aTree, b, bTree))).toBe(
            Math.sign(byteOracle(a, aTree, b, bTree)),
          );
        },
      ),
      fcParams(2000),
    );
  });

  it('is antisymmetric', () => {
    fc.assert(
      fc.property(treeEntryArb, treeEntryArb, (a, b) => {
        expect(Math.sign(compareTreeEntries(a, b)) + Math.sign(compareTreeEntries(b, a))).toBe(0);
      }),
      fcParams(500),
    );
  });
});

describe('serializeTree and parseTree', () => {
  it('round-trips any entries, returning them in git order', () => {
    fc.assert(
      fc.property(treeEntriesArb(), (entries) => {
        const parsed = parseTree(serializeTree(entries));
        expect(parsed).toEqual(sortedCopy(entries));
        expect(isSortedTree(parsed)).toBe(true);
      }),
      fcParams(500),
    );
  });

  it('re-serializes parsed bytes to the identical bytes', () => {
    fc.assert(
      fc.property(treeEntriesArb(), (entries) => {
        const bytes = serializeTree(entries);
        expect(serializeTree(parseTree(bytes)).equals(bytes)).toBe(true);
      }),
      fcParams(300),
    );
  });

  it('gives the same bytes whatever order the entries come in', () => {
    fc.assert(
      fc.property(
        treeEntriesArb().chain((entries) =>
          fc.tuple(
            fc.constant(entries),
            fc.shuffledSubarray(entries, { minLength: entries.length }),
          ),
        ),
        ([entries, shuffled]) => {
          expect(serializeTree(shuffled).equals(serializeTree(entries))).toBe(true);
        },
      ),
      fcParams(300),
    );
  });

  it("does not reorder the caller's array when sorting", () => {
    const entries: TreeEntry[] = [
      { mode: '100644', name: 'b', oid: OID_A },
      { mode: '100644', name: 'a', oid: OID_B },
    ];
    serializeTree(entries);
    expect(entries.map((e) => e.name)).toEqual(['b', 'a']);
  });

  it('writes modes without a leading zero and ids as 20 raw bytes', () => {
    const bytes = serializeTree([{ mode: '40000', name: 'd', oid: OID_A }]);
    expect(bytes.equals(Buffer.concat([Buffer.from('40000 d\0'), Buffer.from(OID_A, 'hex')]))).toBe(
      true,
    );
  });

  it('serializes no entries to the empty tree', () => {
    expect(serializeTree([]).length).toBe(0);
    expect(hashObject('tree', serializeTree([]))).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });

  it('keeps unicode names as UTF-8 bytes', () => {
    const bytes = serializeTree([{ mode: '100644', name: 'ünï😀', oid: OID_A }]);
    expect(bytes.subarray(7, 7 + Buffer.byteLength('ünï😀')).toString('utf8')).toBe('ünï😀');
    expect(parseTree(bytes)[0]?.name).toBe('ünï😀');
  });

  const id = Buffer.from(OID_A, 'hex');
  it.each<[string, Buffer]>([
    ['an entry without a space after the mode', Buffer.concat([Buffer.from('100644name\0'), id])],
    ['an empty mode', Buffer.concat([Buffer.from(' name\0'), id])],
    ['a mode longer than six digits', Buffer.concat([Buffer.from('1006444 name\0'), id])],
    ['a non-octal mode', Buffer.concat([Buffer.from('100648 name\0'), id])],
    ['an empty name', Buffer.concat([Buffer.from('100644 \0'), id])],
    ['a name without its NUL', Buffer.from('100644 name')],
    ['a truncated id', Buffer.concat([Buffer.from('100644 name\0'), id.subarray(0, 19)])],
  ])('rejects %s as a corrupt tree', (_label, bytes) => {
    expect(() => parseTree(bytes, OID_B)).toThrow(CorruptObjectError);
    expect(() => parseTree(bytes)).toThrow(expect.objectContaining({ code: 'CORRUPT_OBJECT' }));
  });
});

const describeWithGit = gitAvailable() ? describe : describe.skip;

describeWithGit('tree ids against git mktree', () => {
  let repo: { path: string; cleanup: () => void };
  beforeAll(() => {
    repo = tempBareRepo();
  });
  afterAll(() => repo.cleanup());

  it('equals git for entries named a.b, a/, a0, unicode and astral names, every mode', () => {
    const trees: TreeEntry[][] = [
      [
        { mode: '100644', name: 'a0', oid: OID_A },
        { mode: '40000', name: 'a', oid: OID_B },
        { mode: '100644', name: 'a.b', oid: OID_A },
        { mode: '100755', name: 'a-', oid: OID_A },
        { mode: '120000', name: 'link', oid: OID_B },
        { mode: '160000', name: 'sub', oid: OID_A },
      ],
      [
        { mode: '100644', name: '\uffee', oid: OID_A },
        { mode: '40000', name: '😀', oid: OID_B },
        { mode: '100644', name: '\ue000', oid: OID_A },
        { mode: '100644', name: 'é', oid: OID_A },
        { mode: '100644', name: 'z', oid: OID_A },
        { mode: '40000', name: '\u{10000}', oid: OID_A },
      ],
      [],
    ];
    const expected = gitMktreeBatch(repo.path, trees);
    expect(trees.map((entries) => hashObject('tree', serializeTree(entries)))).toEqual(expected);
  });

  it('equals git for random trees (60 per git call)', () => {
    fc.assert(
      fc.property(fc.array(treeEntriesArb(), { minLength: 60, maxLength: 60 }), (trees) => {
        const expected = gitMktreeBatch(repo.path, trees);
        expect(trees.map((entries) => hashObject('tree', serializeTree(entries)))).toEqual(
          expected,
        );
      }),
      fcParams(5),
    );
  });

  it('equals git for trees whose names differ only around the slash position', () => {
    const names = ['a', 'a.', 'a-', 'a0', 'a.b', 'ab', 'a b', 'a~', 'aé', 'a😀'];
    fc.assert(
      fc.property(
        fc.array(
          fc.uniqueArray(
            fc.record({
              name: fc.constantFrom(...names),
              mode: fc.constantFrom('100644', '40000'),
              oid: oidArb,
            }),
            {
              selector: (e) => e.name,
              minLength: 1,
            },
          ),
          { minLength: 40, maxLength: 40 },
        ),
        (trees) => {
          const expected = gitMktreeBatch(repo.path, trees);
          expect(trees.map((entries) => hashObject('tree', serializeTree(entries)))).toEqual(
            expected,
          );
        },
      ),
      fcParams(3),
    );
  });
});
