/**
 * Properties of transactions and parallel realities against naive models:
 * - isolation: random interleavings of transaction, reality and working-state operations never
 *   let one change another's view (each is a plain map of files in the model);
 * - a transaction committed after its branch moved merges cleanly exactly when no path was
 *   changed differently on both sides, and otherwise reports exactly those paths;
 * - concurrent committers (fast-check's scheduler interleaving their steps) never lose a commit.
 *
 * File contents are unique per write and one line each, so rename detection never pairs files
 * and a path changed on both sides always conflicts: the path-level model is then exact.
 */
import fc from 'fast-check';
import { FileNotFoundError } from '../../../../src/core/errors/path-errors';
import { NothingToCommitError } from '../../../../src/core/errors/repo-errors';
import {
  TxConflictError,
  TxNotFoundError,
  TxNotValidatedError,
  ValidationFailedError,
} from '../../../../src/core/errors/transaction-errors';
import { RealityManager } from '../../../../src/core/repo/realities';
import { TransactionManager } from '../../../../src/core/repo/transactions';
import { fcParams } from '../../../support/fast-check';
import { TEST_AUTHOR, TestRepo } from '../../../support/test-repo';

const author = TEST_AUTHOR;
/** Paths transactions and realities edit: `d` is only ever a directory. */
const SHARED_PATHS = ['a', 'b', 'd/e', 'd/f'] as const;
/** Paths only the working state edits, so a commit's sync never meets a local change. */
const WORK_PATHS = ['w1', 'w2'] as const;
const ALL_PATHS = [...SHARED_PATHS, ...WORK_PATHS];

type Files = Map<string, string>;

function sameFiles(a: Files, b: Files): boolean {
  if (a.size !== b.size) return false;
  for (const [path, content] of a) if (b.get(path) !== content) return false;
  return true;
}

/** Path-level three-way merge: what the engine must produce for one-line unique contents. */
function modelMerge(
  base: Files,
  ours: Files,
  theirs: Files,
): { files: Files; conflicts: string[] } {
  const files: Files = new Map();
  const conflicts: string[] = [];
  for (const path of new Set([...base.keys(), ...ours.keys(), ...theirs.keys()])) {
    const b = base.get(path);
    const o = ours.get(path);
    const t = theirs.get(path);
    let result: string | undefined;
    if (o === b) result = t;
    else if (t === b || t === o) result = o;
    else {
      conflicts.push(path);
      continue;
    }
    if (result !== undefined) files.set(path, result);
  }
  return { files, conflicts: conflicts.sort() };
}

function filesOf(t: TestRepo, rev: string): Files {
  return new Map(Object.entries(t.files(rev)));
}

function readOrUndefined(read: () => Uint8Array): string | undefined {
  try {
    return Buffer.from(read()).toString('utf8');
  } catch (error) {
    if (error instanceof FileNotFoundError) return undefined;
    throw error;
  }
}

/** Runs `action`, returning the error it throws (or undefined). */
function caught(action: () => unknown): unknown {
  try {
    action();
    return undefined;
  } catch (error) {
    return error;
  }
}

type Op =
  | { readonly kind: 'txAdd'; readonly actor: number; readonly path: number }
  | { readonly kind: 'txRemove'; readonly actor: number; readonly path: number }
  | { readonly kind: 'txValidate'; readonly actor: number }
  | { readonly kind: 'txCommit'; readonly actor: number }
  | { readonly kind: 'txRollback'; readonly actor: number }
  | { readonly kind: 'txBegin'; readonly actor: number }
  | {
      readonly kind: 'apply';
      readonly actor: number;
      readonly edits: ReadonlyArray<readonly [number, boolean]>;
    }
  | { readonly kind: 'workAdd'; readonly path: number }
  | { readonly kind: 'workCommit' };

const actor = fc.nat(4);
const sharedPath = fc.nat(SHARED_PATHS.length - 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('txAdd' as const), actor, path: sharedPath }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('txRemove' as const), actor, path: sharedPath }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('txValidate' as const), actor }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('txCommit' as const), actor }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('txRollback' as const), actor }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('txBegin' as const), actor }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('apply' as const),
      actor,
      edits: fc.uniqueArray(fc.tuple(sharedPath, fc.boolean()), {
        maxLength: 3,
        selector: ([path]) => path,
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('workAdd' as const),
      path: fc.nat(WORK_PATHS.length - 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('workCommit' as const) }) },
);

interface TxModel {
  id: string;
  base: Files;
  view: Files;
  validated: boolean;
}

describe('transactions and realities (properties)', () => {
  it('never change one another, the main branch or the working state except by their own commits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.array(opArb, { minLength: 1, maxLength: 30 }),
        (txCount, realityCount, ops) => {
          let counter = 0;
          const unique = (): string => `content ${++counter}\n`;
          const t = TestRepo.create();
          const initial: Record<string, string> = {};
          for (const path of SHARED_PATHS) initial[path] = unique();
          t.commit({ files: initial });
          const txs = new TransactionManager(t.repo);
          const realities = new RealityManager(t.repo);

          let main: Files = filesOf(t, 'main');
          const local: Files = new Map(main); // the working tree (= index: only `add` is used)
          const begin = (): TxModel => ({
            id: txs.begin(),
            base: new Map(main),
            view: new Map(main),
            validated: false,
          });
          const slots: Array<TxModel | undefined> = Array.from({ length: txCount }, begin);
          const names = Array.from({ length: realityCount }, (_, i) => `r${i}`);
          realities.createMany(names);
          const realityFiles: Files[] = names.map(() => new Map(main));

          for (const op of ops) {
            switch (op.kind) {
              case 'txAdd': {
                const tx = slots[op.actor % txCount];
                const path = SHARED_PATHS[op.path]!;
                const content = unique();
                if (tx === undefined) {
                  expect(caught(() => txs.add('gone', path, content))).toBeInstanceOf(
                    TxNotFoundError,
                  );
                  break;
                }
                txs.add(tx.id, path, content);
                tx.view.set(path, content);
                tx.validated = false;
                break;
              }
              case 'txRemove': {
                const tx = slots[op.actor % txCount];
                if (tx === undefined) break;
                const path = SHARED_PATHS[op.path]!;
                const error = caught(() => txs.remove(tx.id, path));
                if (tx.view.has(path)) {
                  expect(error).toBeUndefined();
                  tx.view.delete(path);
                  tx.validated = false;
                } else {
                  expect(error).toBeInstanceOf(FileNotFoundError);
                }
                break;
              }
              case 'txValidate': {
                const tx = slots[op.actor % txCount];
                if (tx === undefined) break;
                const error = caught(() => txs.validate(tx.id));
                if (sameFiles(tx.view, tx.base)) {
                  expect(error).toBeInstanceOf(ValidationFailedError);
                  tx.validated = false;
                } else {
                  expect(error).toBeUndefined();
                  tx.validated = true;
                }
                break;
              }
              case 'txCommit': {
                const slot = op.actor % txCount;
                const tx = slots[slot];
                if (tx === undefined) break;
                const error = caught(() => txs.commit(tx.id, { message: 'tx', author }));
                if (!tx.validated) {
                  expect(error).toBeInstanceOf(TxNotValidatedError);
                  break;
                }
                const merged = modelMerge(tx.base, main, tx.view);
                if (merged.conflicts.length > 0) {
                  expect(error).toBeInstanceOf(TxConflictError);
                  expect((error as TxConflictError).paths).toEqual(merged.conflicts);
                } else if (sameFiles(merged.files, main)) {
                  expect(error).toBeInstanceOf(NothingToCommitError);
                } else {
                  expect(error).toBeUndefined();
                  // The working state follows: local changes (work paths only) stay on top.
                  for (const path of SHARED_PATHS) {
                    const next = merged.files.get(path);
                    if (next === undefined) local.delete(path);
                    else local.set(path, next);
                  }
                  main = merged.files;
                  slots[slot] = undefined;
                }
                break;
              }
              case 'txRollback': {
                const slot = op.actor % txCount;
                const tx = slots[slot];
                if (tx === undefined) break;
                txs.rollback(tx.id);
                slots[slot] = undefined;
                expect(caught(() => txs.get(tx.id))).toBeInstanceOf(TxNotFoundError);
                break;
              }
              case 'txBegin': {
                const slot = op.actor % txCount;
                if (slots[slot] === undefined) slots[slot] = begin();
                break;
              }
              case 'apply': {
                const index = op.actor % realityCount;
                const files = realityFiles[index]!;
                const changes: Record<string, string | null> = {};
                for (const [path, remove] of op.edits) {
                  const name = SHARED_PATHS[path]!;
                  changes[name] = remove ? null : unique();
                }
                const result = realities.apply(names[index]!, changes, { identity: author });
                const before = new Map(files);
                for (const [path, content] of Object.entries(changes)) {
                  if (content === null) files.delete(path);
                  else files.set(path, content);
                }
                expect(result.commit !== undefined).toBe(!sameFiles(before, files));
                break;
              }
              case 'workAdd': {
                const path = WORK_PATHS[op.path]!;
                const content = unique();
                t.repo.add(path, content);
                local.set(path, content);
                break;
              }
              case 'workCommit': {
                const error = caught(() => t.repo.commit({ message: 'work', author }));
                if (sameFiles(local, main)) {
                  expect(error).toBeInstanceOf(NothingToCommitError);
                } else {
                  expect(error).toBeUndefined();
                  main = new Map(local);
                }
                break;
              }
            }

            // Every view is exactly its model.
            expect(filesOf(t, 'main')).toEqual(main);
            for (const path of ALL_PATHS) {
              expect(readOrUndefined(() => t.repo.readWorking(path).content)).toBe(local.get(path));
              for (const tx of slots) {
                if (tx === undefined) continue;
                expect(readOrUndefined(() => txs.read(tx.id, path).content)).toBe(
                  tx.view.get(path),
                );
              }
            }
            names.forEach((name, i) => {
              expect(filesOf(t, `parallel/${name}`)).toEqual(realityFiles[i]);
            });
            expect(txs.active).toBe(slots.filter((tx) => tx !== undefined).length);
          }
        },
      ),
      fcParams(150),
    );
  });

  it('commit after the branch moved merges cleanly exactly when no path changed differently on both sides', () => {
    const change = fc.option(fc.nat(2), { nil: undefined, freq: 2 });
    /** Per path: undefined = untouched, 0 = delete, n = write content n. */
    const sideArb = fc.tuple(change, change, change, change);
    fc.assert(
      fc.property(
        fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()),
        sideArb,
        sideArb,
        (present, txSide, branchSide) => {
          const t = TestRepo.create();
          const base: Record<string, string> = { keep: 'keep\n' };
          SHARED_PATHS.forEach((path, i) => {
            if (present[i]) base[path] = `base ${path}\n`;
          });
          t.commit({ files: base });
          const txs = new TransactionManager(t.repo);
          const id = txs.begin();
          const txFiles: Files = new Map(Object.entries(base));
          SHARED_PATHS.forEach((path, i) => {
            const c = txSide[i];
            if (c === undefined) return;
            if (c === 0) {
              if (txFiles.has(path)) {
                txs.remove(id, path);
                txFiles.delete(path);
              }
            } else {
              txs.add(id, path, `tx ${c} ${path}\n`);
              txFiles.set(path, `tx ${c} ${path}\n`);
            }
          });
          const branchFiles: Files = new Map(Object.entries(base));
          const edits: Record<string, string | null> = {};
          SHARED_PATHS.forEach((path, i) => {
            const c = branchSide[i];
            if (c === undefined) return;
            // Same numbers write the same text on both sides: identical changes merge.
            edits[path] = c === 0 ? null : `tx ${c} ${path}\n`;
            if (c === 0) branchFiles.delete(path);
            else branchFiles.set(path, `tx ${c} ${path}\n`);
          });
          edits['keep'] = 'moved\n';
          branchFiles.set('keep', 'moved\n');
          const moved = t.commit({ files: edits });
          const baseFiles: Files = new Map(Object.entries(base));
          if (sameFiles(txFiles, baseFiles)) return; // validate refuses: nothing to test here

          txs.validate(id);
          const expected = modelMerge(baseFiles, branchFiles, txFiles);
          const error = caught(() => txs.commit(id, { message: 'tx', author }));
          if (expected.conflicts.length > 0) {
            expect(error).toBeInstanceOf(TxConflictError);
            expect((error as TxConflictError).paths).toEqual(expected.conflicts);
            expect(t.repo.head().oid).toBe(moved);
            expect(txs.get(id).state).toBe('validated');
          } else if (sameFiles(expected.files, branchFiles)) {
            expect(error).toBeInstanceOf(NothingToCommitError);
          } else {
            expect(error).toBeUndefined();
            expect(t.repo.graph.parents(t.repo.head().oid!)).toEqual([moved]);
            expect(filesOf(t, 'main')).toEqual(expected.files);
          }
        },
      ),
      fcParams(300),
    );
  });

  it('never loses a commit when transactions, realities and direct commits interleave', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 0, max: 3 }),
        async (s, touchesShared, directCommits) => {
          const t = TestRepo.create();
          t.commit({ files: { shared: 'base\n' } });
          const txs = new TransactionManager(t.repo);
          const realities = new RealityManager(t.repo);
          realities.createMany(['r']);
          const step = (label: string): Promise<string> => s.schedule(Promise.resolve(label));
          const committed: string[] = [];
          let realityHead = realities.get('r').head;

          const transactionTasks = touchesShared.map(async (shared, i) => {
            await step(`begin ${i}`);
            const id = txs.begin();
            await step(`add ${i}`);
            txs.add(id, `own-${i}`, `${i}\n`);
            if (shared) txs.add(id, 'shared', `tx ${i}\n`);
            await step(`validate ${i}`);
            txs.validate(id);
            await step(`commit ${i}`);
            try {
              committed.push(txs.commit(id, { message: `tx ${i}`, author }).oid);
            } catch (error) {
              // Only a real conflict on the shared file may stop a commit.
              expect(shared).toBe(true);
              expect(error).toBeInstanceOf(TxConflictError);
              expect((error as TxConflictError).paths).toEqual(['shared']);
            }
          });
          const directTask = (async () => {
            for (let i = 0; i < directCommits; i++) {
              await step(`direct ${i}`);
              t.repo.add(`direct-${i}`, `${i}\n`);
              committed.push(t.repo.commit({ message: `direct ${i}`, author }).oid);
            }
          })();
          const realityTask = (async () => {
            for (let i = 0; i < 2; i++) {
              await step(`apply ${i}`);
              const result = realities.apply('r', { [`r-${i}`]: `${i}\n` }, { identity: author });
              expect(result.commit?.commit.parents).toEqual([realityHead]);
              realityHead = result.commit!.oid;
            }
          })();

          await s.waitAll();
          await Promise.all([...transactionTasks, directTask, realityTask]);

          // Every acknowledged commit is on main's first-parent chain, newest last.
          const chain: string[] = [];
          for (let oid: string | undefined = t.repo.head().oid!; oid !== undefined;) {
            chain.push(oid);
            oid = t.repo.graph.parents(oid)[0];
          }
          expect(chain.reverse().slice(-committed.length)).toEqual(committed);
          const files = t.files('main');
          touchesShared.forEach((shared, i) => {
            const landed = files[`own-${i}`] !== undefined;
            expect(landed || shared).toBe(true);
          });
          expect(realities.get('r').head).toBe(realityHead);
          expect(t.repo.status().clean).toBe(true);
        },
      ),
      fcParams(150),
    );
  });
});
