/**
 * Search results equal a brute-force scan written here, on generated repositories: content
 * search and grep (substring, regex, case, word, invert, context, max count, path glob, paging),
 * file search and commit search. The index is built at the first commit and brought forward
 * incrementally, so its trigram prefilter and tree-diff updates are exercised too.
 */
import fc from 'fast-check';
import {
  RepositorySearchIndex,
  SearchBudget,
  compileGlob,
  compileMatcher,
  searchCommits,
  searchLines,
  searchPaths,
  treeFiles,
  type LineHit,
} from '../../../src/core';
import { fcParams } from '../../support/fast-check';
import { TestRepo } from '../../support/test-repo';

const WORDS = [
  'ab',
  'AB',
  'abc',
  'xyz',
  'é',
  'ÉCOLE',
  'école',
  'needle',
  'Needle',
  ' ',
  '_',
  'nee',
];
const PATHS = ['a.txt', 'b.md', 'src/a.txt', 'src/c.ts', 'src/deep/d.txt', 'é/f.md', 'bin.dat'];

const lineArb = fc.array(fc.constantFrom(...WORDS), { maxLength: 5 }).map((w) => w.join(''));
const textArb = fc
  .array(lineArb, { minLength: 1, maxLength: 5 })
  .chain((lines) => fc.constantFrom('\n', '').map((end) => lines.join('\n') + end));
const snapshotArb = fc.dictionary(fc.constantFrom(...PATHS), fc.option(textArb, { nil: null }), {
  maxKeys: 5,
});
const historyArb = fc.array(snapshotArb, { minLength: 1, maxLength: 4 });

const QUERIES = ['ab', 'abc', 'needle', 'école', 'é', 'nee', 'b', 'xyz_', 'AB ab'];
const REGEXES = ['ab+c', 'n[e]+dle', '^ab', 'c$', '(ab|xy)z', 'é+', 'a.c', 'ne{2}'];
const GLOBS = [undefined, '*.txt', 'src/**', '**/*.md', 'src/*.ts'];

const BUDGET = { maxBytes: 1 << 30, timeout: 60_000 };

function build(history: ReadonlyArray<Readonly<Record<string, string | null>>>): {
  repo: TestRepo;
  index: RepositorySearchIndex;
} {
  const repo = TestRepo.create();
  const index = new RepositorySearchIndex({ maxFileSize: 1 << 20 });
  history.forEach((files, i) => {
    const withBinary = i === 0 ? { ...files, 'bin.dat': 'ab\u0000needle\n' } : files;
    repo.commit({
      files: withBinary,
      message: `change ${i}\nneedle ${i % 2 === 0 ? 'école' : 'ab'}`,
      author:
        i % 2 === 0 ? { name: 'Ann', email: 'ann@x.io' } : { name: 'Bob AB', email: 'b@y.io' },
    });
    if (i === 0) index.sync(repo.repo);
  });
  index.sync(repo.repo);
  return { repo, index };
}

function byteColumn(line: string, index: number): number {
  return Buffer.byteLength(line.slice(0, index), 'utf8');
}

interface BruteOptions {
  readonly query: string;
  readonly regex: boolean;
  readonly caseSensitive: boolean;
  readonly word: boolean;
}

/** All match ranges of a line, found naively. */
function bruteRanges(line: string, o: BruteOptions): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (o.regex) {
    const re = new RegExp(o.query, o.caseSensitive ? 'gu' : 'giu');
    for (const m of line.matchAll(re)) out.push([m.index, m.index + m[0].length]);
    return out;
  }
  const hay = o.caseSensitive ? line : line.toLowerCase();
  const needle = o.caseSensitive ? o.query : o.query.toLowerCase();
  const isWord = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
  for (let i = 0; i + needle.length <= hay.length;) {
    if (hay.startsWith(needle, i)) {
      const end = i + needle.length;
      if (!o.word || (!isWord(line[i - 1]) && !isWord(line[end]))) {
        out.push([i, end]);
        i = end;
        continue;
      }
    }
    i++;
  }
  return out;
}

function bruteLines(
  repo: TestRepo,
  o: BruteOptions & { glob?: string; invert: boolean; maxCount?: number; context?: number },
): LineHit[] {
  const files = repo.files();
  const matchesGlob = compileGlob(o.glob);
  const hits: LineHit[] = [];
  for (const path of Object.keys(files).sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  )) {
    const text = files[path] as string;
    if (!matchesGlob(path) || text.includes('\u0000')) continue;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let inFile = 0;
    lines.forEach((line, i) => {
      if (o.maxCount !== undefined && inFile >= o.maxCount) return;
      const found = bruteRanges(line, o);
      if (o.invert ? found.length > 0 : found.length === 0) return;
      inFile++;
      const matches = o.invert
        ? []
        : found.map(([s, e]) => ({ start: byteColumn(line, s), end: byteColumn(line, e) }));
      hits.push({
        path,
        line: i + 1,
        column: matches.length > 0 ? (matches[0]?.start ?? 0) + 1 : 1,
        content: line,
        matches,
        ...(o.context === undefined
          ? {}
          : {
              before: lines.slice(Math.max(0, i - o.context), i),
              after: lines.slice(i + 1, i + 1 + o.context),
            }),
      });
    });
  }
  return hits;
}

describe('search equals a brute-force scan (properties)', () => {
  it('content search and grep', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.oneof(
          fc.record({ query: fc.constantFrom(...QUERIES), regex: fc.constant(false) }),
          fc.record({ query: fc.constantFrom(...REGEXES), regex: fc.constant(true) }),
        ),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(...GLOBS),
        fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
        fc.record({
          offset: fc.integer({ min: 0, max: 3 }),
          limit: fc.integer({ min: 1, max: 50 }),
        }),
        (
          history,
          { query, regex },
          caseSensitive,
          wordFlag,
          invert,
          glob,
          maxCount,
          context,
          page,
        ) => {
          const word = wordFlag && !regex;
          const { repo, index } = build(history);
          const odb = repo.repo.odb;
          const matcher = compileMatcher({
            pattern: query,
            regex,
            caseSensitive,
            wordRegexp: word,
            maxPatternLength: 1000,
          });
          const result = searchLines(
            odb,
            treeFiles(odb, repo.repo.headTree()),
            matcher,
            {
              pathFilter: compileGlob(glob),
              invert,
              ...(maxCount === undefined ? {} : { maxCount }),
              ...(context === undefined ? {} : { contextBefore: context, contextAfter: context }),
              ...page,
            },
            new SearchBudget(BUDGET),
            index.blobIndex,
          );
          const expected = bruteLines(repo, {
            query,
            regex,
            caseSensitive,
            word,
            invert,
            ...(glob === undefined ? {} : { glob }),
            ...(maxCount === undefined ? {} : { maxCount }),
            ...(context === undefined ? {} : { context }),
          });
          expect(result.total).toBe(expected.length);
          expect(result.hits).toEqual(expected.slice(page.offset, page.offset + page.limit));
        },
      ),
      fcParams(150),
    );
  });

  it('file search', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.constantFrom('a', 'src/', '.TXT', 'é', 'deep/d'),
        fc.boolean(),
        (history, query, caseSensitive) => {
          const { repo } = build(history);
          const odb = repo.repo.odb;
          const result = searchPaths(
            odb,
            treeFiles(odb, repo.repo.headTree()),
            compileMatcher({ pattern: query, caseSensitive, maxPatternLength: 1000 }),
            { offset: 0, limit: 1000 },
            new SearchBudget(BUDGET),
          );
          const files = repo.files();
          const expected = Object.keys(files)
            .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
            .flatMap((path) => {
              const found = bruteRanges(path, { query, regex: false, caseSensitive, word: false });
              if (found.length === 0) return [];
              return [
                {
                  path,
                  size: Buffer.byteLength(files[path] as string),
                  mode: '100644',
                  matches: found.map(([s, e]) => ({
                    start: byteColumn(path, s),
                    end: byteColumn(path, e),
                  })),
                },
              ];
            });
          expect(result.hits).toEqual(expected);
          expect(result.total).toBe(expected.length);
        },
      ),
      fcParams(100),
    );
  });

  it('commit search', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.constantFrom('needle', 'ÉCOLE', 'ab', 'change 1', 'y.io', 'zzz'),
        fc.option(fc.constantFrom('ann', 'BOB'), { nil: undefined }),
        (history, query, author) => {
          const { repo } = build(history);
          const result = searchCommits(
            repo.repo,
            compileMatcher({ pattern: query, maxPatternLength: 1000 }),
            { ...(author === undefined ? {} : { author }), offset: 0, limit: 1000 },
            new SearchBudget(BUDGET),
          );
          const q = query.toLowerCase();
          const expected = repo.repo.log({ from: 'refs/heads/main' }).commits.filter((oid) => {
            const c = repo.repo.odb.readCommit(oid);
            if (
              author !== undefined &&
              !`${c.author.name}\n${c.author.email}`.toLowerCase().includes(author.toLowerCase())
            )
              return false;
            return [c.message, c.author.name, c.author.email].some((v) =>
              v.toLowerCase().includes(q),
            );
          });
          expect(result.hits.map((hit) => hit.oid)).toEqual(expected);
          for (const hit of result.hits) {
            const c = hit.commit;
            const value =
              hit.field === 'message'
                ? (c.message.split('\n')[hit.line - 1] as string)
                : hit.field === 'author'
                  ? c.author.name
                  : c.author.email;
            expect(value.toLowerCase().indexOf(q)).toBe(hit.column - 1);
          }
        },
      ),
      fcParams(100),
    );
  });

  it('an index brought forward incrementally equals one built from scratch', () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom(...QUERIES), (history, query) => {
        const { repo, index } = build(history);
        const fresh = new RepositorySearchIndex({ maxFileSize: 1 << 20 });
        fresh.sync(repo.repo);
        const literals = compileMatcher({ pattern: query, maxPatternLength: 1000 }).literals;
        const oidsOf = (i: RepositorySearchIndex): string[] =>
          [...(i.blobIndex.candidates(literals) ?? [])]
            .map((id) => i.blobIndex.byIdAt(id)?.oid ?? '')
            .sort();
        expect(oidsOf(index)).toEqual(oidsOf(fresh));
        expect([...index.indexedFiles()].sort()).toEqual([...fresh.indexedFiles()].sort());
        expect(index.blobIndex.termCount).toBe(fresh.blobIndex.termCount);
      }),
      fcParams(100),
    );
  });
});
