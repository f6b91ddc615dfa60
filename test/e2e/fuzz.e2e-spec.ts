/**
 * Hostile input against every repository, file, history, diff and blame route (v1 and v2):
 * generated path segments (`..`, `%2e%2e`, `%00`, bad escapes, huge and random text), query
 * strings (known keys with wrong types, repeats, junk) and bodies (random JSON, wrong types,
 * malformed text, other content types). Whatever comes in, the server answers below 500 (save
 * a documented capacity 503 with Retry-After) and every error is the flat JSON
 * `{error, code, details?}` (api-contract.md §0.1, §0.2).
 *
 * Requests go over a real socket (app.listen(0) and node:http), so paths reach the server
 * byte for byte, without a client normalising `..` or re-encoding escapes.
 */
import type { AddressInfo } from 'node:net';
import * as http from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import { commitFiles, createRepo } from '../support/repo-fixture';
import { fcParams } from '../support/fast-check';
import { startTestApp } from '../support/test-app';

const RUNS_PER_ROUTE = 200;
const FIXTURE = 'fuzz';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Route {
  readonly method: Method;
  /** `:repo` is the repository, other `:name`s one segment, `*path` any number of segments. */
  readonly template: string;
  readonly body?: boolean;
  /** Never aim at the fixture repository (repository deletion). */
  readonly foreignRepo?: boolean;
}

const V1 = '/api/v1/repos';
const V2 = '/api/v2/repos';

const ROUTES: readonly Route[] = [
  { method: 'POST', template: V1, body: true },
  { method: 'GET', template: V1 },
  { method: 'GET', template: `${V1}/:repo` },
  { method: 'DELETE', template: `${V1}/:repo`, foreignRepo: true },
  { method: 'POST', template: `${V1}/:repo/add`, body: true },
  { method: 'POST', template: `${V1}/:repo/commit`, body: true },
  { method: 'GET', template: `${V1}/:repo/log` },
  { method: 'GET', template: `${V1}/:repo/status` },
  { method: 'GET', template: `${V1}/:repo/show/:commit` },
  { method: 'GET', template: `${V1}/:repo/commits/:commit` },
  { method: 'GET', template: `${V1}/:repo/read/*path` },
  { method: 'POST', template: `${V1}/:repo/write`, body: true },
  { method: 'GET', template: `${V1}/:repo/tree` },
  { method: 'GET', template: `${V1}/:repo/tree/*path` },
  { method: 'DELETE', template: `${V1}/:repo/remove/*path` },
  { method: 'POST', template: `${V1}/:repo/move`, body: true },
  { method: 'GET', template: `${V1}/:repo/diff/:from/:to` },
  { method: 'GET', template: `${V1}/:repo/diff` },
  { method: 'GET', template: `${V1}/:repo/diff/working` },
  { method: 'GET', template: `${V1}/:repo/diff/file/*path` },
  { method: 'GET', template: `${V1}/:repo/blame/*path` },
  { method: 'POST', template: V2, body: true },
  { method: 'GET', template: V2 },
  { method: 'GET', template: `${V2}/:repo` },
  { method: 'DELETE', template: `${V2}/:repo`, foreignRepo: true },
  { method: 'POST', template: `${V2}/:repo/files`, body: true },
  { method: 'GET', template: `${V2}/:repo/files` },
  { method: 'PUT', template: `${V2}/:repo/files`, body: true },
  { method: 'DELETE', template: `${V2}/:repo/files` },
  { method: 'DELETE', template: `${V2}/:repo/files/*path` },
  { method: 'POST', template: `${V2}/:repo/files/move`, body: true },
  { method: 'GET', template: `${V2}/:repo/tree` },
  { method: 'GET', template: `${V2}/:repo/tree/*path` },
  { method: 'POST', template: `${V2}/:repo/commits`, body: true },
  { method: 'GET', template: `${V2}/:repo/commits` },
  { method: 'GET', template: `${V2}/:repo/commits/:commit` },
  { method: 'GET', template: `${V2}/:repo/status` },
  { method: 'GET', template: `${V2}/:repo/diff/:from/:to` },
  { method: 'GET', template: `${V2}/:repo/diff` },
  { method: 'GET', template: `${V2}/:repo/diff/working` },
  { method: 'GET', template: `${V2}/:repo/diff/file/*path` },
  { method: 'GET', template: `${V2}/:repo/blame/*path` },
  // REST part B: branches, checkout, merge, tags, advanced git, stash (v1 and v2),
  // transactions (both spellings), parallel realities, time travel.
  // (Deeper, state-aware fuzzing of the same routes: fuzz-operations.e2e-spec.ts.)
  { method: 'GET', template: `${V1}/:repo/branches` },
  { method: 'GET', template: `${V1}/:repo/branches/*path` },
  { method: 'POST', template: `${V1}/:repo/branches`, body: true },
  { method: 'DELETE', template: `${V1}/:repo/branches/*path` },
  { method: 'POST', template: `${V1}/:repo/checkout`, body: true },
  { method: 'POST', template: `${V1}/:repo/merge`, body: true },
  { method: 'GET', template: `${V1}/:repo/tags` },
  { method: 'GET', template: `${V1}/:repo/tags/*path` },
  { method: 'POST', template: `${V1}/:repo/tags`, body: true },
  { method: 'DELETE', template: `${V1}/:repo/tags/*path` },
  { method: 'POST', template: `${V1}/:repo/cherry-pick`, body: true },
  { method: 'POST', template: `${V1}/:repo/revert`, body: true },
  { method: 'POST', template: `${V1}/:repo/reset`, body: true },
  { method: 'POST', template: `${V1}/:repo/rebase`, body: true },
  { method: 'GET', template: `${V2}/:repo/branches` },
  { method: 'GET', template: `${V2}/:repo/branches/*path` },
  { method: 'POST', template: `${V2}/:repo/branches`, body: true },
  { method: 'DELETE', template: `${V2}/:repo/branches/*path` },
  { method: 'POST', template: `${V2}/:repo/checkout`, body: true },
  { method: 'POST', template: `${V2}/:repo/merge`, body: true },
  { method: 'GET', template: `${V2}/:repo/tags` },
  { method: 'GET', template: `${V2}/:repo/tags/*path` },
  { method: 'POST', template: `${V2}/:repo/tags`, body: true },
  { method: 'DELETE', template: `${V2}/:repo/tags/*path` },
  { method: 'POST', template: `${V2}/:repo/cherry-pick`, body: true },
  { method: 'POST', template: `${V2}/:repo/revert`, body: true },
  { method: 'POST', template: `${V2}/:repo/reset`, body: true },
  { method: 'POST', template: `${V2}/:repo/rebase`, body: true },
  { method: 'POST', template: `${V1}/:repo/stash`, body: true },
  { method: 'GET', template: `${V1}/:repo/stash` },
  { method: 'GET', template: `${V1}/:repo/stash/:stash` },
  { method: 'POST', template: `${V1}/:repo/stash/:stash/apply`, body: true },
  { method: 'DELETE', template: `${V1}/:repo/stash/:stash` },
  { method: 'POST', template: `${V2}/:repo/stashes`, body: true },
  { method: 'GET', template: `${V2}/:repo/stashes` },
  { method: 'GET', template: `${V2}/:repo/stashes/:stash` },
  { method: 'POST', template: `${V2}/:repo/stashes/:stash/apply`, body: true },
  { method: 'DELETE', template: `${V2}/:repo/stashes/:stash` },
  { method: 'POST', template: `${V1}/:repo/transaction`, body: true },
  { method: 'GET', template: `${V1}/:repo/transaction/:tx` },
  { method: 'POST', template: `${V1}/:repo/transaction/:tx/add`, body: true },
  { method: 'POST', template: `${V1}/:repo/transaction/:tx/remove`, body: true },
  { method: 'DELETE', template: `${V1}/:repo/transaction/:tx/remove/*path` },
  { method: 'POST', template: `${V1}/:repo/transaction/:tx/validate` },
  { method: 'POST', template: `${V1}/:repo/transaction/:tx/commit`, body: true },
  { method: 'POST', template: `${V1}/:repo/transaction/:tx/rollback` },
  { method: 'POST', template: `${V1}/:repo/transactions`, body: true },
  { method: 'GET', template: `${V1}/:repo/transactions/:tx` },
  { method: 'POST', template: `${V1}/:repo/transactions/:tx/add`, body: true },
  { method: 'POST', template: `${V1}/:repo/transactions/:tx/remove`, body: true },
  { method: 'DELETE', template: `${V1}/:repo/transactions/:tx/remove/*path` },
  { method: 'POST', template: `${V1}/:repo/transactions/:tx/validate` },
  { method: 'POST', template: `${V1}/:repo/transactions/:tx/commit`, body: true },
  { method: 'POST', template: `${V1}/:repo/transactions/:tx/rollback` },
  { method: 'POST', template: `${V1}/:repo/parallel-realities`, body: true },
  { method: 'GET', template: `${V1}/:repo/parallel-realities` },
  { method: 'POST', template: `${V1}/:repo/parallel-realities/:reality/apply`, body: true },
  { method: 'GET', template: `${V1}/:repo/parallel-realities/:reality/benchmark` },
  { method: 'POST', template: `${V1}/:repo/parallel-realities/:reality/benchmark` },
  { method: 'POST', template: `${V1}/:repo/parallel-realities/:reality/merge`, body: true },
  { method: 'DELETE', template: `${V1}/:repo/parallel-realities/:reality` },
  { method: 'GET', template: `${V1}/:repo/time-travel` },
  { method: 'GET', template: `${V1}/:repo/time-travel/:timestamp` },
  { method: 'GET', template: `${V1}/:repo/time-travel/:timestamp/read/*path` },
];

/** Percent-encodes every byte outside RFC 3986's unreserved set (lone surrogates become U+FFFD). */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const NASTY_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%00',
  'a%00b',
  '.git',
  '.GIT',
  '%2Egit',
  '.git%20',
  'git~1',
  '%2F',
  '%2F%2F',
  '%5C',
  '%E0%A4%A',
  '%ff',
  '%',
  '%zz',
  '%C0%AE%C0%AE',
  'HEAD',
  'HEAD~1',
  'HEAD~99',
  'HEAD^2',
  'main@{1}',
  'main@{-1}',
  'HEAD~x',
  'refs%2Fheads%2Fmain',
  'a.txt',
  'src',
  'src%2Fdeep%2Fb.txt',
  'bin.dat',
  'deadbeef',
  '0000',
  'api',
  FIXTURE,
];

/** Names that exist in the fixture (or could), so that generated requests also succeed. */
const PLAUSIBLE_SEGMENTS = [
  'a.txt',
  'src',
  'deep',
  'b.txt',
  'bin.dat',
  'new.md',
  'HEAD',
  'HEAD~1',
  'main',
];

/** One URL path segment, already as it goes on the wire. */
const segment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PLAUSIBLE_SEGMENTS) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_SEGMENTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map(percentEncode) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(percentEncode) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,30}$/) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 6000 }).map((n) => 'x'.repeat(n)) },
);

/** A catch-all path: mostly a file or directory of the fixture, else any segments. */
const pathSegments: fc.Arbitrary<readonly string[]> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ['a.txt'],
      ['src'],
      ['src', 'deep'],
      ['src', 'deep', 'b.txt'],
      ['bin.dat'],
      [],
    ),
  },
  { weight: 3, arbitrary: fc.array(segment, { maxLength: 4 }) },
);

const QUERY_KEYS = [
  'ref',
  'from',
  'to',
  'format',
  'context',
  'limit',
  'offset',
  'recursive',
  'first_parent',
  'path',
  'include_content',
  'start',
  'end',
];

const queryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1',
    '3',
    '1.5',
    '1e309',
    'NaN',
    '99999999999999999999',
    'true',
    'false',
    'yes',
    'unified',
    'raw',
    'name-only',
    'html',
    'HEAD',
    'HEAD~1',
    'main',
    '..',
    '/a.txt',
    'a.txt',
    'src',
    '\u0000',
    '%',
  ),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: 50, max: 3000 }).map((n) => 'q'.repeat(n)),
);

const PLAUSIBLE_QUERIES: ReadonlyArray<readonly [string, string]> = [
  ['ref', 'HEAD~1'],
  ['ref', 'main'],
  ['from', 'HEAD~1'],
  ['to', 'HEAD'],
  ['format', 'raw'],
  ['format', 'name-only'],
  ['context', '0'],
  ['limit', '1'],
  ['offset', '1'],
  ['recursive', 'true'],
  ['first_parent', 'true'],
  ['path', 'a.txt'],
  ['include_content', 'true'],
  ['start', '1'],
  ['end', '2'],
];

const query: fc.Arbitrary<string> = fc
  .oneof(
    fc.subarray([...PLAUSIBLE_QUERIES]),
    fc.array(
      fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), queryValue),
      { maxLength: 5 },
    ),
  )
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`).join('&')}`,
  );

const BODY_KEYS = [
  'id',
  'memory_only',
  'public',
  'path',
  'content',
  'encoding',
  'mode',
  'message',
  'author',
  'email',
  'allow_empty',
  'from',
  'to',
];

const bodyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'a.txt',
    'src/deep/b.txt',
    '../x',
    '.git/config',
    'a\u0000b',
    '',
    '/abs',
    'utf-8',
    'base64',
    'AAEC',
    'not base64!',
    '100644',
    '120000',
    '040000',
    'msg',
    'x@example.com',
    'Evil <x>',
    '\ud800',
    true,
    null,
    0,
    -1,
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 60 }),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'z'.repeat(n)),
);

interface Payload {
  readonly contentType: string | undefined;
  readonly text: string;
}

const plausiblePath = fc.constantFrom(
  'a.txt',
  'src/deep/b.txt',
  'new.md',
  'src/c.txt',
  'src',
  'bin.dat',
);

/** Bodies a route accepts, so that mutations really happen between the hostile ones. */
const plausibleBody: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    id: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
    memory_only: fc.boolean(),
    path: plausiblePath,
    content: fc.string({ maxLength: 200 }),
    message: fc.string({ minLength: 1, maxLength: 80 }),
    author: fc.oneof(
      fc.constant('Fuzzer'),
      fc.constant({ name: 'Fuzz', email: 'fuzz@example.com' }),
    ),
    allow_empty: fc.boolean(),
    from: plausiblePath,
    to: fc.constantFrom('moved.txt', 'src/moved', 'lib/b.txt'),
  },
  { requiredKeys: ['id', 'path', 'content', 'message', 'from', 'to'] },
);

const body: fc.Arbitrary<Payload> = fc.oneof(
  {
    weight: 4,
    arbitrary: plausibleBody.map((value) => ({
      contentType: 'application/json',
      text: JSON.stringify(value),
    })),
  },
  {
    weight: 5,
    arbitrary: fc
      .dictionary(fc.oneof(fc.constantFrom(...BODY_KEYS), fc.string({ maxLength: 6 })), bodyValue, {
        maxKeys: 6,
      })
      .map((value) => ({ contentType: 'application/json', text: JSON.stringify(value) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .jsonValue()
      .map((value) => ({ contentType: 'application/json', text: JSON.stringify(value) })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { contentType: 'application/json', text: '{"path": ' },
      { contentType: 'application/json', text: '' },
      { contentType: 'text/plain', text: '{"path":"a.txt","content":"x"}' },
      { contentType: 'application/xml', text: '<a/>' },
      { contentType: undefined, text: '[1,2' },
      { contentType: 'application/json; charset=latin1', text: '{}' },
    ),
  },
);

interface FuzzRequest {
  readonly method: Method;
  readonly path: string;
  readonly payload?: Payload;
}

function requestFor(route: Route): fc.Arbitrary<FuzzRequest> {
  const repo = route.foreignRepo
    ? segment.filter((s) => s !== FIXTURE)
    : fc.oneof({ weight: 3, arbitrary: fc.constant(FIXTURE) }, { weight: 1, arbitrary: segment });
  return fc
    .record({
      repo,
      one: segment,
      two: segment,
      rest: pathSegments,
      query,
      payload: route.body ? body : fc.constant(undefined),
    })
    .map(({ repo: repoId, one, two, rest, query: search, payload }) => {
      let named = 0;
      const path = route.template
        .replace(':repo', repoId)
        .replace(/:[a-z]+/g, () => (named++ === 0 ? one : two))
        .replace('*path', rest.join('/'));
      return { method: route.method, path: `${path}${search}`, ...(payload ? { payload } : {}) };
    });
}

interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: string | undefined;
  readonly text: string;
}

/**
 * The only 5xx a request may earn: a documented capacity limit (api-contract.md §14), a 503
 * with `Retry-After`. Generated requests can legitimately fill one (100 open transactions,
 * server.max_repos); anything else at or above 500 is a fault.
 */
const CAPACITY_CODES: ReadonlySet<string> = new Set([
  'MAX_REPOS_REACHED',
  'REPO_BUSY',
  'TX_LIMIT_REACHED',
  'POOL_FULL',
]);

function isCapacityRefusal(reply: Reply): boolean {
  if (reply.status !== 503 || reply.retryAfter === undefined) return false;
  try {
    const { code } = JSON.parse(reply.text) as { code?: unknown };
    return typeof code === 'string' && CAPACITY_CODES.has(code);
  } catch {
    return false;
  }
}

function send(port: number, agent: http.Agent, fuzz: FuzzRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (fuzz.payload?.contentType !== undefined) headers['Content-Type'] = fuzz.payload.contentType;
    const outgoing = http.request(
      { host: '127.0.0.1', port, method: fuzz.method, path: fuzz.path, headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            retryAfter: response.headers['retry-after'],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(fuzz.payload?.text);
  });
}

/** The flat error body, and nothing else. */
function expectFlatError(reply: Reply, fuzz: FuzzRequest): void {
  const context = `${fuzz.method} ${fuzz.path.slice(0, 300)} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect({ context, json: reply.contentType.startsWith('application/json') }).toEqual({
    context,
    json: true,
  });
  const parsed: unknown = JSON.parse(reply.text);
  expect(typeof parsed).toBe('object');
  const { error, code, details, ...rest } = parsed as Record<string, unknown>;
  expect({ context, error: typeof error, code: typeof code, rest }).toEqual({
    context,
    error: 'string',
    code: 'string',
    rest: {},
  });
  expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
  if (details !== undefined) expect(typeof details === 'object' && details !== null).toBe(true);
}

describe('fuzzing the repository routes (e2e)', () => {
  let app: NestExpressApplication;
  let port: number;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    app = await startTestApp({
      GOVC_LOGGING_LEVEL: 'fatal',
      // Every begin the fuzzer sends stays open; TX_LIMIT_REACHED is a documented 503.
      GOVC_TRANSACTIONS_MAX_OPEN_PER_REPO: '100000',
    });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    await createRepo(app, FIXTURE);
    await commitFiles(app, FIXTURE, { 'a.txt': 'one\ntwo\n', 'src/deep/b.txt': 'b\n' }, 'first');
    await commitFiles(app, FIXTURE, { 'a.txt': 'one\n2\n', 'bin.dat': '\u0000\u0001' }, 'second');
  });
  afterAll(async () => {
    agent.destroy();
    await app.close();
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.template}`, route] as const))(
    '%s never answers 5xx and always answers errors as flat JSON',
    async (_name, route) => {
      let answered = 0;
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (fuzz) => {
          const reply = await send(port, agent, fuzz);
          answered++;
          expect({
            status: reply.status < 500 || isCapacityRefusal(reply),
            request: `${fuzz.method} ${fuzz.path.slice(0, 300)}`,
            reply: reply.text.slice(0, 300),
          }).toMatchObject({ status: true });
          if (reply.status >= 400) expectFlatError(reply, fuzz);
          else expect(() => JSON.parse(reply.text) as unknown).not.toThrow();
        }),
        fcParams(RUNS_PER_ROUTE),
      );
      expect(answered).toBeGreaterThanOrEqual(RUNS_PER_ROUTE);
      // The fixture is still there and readable after the barrage.
      const status = await send(port, agent, { method: 'GET', path: `${V1}/${FIXTURE}/status` });
      expect(status.status).toBe(200);
    },
    120_000,
  );
});
