/**
 * Events and webhooks with auth on (api-contract.md §6.1, §6.4, §6.5): the sender of an event
 * is its caller; streams need read access on the repository (upgrade included); a WebSocket
 * whose caller loses access is closed with 1008; webhook routes need repo:admin.
 */
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { WebSocket } from 'ws';
import type { EventEnvelope } from '../../src/modules/hooks/domain-event';
import { RepositoryEventBus } from '../../src/modules/hooks/repository-event-bus';
import { makeUser, startAuthApp, type AuthApp } from '../support/auth-fixture';

function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => reject(new Error('upgrade accepted')));
    socket.on('error', () => undefined);
  });
}

describe('events and webhooks with auth (e2e)', () => {
  let auth: AuthApp;
  let ws: string;
  const seen: EventEnvelope[] = [];

  beforeAll(async () => {
    auth = await startAuthApp({ GOVC_EVENTS_HEARTBEAT_INTERVAL: '100ms' });
    await auth.app.listen(0, '127.0.0.1');
    ws = `ws://127.0.0.1:${(auth.app.getHttpServer().address() as AddressInfo).port}`;
    auth.app.get(RepositoryEventBus).subscribe((envelope) => seen.push(envelope));
    await request(auth.app.getHttpServer())
      .post('/api/v1/repos')
      .set('X-API-Key', auth.adminKey)
      .send({ id: 'secure' })
      .expect(201);
  });
  afterAll(() => auth.close());

  const http = () => request(auth.app.getHttpServer());

  it('names the caller as the sender of the events it caused', async () => {
    const created = seen.find((e) => e.event === 'repository' && e.repository === 'secure');
    expect(created?.sender).toEqual({ id: 'admin', username: 'admin' });
    const user = await makeUser(auth, ['developer']);
    seen.length = 0;
    await http()
      .post('/api/v1/repos/secure/add')
      .set('X-API-Key', user.key)
      .send({ path: 'a.txt', content: 'a\n' })
      .expect(201);
    await http()
      .post('/api/v1/repos/secure/commit')
      .set('X-API-Key', user.key)
      .send({ message: 'by a developer' })
      .expect(201);
    expect(seen.map((e) => [e.event, e.sender])).toEqual([
      ['commit', { id: user.id, username: user.username }],
      ['push', { id: user.id, username: user.username }],
    ]);
  });

  it('asks streams for credentials and read access', async () => {
    expect((await http().get('/api/v1/repos/secure/events').expect(401)).body.code).toBe(
      'UNAUTHORIZED',
    );
    const guest = await makeUser(auth, ['guest']);
    const hidden = await http()
      .get('/api/v1/repos/secure/events')
      .set('X-API-Key', guest.key)
      .expect(404);
    expect(hidden.body.code).toBe('REPO_NOT_FOUND');
    expect(await upgradeStatus(`${ws}/api/v1/repos/secure/watch`)).toBe(401);
    expect(await upgradeStatus(`${ws}/api/v1/repos/secure/watch`, { 'X-API-Key': guest.key })).toBe(
      404,
    );
  });

  it('closes a WebSocket with 1008 once its caller lost access', async () => {
    const reader = await makeUser(auth, ['reader']);
    const socket = new WebSocket(`${ws}/api/v1/repos/secure/watch`, {
      headers: { 'X-API-Key': reader.key },
    });
    const code = new Promise<number>((resolve) =>
      socket.on('close', (closeCode) => resolve(closeCode)),
    );
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    await http()
      .post(`/api/v1/users/${reader.id}/deactivate`)
      .set('X-API-Key', auth.adminKey)
      .expect(200);
    expect(await code).toBe(1008);
  });

  it('keeps webhook routes for repo:admin or webhook:write', async () => {
    const reader = await makeUser(auth, ['reader']);
    const refused = await http()
      .get('/api/v1/repos/secure/hooks')
      .set('X-API-Key', reader.key)
      .expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const developer = await makeUser(auth, ['developer']);
    await http().get('/api/v1/repos/secure/hooks').set('X-API-Key', developer.key).expect(200);
    await http().get('/api/v1/repos/secure/hooks').set('X-API-Key', auth.adminKey).expect(200);
  });
});
