/** Backup and restore of the server (api-contract.md §11.2). */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { reachableObjects } from '../../src/core';
import { RepositoryRegistry } from '../../src/modules/git-core/repository-registry';
import { RepositoryEventBus } from '../../src/modules/hooks/repository-event-bus';
import type { EventEnvelope } from '../../src/modules/hooks/domain-event';
import { commitFiles } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';
import { tempDir } from '../support/git-cli';
import { waitForJob } from './import-helpers';

describe('backup and restore (e2e)', () => {
  const dir = tempDir('govc-backup-e2e-');
  let app: NestExpressApplication;
  const events: EventEnvelope[] = [];

  beforeAll(async () => {
    app = await startTestApp({ GOVC_BACKUP_PATH: dir.path });
    app.get(RepositoryEventBus).subscribe((event) => events.push(event));
    for (const id of ['alpha', 'beta']) {
      await http().post('/api/v1/repos').send({ id }).expect(201);
      await commitFiles(app, id, { 'a.txt': `${id}\n`, 'd/b.txt': 'b\n' }, 'first');
      await commitFiles(app, id, { 'a.txt': `${id} two\n` }, 'second');
    }
    await app.get(RepositoryRegistry).write('alpha', ({ repository }) => {
      repository.createBranch('topic', 'HEAD~1');
      repository.createTag('v1', 'HEAD', {
        message: 'tagged',
        tagger: { name: 'T', email: 't@example.com', timestamp: 1_700_000_000, timezone: '+0000' },
      });
    });
    await http().post('/api/v1/repos').send({ id: 'empty' }).expect(201);
  });
  afterAll(async () => {
    await app.close();
    dir.cleanup();
  });
  function http() {
    return request(app.getHttpServer());
  }

  /** Refs and every reachable object id of a repository. */
  async function snapshot(
    id: string,
  ): Promise<{ refs: string[]; objects: string[]; head: string }> {
    const { repository } = await app.get(RepositoryRegistry).open(id);
    const refs = repository.refs
      .list('refs/')
      .map((ref) => (ref.kind === 'direct' ? `${ref.oid} ${ref.name}` : ref.name));
    const tips = repository.refs
      .list('refs/')
      .flatMap((ref) => (ref.kind === 'direct' ? [ref.oid] : []));
    const objects = [...reachableObjects((oid) => repository.odb.store.get(oid), tips)]
      .map((o) => o.oid)
      .sort();
    const head = repository.refs.read('HEAD');
    return { refs, objects, head: head?.kind === 'symbolic' ? head.target : '' };
  }

  async function backup(body: object = {}): Promise<string> {
    const res = await http().post('/api/v1/backup').send(body).expect(202);
    expect(res.body).toEqual({
      job_id: expect.any(String),
      backup_id: expect.any(String),
      status: 'queued',
      type: 'backup',
    });
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.status).toBe('completed');
    return res.body.backup_id as string;
  }

  async function restore(body: object): Promise<Record<string, unknown>> {
    const res = await http().post('/api/v1/restore').send(body).expect(202);
    const job = await waitForJob(app, res.body.job_id as string);
    expect(job.status).toBe('completed');
    return job.result!;
  }

  it('backs up, lists, and restores deleted repositories with identical refs and objects', async () => {
    const before = { alpha: await snapshot('alpha'), beta: await snapshot('beta') };
    const id = await backup({ name: 'nightly' });
    const listed = await http().get('/api/v1/backups').expect(200);
    const entry = (listed.body.backups as Array<Record<string, unknown>>).find((b) => b.id === id);
    expect(entry).toEqual({
      id,
      name: 'nightly',
      created_at: expect.any(String),
      size: expect.any(Number),
      repos: ['alpha', 'beta', 'empty'],
      repo_count: 3,
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: 'completed',
    });
    expect(readdirSync(dir.path)).toContain(`${id}.tar.gz`);

    await http().delete('/api/v1/repos/alpha').expect(200);
    await http().delete('/api/v1/repos/empty').expect(200);
    await commitFiles(app, 'beta', { 'later.txt': 'x\n' }, 'after the backup');
    const betaNow = await snapshot('beta');

    const result = await restore({ backup_id: id });
    const repos = result.repositories as Array<Record<string, unknown>>;
    expect(repos.map((r) => [r.repo_id, r.status])).toEqual(
      expect.arrayContaining([
        ['alpha', 'restored'],
        ['beta', 'skipped'],
        ['empty', 'restored'],
      ]),
    );
    expect(await snapshot('alpha')).toEqual(before.alpha);
    expect(await snapshot('beta')).toEqual(betaNow);
    expect(events.some((e) => e.repository === 'alpha' && e.data.action === 'restored')).toBe(true);
    await http().get('/api/v1/repos/empty').expect(200);

    const renamed = await restore({ backup_id: id, repos: ['beta'], rename: { beta: 'betaCopy' } });
    expect(renamed.repositories).toEqual([
      { source: 'beta', repo_id: 'betaCopy', status: 'restored' },
    ]);
    expect((await snapshot('betaCopy')).objects).toEqual(before.beta.objects);

    await restore({ backup_id: id, repos: ['beta'], overwrite: true });
    expect(events.some((e) => e.repository === 'beta' && e.data.action === 'deleted')).toBe(true);
    expect(await snapshot('beta')).toEqual(before.beta);
  });

  it('verifies without restoring, and refuses corrupt and unknown backups', async () => {
    const id = await backup({ repos: ['alpha'], include_metadata: false });
    await http().delete('/api/v1/repos/alpha').expect(200);
    const verified = await restore({ backup_id: id, verify: true });
    expect(verified).toEqual({
      backup_id: id,
      verified: true,
      repositories: [{ id: 'alpha', status: 'verified' }],
    });
    await http().get('/api/v1/repos/alpha').expect(404);

    const path = join(dir.path, `${id}.tar.gz`);
    const tar = gunzipSync(readFileSync(path));
    const pack = tar.indexOf('PACK');
    expect(pack).toBeGreaterThan(0);
    tar[pack + 40] = tar[pack + 40]! ^ 0xff;
    writeFileSync(join(dir.path, 'damaged.tar.gz'), gzipSync(tar));
    const corrupt = await http()
      .post('/api/v1/restore')
      .send({ backup_id: 'damaged', verify: true })
      .expect(400);
    expect(corrupt.body.code).toBe('BACKUP_CORRUPT');
    const unknown = await http().post('/api/v1/restore').send({ backup_id: 'nope' }).expect(404);
    expect(unknown.body.code).toBe('BACKUP_NOT_FOUND');
    const bad = await http().post('/api/v1/restore').send({ backup_id: '../etc' }).expect(400);
    expect(bad.body.code).toBe('INVALID_REQUEST');
    await http().get('/api/v1/repos/alpha').expect(404);
  });

  it('carries metadata collections and restores them only when asked', async () => {
    const store = app.get(RepositoryRegistry).metadataStore();
    store.put('settings', 'theme', { value: 'dark' });
    await store.flush();
    const id = await backup({ repos: [] });
    store.delete('settings', 'theme');
    const without = await restore({ backup_id: id });
    expect(without).toEqual({ backup_id: id, repositories: [], metadata: [] });
    expect(store.get('settings', 'theme')).toBeUndefined();
    const restored = await restore({ backup_id: id, include_metadata: true });
    expect(restored.metadata).toEqual([{ collection: 'settings', documents: 1 }]);
    expect(store.get('settings', 'theme')).toEqual({ value: 'dark' });
    const noMeta = await backup({ repos: [], include_metadata: false });
    const empty = await restore({ backup_id: noMeta, include_metadata: true });
    expect(empty.metadata).toEqual([]);
  });
});
