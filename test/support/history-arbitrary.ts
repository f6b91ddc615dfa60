/**
 * Random commit DAGs for property and interop tests: chains, branches, merges of two or three
 * parents, extra roots, equal timestamps and clock skew (a commit older than its parent), and
 * file edits under nested directories so path-limited walks have something to find.
 *
 * A history is a list of drafts whose parent choices are taken modulo the commit's position,
 * so every value fast-check generates or shrinks to still builds a valid DAG.
 */
import fc from 'fast-check';
import type { Oid } from '../../src/core/objects/oid';
import { BASE_TIME, type HistoryBuilder } from './history-builder';

/** The files histories touch; `dir` and `x` only ever hold directories (no file/dir clash). */
export const HISTORY_PATHS = [
  'a.txt',
  'b.txt',
  'dir/c.txt',
  'dir/sub/d.txt',
  'dir/sub/e.txt',
  'x/y.txt',
] as const;

/** Paths worth filtering on: files, directories at two depths, and one never created. */
export const FILTER_PATHS = ['a.txt', 'dir', 'dir/sub', 'dir/sub/d.txt', 'x', 'missing'] as const;

export interface Edit {
  readonly path: number;
  /** New content id, or null to delete the file. */
  readonly content: number | null;
}

export interface CommitDraft {
  /** Rare extra root commits (unrelated histories that merges may join). */
  readonly root: boolean;
  /** Distance back to the first parent: small values make chains. */
  readonly firstPick: number;
  /** Distances back to the other parents of a merge (0 to 2 of them). */
  readonly otherPicks: readonly number[];
  /** Seconds after the first parent's committer time: 0 (equal) and negative (skew) included. */
  readonly timeDelta: number;
  /** Per path: take the other parent's version of the file in a merge. */
  readonly takeOther: number;
  readonly edits: readonly Edit[];
}

export interface HistoryOptions {
  readonly maxCommits?: number;
  /** Committer times strictly increase with position: no skew, no equal times. */
  readonly monotonic?: boolean;
}

const draftArbitrary: fc.Arbitrary<CommitDraft> = fc.record({
  root: fc.nat(29).map((n) => n === 0),
  firstPick: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.nat(12) },
  ),
  otherPicks: fc.oneof(
    { weight: 5, arbitrary: fc.constant<number[]>([]) },
    { weight: 3, arbitrary: fc.array(fc.nat(15), { minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.array(fc.nat(15), { minLength: 2, maxLength: 2 }) },
  ),
  timeDelta: fc.oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: -300, max: -1 }) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 600 }) },
  ),
  takeOther: fc.nat(63),
  edits: fc.array(
    fc.record({
      path: fc.nat(HISTORY_PATHS.length - 1),
      content: fc.option(fc.nat(6), { freq: 4 }),
    }),
    { maxLength: 2 },
  ),
});

export function historyArbitrary(
  options: HistoryOptions = {},
): fc.Arbitrary<readonly CommitDraft[]> {
  return fc.array(draftArbitrary, { minLength: 1, maxLength: options.maxCommits ?? 40 });
}

/** Builds the drafts with `builder`; returns the commit ids in build order (parents first). */
export function buildHistory(
  builder: HistoryBuilder,
  drafts: readonly CommitDraft[],
  options: HistoryOptions = {},
): Oid[] {
  const oids: Oid[] = [];
  const times: number[] = [];
  drafts.forEach((draft, i) => {
    const parents: number[] = [];
    if (i > 0 && !draft.root) {
      parents.push(i - 1 - (draft.firstPick % i));
      for (const pick of draft.otherPicks) {
        const parent = i - 1 - (pick % i);
        if (!parents.includes(parent)) parents.push(parent);
      }
    }
    const files: Record<string, string> =
      parents.length > 0 ? { ...builder.files(oids[parents[0]!]!) } : {};
    parents.slice(1).forEach((parent) => {
      const other = builder.files(oids[parent]!);
      HISTORY_PATHS.forEach((path, bit) => {
        if ((draft.takeOther & (1 << bit)) === 0) return;
        const content = other[path];
        if (content === undefined) delete files[path];
        else files[path] = content;
      });
    });
    for (const edit of draft.edits) {
      const path = HISTORY_PATHS[edit.path]!;
      if (edit.content === null) delete files[path];
      else files[path] = `v${edit.content}\n`;
    }
    const time = options.monotonic
      ? BASE_TIME + 60 * (i + 1)
      : (parents.length > 0 ? times[parents[0]!]! : BASE_TIME) + draft.timeDelta;
    times.push(time);
    oids.push(
      builder.commit({
        parents: parents.map((p) => oids[p]!),
        files,
        time,
        message: `commit ${i}`,
      }),
    );
  });
  return oids;
}
