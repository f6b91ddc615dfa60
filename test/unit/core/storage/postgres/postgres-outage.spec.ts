/**
 * The database going away (RELIABILITY I1, small): while it is unreachable or stalled, flushes
 * and probes fail with StorageUnavailableError within the statement timeout instead of hanging;
 * once it is back, the pool reconnects by itself, the failed unit of work is written by the
 * next flush, and the NOTIFY listener resumes and resyncs. Connections go through a TCP proxy
 * the test controls, so the shared server is never touched.
 */
import { StorageUnavailableError } from '../../../../../src/core/errors/storage-errors';
import type { PostgresStorageDriver } from '../../../../../src/core/storage/postgres/postgres-storage-driver';
import {
  createTestDatabase,
  openPostgresDriver,
  postgresAvailable,
  startDatabaseProxy,
  type DatabaseProxy,
  type TestDatabase,
} from './postgres-fixtures';

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;
const TIMEOUT_MS = 800;
const MAIN = 'refs/heads/main';

async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describeWithPostgres('postgres outage', () => {
  let database: TestDatabase;
  let proxy: DatabaseProxy;
  let driver: PostgresStorageDriver;
  let direct: PostgresStorageDriver;

  beforeEach(async () => {
    database = await createTestDatabase();
    proxy = await startDatabaseProxy();
    driver = await openPostgresDriver(proxy.url(database.name), { statementTimeoutMs: TIMEOUT_MS });
    direct = await openPostgresDriver(database.url);
  });

  afterEach(async () => {
    await proxy.up();
    await driver.close().catch(() => undefined);
    await direct.close();
    await proxy.close();
    await database.drop();
  });

  it.each(['down', 'stalled'] as const)(
    'refuses writes promptly while the database is %s, and recovers without a restart',
    async (mode) => {
      await driver.createRepository('outage');
      const stores = await driver.openRepository('outage');
      const first = stores.objects.put('blob', Buffer.from('before'));
      stores.refs.update({ name: MAIN, expect: null, next: first });
      await stores.refs.flush();

      if (mode === 'down') await proxy.down();
      else proxy.stall();
      const second = stores.objects.put('blob', Buffer.from('during'));
      stores.refs.update({ name: MAIN, expect: first, next: second });
      const started = Date.now();
      const failure = await stores.refs.flush().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StorageUnavailableError);
      await expect(driver.probe()).rejects.toBeInstanceOf(StorageUnavailableError);
      expect(Date.now() - started).toBeLessThan(3 * TIMEOUT_MS + 1500);

      // Meanwhile another node moves a different ref; its NOTIFY cannot reach us now.
      const other = await direct.openRepository('outage');
      other.refs.update({ name: 'refs/heads/other', expect: null, next: first });
      await other.refs.flush();

      await proxy.up();
      await eventually(
        () =>
          driver.probe().then(
            () => true,
            () => false,
          ),
        5000,
      );
      await stores.refs.flush();
      const stored = await database.query(
        'SELECT oid FROM govc_refs WHERE repo_id = $1 AND name = $2',
        ['outage', MAIN],
      );
      expect(stored).toEqual([{ oid: second }]);
      const objects = await database.query(
        'SELECT count(*)::int AS n FROM govc_objects WHERE repo_id = $1',
        ['outage'],
      );
      expect(objects).toEqual([{ n: 2 }]);
      // The listener came back and resynced what it missed.
      await eventually(() => stores.refs.read('refs/heads/other') !== undefined, 8000);
    },
  );
});
