/**
 * server.request_timeout (api-contract.md §0.1): a handler still busy past the limit answers
 * 504 REQUEST_TIMEOUT with `details.timeout`, its mutation still completes, and the connection
 * stays usable; routes marked exempt (event streams) outlive the limit.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startTestApp } from '../support/test-app';

describe('request timeout (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await startTestApp({ GOVC_SERVER_REQUEST_TIMEOUT: '300ms' });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(() => app.close());

  const api = () => request(app.getHttpServer());

  it('answers a slow commit with 504, and the commit still lands', async () => {
    const repo = '/api/v1/repos/slow';
    await api().post('/api/v1/repos').send({ id: 'slow' }).expect(201);
    // A pre-commit hook that sleeps makes the commit outlast the limit.
    await api().put(`${repo}/server-hooks/pre-commit`).send({ script: 'sleep 1' }).expect(201);
    await api().post(`${repo}/add`).send({ path: 'a.txt', content: 'a' }).expect(201);
    const late = await api().post(`${repo}/commit`).send({ message: 'slow' }).expect(504);
    expect(late.body).toEqual({
      error: 'request took longer than 300ms',
      code: 'REQUEST_TIMEOUT',
      details: { timeout: '300ms' },
    });
    // Writes to one repository run in order: this read-after-write waits for nothing, so poll.
    let log: { commits: Array<{ message: string }> } = { commits: [] };
    for (let i = 0; i < 50 && log.commits.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      log = (await api().get(`${repo}/log`)).body as typeof log;
    }
    expect(log.commits.map((commit) => commit.message)).toEqual(['slow']);
  });

  it('keeps an event stream open past the limit', async () => {
    await api().post('/api/v1/repos').send({ id: 'streamed' }).expect(201);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const received = await new Promise<string>((resolve, reject) => {
      const stream = http.get(
        { host: '127.0.0.1', port, path: '/api/v1/repos/streamed/events' },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          // Well past the 300 ms limit, the stream is still open and has not been answered 504.
          setTimeout(() => {
            stream.destroy();
            resolve(`${response.statusCode} ${text}`);
          }, 800);
        },
      );
      stream.once('error', reject);
    });
    expect(received).toMatch(/^200 /);
    expect(received).toContain('event: connected');
    expect(received).not.toContain('REQUEST_TIMEOUT');
  });
});
