/** Time travel (api-contract.md §9). */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { commitFiles, createRepo, HASH } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

const T1 = 1_700_000_000;
const T2 = 1_700_086_400;

describe('time travel (e2e)', () => {
  let app: NestExpressApplication;
  let first: string;
  let second: string;
  beforeAll(async () => {
    app = await startTestApp();
    await createRepo(app, 'tt');
    first = await commitFiles(
      app,
      'tt',
      { 'a.txt': 'one\n', 'bin.dat': '\u0000\u0001' },
      'first',
      T1,
    );
    second = await commitFiles(app, 'tt', { 'a.txt': 'two\n', 'd/b.txt': 'b\n' }, 'second', T2);
    await createRepo(app, 'tt-empty');
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('answers the snapshot at a Unix time with the §9 shape', async () => {
    const res = await http()
      .get(`/api/v1/repos/tt/time-travel/${T1 + 10}`)
      .expect(200);
    expect(res.body).toEqual({
      timestamp: T1 + 10,
      target: '2023-11-14T22:13:30Z',
      snapshot: {
        commit: expect.objectContaining({ hash: first, message: 'first', parents: [] }),
        files_count: 2,
        tree: expect.stringMatching(HASH),
        ref: 'HEAD',
      },
    });
  });

  it.each([
    [String(T2), 'unix'],
    ['2023-11-15T22:13:20Z', 'RFC3339'],
    ['2023-11-15T23:13:20.5+01:00', 'RFC3339 with fraction and offset'],
    ['2023-11-15 22:13:20', 'space form'],
    ['2023-11-16', 'date'],
  ])('accepts %s (%s)', async (timestamp) => {
    const res = await http()
      .get(`/api/v1/repos/tt/time-travel/${encodeURIComponent(timestamp)}`)
      .expect(200);
    expect(res.body.snapshot.commit.hash).toBe(second);
    expect(res.body.snapshot.files_count).toBe(3);
  });

  it('accepts ?time= and ?ref=', async () => {
    const res = await http()
      .get('/api/v1/repos/tt/time-travel')
      .query({ time: T2, ref: first })
      .expect(200);
    expect(res.body.snapshot).toEqual(expect.objectContaining({ ref: first }));
    expect(res.body.snapshot.commit.hash).toBe(first);
  });

  it('reads a file at a time, text and binary', async () => {
    const text = await http().get(`/api/v1/repos/tt/time-travel/${T1}/read/a.txt`).expect(200);
    expect(text.body).toEqual({
      path: 'a.txt',
      content: 'one\n',
      size: 4,
      encoding: 'utf-8',
      commit: first,
    });
    const nested = await http().get(`/api/v1/repos/tt/time-travel/${T2}/read/d/b.txt`).expect(200);
    expect(nested.body.content).toBe('b\n');
    const binary = await http().get(`/api/v1/repos/tt/time-travel/${T2}/read/bin.dat`).expect(200);
    expect(binary.body).toEqual(
      expect.objectContaining({ encoding: 'base64', content: 'AAE=', size: 2 }),
    );
  });

  it.each([
    ['/api/v1/repos/tt/time-travel/yesterday', 400, 'INVALID_TIMESTAMP'],
    ['/api/v1/repos/tt/time-travel/2023-13-01', 400, 'INVALID_TIMESTAMP'],
    ['/api/v1/repos/tt/time-travel', 400, 'INVALID_TIMESTAMP'],
    ['/api/v1/repos/tt/time-travel/1000', 404, 'NO_COMMITS_AT_TIME'],
    ['/api/v1/repos/tt-empty/time-travel/1700000000', 404, 'NO_COMMITS_AT_TIME'],
    [`/api/v1/repos/tt/time-travel/${T2}?ref=nope`, 404, 'REF_NOT_FOUND'],
    [`/api/v1/repos/tt/time-travel/${T1}/read/d/b.txt`, 404, 'FILE_NOT_FOUND'],
    [`/api/v1/repos/tt/time-travel/${T2}/read/d`, 404, 'FILE_NOT_FOUND'],
    [`/api/v1/repos/tt/time-travel/${T2}/read/a/../x`, 400, 'INVALID_FILE_PATH'],
    [`/api/v1/repos/tt/time-travel/bad/read/a.txt`, 400, 'INVALID_TIMESTAMP'],
    ['/api/v1/repos/nope/time-travel/1', 404, 'REPO_NOT_FOUND'],
  ])('GET %s → %i %s', async (url, status, code) => {
    const res = await http().get(url).expect(status);
    expect(res.body).toEqual(expect.objectContaining({ error: expect.any(String), code }));
  });
});
