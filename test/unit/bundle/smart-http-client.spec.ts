import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  listRemoteRefs,
  normalizeRemoteUrl,
  RemoteProtocolError,
  RemoteUnreachableError,
} from '../../../src/core';

const ALLOW = { allowPrivate: true, allowedHosts: [] };
const DENY = { allowPrivate: false, allowedHosts: [] };

describe('smart-HTTP client', () => {
  let server: Server;
  let base: string;
  let answer: (url: string) => { status: number; body: string };
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      const { status, body } = answer(req.url ?? '');
      res.writeHead(status, { 'Content-Type': 'application/x-git-upload-pack-advertisement' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a remote that only speaks protocol v0', async () => {
    const oid = 'a'.repeat(40);
    answer = () => ({
      status: 200,
      body: `001e# service=git-upload-pack\n0000${(oid.length + 20).toString(16).padStart(4, '0')}${oid} HEAD\0side-band\n0000`,
    });
    await expect(listRemoteRefs(`${base}/r.git`, { policy: ALLOW })).rejects.toThrow(
      RemoteProtocolError,
    );
  });

  it('reports HTTP errors as unreachable and sends credentials only as Basic auth', async () => {
    answer = () => ({ status: 401, body: 'no' });
    const failure = listRemoteRefs(`http://user:s3cret@127.0.0.1:${new URL(base).port}/r.git`, {
      policy: ALLOW,
    });
    await expect(failure).rejects.toThrow(RemoteUnreachableError);
    await expect(failure).rejects.not.toThrow(/s3cret/);
    const last = seen[seen.length - 1]!;
    expect(last.authorization).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
    expect(last['git-protocol']).toBe('version=2');
  });

  it('never connects to a private address the policy refuses', async () => {
    const before = seen.length;
    await expect(listRemoteRefs(`${base}/r.git`, { policy: DENY })).rejects.toThrow(/forbidden/);
    await expect(
      listRemoteRefs(`http://localhost:${new URL(base).port}/r.git`, { policy: DENY }),
    ).rejects.toThrow(/forbidden/);
    expect(seen.length).toBe(before);
  });

  it('normalizes URLs and refuses other schemes', () => {
    expect(normalizeRemoteUrl('https://a:b@example.com/x.git/?q=1#f')).toEqual({
      base: new URL('https://example.com/x.git'),
      username: 'a',
      password: 'b',
    });
    expect(() => normalizeRemoteUrl('file:///etc/passwd')).toThrow(RemoteProtocolError);
    expect(() => normalizeRemoteUrl('not a url')).toThrow(RemoteProtocolError);
  });
});
