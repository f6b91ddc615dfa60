/**
 * Hostile input against every search route (api-contract.md §5): generated query strings and
 * bodies with wrong types, junk, unicode, regex and SQL fragments, deep nesting. Whatever comes
 * in, the answer is below 500 and every error is the flat JSON `{error, code, details?}`.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import request from 'supertest';
import { fcParams } from '../support/fast-check';
import { commitFiles, createRepo } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

const BASE = '/api/v1/repos/fz';

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '(a+)+$',
    '(a)\\1',
    '(?=x)',
    '[',
    '\\',
    '**',
    '[!',
    '%',
    "'",
    '"',
    '-1',
    '0',
    '1e9',
    '99999999999999999',
    'true',
    'yes',
    '\u0000',
    'é😀',
    'SELECT * FROM commits',
    "SELECT * FROM files WHERE ref = 'nope'",
    'HEAD~1',
    'HEAD^^^',
    'main@{5}',
    '*/'.repeat(200),
    '('.repeat(500),
    'NOT ('.repeat(200),
  ),
);
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  junk,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(junk, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('message', 'author', 'path', 'from', 'to'), junk, { maxKeys: 3 }),
);

const GET_ROUTES: ReadonlyArray<[string, readonly string[]]> = [
  [
    'search/commits',
    ['query', 'author', 'since', 'until', 'limit', 'offset', 'regex', 'case_sensitive'],
  ],
  ['search/content', ['query', 'path', 'ref', 'case_sensitive', 'regex', 'limit', 'offset']],
  ['search/files', ['query', 'ref', 'case_sensitive', 'regex', 'limit', 'offset']],
  ['search/statistics', []],
  ['search/suggestions', ['q', 'limit']],
];

const POST_ROUTES: ReadonlyArray<[string, readonly string[]]> = [
  [
    'grep',
    [
      'pattern',
      'path',
      'ref',
      'case_sensitive',
      'regex',
      'invert_match',
      'word_regexp',
      'line_regexp',
      'context_before',
      'context_after',
      'context',
      'max_count',
      'limit',
      'offset',
    ],
  ],
  [
    'search/fulltext',
    [
      'query',
      'file_types',
      'max_size',
      'min_score',
      'include_content',
      'highlight_length',
      'limit',
      'offset',
      'sort_by',
    ],
  ],
  ['search/sql', ['query']],
  ['search/aggregate', ['query', 'group_by', 'path_depth', 'aggregations', 'time_range', 'ref']],
  ['search/rebuild', ['async']],
];

function checkReply(status: number, body: unknown): void {
  expect(status).toBeLessThan(500);
  if (status >= 400) {
    expect(body).toEqual(
      expect.objectContaining({
        error: expect.any(String),
        code: expect.stringMatching(/^[A-Z_]+$/),
      }),
    );
  }
}

describe('search routes under hostile input (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp();
    await createRepo(app, 'fz');
    await commitFiles(app, 'fz', { 'a.txt': 'alpha beta\ngamma\n', 'd/b.md': 'needle\n' }, 'one');
    await commitFiles(app, 'fz', { 'a.txt': 'alpha\n' }, 'two');
  });
  afterAll(() => app.close());

  it.each(GET_ROUTES)('GET %s answers < 500 with flat errors', async (route, keys) => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...keys, 'junk'), junk, { maxKeys: 4 }),
        async (query) => {
          const res = await request(app.getHttpServer()).get(`${BASE}/${route}`).query(query);
          checkReply(res.status, res.body);
        },
      ),
      fcParams(60),
    );
  });

  it.each(POST_ROUTES)('POST %s answers < 500 with flat errors', async (route, keys) => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...keys, 'junk'), jsonValue, { maxKeys: 5 }),
        async (body) => {
          const res = await request(app.getHttpServer()).post(`${BASE}/${route}`).send(body);
          checkReply(res.status, res.body);
        },
      ),
      fcParams(60),
    );
  });

  it('refuses deeply nested SQL and over-long globs with 400', async () => {
    const where = `${'NOT ('.repeat(100)}hash = 'x'${')'.repeat(100)}`;
    const sql = await request(app.getHttpServer())
      .post(`${BASE}/search/sql`)
      .send({ query: `SELECT hash FROM commits WHERE ${where}` })
      .expect(400);
    expect(sql.body.code).toBe('QUERY_FAILED');
    const glob = await request(app.getHttpServer())
      .post(`${BASE}/grep`)
      .send({ pattern: 'a', path: '*'.repeat(1001) })
      .expect(400);
    expect(glob.body.code).toBe('INVALID_PATTERN');
  });
});
