/**
 * The postgres repository's worker against two drivers on one database (two "nodes"):
 *
 * - a refresh (another node's NOTIFY) that is already running when a local batch is sealed must
 *   leave the batch's refs alone: it once moved the batch's expected value to the other node's
 *   new one, so the batch's compare-and-swap passed and overwrote an acknowledged write (both
 *   racing writers were told they won; seen in postgres-cas.spec under parallel load);
 * - a close that arrives while a batch is losing its compare-and-swap, with a refresh queued
 *   behind it, waits for the worker and finishes (close used to poll the last batch's promise,
 *   which is safe only while batches are the last tasks; it now waits for the worker itself).
 */ import { ConcurrentUpdateError } from '../../src/core/errors/ref-errors';
import type { PostgresRepository } from '../../src/core/storage/postgres/postgres-repository';
import type { PostgresStorageDriver } from '../../src/core/storage/postgres/postgres-storage-driver';
import {
  createTestDatabase,
  openPostgresDriver,
  postgresAvailable,
  type TestDatabase,
} from '../unit/core/storage/postgres/postgres-fixtures';

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;
const MAIN = 'refs/heads/main';

describeWithPostgres('postgres repository worker', () => {
  let database: TestDatabase;
  let drivers: PostgresStorageDriver[];

  beforeAll(async () => {
    database = await createTestDatabase();
    drivers = [await openPostgresDriver(database.url), await openPostgresDriver(database.url)];
  });

  afterAll(async () => {
    await Promise.all(drivers.map((driver) => driver.close()));
    await database.drop();
  });

  it('never lets a batch win against a ref a concurrent refresh just moved', async () => {
    const [mine, theirs] = drivers as [PostgresStorageDriver, PostgresStorageDriver];
    await mine.createRepository('refreshing');
    const local = (await mine.openRepository('refreshing')) as PostgresRepository;
    const base = local.objects.put('blob', Buffer.from('base'));
    local.refs.update({ name: MAIN, expect: null, next: base });
    await local.refs.flush();
    const remote = await theirs.openRepository('refreshing');
    const winner = remote.objects.put('blob', Buffer.from('winner'));
    remote.refs.update({ name: MAIN, expect: base, next: winner });
    await remote.refs.flush(); // acknowledged: the database holds `winner`

    // The refresh starts first (its queries are in flight), then a local write built on `base`
    // is sealed behind it.
    const refreshed = local.refresh([MAIN]);
    const loser = local.objects.put('blob', Buffer.from('loser'));
    expect(local.refs.update({ name: MAIN, expect: base, next: loser }).status).toBe('ok');
    const outcome = await local.refs.flush().then(
      () => 'acknowledged',
      (error: unknown) => error,
    );
    await refreshed;

    expect(outcome).toBeInstanceOf(ConcurrentUpdateError);
    const stored = await database.query(
      'SELECT oid FROM govc_refs WHERE repo_id = $1 AND name = $2',
      ['refreshing', MAIN],
    );
    expect(stored).toEqual([{ oid: winner }]);
    expect(local.refs.read(MAIN)).toMatchObject({ kind: 'direct', oid: winner });
  });

  it('finishes while a losing batch and a queued refresh are still being worked off', async () => {
    const [mine, theirs] = drivers as [PostgresStorageDriver, PostgresStorageDriver];
    await mine.createRepository('closing');
    const local = (await mine.openRepository('closing')) as PostgresRepository;
    const base = local.objects.put('blob', Buffer.from('base'));
    local.refs.update({ name: MAIN, expect: null, next: base });
    await local.refs.flush();

    const remote = await theirs.openRepository('closing');
    const winner = remote.objects.put('blob', Buffer.from('winner'));
    remote.refs.update({ name: MAIN, expect: base, next: winner });
    await remote.refs.flush();

    // Built on `base`, which the database no longer holds: this batch loses its CAS.
    const loser = local.objects.put('blob', Buffer.from('loser'));
    local.refs.update({ name: MAIN, expect: base, next: loser });
    const losing = local.refs.flush().catch((error: unknown) => error);
    const refreshed = local.refresh('all');
    const closed = mine.closeRepository('closing');

    expect(await losing).toBeInstanceOf(ConcurrentUpdateError);
    await refreshed;
    await closed;
    const reopened = await mine.openRepository('closing');
    expect(reopened.refs.read(MAIN)).toMatchObject({ kind: 'direct', oid: winner });
  });
});
