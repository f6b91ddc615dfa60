/**
 * The postgres driver against the shared storage contracts, with reopen: each "restart" closes
 * the driver and opens a new one on the same database (for repositories: loads them in a second
 * driver). One database per run of this file, created and dropped here; each repository harness
 * gets a fresh repository in it, and the metadata and driver harnesses start from empty tables.
 */
import type { PostgresStorageDriver } from '../../src/core/storage/postgres/postgres-storage-driver';
import type { RepositoryStores } from '../../src/core/storage/storage-driver';
import {
  createTestDatabase,
  openPostgresDriver,
  postgresAvailable,
  type TestDatabase,
} from '../unit/core/storage/postgres/postgres-fixtures';
import { describeMetadataStore } from './metadata-store.contract';
import { describeObjectStore } from './object-store.contract';
import { describeRefStore } from './ref-store.contract';
import type { StoreFactory } from './store-harness';
import { describeStorageDriver } from './storage-driver.contract';

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

describeWithPostgres('postgres storage', () => {
  let database: TestDatabase;
  /** Two long-lived drivers on one database: a reopen moves a repository from one to the other. */
  let drivers: [PostgresStorageDriver, PostgresStorageDriver];
  let repositories = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    drivers = [await openPostgresDriver(database.url), await openPostgresDriver(database.url)];
  });

  afterAll(async () => {
    await Promise.all(drivers.map((driver) => driver.close()));
    await database.drop();
  });

  /**
   * A fresh repository; reopen = close it in the driver holding it (which flushes) and load it
   * in the other driver, which has never had it in memory: what a restarted process would read.
   * Restarting whole drivers is covered by the driver and metadata contracts below.
   */
  function repositoryHarness<S>(pick: (stores: RepositoryStores) => S): StoreFactory<S> {
    return async () => {
      const id = `contract-${++repositories}`;
      let holder = 0;
      await drivers[0].createRepository(id);
      return {
        store: pick(await drivers[0].openRepository(id)),
        reopen: async () => {
          await drivers[holder]!.closeRepository(id);
          holder = 1 - holder;
          return pick(await drivers[holder]!.openRepository(id));
        },
        cleanup: () => drivers[holder]!.closeRepository(id),
      };
    };
  }

  describeObjectStore(
    'postgres',
    repositoryHarness((stores) => stores.objects),
    { propertyRuns: 10 },
  );
  describeRefStore(
    'postgres',
    repositoryHarness((stores) => stores.refs),
    { raceRuns: 12 },
  );

  describeMetadataStore('postgres', async () => {
    await database.query('TRUNCATE govc_metadata, govc_secrets');
    let driver = await openPostgresDriver(database.url);
    return {
      store: driver.metadata,
      reopen: async () => {
        await driver.close();
        driver = await openPostgresDriver(database.url);
        return driver.metadata;
      },
      cleanup: () => driver.close(),
    };
  });

  describeStorageDriver('postgres', async () => {
    await database.query('TRUNCATE govc_repositories CASCADE');
    let driver = await openPostgresDriver(database.url);
    return {
      driver,
      reopen: async () => {
        await driver.close();
        driver = await openPostgresDriver(database.url);
        return driver;
      },
      cleanup: () => driver.close(),
    };
  });
});
