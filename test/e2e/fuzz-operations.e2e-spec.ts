/**
 * Fuzzes the REST part B routes (branches, checkout, merge, tags, cherry-pick, revert, reset,
 * rebase, stash, transactions, realities, time travel): random bodies, path segments and
 * queries, at least 200 cases per route. Whatever arrives, no answer is a 5xx and every error is
 * the flat `{error, code, details?}` JSON of api-contract.md §0.2.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import request from 'supertest';
import { fcParams } from '../support/fast-check';
import { commitFiles, createRepo, writeFiles } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

const RUNS = 200;
const REPO = 'fuzz';

type Method = 'get' | 'post' | 'delete';

interface FuzzRoute {
  readonly method: Method;
  /** `{}` marks a fuzzed segment, `{*}` a fuzzed catch-all (one or more segments). */
  readonly path: string;
  readonly keys?: readonly string[];
  readonly query?: readonly string[];
}

const V = ['v1', 'v2'] as const;
const per = (build: (v: string) => FuzzRoute[]): FuzzRoute[] => V.flatMap(build);
const R = (v: string): string => `/api/${v}/repos/{repo}`;

const ROUTES: FuzzRoute[] = [
  ...per((v) => [
    { method: 'get', path: `${R(v)}/branches` },
    { method: 'get', path: `${R(v)}/branches/{*}` },
    { method: 'post', path: `${R(v)}/branches`, keys: ['name', 'from'] },
    { method: 'delete', path: `${R(v)}/branches/{*}` },
    { method: 'post', path: `${R(v)}/checkout`, keys: ['branch', 'force'] },
    { method: 'post', path: `${R(v)}/merge`, keys: ['from', 'to', 'message', 'no_ff'] },
    { method: 'get', path: `${R(v)}/tags` },
    { method: 'get', path: `${R(v)}/tags/{*}` },
    {
      method: 'post',
      path: `${R(v)}/tags`,
      keys: ['name', 'message', 'ref', 'commit', 'author', 'email'],
    },
    { method: 'delete', path: `${R(v)}/tags/{*}` },
    { method: 'post', path: `${R(v)}/cherry-pick`, keys: ['commit', 'mainline'] },
    { method: 'post', path: `${R(v)}/revert`, keys: ['commit', 'mainline'] },
    { method: 'post', path: `${R(v)}/reset`, keys: ['target', 'commit', 'mode'] },
    { method: 'post', path: `${R(v)}/rebase`, keys: ['onto'] },
  ]),
  ...[
    ['v1', 'stash'],
    ['v2', 'stashes'],
  ].flatMap(([v, s]): FuzzRoute[] => [
    {
      method: 'post',
      path: `${R(v!)}/${s}`,
      keys: ['message', 'include_untracked', 'author', 'email'],
    },
    { method: 'get', path: `${R(v!)}/${s}` },
    { method: 'get', path: `${R(v!)}/${s}/{}` },
    { method: 'post', path: `${R(v!)}/${s}/{}/apply`, keys: ['drop'] },
    { method: 'delete', path: `${R(v!)}/${s}/{}` },
  ]),
  ...['transaction', 'transactions'].flatMap((t): FuzzRoute[] => [
    { method: 'post', path: `${R('v1')}/${t}`, keys: ['branch'] },
    { method: 'get', path: `${R('v1')}/${t}/{tx}` },
    { method: 'post', path: `${R('v1')}/${t}/{tx}/add`, keys: ['path', 'content', 'encoding'] },
    { method: 'post', path: `${R('v1')}/${t}/{tx}/remove`, keys: ['path'] },
    { method: 'delete', path: `${R('v1')}/${t}/{tx}/remove/{*}` },
    { method: 'post', path: `${R('v1')}/${t}/{tx}/validate` },
    { method: 'post', path: `${R('v1')}/${t}/{tx}/commit`, keys: ['message', 'author', 'email'] },
    { method: 'post', path: `${R('v1')}/${t}/{tx}/rollback` },
  ]),
  { method: 'post', path: `${R('v1')}/parallel-realities`, keys: ['branches', 'base'] },
  { method: 'get', path: `${R('v1')}/parallel-realities` },
  {
    method: 'post',
    path: `${R('v1')}/parallel-realities/{}/apply`,
    keys: ['changes', 'message', 'author', 'email'],
  },
  { method: 'get', path: `${R('v1')}/parallel-realities/{}/benchmark` },
  { method: 'post', path: `${R('v1')}/parallel-realities/{}/benchmark` },
  {
    method: 'post',
    path: `${R('v1')}/parallel-realities/{}/merge`,
    keys: ['into', 'message', 'delete'],
  },
  { method: 'delete', path: `${R('v1')}/parallel-realities/{}` },
  { method: 'get', path: `${R('v1')}/time-travel`, query: ['time', 'ref'] },
  { method: 'get', path: `${R('v1')}/time-travel/{}`, query: ['ref'] },
  { method: 'get', path: `${R('v1')}/time-travel/{}/read/{*}`, query: ['ref'] },
];

/** Names that exist in the fixture, so fuzzing reaches past the not-found answers. */
const KNOWN = [
  'main',
  'dev',
  'feature/x',
  'v1',
  'HEAD',
  'HEAD~1',
  'stash@{0}',
  '0',
  '1',
  'exp',
  'parallel/exp',
  'a.txt',
  'd/b.txt',
  '1700000000',
  '2024-01-01',
  'soft',
  'hard',
];

function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as raw UTF-8 bytes
  }
}

const text = fc.oneof(
  fc.constantFrom(...KNOWN),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    '..',
    '.git',
    'a//b',
    '/x',
    'x/',
    '%',
    '~',
    'stash@{99}',
    'main@{1}',
    '-x',
    'x.lock',
  ),
);
const segment = fc.oneof(
  text.map(encodeSegment),
  fc.constantFrom('%ZZ', '%C0%AF', '%00', 'feature%2Fx', 'parallel%2Fexp', '%2e%2e'),
);
const catchAll = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, 0, -1, 1, 2.5, 1e308, [], {}) },
  { weight: 1, arbitrary: fc.dictionary(text, fc.option(text, { nil: null }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 5 }) },
);

function bodyArb(keys: readonly string[] | undefined): fc.Arbitrary<unknown> {
  const known = keys?.length
    ? fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length })
    : fc.constant({});
  return fc.oneof(
    { weight: 6, arbitrary: known },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function queryArb(keys: readonly string[] | undefined): fc.Arbitrary<Record<string, string>> {
  if (!keys?.length) return fc.constant({});
  return fc.dictionary(fc.constantFrom(...keys), text.map(String), { maxKeys: keys.length });
}

describe('fuzzing the operation routes (e2e)', () => {
  let app: NestExpressApplication;
  let txId = '';
  beforeAll(async () => {
    // Room for every begin the fuzzer sends: TX_LIMIT_REACHED is a documented 503.
    app = await startTestApp({ GOVC_TRANSACTIONS_MAX_OPEN_PER_REPO: '100000' });
    await createRepo(app, REPO);
    await commitFiles(app, REPO, { 'a.txt': 'one\n', 'd/b.txt': 'b\n' }, 'first', 1_700_000_000);
    await commitFiles(app, REPO, { 'a.txt': 'two\n' }, 'second');
    const http = request(app.getHttpServer());
    await http.post(`/api/v1/repos/${REPO}/branches`).send({ name: 'dev' });
    await http.post(`/api/v1/repos/${REPO}/branches`).send({ name: 'feature/x' });
    await http.post(`/api/v1/repos/${REPO}/tags`).send({ name: 'v1', message: 'one' });
    await http.post(`/api/v1/repos/${REPO}/parallel-realities`).send({ branches: ['exp'] });
    await writeFiles(app, REPO, { 'a.txt': 'local\n' });
    await http.post(`/api/v1/repos/${REPO}/stash`).send({});
    txId = (await http.post(`/api/v1/repos/${REPO}/transaction`).send({})).body.id as string;
  });
  afterAll(() => app.close());

  it.each(ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
    '%s never answers 5xx and always answers flat errors',
    async (_name, route) => {
      const repo = fc.oneof(
        { weight: 8, arbitrary: fc.constant(REPO) },
        { weight: 1, arbitrary: segment },
      );
      const tx = fc.oneof(
        { weight: 4, arbitrary: fc.constant(txId) },
        { weight: 1, arbitrary: segment },
      );
      await fc.assert(
        fc.asyncProperty(
          repo,
          tx,
          segment,
          catchAll,
          bodyArb(route.keys),
          queryArb(route.query),
          async (repoId, txSegment, one, rest, body, query) => {
            const url = route.path
              .replace('{repo}', repoId)
              .replace('{tx}', txSegment)
              .replace('{*}', rest)
              .replace('{}', one);
            let call = request(app.getHttpServer())[route.method](url).query(query);
            if (route.method === 'post' && body !== undefined)
              call = call.set('Content-Type', 'application/json').send(JSON.stringify(body));
            const res = await call;
            expect(res.status).toBeLessThan(500);
            if (res.status >= 400) {
              expect(typeof res.body.error).toBe('string');
              expect(res.body.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
              expect(
                Object.keys(res.body).every((key) => ['error', 'code', 'details'].includes(key)),
              ).toBe(true);
              if ('details' in res.body) expect(typeof res.body.details).toBe('object');
            }
          },
        ),
        fcParams(RUNS),
      );
    },
    120_000,
  );
});
