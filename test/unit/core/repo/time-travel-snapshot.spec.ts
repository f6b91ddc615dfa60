/**
 * snapshotAt / readAtTime (contract §9) on a Repository: the newest commit not after T over
 * every reachable commit (brute-force oracle over random histories), its blob count, reading
 * a file at a time, and the errors for empty histories, unknown refs and missing files.
 */
import fc from 'fast-check';
import { FileNotFoundError } from '../../../../src/core/errors/path-errors';
import { RefNotFoundError } from '../../../../src/core/errors/ref-errors';
import { NoCommitsAtTimeError } from '../../../../src/core/errors/transaction-errors';
import type { Oid } from '../../../../src/core/objects/oid';
import { Repository } from '../../../../src/core/repo/repository';
import {
  countTreeBlobs,
  readAtTime,
  snapshotAt,
} from '../../../../src/core/repo/time-travel-snapshot';
import type { CommitGraph } from '../../../../src/core/walk/commit-graph';
import { fcParams } from '../../../support/fast-check';
import { buildHistory, HISTORY_PATHS, historyArbitrary } from '../../../support/history-arbitrary';
import { HistoryBuilder } from '../../../support/history-builder';
import { TEST_EPOCH, TestRepo } from '../../../support/test-repo';

/** §9 by brute force: greatest time ≤ t, then not an ancestor of another tied one, then smallest id. */
function oracle(graph: CommitGraph, all: readonly Oid[], tip: Oid, t: number): Oid | undefined {
  const eligible = all.filter((oid) => graph.isAncestor(oid, tip) && graph.commitTime(oid) <= t);
  if (eligible.length === 0) return undefined;
  const best = Math.max(...eligible.map((oid) => graph.commitTime(oid)));
  const tied = eligible.filter((oid) => graph.commitTime(oid) === best);
  return tied.filter((oid) => !tied.some((o) => o !== oid && graph.isAncestor(oid, o))).sort()[0];
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

describe('snapshotAt', () => {
  it('returns the newest commit at or before the time, with its tree and file count', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'a.txt': '1', 'dir/b.txt': '2' } }); // TEST_EPOCH + 1
    t.commit({ files: { 'c.txt': '3' } }); // + 2
    const c3 = t.commit({ files: { 'a.txt': null } }); // + 3
    const at1 = snapshotAt(t.repo, TEST_EPOCH + 1);
    expect(at1).toEqual({
      commit: c1,
      tree: t.repo.odb.readCommit(c1).tree,
      filesCount: 2,
      ref: 'HEAD',
    });
    expect(snapshotAt(t.repo, TEST_EPOCH + 2).filesCount).toBe(3);
    expect(snapshotAt(t.repo, TEST_EPOCH + 1000)).toMatchObject({ commit: c3, filesCount: 2 });
  });

  it('walks the given ref instead of HEAD', () => {
    const t = TestRepo.create();
    t.commit({ files: { a: '1' } });
    t.branch('side');
    const side = t.commit({ branch: 'side', files: { s: 's' } });
    t.commit({ files: { m: 'm' } });
    expect(snapshotAt(t.repo, TEST_EPOCH + 2, 'side')).toMatchObject({ commit: side, ref: 'side' });
  });

  it('answers NO_COMMITS_AT_TIME before the first commit and in an empty repository', () => {
    const t = TestRepo.create();
    expect(() => snapshotAt(t.repo, TEST_EPOCH)).toThrow(NoCommitsAtTimeError);
    t.commit({ files: { a: '1' } });
    expect(() => snapshotAt(t.repo, TEST_EPOCH)).toThrow(NoCommitsAtTimeError);
    expect(() => snapshotAt(t.repo, TEST_EPOCH, 'nope')).toThrow(RefNotFoundError);
  });

  it('agrees with a brute-force search over random histories, including skewed and equal times', () => {
    fc.assert(
      fc.property(
        historyArbitrary({ maxCommits: 25 }),
        fc.nat(),
        fc.integer({ min: -400, max: 15_000 }),
        (drafts, pick, offset) => {
          const h = new HistoryBuilder();
          const oids = buildHistory(h, drafts);
          const tip = oids[pick % oids.length]!;
          h.refs.update({ name: 'refs/heads/main', expect: null, next: tip });
          const repo = new Repository({ objects: h.store, refs: h.refs });
          const t = h.graph.commitTime(oids[0]!) + offset;
          const expected = oracle(h.graph, oids, tip, t);
          if (expected === undefined) {
            expect(() => snapshotAt(repo, t)).toThrow(NoCommitsAtTimeError);
            return;
          }
          const snapshot = snapshotAt(repo, t);
          expect(snapshot.commit).toBe(expected);
          const files = h.files(expected);
          expect(snapshot.filesCount).toBe(Object.keys(files).length);
          for (const path of HISTORY_PATHS) {
            if (files[path] === undefined)
              expect(() => readAtTime(repo, t, path)).toThrow(FileNotFoundError);
            else expect(text(readAtTime(repo, t, path).content)).toBe(files[path]);
          }
        },
      ),
      fcParams(200),
    );
  });
});

describe('readAtTime', () => {
  it('reads a file as it was, naming the snapshot commit', () => {
    const t = TestRepo.create();
    const c1 = t.commit({ files: { 'a.txt': 'old\n' } });
    t.commit({ files: { 'a.txt': 'new\n' } });
    const file = readAtTime(t.repo, TEST_EPOCH + 1, 'a.txt');
    expect(text(file.content)).toBe('old\n');
    expect(file.commit).toBe(c1);
    expect(text(readAtTime(t.repo, TEST_EPOCH + 9, 'a.txt').content)).toBe('new\n');
  });

  it('answers FILE_NOT_FOUND for a missing file or a directory, with the contract message', () => {
    const t = TestRepo.create();
    t.commit({ files: { 'dir/a.txt': '1' } });
    expect(() => readAtTime(t.repo, TEST_EPOCH + 1, 'nope.txt')).toThrow(
      'file not found at specified time: nope.txt',
    );
    expect(() => readAtTime(t.repo, TEST_EPOCH + 1, 'dir')).toThrow(FileNotFoundError);
  });
});

describe('countTreeBlobs', () => {
  it('counts files, executables and symlinks but not submodules', () => {
    const t = TestRepo.create();
    const oid = t.commit({
      files: {
        'a.txt': 'a',
        'bin/run': { content: 'x', mode: '100755' },
        link: { content: 'a.txt', mode: '120000' },
        'deep/er/file': 'f',
        'vendor/lib': { content: '', mode: '160000' },
      },
    });
    expect(countTreeBlobs(t.repo.odb, t.repo.odb.readCommit(oid).tree)).toBe(4);
  });
});
