/** The SQL subset (src/core/search/sql): what it refuses, and results against a brute-force filter. */
import fc from 'fast-check';
import { QueryFailedError, parseSqlQuery, runSql, type SqlValue } from '../../../src/core';
import { fcParams } from '../../support/fast-check';
import { TestRepo } from '../../support/test-repo';

const LIMITS = { maxRows: 10_000, timeout: 60_000 };

function repository(): TestRepo {
  const repo = TestRepo.create();
  const authors = [
    { name: 'Ann', email: 'ann@x.io' },
    { name: "O'Brien", email: 'ob@y.io' },
    { name: 'Zed', email: 'zed@x.io' },
  ];
  for (let i = 0; i < 9; i++) {
    repo.commit({
      files: { [`f${i % 4}.${i % 2 === 0 ? 'ts' : 'md'}`]: `line ${i}\n`.repeat(i + 1) },
      message: i % 3 === 0 ? `Fix bug ${i}\n\nDetails` : `Add feature ${i}`,
      author: authors[i % 3] as { name: string; email: string },
    });
    if (i === 4) repo.branch('side');
  }
  repo.tag('v1', 'side');
  return repo;
}

function refused(query: string): QueryFailedError {
  try {
    parseSqlQuery(query);
  } catch (error) {
    if (error instanceof QueryFailedError) return error;
    throw error;
  }
  throw new Error(`accepted: ${query}`);
}

describe('SQL subset: refusals', () => {
  it.each([
    ['SELECT * FROM commits JOIN refs ON commits.hash = refs.hash', /join/i],
    ['SELECT * FROM commits, refs', /join/i],
    ['SELECT * FROM (SELECT * FROM commits) t', /sub-quer/],
    ['SELECT hash FROM commits WHERE hash IN (SELECT hash FROM refs)', /literal/],
    ["UPDATE commits SET message = 'x'", /only SELECT/],
    ['DELETE FROM commits', /only SELECT/],
    ['DROP TABLE commits', /only SELECT/],
    ["INSERT INTO commits (hash) VALUES ('x')", /only SELECT/],
    ['SELECT UPPER(author) FROM commits', /function UPPER/],
    ['SELECT COUNT(hash) FROM commits', /function COUNT/],
    ['SELECT hash FROM commits WHERE LENGTH(message) > 3', /expected a column/],
    ['SELECT 1 FROM commits; SELECT 2 FROM refs', /one statement/],
    ['SELECT hash FROM commits UNION SELECT hash FROM refs', /UNION/],
    ['SELECT DISTINCT author FROM commits', /DISTINCT/],
    ['SELECT author FROM commits GROUP BY author', /GROUP BY/],
    ['SELECT author AS a FROM commits', /alias/],
    ['SELECT hash FROM commits WHERE author = email', /column with a column/],
    ['SELECT hash FROM commits WHERE author = "x"', /single quotes/],
    ['SELECT hash FROM commits LIMIT 1, 2', /LIMIT n OFFSET m/],
    ['SELECT nope FROM commits', /unknown column/],
    ['SELECT * FROM users', /unknown table/],
    ["SELECT * FROM commits WHERE parent_count = 'x'", /type mismatch/],
    ["SELECT * FROM commits WHERE timestamp > 'yesterday'", /type mismatch/],
    ['SELECT * FROM commits WHERE parent_count LIKE 1', /LIKE/],
    ["SELECT * FROM commits INTO OUTFILE '/tmp/x'", /INTO/],
  ])('refuses %s', (query, reason) => {
    const error = refused(query);
    expect(error.code).toBe('QUERY_FAILED');
    expect(error.message).toMatch(reason);
  });

  it('reports the position of a syntax error', () => {
    expect(refused('SELECT * FROM commits WHERE').details).toEqual({ position: 27 });
  });

  it('accepts keywords in any case, a trailing semicolon and quoted quotes', () => {
    const repo = repository();
    const result = runSql(
      repo.repo,
      "select author from COMMITS where author = 'O''Brien' limit 1;",
      LIMITS,
    );
    expect(result.rows).toEqual([{ author: "O'Brien" }]);
  });
});

describe('SQL subset: results', () => {
  it('lists refs, counts, projects LOWER and hides content from *', () => {
    const repo = repository();
    expect(runSql(repo.repo, 'SELECT short_name, type, is_current FROM refs', LIMITS).rows).toEqual(
      [
        { short_name: 'main', type: 'branch', is_current: true },
        { short_name: 'side', type: 'branch', is_current: false },
        { short_name: 'v1', type: 'tag', is_current: false },
      ],
    );
    expect(runSql(repo.repo, 'SELECT COUNT(*) FROM commits', LIMITS).rows).toEqual([{ count: 9 }]);
    expect(
      runSql(repo.repo, "SELECT LOWER(author) FROM commits WHERE author = 'Zed' LIMIT 1", LIMITS)
        .rows,
    ).toEqual([{ 'lower(author)': 'zed' }]);
    const files = runSql(repo.repo, "SELECT * FROM files WHERE ref = 'side' ORDER BY path", LIMITS);
    expect(files.columns).not.toContain('content');
    expect(files.rows.map((row) => row.path)).toEqual(['f0.ts', 'f1.md', 'f2.ts', 'f3.md']);
    expect(files.rows[0]).toMatchObject({
      ref: 'side',
      name: 'f0.ts',
      directory: '',
      extension: 'ts',
      mode: '100644',
    });
    const content = runSql(
      repo.repo,
      "SELECT path FROM files WHERE content REGEXP 'line [78]'",
      LIMITS,
    );
    expect(content.rows).toEqual(
      [{ path: 'f3.md' }, { path: 'f0.ts' }].sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
  });

  it('caps LIMIT at max_rows and says truncated', () => {
    const repo = repository();
    const capped = runSql(repo.repo, 'SELECT hash FROM commits LIMIT 100', {
      ...LIMITS,
      maxRows: 4,
    });
    expect(capped).toMatchObject({ count: 4, truncated: true });
    const asked = runSql(repo.repo, 'SELECT hash FROM commits LIMIT 3', LIMITS);
    expect(asked).toMatchObject({ count: 3, truncated: false });
  });

  it('stops past the time limit with QUERY_FAILED', () => {
    const repo = TestRepo.create();
    for (let i = 0; i < 300; i++) repo.commit({ files: { 'a.txt': `${i}\n` } });
    let clock = 0;
    const slowClock = (): number => (clock += 1000);
    expect(() =>
      runSql(repo.repo, 'SELECT hash FROM commits', { maxRows: 10, timeout: 1, now: slowClock }),
    ).toThrow(/query failed: query exceeded the time limit/);
    expect(runSql(repo.repo, 'SELECT COUNT(*) FROM commits', LIMITS).rows).toEqual([
      { count: 300 },
    ]);
  });

  // WHERE clauses generated from column, operator and literal; the rows must equal a filter
  // written here over the commits read straight from the engine.
  it('commits WHERE <generated clause> equals a brute-force filter (property)', () => {
    const repo = repository();
    const all = repo.repo
      .log({ from: ['refs/heads/main', 'refs/heads/side'] })
      .commits.map((oid) => {
        const c = repo.repo.odb.readCommit(oid);
        return {
          hash: oid,
          author: c.author.name,
          email: c.author.email,
          subject: c.message.split('\n')[0] as string,
          parent_count: c.parents.length,
          timestamp: c.author.timestamp,
        };
      });
    type CommitRow = (typeof all)[number];
    type Clause = { sql: string; test: (row: CommitRow) => boolean };
    const stringColumn = fc.constantFrom<'author' | 'email' | 'subject'>(
      'author',
      'email',
      'subject',
    );
    const stringValue = fc.constantFrom(
      'Ann',
      'Zed',
      'zed@x.io',
      'Fix bug 3',
      'Add feature 4',
      'nobody',
    );
    const times = all.map((row) => row.timestamp);
    const compare = (a: string | number, b: string | number, op: string): boolean =>
      op === '='
        ? a === b
        : op === '!='
          ? a !== b
          : op === '<'
            ? a < b
            : op === '<='
              ? a <= b
              : op === '>'
                ? a > b
                : a >= b;
    const predicate: fc.Arbitrary<Clause> = fc.oneof(
      fc
        .tuple(stringColumn, fc.constantFrom('=', '!=', '<', '>='), stringValue)
        .map(([column, op, value]) => ({
          sql: `${column} ${op} '${value}'`,
          test: (row: CommitRow) => compare(row[column], value, op),
        })),
      fc
        .tuple(stringColumn, fc.constantFrom('%a%', 'fix%', '%4', '_ed', '%@X.IO'), fc.boolean())
        .map(([column, pattern, negated]) => {
          const re = new RegExp(`^${pattern.replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
          return {
            sql: `${column} ${negated ? 'NOT ' : ''}LIKE '${pattern}'`,
            test: (row: CommitRow) => re.test(row[column]) !== negated,
          };
        }),
      fc.tuple(fc.constantFrom('=', '>', '<='), fc.integer({ min: 0, max: 2 })).map(([op, n]) => ({
        sql: `parent_count ${op} ${n}`,
        test: (row: CommitRow) => compare(row.parent_count, n, op),
      })),
      fc
        .tuple(fc.constantFrom(...times), fc.constantFrom('<', '>=', '='), fc.boolean())
        .map(([t, op, iso]) => ({
          sql: `timestamp ${op} ${iso ? `'${new Date(t * 1000).toISOString()}'` : t}`,
          test: (row: CommitRow) => compare(row.timestamp, t, op),
        })),
      fc.subarray(['Ann', 'Zed', "O'Brien", 'x'], { minLength: 1 }).map((names) => ({
        sql: `author IN (${names.map((n) => `'${n.replace(/'/g, "''")}'`).join(', ')})`,
        test: (row: CommitRow) => names.includes(row.author),
      })),
    );
    const clause: fc.Arbitrary<Clause> = fc.letrec<{ clause: Clause }>((tie) => ({
      clause: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        predicate,
        fc.tuple(tie('clause'), tie('clause')).map(([a, b]) => ({
          sql: `(${a.sql} AND ${b.sql})`,
          test: (r: CommitRow) => a.test(r) && b.test(r),
        })),
        fc.tuple(tie('clause'), tie('clause')).map(([a, b]) => ({
          sql: `(${a.sql} OR ${b.sql})`,
          test: (r: CommitRow) => a.test(r) || b.test(r),
        })),
        tie('clause').map((a) => ({ sql: `NOT (${a.sql})`, test: (r: CommitRow) => !a.test(r) })),
      ),
    })).clause;
    fc.assert(
      fc.property(clause, (where) => {
        const result = runSql(repo.repo, `SELECT hash FROM commits WHERE ${where.sql}`, LIMITS);
        const expected: Array<Record<string, SqlValue>> = all
          .filter(where.test)
          .map((row) => ({ hash: row.hash }));
        expect(result.rows).toEqual(expected);
      }),
      fcParams(200),
    );
  });
});
