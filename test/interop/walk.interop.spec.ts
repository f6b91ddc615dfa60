/**
 * The walks against the real git: random histories (merges, extra roots, equal timestamps,
 * clock skew) are built with the engine, written as loose objects into a bare repository
 * (same bytes, so same ids), and git's answers are compared with ours:
 * - `git log --date-order` (all parents, `--first-parent`, `-- <path>`) vs log();
 * - `--max-age/--min-age` (git's --since/--until) and several starts vs log(), only on
 *   histories with strictly increasing, distinct committer times (where git's early stop and
 *   its pre-sort filtering cannot differ from our plain filters, see walk/log.ts);
 * - `git merge-base --all` vs mergeBases();
 * - `git cat-file --batch-check` on revision expressions vs resolveRevision();
 * - `git check-ref-format` vs isValidRefName() / validateBranchName().
 * Skipped when git is not installed.
 */
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AmbiguousRefError, RefNotFoundError } from '../../src/core/errors/ref-errors';
import type { Oid } from '../../src/core/objects/oid';
import { ZERO_OID } from '../../src/core/objects/oid';
import { formatSignature } from '../../src/core/objects/signature';
import { isValidRefName, shortRefNameProblem } from '../../src/core/refs/ref-name';
import { encodeLooseObject, looseObjectPath } from '../../src/core/storage/loose-object';
import type { ReflogEntry } from '../../src/core/storage/ref-store';
import { log } from '../../src/core/walk/log';
import { mergeBases } from '../../src/core/walk/merge-base';
import { resolveRevision } from '../../src/core/walk/rev-parse';
import { fcParams } from '../support/fast-check';
import { git, gitAvailable, gitResult, tempBareRepo } from '../support/git-cli';
import { buildHistory, FILTER_PATHS, historyArbitrary } from '../support/history-arbitrary';
import { BASE_TIME, HistoryBuilder, signature } from '../support/history-builder';

const describeWithGit = gitAvailable() ? describe : describe.skip;

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

function reflogLine(entry: ReflogEntry): string {
  return `${entry.oldOid} ${entry.newOid} ${formatSignature(entry.committer)}\t${entry.message}\n`;
}

/**
 * Writes every object of the builder into `repo` as loose objects, points main at `tip` and
 * gives main (and HEAD, which git reads for HEAD@{N}) the reflog of `moves`.
 */
function exportToGit(h: HistoryBuilder, repo: string, moves: readonly Oid[]): void {
  for (const oid of h.store.oids()) {
    const object = h.store.get(oid)!;
    const file = join(repo, looseObjectPath(oid));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, encodeLooseObject(object.type, object.body));
  }
  const entries: ReflogEntry[] = moves.map((next, i) => ({
    oldOid: i === 0 ? ZERO_OID : moves[i - 1]!,
    newOid: next,
    committer: signature(BASE_TIME + i),
    message: `move ${i}`,
  }));
  const main = 'refs/heads/main';
  moves.forEach((next, i) =>
    h.refs.update({
      name: main,
      expect: i === 0 ? null : moves[i - 1]!,
      next,
      reflog: entries[i]!,
    }),
  );
  writeFileSync(join(repo, main), `${moves[moves.length - 1]}\n`);
  mkdirSync(join(repo, 'logs/refs/heads'), { recursive: true });
  writeFileSync(join(repo, 'logs', main), entries.map(reflogLine).join(''));
  writeFileSync(join(repo, 'logs/HEAD'), entries.map(reflogLine).join(''));
}

/** What `git cat-file --batch-check` prints for an expression, computed by our resolver. */
function ourBatchCheck(h: HistoryBuilder, expr: string): string {
  try {
    return resolveRevision(h.odb, h.refs, expr);
  } catch (error) {
    if (error instanceof AmbiguousRefError) return `${expr} ambiguous`;
    if (error instanceof RefNotFoundError) return `${expr} missing`;
    throw error;
  }
}

describeWithGit('walks agree with git', () => {
  it('on random histories: log orders, path limiting, merge bases and revision expressions', () => {
    fc.assert(
      fc.property(
        historyArbitrary({ maxCommits: 45 }),
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        fc.shuffledSubarray([...FILTER_PATHS], { minLength: 3, maxLength: 3 }),
        (drafts, picks, paths) => {
          const h = new HistoryBuilder();
          const oids = buildHistory(h, drafts);
          const pick = (i: number): Oid => oids[picks[i]! % oids.length]!;
          const tip = oids[oids.length - 1]!;
          // main's reflog: up to two earlier values, then the tip (consecutive values differ).
          const moves = [...new Set([pick(0), pick(1)].filter((oid) => oid !== tip)), tip];
          const repo = tempBareRepo();
          try {
            exportToGit(h, repo.path, moves);
            const cwd = repo.path;

            expect(log(h.odb, h.graph, [tip]).commits).toEqual(
              lines(git(['log', '--date-order', '--format=%H', 'main'], { cwd })),
            );
            expect(log(h.odb, h.graph, [tip], { firstParent: true }).commits).toEqual(
              lines(git(['log', '--date-order', '--first-parent', '--format=%H', 'main'], { cwd })),
            );
            for (const path of paths) {
              const expected = lines(
                git(['log', '--date-order', '--format=%H', 'main', '--', path], { cwd }),
              );
              expect({ path, commits: log(h.odb, h.graph, [tip], { path }).commits }).toEqual({
                path,
                commits: expected,
              });
            }

            for (const [a, b] of [
              [pick(2), pick(3)],
              [tip, pick(2)],
            ] as const) {
              const result = gitResult(['merge-base', '--all', a, b], { cwd });
              expect(mergeBases(h.graph, a, b)).toEqual(lines(result.stdout).sort());
            }

            const expressions = [
              'main',
              'HEAD',
              'HEAD^',
              'HEAD~',
              'main~1',
              'main~2',
              'main~3',
              'main^2',
              'main^3',
              'main~2^2',
              'main^^2',
              'main~1^2~1',
              'main^2^',
              'main^0',
              'HEAD~0',
              ...moves.map((_, n) => `main@{${n}}`),
              ...moves.map((_, n) => `HEAD@{${n}}~1`),
              pick(2).slice(0, 4),
              pick(3).slice(0, 5),
              pick(2).slice(0, 12),
              h.graph.tree(pick(3)).slice(0, 7),
              `${pick(2).slice(0, 10)}~1`,
              `${pick(3)}^2`,
              'nope',
              'main~100',
            ];
            const theirs = lines(
              git(['cat-file', '--batch-check=%(objectname)'], {
                cwd,
                input: `${expressions.join('\n')}\n`,
              }),
            );
            expect(expressions.map((expr) => `${expr} → ${ourBatchCheck(h, expr)}`)).toEqual(
              expressions.map((expr, i) => `${expr} → ${theirs[i]}`),
            );
          } finally {
            repo.cleanup();
          }
        },
      ),
      fcParams(30),
    );
  });

  it('on histories with increasing distinct times: since/until filters and several starts', () => {
    fc.assert(
      fc.property(
        historyArbitrary({ maxCommits: 40 }),
        fc.nat(),
        fc.integer({ min: 0, max: 40 * 60 }),
        fc.integer({ min: 0, max: 40 * 60 }),
        (drafts, other, from, to) => {
          const h = new HistoryBuilder();
          const oids = buildHistory(h, drafts, { monotonic: true });
          const tip = oids[oids.length - 1]!;
          const second = oids[other % oids.length]!;
          const since = BASE_TIME + Math.min(from, to);
          const until = BASE_TIME + Math.max(from, to);
          const repo = tempBareRepo();
          try {
            exportToGit(h, repo.path, [tip]);
            const cwd = repo.path;
            const filtered = git(
              [
                'log',
                '--date-order',
                '--format=%H',
                `--max-age=${since}`,
                `--min-age=${until}`,
                'main',
              ],
              { cwd },
            );
            expect(log(h.odb, h.graph, [tip], { since, until }).commits).toEqual(lines(filtered));
            const both = git(['log', '--date-order', '--format=%H', 'main', second], { cwd });
            expect(log(h.odb, h.graph, [tip, second]).commits).toEqual(lines(both));
          } finally {
            repo.cleanup();
          }
        },
      ),
      fcParams(8),
    );
  });

  it('agrees with git check-ref-format: same full-name rules, and every branch name git rejects is rejected', () => {
    const fixed = [
      'main',
      'feature/x',
      '-x',
      'HEAD',
      '@',
      'a@b',
      'a@{1}',
      'a..b',
      'a/.b',
      '.a',
      'a.lock',
      'a/b.lock/c',
      'a.',
      'a/',
      '/a',
      'a//b',
      'a b',
      'a\tb',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[b',
      'a\\b',
      'ünï',
      'a\x7fb',
      'refs/heads/x',
      'x'.repeat(256),
      'a.b',
      'lock',
      '.lock',
      'a-.lock',
      'é\u00a0x',
    ];
    const generated = fc.sample(
      fc.string({
        unit: fc.constantFrom(
          'a',
          'b',
          '/',
          '.',
          '-',
          '@',
          '{',
          '}',
          ' ',
          '~',
          'l',
          'o',
          'c',
          'k',
          '^',
          ':',
          '\x01',
        ),
        maxLength: 8,
      }),
      { numRuns: 60, seed: 42 },
    );
    const repo = tempBareRepo();
    try {
      for (const name of [...fixed, ...generated]) {
        const full = gitResult(['check-ref-format', `refs/heads/${name}`], { cwd: repo.path });
        expect({ name, valid: isValidRefName(`refs/heads/${name}`) }).toEqual({
          name,
          valid: full.status === 0,
        });
        const branch = gitResult(['check-ref-format', '--branch', name], { cwd: repo.path });
        if (branch.status !== 0)
          expect({ name, problem: shortRefNameProblem(name) }).toEqual({
            name,
            problem: expect.any(String),
          });
      }
    } finally {
      repo.cleanup();
    }
  });

  it('writes histories git fsck accepts', () => {
    const h = new HistoryBuilder();
    const oids = buildHistory(
      h,
      fc.sample(historyArbitrary({ maxCommits: 30 }), { numRuns: 1, seed: 7 })[0]!,
    );
    const repo = tempBareRepo();
    try {
      exportToGit(h, repo.path, [oids[oids.length - 1]!]);
      expect(gitResult(['fsck', '--strict', '--no-dangling'], { cwd: repo.path })).toMatchObject({
        status: 0,
      });
    } finally {
      repo.cleanup();
    }
  });
});
