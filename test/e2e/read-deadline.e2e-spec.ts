/**
 * server.read_timeout for request bodies: a JSON body still arriving after it answers 408
 * REQUEST_TIMEOUT and closes the connection; a streamed git request body may take longer as
 * long as it keeps moving.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startTestApp } from '../support/test-app';

/** Sends `parts` over one raw connection with `pauseMs` between them; resolves with the reply. */
function trickle(port: number, parts: string[], pauseMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(reply));
    socket.once('connect', () => {
      const next = (index: number): void => {
        if (index >= parts.length) return;
        socket.write(parts[index] ?? '');
        setTimeout(() => next(index + 1), pauseMs);
      };
      next(0);
    });
    // A reply that does not close its connection is read until the server's keep-alive ends.
    setTimeout(() => socket.end(), 5_000);
  });
}

describe('request body deadline (e2e)', () => {
  let app: NestExpressApplication;
  let port: number;
  beforeAll(async () => {
    app = await startTestApp({ GOVC_SERVER_READ_TIMEOUT: '300ms' });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    await request(app.getHttpServer()).post('/api/v1/repos').send({ id: 'slow-body' }).expect(201);
  });
  afterAll(() => app.close());

  it('answers a JSON body that stops arriving with 408 and closes the connection', async () => {
    const head =
      'POST /api/v1/repos/slow-body/add HTTP/1.1\r\nHost: x\r\n' +
      'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"path": "a.txt",';
    const reply = await trickle(port, [head], 0);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(reply).toContain('"code":"REQUEST_TIMEOUT"');
  });

  it('lets a streamed git request body take longer than read_timeout while it keeps moving', async () => {
    const body = '0014command=ls-refs\n0000';
    const head =
      'POST /slow-body.git/git-upload-pack HTTP/1.1\r\nHost: x\r\nConnection: close\r\n' +
      'Git-Protocol: version=2\r\nContent-Type: application/x-git-upload-pack-request\r\n' +
      `Content-Length: ${body.length}\r\n\r\n`;
    // Three pauses of 200 ms: 600 ms in all, twice the limit, never silent for long.
    const reply = await trickle(
      port,
      [head, body.slice(0, 8), body.slice(8, 16), body.slice(16)],
      200,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply).toContain('application/x-git-upload-pack-result');
  });
});
