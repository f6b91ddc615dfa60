/**
 * Rename detection turns delete+add pairs into renames the way `git diff -M` does; which pair
 * wins and the similarity it prints are visible in the API, so the rules are pinned here (and
 * compared with git in bulk by the interop suite).
 */
import { formatNameStatus } from '../../../../src/core/diff/file-diffs';
import { diffTrees } from '../../../../src/core/diff/tree-diff';
import { chunkProfile, copiedBytes } from '../../../../src/core/diff/content-similarity';
import { EMPTY_TREE_OID, ObjectDatabase } from '../../../../src/core/objects/object-database';
import type { Oid } from '../../../../src/core/objects/oid';
import { buildTree } from '../../../../src/core/repo/tree-builder';
import { MemoryObjectStore } from '../../../../src/core/storage/memory/memory-object-store';

type Files = Record<string, string | { content: string; mode: string }>;

function writeFiles(db: ObjectDatabase, files: Files): Oid {
  return buildTree(
    db,
    EMPTY_TREE_OID,
    Object.entries(files).map(([path, f]) => {
      const spec = typeof f === 'string' ? { content: f, mode: '100644' } : f;
      return [path, { mode: spec.mode, oid: db.writeBlob(spec.content) }] as const;
    }),
  );
}

function lines(n: number, tag: string): string {
  return Array.from({ length: n }, (_, i) => `${tag} line number ${i}\n`).join('');
}

function nameStatus(
  before: Files,
  after: Files,
  options?: Parameters<typeof diffTrees>[3],
): string {
  const db = new ObjectDatabase(new MemoryObjectStore());
  return formatNameStatus(diffTrees(db, writeFiles(db, before), writeFiles(db, after), options));
}

describe('rename detection', () => {
  it('pairs identical content as a 100% rename placed at the new path', () => {
    expect(nameStatus({ 'old/a.txt': 'same\n', m: 'x' }, { 'new/b.txt': 'same\n', m: 'x' })).toBe(
      'R100\told/a.txt\tnew/b.txt\n',
    );
  });

  it('prefers, among identical sources, the one with the same file name', () => {
    const out = nameStatus({ 'a/x.txt': 'dup\n', 'b/y.txt': 'dup\n' }, { 'c/y.txt': 'dup\n' });
    expect(out).toBe('D\ta/x.txt\nR100\tb/y.txt\tc/y.txt\n');
  });

  it("detects an edited move at 50% similarity or more, with git's 3-digit score", () => {
    const original = lines(20, 'keep');
    const edited = original.replace('keep line number 3\n', 'changed\n');
    expect(nameStatus({ 'a.c': original }, { 'b.c': edited })).toMatch(/^R09\d\ta\.c\tb\.c\n$/);
  });

  it('leaves a delete and an add apart when they share less than half their content', () => {
    expect(nameStatus({ 'a.c': lines(10, 'old') }, { 'b.c': lines(10, 'new') })).toBe(
      'D\ta.c\nA\tb.c\n',
    );
  });

  it('honours a higher threshold and turns detection off on request', () => {
    const original = lines(10, 'keep');
    const edited = original
      .replace('keep line number 3\n', 'changed\n')
      .replace('keep line number 7\n', 'x\n');
    expect(nameStatus({ 'a.c': original }, { 'b.c': edited }, { renames: { threshold: 90 } })).toBe(
      'D\ta.c\nA\tb.c\n',
    );
    expect(nameStatus({ 'a.c': original }, { 'b.c': original }, { renames: false })).toBe(
      'D\ta.c\nA\tb.c\n',
    );
  });

  it('skips inexact detection when sources x destinations exceed the limit squared', () => {
    const original = lines(20, 'keep');
    const edited = original.replace('keep line number 3\n', 'changed\n');
    const before = { 'a.c': original, 'z1.c': lines(5, 'z1') };
    const after = { 'b.c': edited, 'z2.c': lines(5, 'z2') };
    expect(nameStatus(before, after, { renames: { limit: 1 } })).toBe(
      'D\ta.c\nA\tb.c\nD\tz1.c\nA\tz2.c\n',
    );
    expect(nameStatus(before, after, { renames: { limit: 2 } })).toMatch(/^R\d{3}\ta\.c\tb\.c\n/);
  });

  it('renames symlinks only when they are identical', () => {
    const link = (target: string): { content: string; mode: string } => ({
      content: target,
      mode: '120000',
    });
    expect(nameStatus({ l1: link('target/path/one') }, { l2: link('target/path/one') })).toBe(
      'R100\tl1\tl2\n',
    );
    expect(nameStatus({ l1: link('target/path/one') }, { l2: link('target/path/two') })).toBe(
      'D\tl1\nA\tl2\n',
    );
  });

  it('uses each deleted file for at most one rename, the first destination in path order', () => {
    expect(nameStatus({ 'a.txt': 'same\n' }, { 'b.txt': 'same\n', 'c.txt': 'same\n' })).toBe(
      'R100\ta.txt\tb.txt\nA\tc.txt\n',
    );
  });
});

describe('content similarity', () => {
  it('counts every byte as copied between identical texts, ignoring CR in CRLF', () => {
    const text = Buffer.from('alpha\nbeta\ngamma\n');
    expect(copiedBytes(chunkProfile(text), chunkProfile(text))).toBe(text.length);
    const crlf = Buffer.from('alpha\r\nbeta\r\n');
    expect(copiedBytes(chunkProfile(crlf), chunkProfile(Buffer.from('alpha\nbeta\n')))).toBe(11);
  });

  it('ignores a final chunk without newline shorter than 64 bytes, as git does', () => {
    expect(
      copiedBytes(chunkProfile(Buffer.from('a\ntail')), chunkProfile(Buffer.from('a\ntail'))),
    ).toBe(2);
  });
});
