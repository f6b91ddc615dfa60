/**
 * The real git CLI pushing to govc-ts over smart HTTP: new branch, fast-forward, forced,
 * delete (and the current branch refused), tags, atomic, the server-side working state after a
 * push to the checked-out branch, events, an API commit racing pushes, and hand-crafted
 * malicious packs refused whole with the repository unchanged.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { EventEnvelope } from '../../src/modules/hooks/domain-event';
import { RepositoryEventBus } from '../../src/modules/hooks/repository-event-bus';
import { encodePktLines } from '../../src/core/protocol/pkt-line';
import { serializeTree } from '../../src/core/objects/tree';
import { gitAvailable, tempDir } from '../support/git-cli';
import {
  gitAsync,
  gitOk,
  startGitHttpServer,
  type GitHttpServer,
} from '../support/git-http-server';
import { RawPackBuilder, rawDelta } from '../support/pack-builder';

const describeGit = gitAvailable() ? describe : describe.skip;
const ZERO = '0'.repeat(40);

function oidOf(type: string, body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

describeGit('git smart HTTP: push', () => {
  let server: GitHttpServer;
  let dir: { path: string; cleanup: () => void };
  const events: EventEnvelope[] = [];

  beforeAll(async () => {
    server = await startGitHttpServer();
    server.app.get(RepositoryEventBus).subscribe((event) => events.push(event));
    dir = tempDir('govc-push-');
  });
  afterAll(async () => {
    await server.close();
    dir.cleanup();
  });

  async function newRepo(id: string): Promise<void> {
    await server.http().post('/api/v1/repos').send({ id }).expect(201);
    await server.http().post(`/api/v1/repos/${id}/add`).send({ path: 'a.txt', content: 'a\n' });
    await server.http().post(`/api/v1/repos/${id}/commit`).send({ message: 'init' }).expect(201);
  }

  async function clone(id: string, name = id): Promise<string> {
    const target = join(dir.path, name);
    await gitOk(['clone', `${server.base}/${id}.git`, target]);
    return target;
  }

  async function commitLocal(cwd: string, file: string, content: string, message: string) {
    await gitOk(['-c', 'core.autocrlf=false', 'add', '-A'], { cwd }).catch(() => undefined);
    await import('node:fs/promises').then((fs) => fs.writeFile(join(cwd, file), content));
    await gitOk(['add', file], { cwd });
    await gitOk(['commit', '-q', '-m', message], { cwd });
    return (await gitOk(['rev-parse', 'HEAD'], { cwd })).trim();
  }

  async function refsOf(id: string): Promise<Record<string, string>> {
    const listed = await gitOk(['ls-remote', `${server.base}/${id}.git`]);
    const refs: Record<string, string> = {};
    for (const line of listed.trim().split('\n')) {
      const [oid, name] = line.split('\t');
      if (oid !== undefined && name !== undefined) refs[name] = oid;
    }
    return refs;
  }

  it('pushes a new branch, fast-forwards, forces and deletes it', async () => {
    await newRepo('push-basic');
    const work = await clone('push-basic');
    await gitOk(['checkout', '-q', '-b', 'feature'], { cwd: work });
    const first = await commitLocal(work, 'f.txt', 'f1\n', 'feature one');
    await gitOk(['push', 'origin', 'feature'], { cwd: work });
    expect((await refsOf('push-basic'))['refs/heads/feature']).toBe(first);

    const second = await commitLocal(work, 'f.txt', 'f2\n', 'feature two');
    await gitOk(['push', 'origin', 'feature'], { cwd: work });
    expect((await refsOf('push-basic'))['refs/heads/feature']).toBe(second);

    await gitOk(['reset', '-q', '--hard', 'HEAD~1'], { cwd: work });
    const rewritten = await commitLocal(work, 'f.txt', 'other\n', 'rewritten');
    const refused = await gitAsync(['push', 'origin', 'feature'], { cwd: work });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/rejected|non-fast-forward|fetch first/);
    expect((await refsOf('push-basic'))['refs/heads/feature']).toBe(second);
    await gitOk(['push', '--force', 'origin', 'feature'], { cwd: work });
    expect((await refsOf('push-basic'))['refs/heads/feature']).toBe(rewritten);

    const forced = events.find(
      (e) => e.repository === 'push-basic' && e.event === 'push' && e.data.forced === true,
    );
    expect(forced?.data).toMatchObject({
      ref: 'refs/heads/feature',
      source: 'git',
      after: rewritten,
    });

    await gitOk(['push', 'origin', '--delete', 'feature'], { cwd: work });
    expect((await refsOf('push-basic'))['refs/heads/feature']).toBeUndefined();
    expect(
      events.some(
        (e) =>
          e.repository === 'push-basic' &&
          e.event === 'branch' &&
          e.data.action === 'deleted' &&
          e.data.name === 'feature',
      ),
    ).toBe(true);

    const current = await gitAsync(['push', 'origin', '--delete', 'main'], { cwd: work });
    expect(current.status).not.toBe(0);
    expect(current.stderr).toMatch(/deletion of the current branch prohibited/);
  });

  it('pushes lightweight and annotated tags', async () => {
    await newRepo('push-tags');
    const work = await clone('push-tags');
    await gitOk(['tag', 'light'], { cwd: work });
    await gitOk(['tag', '-a', 'v1.0', '-m', 'release'], { cwd: work });
    await gitOk(['push', 'origin', '--tags'], { cwd: work });
    const response = await server.http().get('/api/v1/repos/push-tags/tags').expect(200);
    const names = JSON.stringify(response.body);
    expect(names).toMatch(/light/);
    expect(names).toMatch(/v1\.0/);
    const tagEvent = events.find(
      (e) => e.repository === 'push-tags' && e.event === 'tag' && e.data.name === 'v1.0',
    );
    expect(tagEvent?.data).toMatchObject({ action: 'created', annotated: true });
  });

  it('keeps the server-side working state on the pushed head of the current branch', async () => {
    await newRepo('push-current');
    const work = await clone('push-current');
    const pushed = await commitLocal(work, 'a.txt', 'from git\n', 'from git');
    await gitOk(['push', 'origin', 'main'], { cwd: work });
    const status = await server.http().get('/api/v1/repos/push-current/status').expect(200);
    expect(status.body).toMatchObject({ branch: 'main', staged: [], modified: [] });
    const read = await server.http().get('/api/v1/repos/push-current/read/a.txt').expect(200);
    expect(read.body.content).toBe('from git\n');
    // An API commit afterwards builds on the pushed commit.
    await server
      .http()
      .post('/api/v1/repos/push-current/add')
      .send({ path: 'b.txt', content: 'b' });
    const commit = await server
      .http()
      .post('/api/v1/repos/push-current/commit')
      .send({ message: 'after push' })
      .expect(201);
    const log = await server.http().get('/api/v1/repos/push-current/log?limit=2').expect(200);
    expect(log.body.commits[1].hash).toBe(pushed);
    expect(commit.body.hash).toBe(log.body.commits[0].hash);
    const push = events.find(
      (e) => e.repository === 'push-current' && e.event === 'push' && e.data.source === 'git',
    );
    expect(push?.data).toMatchObject({ source: 'git', total_commits: 1, after: pushed });
  });

  it('runs pre-receive and update hooks before any ref moves', async () => {
    await newRepo('push-hooks');
    const work = await clone('push-hooks');
    const hooks = '/api/v1/repos/push-hooks/server-hooks';
    await server
      .http()
      .put(`${hooks}/update`)
      .send({ script: '#!/bin/sh\ncase "$1" in refs/heads/blocked) exit 1;; esac\nexit 0\n' })
      .expect(201);
    await gitOk(['branch', 'blocked'], { cwd: work });
    await gitOk(['branch', 'allowed'], { cwd: work });
    const partial = await gitAsync(['push', 'origin', 'blocked', 'allowed'], { cwd: work });
    expect(partial.stderr).toMatch(/blocked.*hook declined/);
    let refs = await refsOf('push-hooks');
    expect(refs['refs/heads/allowed']).toBeDefined();
    expect(refs['refs/heads/blocked']).toBeUndefined();

    await server
      .http()
      .put(`${hooks}/pre-receive`)
      .send({ script: '#!/bin/sh\necho "no pushes today"\nexit 1\n' })
      .expect(201);
    await commitLocal(work, 'h.txt', 'h\n', 'hooked');
    const refused = await gitAsync(['push', 'origin', 'main'], { cwd: work });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/pre-receive hook declined/);
    refs = await refsOf('push-hooks');
    expect(refs['refs/heads/main']).not.toBe(
      (await gitOk(['rev-parse', 'HEAD'], { cwd: work })).trim(),
    );
  });

  it('is all or nothing with --atomic', async () => {
    await newRepo('push-atomic');
    const work = await clone('push-atomic');
    await gitOk(['checkout', '-q', '-b', 'side'], { cwd: work });
    await commitLocal(work, 's.txt', 's\n', 'side');
    await gitOk(['checkout', '-q', 'main'], { cwd: work });
    const before = await refsOf('push-atomic');
    const result = await gitAsync(['push', '--atomic', 'origin', 'side', ':main'], { cwd: work });
    expect(result.status).not.toBe(0);
    expect(await refsOf('push-atomic')).toEqual(before);
  });

  it('loses nothing when API commits and pushes race on one branch', async () => {
    await newRepo('push-race');
    const work = await clone('push-race');
    const apiCommits: string[] = [];
    const pushed: string[] = [];
    for (let round = 0; round < 4; round++) {
      const local = await commitLocal(work, `g${round}.txt`, `${round}\n`, `git ${round}`);
      const api = (async () => {
        await server
          .http()
          .post('/api/v1/repos/push-race/add')
          .send({ path: `api${round}.txt`, content: 'x' });
        const response = await server
          .http()
          .post('/api/v1/repos/push-race/commit')
          .send({ message: `api ${round}` });
        if (response.status === 201) apiCommits.push(response.body.hash as string);
      })();
      const push = gitAsync(['push', 'origin', 'main'], { cwd: work });
      const [, result] = await Promise.all([api, push]);
      if (result.status === 0) {
        pushed.push(local);
        continue;
      }
      await gitOk(['pull', '-q', '--rebase', 'origin', 'main'], { cwd: work });
      await gitOk(['push', 'origin', 'main'], { cwd: work });
      pushed.push((await gitOk(['rev-parse', 'HEAD'], { cwd: work })).trim());
    }
    await gitOk(['fetch', '-q', 'origin'], { cwd: work });
    for (const oid of [...apiCommits, ...pushed]) {
      const check = await gitAsync(['merge-base', '--is-ancestor', oid, 'origin/main'], {
        cwd: work,
      });
      expect({ oid, reachable: check.status === 0 }).toEqual({ oid, reachable: true });
    }
    expect(apiCommits.length).toBeGreaterThan(0);
    await gitOk(['fsck', '--strict'], { cwd: work });
  });

  describe('malicious packs', () => {
    let base: string;

    beforeAll(async () => {
      await newRepo('evil');
      const refs = await refsOf('evil');
      base = refs['refs/heads/main']!;
    });

    async function postPush(commands: string[], pack: Buffer) {
      const body = Buffer.concat([
        encodePktLines([`${commands[0]}\0report-status side-band-64k`, ...commands.slice(1)]),
        Buffer.from('0000'),
        pack,
      ]);
      const response = await server
        .http()
        .post('/evil.git/git-receive-pack')
        .set('Content-Type', 'application/x-git-receive-pack-request')
        .buffer(true)
        .parse((res, done) => {
          const parts: Buffer[] = [];
          res.on('data', (chunk: Buffer) => parts.push(chunk));
          res.on('end', () => done(null, Buffer.concat(parts)));
        })
        .send(body);
      expect(response.status).toBe(200);
      return (response.body as Buffer).toString('latin1');
    }

    /** A commit whose tree holds one entry named `name`, as a pack with all three objects. */
    function packWithEntry(name: string): { pack: Buffer; commit: string } {
      const blob = Buffer.from('payload\n');
      const blobOid = oidOf('blob', blob);
      const tree = serializeTree([{ mode: '100644', name, oid: blobOid }]);
      const treeOid = oidOf('tree', tree);
      const commit = Buffer.from(
        `tree ${treeOid}\nparent ${base}\nauthor E <e@x> 1700000000 +0000\ncommitter E <e@x> 1700000000 +0000\n\nevil\n`,
      );
      const builder = new RawPackBuilder();
      builder.whole('blob', blob);
      builder.whole('tree', tree);
      builder.whole('commit', commit);
      return { pack: builder.build(), commit: oidOf('commit', commit) };
    }

    async function expectRefused(pack: Buffer, commit: string, reason: RegExp) {
      const objectsBefore = (await refsOf('evil'))['refs/heads/main'];
      const report = await postPush([`${base} ${commit} refs/heads/main`], pack);
      expect(report).toMatch(/unpack (?!ok)/);
      expect(report).toMatch(reason);
      expect(report).toMatch(/ng refs\/heads\/main/);
      expect((await refsOf('evil'))['refs/heads/main']).toBe(objectsBefore);
      const shown = await server.http().get(`/api/v1/repos/evil/show/${commit}`);
      expect(shown.status).toBe(404);
    }

    it.each([
      ['.git', /hasDotgit/],
      ['.GIT', /hasDotgit/],
      ['git~1', /hasDotgit/],
      ['.git.', /hasDotgit/],
      ['..', /hasDotdot/],
    ])('refuses a tree entry named %s', async (name, reason) => {
      const { pack, commit } = packWithEntry(name);
      await expectRefused(pack, commit, reason);
    });

    it('refuses a truncated pack', async () => {
      const { pack, commit } = packWithEntry('ok.txt');
      await expectRefused(pack.subarray(0, pack.length - 30), commit, /truncated/);
    });

    it('refuses a pack with a wrong checksum', async () => {
      const { pack, commit } = packWithEntry('ok.txt');
      pack[pack.length - 1] = pack[pack.length - 1]! ^ 0xff;
      await expectRefused(pack, commit, /checksum/);
    });

    it('refuses a delta that claims a 1 TiB result', async () => {
      const builder = new RawPackBuilder();
      const baseBlob = Buffer.from('base');
      const at = builder.whole('blob', baseBlob);
      builder.ofsDelta(at, rawDelta(4, 2 ** 40, [0x01, 0x41]));
      await expectRefused(builder.build(), 'f'.repeat(40), /over the limit/);
    });

    it('refuses a commit pointing at a missing tree', async () => {
      const commit = Buffer.from(
        `tree ${'1'.repeat(40)}\nparent ${base}\nauthor E <e@x> 1700000000 +0000\ncommitter E <e@x> 1700000000 +0000\n\nx\n`,
      );
      const builder = new RawPackBuilder();
      builder.whole('commit', commit);
      await expectRefused(builder.build(), oidOf('commit', commit), /missing/);
    });

    it('refuses updates of refs/govc/ and malformed ref names', async () => {
      const { pack, commit } = packWithEntry('fine.txt');
      const report = await postPush(
        [`${ZERO} ${commit} refs/govc/stash-ids/x`, `${ZERO} ${commit} refs/heads/a..b`],
        pack,
      );
      expect(report).toMatch(/unpack ok/);
      expect(report).toMatch(/ng refs\/govc\/stash-ids\/x/);
      expect(report).toMatch(/ng refs\/heads\/a\.\.b funny refname/);
    });
  });
});
