/**
 * Two processes (two driver instances) on one database (RELIABILITY P2, A4): racing
 * compare-and-swap on one ref, exactly one flush wins each round and the loser gets
 * ConcurrentUpdateError with its memory showing the winner's value; NOTIFY brings one
 * instance's ref moves, objects and metadata to the other, and onExternalRefChange fires.
 */
import { ConcurrentUpdateError } from '../../../../../src/core/errors/ref-errors';
import type { Oid } from '../../../../../src/core/objects/oid';
import type { PostgresStorageDriver } from '../../../../../src/core/storage/postgres/postgres-storage-driver';
import type {
  ExternalRefChange,
  RepositoryStores,
} from '../../../../../src/core/storage/storage-driver';
import {
  createTestDatabase,
  openPostgresDriver,
  postgresAvailable,
  type TestDatabase,
} from './postgres-fixtures';

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;
const MAIN = 'refs/heads/main';
const ROUNDS = 12;

function mainOf(stores: RepositoryStores): Oid | null {
  const ref = stores.refs.read(MAIN);
  return ref?.kind === 'direct' ? ref.oid : null;
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeWithPostgres('postgres driver with two processes', () => {
  let database: TestDatabase;
  let a: PostgresStorageDriver;
  let b: PostgresStorageDriver;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await openPostgresDriver(database.url);
    b = await openPostgresDriver(database.url);
  });

  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await database.drop();
  });

  it('lets exactly one of two racing compare-and-swaps win, every round', async () => {
    await a.createRepository('race');
    const sa = await a.openRepository('race');
    const sb = await b.openRepository('race');
    let base: Oid | null = null;
    let winsA = 0;
    let winsB = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const oidA = sa.objects.put('blob', Buffer.from(`a ${round}`));
      const oidB = sb.objects.put('blob', Buffer.from(`b ${round}`));
      expect(sa.refs.update({ name: MAIN, expect: base, next: oidA }).status).toBe('ok');
      expect(sb.refs.update({ name: MAIN, expect: base, next: oidB }).status).toBe('ok');
      const [ra, rb] = await Promise.allSettled([sa.refs.flush(), sb.refs.flush()]);
      const won = [ra.status === 'fulfilled', rb.status === 'fulfilled'];
      expect(won.filter(Boolean)).toHaveLength(1);
      const loser = ra.status === 'rejected' ? ra : rb.status === 'rejected' ? rb : undefined;
      expect(loser?.reason).toBeInstanceOf(ConcurrentUpdateError);
      const winner = won[0] ? oidA : oidB;
      if (won[0]) winsA++;
      else winsB++;
      const stored = await database.query(
        'SELECT oid FROM govc_refs WHERE repo_id = $1 AND name = $2',
        ['race', MAIN],
      );
      expect(stored).toEqual([{ oid: winner }]);
      // The loser reloaded at once; the winner's memory is already right.
      expect(mainOf(sa)).toBe(winner);
      expect(mainOf(sb)).toBe(winner);
      base = winner;
    }
    expect(winsA + winsB).toBe(ROUNDS);
    const log = await database.query(
      'SELECT count(*)::int AS n FROM govc_reflog WHERE repo_id = $1',
      ['race'],
    );
    expect(log).toEqual([{ n: 0 }]);
  });

  it("fails the loser's later flushes built on its lost value, and never writes them", async () => {
    await a.createRepository('chain');
    const sa = await a.openRepository('chain');
    const x = sa.objects.put('blob', Buffer.from('x'));
    sa.refs.update({ name: MAIN, expect: null, next: x });
    await sa.refs.flush();
    const sb = await b.openRepository('chain');
    expect(mainOf(sb)).toBe(x);

    // Another process moves main and its NOTIFY never arrives (a lost or late notification).
    const winner = sa.objects.put('blob', Buffer.from('winner'));
    await sa.objects.flush();
    await database.query('UPDATE govc_refs SET oid = $1 WHERE repo_id = $2 AND name = $3', [
      winner,
      'chain',
      MAIN,
    ]);

    const lost1 = sb.objects.put('blob', Buffer.from('lost 1'));
    expect(sb.refs.update({ name: MAIN, expect: x, next: lost1 }).status).toBe('ok');
    const first = sb.refs.flush();
    const lost2 = sb.objects.put('blob', Buffer.from('lost 2'));
    expect(sb.refs.update({ name: MAIN, expect: lost1, next: lost2 }).status).toBe('ok');
    const second = sb.refs.flush();
    const [r1, r2] = await Promise.allSettled([first, second]);
    expect(r1.status === 'rejected' && r1.reason instanceof ConcurrentUpdateError).toBe(true);
    expect(r2.status === 'rejected' && r2.reason instanceof ConcurrentUpdateError).toBe(true);
    expect(mainOf(sb)).toBe(winner);
    const stored = await database.query(
      'SELECT oid FROM govc_refs WHERE repo_id = $1 AND name = $2',
      ['chain', MAIN],
    );
    expect(stored).toEqual([{ oid: winner }]);
    // The next flush carries on from the winner.
    const next = sb.objects.put('blob', Buffer.from('after'));
    expect(sb.refs.update({ name: MAIN, expect: winner, next }).status).toBe('ok');
    await sb.refs.flush();
    expect(
      await database.query('SELECT oid FROM govc_refs WHERE repo_id = $1 AND name = $2', [
        'chain',
        MAIN,
      ]),
    ).toEqual([{ oid: next }]);
  });

  it("brings one process's commits, objects and metadata to the other through NOTIFY", async () => {
    await a.createRepository('notify');
    const sa = await a.openRepository('notify');
    const sb = await b.openRepository('notify');
    const seen: ExternalRefChange[] = [];
    const unsubscribe = b.onExternalRefChange((change) => seen.push(change));
    try {
      const blob = sa.objects.put('blob', Buffer.from('from a'));
      sa.refs.update({
        name: MAIN,
        expect: null,
        next: blob,
        reflog: {
          committer: { name: 'A', email: 'a@x', timestamp: 1, timezone: '+0000' },
          message: 'create',
        },
      });
      sa.refs.setSymbolic('HEAD', MAIN);
      await sa.refs.flush();
      a.metadata.put('users', 'alice', { name: 'alice' });
      await a.metadata.flush();

      await eventually(() => seen.some((change) => change.ref === MAIN));
      expect(seen).toContainEqual({ repo: 'notify', ref: MAIN });
      expect(mainOf(sb)).toBe(blob);
      expect(sb.objects.get(blob)?.type).toBe('blob');
      expect(sb.refs.read('HEAD')).toEqual({ name: 'HEAD', kind: 'symbolic', target: MAIN });
      expect(sb.refs.reflog(MAIN).map((entry) => entry.message)).toEqual(['create']);
      await eventually(() => b.metadata.get('users', 'alice') !== undefined);
      expect(b.metadata.get('users', 'alice')).toEqual({ name: 'alice' });
      // A's own NOTIFY is not reported back to A.
      const ownSeen: ExternalRefChange[] = [];
      const unsubscribeA = a.onExternalRefChange((change) => ownSeen.push(change));
      await new Promise((resolve) => setTimeout(resolve, 100));
      unsubscribeA();
      expect(ownSeen).toEqual([]);
    } finally {
      unsubscribe();
    }
  });
});
