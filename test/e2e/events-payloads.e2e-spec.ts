/**
 * Every domain event (api-contract.md §6.4) once, produced through the REST routes and read off
 * the bus: its type, its `data` shape, and the `push` that accompanies every branch move.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { EventEnvelope } from '../../src/modules/hooks/domain-event';
import { RepositoryEventBus } from '../../src/modules/hooks/repository-event-bus';
import { TransactionsService } from '../../src/modules/transactions/transactions.service';
import { HASH, SERVER_TIME } from '../support/repo-fixture';
import { startTestApp } from '../support/test-app';

const ZERO = '0'.repeat(40);

describe('domain event payloads (e2e)', () => {
  let app: NestExpressApplication;
  let seen: EventEnvelope[] = [];
  const id = 'payloads';

  beforeAll(async () => {
    app = await startTestApp();
    app.get(RepositoryEventBus).subscribe((envelope) => seen.push(envelope));
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  const api = (path: string) => `/api/v1/repos/${id}${path}`;
  /** Runs `step` and returns the events it produced. */
  async function events(step: () => Promise<unknown>): Promise<EventEnvelope[]> {
    seen = [];
    await step();
    return seen;
  }
  const data = (list: EventEnvelope[], event: string) =>
    list.filter((e) => e.event === event).map((e) => e.data);
  async function commit(path: string, content = `${path}\n`): Promise<string> {
    await http().post(api('/add')).send({ path, content }).expect(201);
    return (
      await http()
        .post(api('/commit'))
        .send({ message: `edit ${path}` })
        .expect(201)
    ).body.hash as string;
  }

  it('emits each event with its payload', async () => {
    // repository created
    let got = await events(() => http().post('/api/v1/repos').send({ id }).expect(201));
    expect(got).toHaveLength(1);
    expect(got[0]).toEqual({
      id: expect.stringMatching(/^\d+-\d+$/),
      event: 'repository',
      repository: id,
      timestamp: expect.stringMatching(SERVER_TIME),
      sender: null,
      data: { action: 'created', id, path: expect.any(String) },
    });

    // commit + push (created)
    const first = await commit('a.txt');
    await http().post(api('/add')).send({ path: 'b.txt', content: 'b\n' }).expect(201);
    got = await events(() => http().post(api('/commit')).send({ message: 'second' }).expect(201));
    const second = (got[0]!.data.commit as { hash: string }).hash;
    expect(got.map((e) => e.event)).toEqual(['commit', 'push']);
    expect(got[0]!.data).toEqual({
      branch: 'main',
      ref: 'refs/heads/main',
      commit: expect.objectContaining({ hash: second, parent: first, parents: [first] }),
      files: { added: ['b.txt'], modified: [], removed: [] },
    });
    expect(got[1]!.data).toEqual({
      ref: 'refs/heads/main',
      before: first,
      after: second,
      created: false,
      deleted: false,
      forced: false,
      source: 'api',
      commits: [
        {
          id: second,
          message: 'second',
          author: { name: expect.any(String), email: expect.any(String) },
          timestamp: expect.any(String),
        },
      ],
      total_commits: 1,
    });

    // branch created / checked out / deleted
    got = await events(() => http().post(api('/branches')).send({ name: 'feature' }).expect(201));
    expect(data(got, 'branch')).toEqual([
      { action: 'created', name: 'feature', ref: 'refs/heads/feature', commit: second },
    ]);
    expect(data(got, 'push')).toEqual([
      expect.objectContaining({
        ref: 'refs/heads/feature',
        before: ZERO,
        after: second,
        created: true,
        commits: [],
        total_commits: 0,
      }),
    ]);
    got = await events(() => http().post(api('/checkout')).send({ branch: 'feature' }).expect(200));
    expect(got.map((e) => e.event)).toEqual(['branch']);
    expect(got[0]!.data).toEqual({
      action: 'checked_out',
      name: 'feature',
      ref: 'refs/heads/feature',
      commit: second,
    });
    const featureCommit = await commit('f.txt');
    await http().post(api('/checkout')).send({ branch: 'main' }).expect(200);

    // merge (three-way)
    const mainCommit = await commit('m.txt');
    got = await events(() =>
      http().post(api('/merge')).send({ from: 'feature', to: 'main' }).expect(200),
    );
    expect(got.map((e) => e.event)).toEqual(['merge', 'push']);
    const mergeCommit = got[0]!.data.commit as string;
    expect(got[0]!.data).toEqual({
      from: 'feature',
      to: 'main',
      strategy: 'three-way',
      base: second,
      commit: mergeCommit,
    });
    expect(got[1]!.data).toMatchObject({
      before: mainCommit,
      after: mergeCommit,
      total_commits: 2,
    });
    expect((got[1]!.data.commits as Array<{ id: string }>).map((c) => c.id).sort()).toEqual(
      [mergeCommit, featureCommit].sort(),
    );

    got = await events(() => http().delete(api('/branches/feature')).expect(200));
    expect(data(got, 'branch')).toEqual([
      { action: 'deleted', name: 'feature', ref: 'refs/heads/feature', commit: featureCommit },
    ]);
    expect(data(got, 'push')).toEqual([
      expect.objectContaining({ before: featureCommit, after: ZERO, deleted: true, commits: [] }),
    ]);

    // tag created / deleted
    got = await events(() =>
      http().post(api('/tags')).send({ name: 'v1', message: 'release\n' }).expect(201),
    );
    expect(got.map((e) => e.event)).toEqual(['tag']);
    expect(got[0]!.data).toEqual({
      action: 'created',
      name: 'v1',
      ref: 'refs/tags/v1',
      commit: mergeCommit,
      annotated: true,
      message: 'release',
    });
    got = await events(() => http().delete(api('/tags/v1')).expect(200));
    expect(got[0]!.data).toMatchObject({
      action: 'deleted',
      name: 'v1',
      commit: mergeCommit,
      annotated: true,
    });

    // stash created / applied / popped / dropped
    await http().post(api('/write')).send({ path: 'a.txt', content: 'changed\n' }).expect(200);
    got = await events(() => http().post(api('/stash')).send({ message: 'wip' }).expect(201));
    const stash = got[0]!.data.stash as { id: string; message: string; files: string[] };
    expect(got[0]!.data).toEqual({
      action: 'created',
      stash: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        message: expect.stringContaining('wip'),
        files: ['a.txt'],
      },
    });
    got = await events(() =>
      http()
        .post(api(`/stash/${stash.id}/apply`))
        .send({})
        .expect(200),
    );
    expect(got[0]!.data).toEqual({ action: 'applied', stash });
    await http().post(api('/reset')).send({ target: 'HEAD', mode: 'hard' }).expect(200);
    got = await events(() =>
      http()
        .post(api(`/stash/${stash.id}/apply`))
        .send({ drop: true })
        .expect(200),
    );
    expect(got[0]!.data).toEqual({ action: 'popped', stash });
    await http().post(api('/stash')).send({}).expect(201);
    got = await events(() => http().delete(api('/stash/0')).expect(200));
    expect(got[0]!.data).toMatchObject({ action: 'dropped' });

    // reset (backwards: a forced push)
    got = await events(() =>
      http().post(api('/reset')).send({ target: mainCommit, mode: 'hard' }).expect(200),
    );
    expect(got.map((e) => e.event)).toEqual(['reset', 'push']);
    expect(got[0]!.data).toEqual({
      branch: 'main',
      mode: 'hard',
      old_head: mergeCommit,
      new_head: mainCommit,
    });
    expect(got[1]!.data).toMatchObject({
      before: mergeCommit,
      after: mainCommit,
      forced: true,
      total_commits: 0,
    });

    // cherry-pick and revert
    got = await events(() =>
      http().post(api('/cherry-pick')).send({ commit: featureCommit }).expect(201),
    );
    const picked = got[0]!.data.new_commit as string;
    expect(got[0]).toMatchObject({
      event: 'cherry-pick',
      data: {
        branch: 'main',
        original_commit: featureCommit,
        new_commit: expect.stringMatching(HASH),
        files_changed: ['f.txt'],
      },
    });
    got = await events(() => http().post(api('/revert')).send({ commit: picked }).expect(201));
    expect(got[0]).toMatchObject({
      event: 'revert',
      data: { branch: 'main', reverted_commit: picked, files_changed: ['f.txt'] },
    });
    expect(got.map((e) => e.event)).toEqual(['revert', 'push']);

    // rebase
    await http().post(api('/branches')).send({ name: 'topic', from: first }).expect(201);
    await http().post(api('/checkout')).send({ branch: 'topic' }).expect(200);
    await commit('t.txt');
    got = await events(() => http().post(api('/rebase')).send({ onto: 'main' }).expect(200));
    expect(got.map((e) => e.event)).toEqual(['rebase', 'push']);
    expect(got[0]!.data).toEqual({
      branch: 'topic',
      onto: 'main',
      old_head: expect.stringMatching(HASH),
      new_head: expect.stringMatching(HASH),
      rebased_count: 1,
      commits: [got[0]!.data.new_head],
    });
    await http().post(api('/checkout')).send({ branch: 'main' }).expect(200);

    // transactions: committed, rolled back, expired
    const tx1 = (await http().post(api('/transaction')).send({}).expect(201)).body.id as string;
    await http()
      .post(api(`/transaction/${tx1}/add`))
      .send({ path: 'tx.txt', content: 'tx\n' })
      .expect(200);
    await http()
      .post(api(`/transaction/${tx1}/validate`))
      .expect(200);
    got = await events(() =>
      http()
        .post(api(`/transaction/${tx1}/commit`))
        .send({ message: 'tx' })
        .expect(201),
    );
    expect(got.map((e) => e.event)).toEqual(['transaction', 'push']);
    expect(got[0]!.data).toEqual({
      action: 'committed',
      transaction_id: tx1,
      branch: 'main',
      commit: expect.stringMatching(HASH),
      files: ['tx.txt'],
    });
    const tx2 = (await http().post(api('/transaction')).send({}).expect(201)).body.id as string;
    got = await events(() =>
      http()
        .post(api(`/transaction/${tx2}/rollback`))
        .expect(200),
    );
    expect(got[0]!.data).toEqual({
      action: 'rolled_back',
      transaction_id: tx2,
      branch: 'main',
      commit: null,
      files: [],
    });
    const tx3 = (await http().post(api('/transaction')).send({}).expect(201)).body.id as string;
    got = await events(() =>
      Promise.resolve(app.get(TransactionsService).sweep(Date.now() + 10 * 3600_000)),
    );
    expect(got).toEqual([
      expect.objectContaining({
        event: 'transaction',
        sender: null,
        data: { action: 'expired', transaction_id: tx3, branch: 'main', commit: null, files: [] },
      }),
    ]);

    // realities: created, applied, merged, deleted
    got = await events(() =>
      http()
        .post(api('/parallel-realities'))
        .send({ branches: ['r1', 'r2'] })
        .expect(201),
    );
    expect(data(got, 'reality')).toEqual([
      { action: 'created', name: 'r1', branch: 'parallel/r1', commit: expect.stringMatching(HASH) },
      { action: 'created', name: 'r2', branch: 'parallel/r2', commit: expect.stringMatching(HASH) },
    ]);
    expect(data(got, 'push').map((d) => d.ref)).toEqual([
      'refs/heads/parallel/r1',
      'refs/heads/parallel/r2',
    ]);
    got = await events(() =>
      http()
        .post(api('/parallel-realities/r1/apply'))
        .send({ changes: { 'r.txt': 'r\n' } })
        .expect(200),
    );
    expect(got.map((e) => e.event)).toEqual(['reality', 'push']);
    expect(got[0]!.data).toEqual({
      action: 'applied',
      name: 'r1',
      branch: 'parallel/r1',
      commit: got[1]!.data.after,
    });
    got = await events(() =>
      http().post(api('/parallel-realities/r1/merge')).send({ into: 'main' }).expect(200),
    );
    expect(got[0]!.data).toMatchObject({
      action: 'merged',
      name: 'r1',
      branch: 'parallel/r1',
      commit: expect.stringMatching(HASH),
    });
    got = await events(() => http().delete(api('/parallel-realities/r2')).expect(200));
    expect(got.map((e) => e.event)).toEqual(['reality', 'push']);
    expect(got[0]!.data).toEqual({
      action: 'deleted',
      name: 'r2',
      branch: 'parallel/r2',
      commit: expect.stringMatching(HASH),
    });

    // repository deleted
    got = await events(() => http().delete(`/api/v1/repos/${id}`).expect(200));
    expect(got.map((e) => [e.event, e.data.action])).toEqual([['repository', 'deleted']]);
  });

  it('publishes nothing for a write that failed', async () => {
    await http().post('/api/v1/repos').send({ id: 'quiet' }).expect(201);
    const got = await events(async () => {
      await http().post('/api/v1/repos/quiet/commit').send({ message: 'nothing' }).expect(400);
      await http().post('/api/v1/repos/quiet/branches').send({ name: 'x' }).expect(400);
    });
    expect(got).toEqual([]);
  });
});
