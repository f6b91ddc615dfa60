/** Search routes (api-contract.md §5): basic, advanced, and their errors. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';
import { RepositoryEventBus } from '../../src/modules/hooks/repository-event-bus';
import { createRepo, HASH } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

const T0 = 1_754_000_000; // 2025-07-31T22:13:20Z

interface Change {
  readonly files: Readonly<Record<string, string | null>>;
  readonly message: string;
  readonly author: string;
  readonly email: string;
  readonly at: number;
}

async function commit(app: NestExpressApplication, id: string, change: Change): Promise<string> {
  return app.get(RepositoryRegistry).write(id, ({ repository }) => {
    for (const [path, content] of Object.entries(change.files)) {
      if (content === null) repository.remove(path);
      else repository.add(path, content);
    }
    return repository.commit({
      message: change.message,
      author: { name: change.author, email: change.email, timestamp: change.at },
    }).oid;
  });
}

/** One field of every object of a response list. */
function field(items: unknown, key: string): unknown[] {
  return (items as Array<Record<string, unknown>>).map((item) => item[key]);
}

describe('search (e2e)', () => {
  let app: NestExpressApplication;
  let first: string;
  let second: string;
  let third: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await startTestApp();
    await createRepo(app, 's');
    first = await commit(app, 's', {
      files: {
        'README.md': '# Search demo\nThe parseHTTPRequest helper parses requests.\n',
        'src/main.ts': 'export function main() {\n  return parseHTTPRequest("GET /");\n}\n',
        'src/util/é.txt': 'café au lait\nÉcole\n',
        'bin/data.bin': 'abc\u0000needle\n',
      },
      message: 'Initial import\n\nAdds the parser.',
      author: 'Alice Doe',
      email: 'alice@example.com',
      at: T0,
    });
    second = await commit(app, 's', {
      files: {
        'src/main.ts': 'export function main() {\n  return 42;\n}\n',
        'docs/guide.md': 'needle in a haystack\nno match here\nneedle again\n',
      },
      message: 'Simplify main',
      author: 'Bob Roe',
      email: 'bob@example.org',
      at: T0 + 86_400,
    });
    third = await commit(app, 's', {
      files: {
        'docs/guide.md':
          'needle in a haystack\nno match here\nneedle again\nword needles needle_x needle\n',
      },
      message: 'Guide: more needles',
      author: 'Alice Doe',
      email: 'alice@example.com',
      at: T0 + 8 * 86_400,
    });
    await createRepo(app, 'empty');
  });
  afterAll(() => app.close());

  it('answers every route of an empty repository with 200 and nothing found', async () => {
    const files = await http().get('/api/v1/repos/empty/search/files?query=a').expect(200);
    expect(files.body).toMatchObject({ results: [], total: 0 });
    const grep = await http().post('/api/v1/repos/empty/grep').send({ pattern: 'a' }).expect(200);
    expect(grep.body).toMatchObject({ results: [], total: 0 });
    const fulltext = await http()
      .post('/api/v1/repos/empty/search/fulltext')
      .send({ query: 'a' })
      .expect(200);
    expect(fulltext.body).toMatchObject({ results: [], total: 0, index: { documents: 0 } });
    const sql = await http()
      .post('/api/v1/repos/empty/search/sql')
      .send({ query: 'SELECT * FROM files' })
      .expect(200);
    expect(sql.body).toMatchObject({ rows: [], count: 0 });
    const aggregate = await http()
      .post('/api/v1/repos/empty/search/aggregate')
      .send({ group_by: 'author' })
      .expect(200);
    expect(aggregate.body).toMatchObject({
      buckets: [],
      total_commits: 0,
      time_range: { from: null, to: null },
    });
  });

  describe('GET search/commits', () => {
    it('finds commits by message, newest first, with the match location', async () => {
      const res = await http().get('/api/v1/repos/s/search/commits?query=PARSER').expect(200);
      expect(res.body).toMatchObject({
        query: 'PARSER',
        total: 1,
        limit: 50,
        offset: 0,
        truncated: false,
      });
      expect(field(res.body.results, 'hash')).toEqual([first]);
      expect(res.body.matches).toEqual([
        { hash: first, field: 'message', line: 3, column: 10, preview: 'Adds the parser.' },
      ]);
    });

    it('matches author names and emails and filters by author and time', async () => {
      const byEmail = await http()
        .get('/api/v1/repos/s/search/commits?query=example.org')
        .expect(200);
      expect(byEmail.body.matches).toEqual([
        expect.objectContaining({ hash: second, field: 'email', line: 1, column: 5 }),
      ]);
      const alice = await http()
        .get('/api/v1/repos/s/search/commits')
        .query({ query: 'e', author: 'ALICE' })
        .expect(200);
      expect(field(alice.body.results, 'hash')).toEqual([third, first]);
      const windowed = await http()
        .get('/api/v1/repos/s/search/commits')
        .query({ query: 'e', since: '2025-08-01T00:00:00Z', until: '2025-08-02T00:00:00Z' })
        .expect(200);
      expect(field(windowed.body.results, 'hash')).toEqual([second]);
    });

    it('pages with limit and offset; a bad limit falls back to the default', async () => {
      const page = await http()
        .get('/api/v1/repos/s/search/commits?query=e&limit=1&offset=1')
        .expect(200);
      expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
      expect(field(page.body.results, 'hash')).toEqual([second]);
      const lenient = await http()
        .get('/api/v1/repos/s/search/commits?query=e&limit=abc')
        .expect(200);
      expect(lenient.body.limit).toBe(50);
    });

    it('answers MISSING_QUERY, SEARCH_FAILED, INVALID_PATTERN and INVALID_OFFSET', async () => {
      const missing = await http().get('/api/v1/repos/s/search/commits').expect(400);
      expect(missing.body).toEqual({ error: 'query parameter is required', code: 'MISSING_QUERY' });
      const since = await http()
        .get('/api/v1/repos/s/search/commits?query=x&since=yesterday')
        .expect(400);
      expect(since.body).toMatchObject({ code: 'SEARCH_FAILED', details: { param: 'since' } });
      const pattern = await http()
        .get('/api/v1/repos/s/search/commits?query=(a&regex=true')
        .expect(400);
      expect(pattern.body.code).toBe('INVALID_PATTERN');
      const offset = await http()
        .get('/api/v1/repos/s/search/commits?query=x&offset=-1')
        .expect(400);
      expect(offset.body.code).toBe('INVALID_OFFSET');
    });

    it('answers 200 with no results for an empty repository', async () => {
      const res = await http().get('/api/v1/repos/empty/search/commits?query=x').expect(200);
      expect(res.body).toMatchObject({ results: [], matches: [], total: 0 });
    });
  });

  describe('GET search/content', () => {
    it('returns one result per matching line with byte columns and ranges', async () => {
      const res = await http().get('/api/v1/repos/s/search/content?query=needle').expect(200);
      expect(res.body.total).toBe(3);
      expect(res.body.results[0]).toEqual({
        path: 'docs/guide.md',
        ref: 'HEAD',
        line: 1,
        column: 1,
        content: 'needle in a haystack',
        preview: 'needle in a haystack',
        matches: [{ start: 0, end: 6 }],
      });
      // the binary blob (NUL in it) is skipped
      expect(field(res.body.results, 'path').some((path) => String(path).startsWith('bin/'))).toBe(
        false,
      );
    });

    it('reports UTF-8 byte offsets and folds case by default', async () => {
      const res = await http()
        .get('/api/v1/repos/s/search/content')
        .query({ query: 'école' })
        .expect(200);
      expect(res.body.results).toEqual([
        expect.objectContaining({
          path: 'src/util/é.txt',
          line: 2,
          column: 1,
          matches: [{ start: 0, end: 6 }],
        }),
      ]);
      const au = await http()
        .get('/api/v1/repos/s/search/content')
        .query({ query: 'au' })
        .expect(200);
      expect(au.body.results[0]).toMatchObject({
        path: 'src/util/é.txt',
        column: 7,
        matches: [{ start: 6, end: 8 }],
      });
      const exact = await http()
        .get('/api/v1/repos/s/search/content')
        .query({ query: 'école', case_sensitive: 'true' })
        .expect(200);
      expect(exact.body.total).toBe(0);
    });

    it('filters by path glob, searches another ref and runs RE2 regexes', async () => {
      const glob = await http()
        .get('/api/v1/repos/s/search/content')
        .query({ query: 'parse', path: 'src/**' })
        .expect(200);
      expect(glob.body.total).toBe(0);
      const old = await http()
        .get('/api/v1/repos/s/search/content')
        .query({ query: 'parseHTTP', path: 'src/*.ts', ref: first })
        .expect(200);
      expect(old.body.results).toEqual([
        expect.objectContaining({ path: 'src/main.ts', ref: first, line: 2 }),
      ]);
      const regex = await http()
        .get('/api/v1/repos/s/search/content')
        .query({ query: 'needle\\w+', regex: 'true' })
        .expect(200);
      expect(regex.body.results).toEqual([
        expect.objectContaining({
          line: 4,
          matches: [
            { start: 5, end: 12 },
            { start: 13, end: 21 },
          ],
        }),
      ]);
    });

    it('answers 400 for unsupported regex features and over-long patterns', async () => {
      for (const query of ['(a)\\1', '(?=a)', '(?<=a)b', 'a++']) {
        const res = await http()
          .get('/api/v1/repos/s/search/content')
          .query({ query, regex: 'true' })
          .expect(400);
        expect(res.body.code).toBe('INVALID_PATTERN');
        expect(res.body.error).toMatch(/not supported/);
      }
      const long = await http()
        .get('/api/v1/repos/s/search/content')
        .query({ query: 'x'.repeat(1001) })
        .expect(400);
      expect(long.body.code).toBe('INVALID_PATTERN');
    });

    it('answers REF_NOT_FOUND, INVALID_REF, MISSING_QUERY and 200 on an empty repository', async () => {
      expect(
        (await http().get('/api/v1/repos/s/search/content?query=x&ref=nope').expect(404)).body.code,
      ).toBe('REF_NOT_FOUND');
      expect(
        (await http().get('/api/v1/repos/s/search/content?query=x&ref=HEAD~x').expect(400)).body
          .code,
      ).toBe('INVALID_REF');
      expect(
        (await http().get('/api/v1/repos/s/search/content?query=').expect(400)).body.code,
      ).toBe('MISSING_QUERY');
      const empty = await http().get('/api/v1/repos/empty/search/content?query=x').expect(200);
      expect(empty.body).toMatchObject({ results: [], total: 0, truncated: false });
      expect(
        (await http().get('/api/v1/repos/nope/search/content?query=x').expect(404)).body.code,
      ).toBe('REPO_NOT_FOUND');
    });

    it('sees a new commit on the next query (index kept current)', async () => {
      await commit(app, 's', {
        files: { 'new.txt': 'freshly added zebra\n' },
        message: 'add zebra',
        author: 'Carol',
        email: 'carol@example.com',
        at: T0 + 9 * 86_400,
      });
      const res = await http().get('/api/v1/repos/s/search/content?query=zebra').expect(200);
      expect(res.body.results).toEqual([expect.objectContaining({ path: 'new.txt', line: 1 })]);
      await commit(app, 's', {
        files: { 'new.txt': null },
        message: 'drop zebra',
        author: 'Carol',
        email: 'carol@example.com',
        at: T0 + 10 * 86_400,
      });
      expect(
        (await http().get('/api/v1/repos/s/search/content?query=zebra').expect(200)).body.total,
      ).toBe(0);
    });
  });

  describe('GET search/files', () => {
    it('matches full paths with ranges, size and mode', async () => {
      const res = await http().get('/api/v1/repos/s/search/files?query=MAIN').expect(200);
      expect(res.body).toMatchObject({ total: 1, truncated: false });
      expect(res.body.results).toEqual([
        {
          path: 'src/main.ts',
          ref: 'HEAD',
          size: 40,
          mode: '100644',
          matches: [{ start: 4, end: 8 }],
        },
      ]);
      const regex = await http()
        .get('/api/v1/repos/s/search/files')
        .query({ query: '\\.md$', regex: 'true' })
        .expect(200);
      expect(field(regex.body.results, 'path')).toEqual(['README.md', 'docs/guide.md']);
      const utf8 = await http()
        .get('/api/v1/repos/s/search/files')
        .query({ query: '.txt' })
        .expect(200);
      expect(utf8.body.results).toEqual([
        expect.objectContaining({ path: 'src/util/é.txt', matches: [{ start: 11, end: 15 }] }),
      ]);
    });
  });

  describe('POST grep', () => {
    it('greps with word, invert, context, max_count and paging', async () => {
      const word = await http()
        .post('/api/v1/repos/s/grep')
        .send({ pattern: 'needle', word_regexp: true, path: 'docs/*' })
        .expect(200);
      expect(field(word.body.results, 'line')).toEqual([1, 3, 4]);
      expect(word.body.results[2].matches).toEqual([{ start: 22, end: 28 }]);
      expect(word.body.results[0].before).toBeUndefined();

      const context = await http()
        .post('/api/v1/repos/s/grep')
        .send({ pattern: 'no match', context: 1 })
        .expect(200);
      expect(context.body.results).toEqual([
        {
          path: 'docs/guide.md',
          ref: 'HEAD',
          line: 2,
          column: 1,
          content: 'no match here',
          before: ['needle in a haystack'],
          after: ['needle again'],
          matches: [{ start: 0, end: 8 }],
        },
      ]);

      const invert = await http()
        .post('/api/v1/repos/s/grep')
        .send({ pattern: 'needle', invert_match: true, path: 'docs/guide.md' })
        .expect(200);
      expect(invert.body.results).toEqual([
        expect.objectContaining({ line: 2, column: 1, matches: [] }),
      ]);

      const maxCount = await http()
        .post('/api/v1/repos/s/grep')
        .send({ pattern: 'needle', max_count: 1 })
        .expect(200);
      expect(maxCount.body.total).toBe(1);

      const line = await http()
        .post('/api/v1/repos/s/grep')
        .send({ pattern: 'NEEDLE AGAIN', line_regexp: true })
        .expect(200);
      expect(line.body.results).toEqual([
        expect.objectContaining({ line: 3, matches: [{ start: 0, end: 12 }] }),
      ]);

      const paged = await http()
        .post('/api/v1/repos/s/grep')
        .send({ pattern: 'e', limit: 0, offset: 2 })
        .expect(200);
      expect(paged.body).toMatchObject({ limit: 50, offset: 2, pattern: 'e' });
    });

    it('returns for the ReDoS pattern (a+)+$ on a long line, correctly', async () => {
      await commit(app, 's', {
        files: { 'redos.txt': `${'a'.repeat(50_000)}!\n${'a'.repeat(10)}\n` },
        message: 'redos',
        author: 'Carol',
        email: 'carol@example.com',
        at: T0 + 11 * 86_400,
      });
      const res = await http()
        .post('/api/v1/repos/s/grep')
        .send({ pattern: '(a+)+$', regex: true, path: 'redos.txt' })
        .expect(200);
      expect(res.body.results).toEqual([
        expect.objectContaining({ line: 2, matches: [{ start: 0, end: 10 }] }),
      ]);
    });

    it('answers INVALID_PATTERN, REF_NOT_FOUND and INVALID_REQUEST', async () => {
      expect(
        (
          await http()
            .post('/api/v1/repos/s/grep')
            .send({ pattern: '(a)\\1', regex: true })
            .expect(400)
        ).body.code,
      ).toBe('INVALID_PATTERN');
      expect(
        (await http().post('/api/v1/repos/s/grep').send({ pattern: 'x', ref: 'nope' }).expect(404))
          .body.code,
      ).toBe('REF_NOT_FOUND');
      expect((await http().post('/api/v1/repos/s/grep').send({}).expect(400)).body.code).toBe(
        'INVALID_REQUEST',
      );
      expect(
        (await http().post('/api/v1/repos/s/grep').send({ pattern: 'x', path: '[ab' }).expect(400))
          .body.code,
      ).toBe('INVALID_PATTERN');
    });
  });

  describe('POST search/fulltext', () => {
    it('ranks with BM25 and returns highlights, index info and content', async () => {
      const res = await http()
        .post('/api/v1/repos/s/search/fulltext')
        .send({ query: 'needle haystack', include_content: true })
        .expect(200);
      expect(res.body.total).toBe(1);
      expect(res.body.results[0]).toMatchObject({
        path: 'docs/guide.md',
        ref: 'main',
        size: expect.any(Number),
      });
      expect(res.body.results[0].score).toBeGreaterThan(0);
      expect(res.body.results[0].highlights[0]).toEqual({
        line: 1,
        text: 'needle in a haystack',
        matches: [
          { start: 0, end: 6 },
          { start: 12, end: 20 },
        ],
      });
      expect(res.body.results[0].content).toContain('needle again');
      expect(res.body.index).toMatchObject({
        documents: expect.any(Number),
        stale: false,
        commit: expect.stringMatching(HASH),
      });
    });

    it('splits camelCase, honours +required, -excluded, phrases, path: and file_types', async () => {
      const camel = await http()
        .post('/api/v1/repos/s/search/fulltext')
        .send({ query: 'http request', sort_by: 'path' })
        .expect(200);
      expect(field(camel.body.results, 'path')).toEqual(['README.md']);
      const required = await http()
        .post('/api/v1/repos/s/search/fulltext')
        .send({ query: '+needle -haystack' })
        .expect(200);
      expect(required.body.total).toBe(0);
      const phrase = await http()
        .post('/api/v1/repos/s/search/fulltext')
        .send({ query: '"needle again"' })
        .expect(200);
      expect(phrase.body.total).toBe(1);
      const noPhrase = await http()
        .post('/api/v1/repos/s/search/fulltext')
        .send({ query: '"again needle"' })
        .expect(200);
      expect(noPhrase.body.total).toBe(0);
      const types = await http()
        .post('/api/v1/repos/s/search/fulltext')
        .send({ query: 'search needle', file_types: ['md'], sort_by: 'path' })
        .expect(200);
      expect(field(types.body.results, 'path')).toEqual(['README.md', 'docs/guide.md']);
      const path = await http()
        .post('/api/v1/repos/s/search/fulltext')
        .send({ query: 'search needle path:docs/**' })
        .expect(200);
      expect(field(path.body.results, 'path')).toEqual(['docs/guide.md']);
    });

    it('refuses a query with no searchable term', async () => {
      const res = await http()
        .post('/api/v1/repos/s/search/fulltext')
        .send({ query: '-x path:*.md' })
        .expect(400);
      expect(res.body.code).toBe('INVALID_REQUEST');
      expect(res.body.error).toMatch(/^invalid request: /);
    });
  });

  describe('POST search/sql', () => {
    it('runs the subset over commits, files and refs', async () => {
      const commits = await http()
        .post('/api/v1/repos/s/search/sql')
        .send({ query: "SELECT hash, author FROM commits WHERE email = 'bob@example.org';" })
        .expect(200);
      expect(commits.body).toMatchObject({
        columns: ['hash', 'author'],
        rows: [{ hash: second, author: 'Bob Roe' }],
        count: 1,
        truncated: false,
      });
      const files = await http()
        .post('/api/v1/repos/s/search/sql')
        .send({
          query: `select path, lower(extension) from files where extension in ('ts', 'md') and ref = '${first}' order by path desc`,
        })
        .expect(200);
      expect(files.body.rows).toEqual([
        { path: 'src/main.ts', 'lower(extension)': 'ts' },
        { path: 'README.md', 'lower(extension)': 'md' },
      ]);
      const count = await http()
        .post('/api/v1/repos/s/search/sql')
        .send({ query: "SELECT COUNT(*) FROM files WHERE content LIKE '%needle%'" })
        .expect(200);
      expect(count.body.rows).toEqual([{ count: 1 }]);
      const refs = await http()
        .post('/api/v1/repos/s/search/sql')
        .send({ query: 'SELECT * FROM refs' })
        .expect(200);
      expect(refs.body.rows).toEqual([
        {
          name: 'refs/heads/main',
          short_name: 'main',
          type: 'branch',
          hash: expect.stringMatching(HASH),
          target: expect.stringMatching(HASH),
          is_current: true,
        },
      ]);
      const times = await http()
        .post('/api/v1/repos/s/search/sql')
        .send({
          query: `SELECT subject FROM commits WHERE timestamp BETWEEN '2025-07-31T00:00:00Z' AND ${T0 + 86_400} ORDER BY timestamp LIMIT 5 OFFSET 1`,
        })
        .expect(200);
      expect(times.body.rows).toEqual([{ subject: 'Simplify main' }]);
    });

    it.each([
      ['SELECT * FROM commits JOIN refs ON commits.hash = refs.hash', /join/i],
      ['SELECT hash FROM commits WHERE hash IN (SELECT hash FROM refs)', /literal/i],
      ["UPDATE commits SET message = 'x'", /only SELECT/],
      ['DELETE FROM commits', /only SELECT/],
      ['SELECT UPPER(author) FROM commits', /function UPPER/],
      ['SELECT 1 FROM commits; SELECT 2 FROM refs', /one statement/],
      ['SELECT nope FROM commits', /unknown column/],
      ['SELECT * FROM users', /unknown table/],
      ["SELECT * FROM commits WHERE parent_count = 'x'", /type mismatch/],
      ['SELECT * FROM commits WHERE', /syntax error/],
    ])('refuses %s with QUERY_FAILED', async (query, reason) => {
      const res = await http().post('/api/v1/repos/s/search/sql').send({ query }).expect(400);
      expect(res.body.code).toBe('QUERY_FAILED');
      expect(res.body.error).toMatch(/^query failed: /);
      expect(res.body.error).toMatch(reason);
    });

    it('gives the position of a syntax error', async () => {
      const res = await http()
        .post('/api/v1/repos/s/search/sql')
        .send({ query: 'SELECT * FROM commits WHERE' })
        .expect(400);
      expect(res.body.details).toEqual({ position: 27 });
    });
  });

  describe('POST search/aggregate', () => {
    it('groups by author with counts and line changes', async () => {
      const res = await http()
        .post('/api/v1/repos/s/search/aggregate')
        .send({
          group_by: 'author',
          time_range: { to: new Date((T0 + 8 * 86_400) * 1000).toISOString() },
        })
        .expect(200);
      expect(res.body.total_commits).toBe(3);
      expect(res.body.buckets).toEqual([
        { key: 'Alice Doe', count: 2, additions: 8, deletions: 0, files_changed: 5, authors: 1 },
        { key: 'Bob Roe', count: 1, additions: 4, deletions: 1, files_changed: 2, authors: 1 },
      ]);
      expect(res.body.time_range).toEqual({
        from: '2025-07-31T22:13:20Z',
        to: '2025-08-08T22:13:20Z',
      });
    });

    it('groups by day, week, month, extension and path prefix with filters', async () => {
      const day = await http()
        .post('/api/v1/repos/s/search/aggregate')
        .send({ group_by: 'day', aggregations: ['count'], query: { author: 'alice' } })
        .expect(200);
      expect(day.body.buckets).toEqual([
        { key: '2025-07-31', count: 1 },
        { key: '2025-08-08', count: 1 },
      ]);
      const week = await http()
        .post('/api/v1/repos/s/search/aggregate')
        .send({ group_by: 'week', aggregations: ['count'], query: 'needles' })
        .expect(200);
      expect(week.body.buckets).toEqual([{ key: '2025-W32', count: 1 }]);
      const month = await http()
        .post('/api/v1/repos/s/search/aggregate')
        .send({ group_by: 'month', aggregations: ['count'], ref: second })
        .expect(200);
      expect(month.body.buckets).toEqual([
        { key: '2025-07', count: 1 },
        { key: '2025-08', count: 1 },
      ]);
      const ext = await http()
        .post('/api/v1/repos/s/search/aggregate')
        .send({ group_by: 'extension', aggregations: ['count'], ref: second })
        .expect(200);
      expect(ext.body.buckets).toEqual([
        { key: 'md', count: 2 },
        { key: 'ts', count: 2 },
        { key: 'bin', count: 1 },
        { key: 'txt', count: 1 },
      ]);
      const prefix = await http()
        .post('/api/v1/repos/s/search/aggregate')
        .send({
          group_by: 'path_prefix',
          aggregations: ['files_changed'],
          ref: first,
          path_depth: 2,
        })
        .expect(200);
      expect(prefix.body.buckets).toEqual([
        { key: '', files_changed: 1 },
        { key: 'bin', files_changed: 1 },
        { key: 'src', files_changed: 1 },
        { key: 'src/util', files_changed: 1 },
      ]);
    });

    it('answers AGGREGATION_FAILED for unknown group_by, aggregation or a reversed range', async () => {
      for (const body of [
        { group_by: 'planet' },
        { group_by: 'author', aggregations: ['median'] },
        {
          group_by: 'day',
          time_range: { from: '2025-08-02T00:00:00Z', to: '2025-08-01T00:00:00Z' },
        },
        { group_by: 'day', time_range: { from: 'soon' } },
      ]) {
        const res = await http().post('/api/v1/repos/s/search/aggregate').send(body).expect(400);
        expect(res.body.code).toBe('AGGREGATION_FAILED');
      }
    });
  });

  describe('statistics, suggestions, rebuild', () => {
    it('reports real counts', async () => {
      const res = await http().get('/api/v1/repos/s/search/statistics').expect(200);
      expect(res.body).toMatchObject({
        repository: 's',
        commits: 6,
        branches: 1,
        tags: 0,
        authors: 3,
        first_commit: '2025-07-31T22:13:20Z',
        objects: { commits: 6 },
        index: { documents: expect.any(Number), stale: expect.any(Boolean) },
      });
      expect(res.body.extensions).toEqual(
        expect.arrayContaining([{ extension: 'md', files: 2, bytes: expect.any(Number) }]),
      );
      const empty = await http().get('/api/v1/repos/empty/search/statistics').expect(200);
      expect(empty.body).toMatchObject({
        commits: 0,
        files: 0,
        first_commit: null,
        last_commit: null,
      });
    });

    it('completes prefixes over terms, paths, authors and refs', async () => {
      const res = await http().get('/api/v1/repos/s/search/suggestions?q=ne').expect(200);
      expect(res.body.suggestions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ text: 'needle', type: 'term' }),
          expect.objectContaining({ text: 'needles', type: 'term' }),
        ]),
      );
      const author = await http()
        .get('/api/v1/repos/s/search/suggestions?q=ali&limit=5')
        .expect(200);
      expect(author.body.suggestions).toEqual(
        expect.arrayContaining([{ text: 'Alice Doe', type: 'author', score: 2 }]),
      );
      const ref = await http().get('/api/v1/repos/s/search/suggestions?q=mai').expect(200);
      expect(ref.body.suggestions).toEqual(
        expect.arrayContaining([{ text: 'main', type: 'ref', score: 1 }]),
      );
      expect(ref.body.count).toBe(ref.body.suggestions.length);
    });

    it('answers MISSING_QUERY and INVALID_LIMIT', async () => {
      const missing = await http().get('/api/v1/repos/s/search/suggestions').expect(400);
      expect(missing.body).toEqual({
        error: "query parameter 'q' is required",
        code: 'MISSING_QUERY',
      });
      for (const limit of ['0', 'abc', '101']) {
        const res = await http().get(`/api/v1/repos/s/search/suggestions?q=a&limit=${limit}`);
        if (limit === '101') expect(res.status).toBe(200);
        else expect(res.body.code).toBe('INVALID_LIMIT');
      }
    });

    it('brings a built index forward after a commit event, before the next query', async () => {
      await http().get('/api/v1/repos/s/search/content?query=x').expect(200);
      const head = await commit(app, 's', {
        files: { 'event.txt': 'from an event\n' },
        message: 'event',
        author: 'Carol',
        email: 'carol@example.com',
        at: T0 + 12 * 86_400,
      });
      const before = await http().get('/api/v1/repos/s/search/statistics').expect(200);
      expect(before.body.index).toMatchObject({ stale: true });
      app.get(RepositoryEventBus).publish({
        repository: 's',
        event: 'commit',
        data: { hash: head },
        sender: null,
      });
      await new Promise((resolve) => setImmediate(resolve));
      const after = await http().get('/api/v1/repos/s/search/statistics').expect(200);
      expect(after.body.index).toMatchObject({ stale: false, commit: head });
    });

    it('times searches in govc_search_duration_seconds by kind', async () => {
      await http().get('/api/v1/repos/s/search/files?query=a').expect(200);
      const metrics = await http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/govc_search_duration_seconds_count\{kind="files"\} [1-9]/);
    });

    it('rebuilds the index', async () => {
      const res = await http().post('/api/v1/repos/s/search/rebuild').send({}).expect(200);
      expect(res.body).toEqual({
        status: 'success',
        message: 'search index rebuilt',
        documents: expect.any(Number),
        terms: expect.any(Number),
        took_ms: expect.any(Number),
      });
      expect(res.body.documents).toBeGreaterThan(0);
      const later = await http()
        .post('/api/v1/repos/s/search/rebuild')
        .send({ async: true })
        .expect(202);
      expect(later.body).toEqual({ status: 'accepted', job_id: expect.any(String) });
      expect(later.headers.location).toBe(`/api/v1/jobs/${later.body.job_id as string}`);
      let job = (
        await http()
          .get(later.headers.location as string)
          .expect(200)
      ).body as {
        type: string;
        status: string;
        result?: unknown;
      };
      for (let i = 0; i < 100 && (job.status === 'queued' || job.status === 'running'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        job = (
          await http()
            .get(later.headers.location as string)
            .expect(200)
        ).body as typeof job;
      }
      expect(job).toMatchObject({
        type: 'index',
        status: 'completed',
        result: {
          status: 'success',
          message: 'search index rebuilt',
          documents: res.body.documents,
        },
      });
      expect(
        (await http().post('/api/v1/repos/nope/search/rebuild').send({}).expect(404)).body.code,
      ).toBe('REPO_NOT_FOUND');
    });
  });
});
