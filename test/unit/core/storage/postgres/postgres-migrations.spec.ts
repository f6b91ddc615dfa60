/**
 * Schema migrations: applied once even when several nodes start at the same time (advisory
 * lock), recorded in govc_schema_migrations, a no-op when run again, and all-or-nothing when a
 * migration fails.
 */
import { Pool } from 'pg';
import { migrate, MIGRATIONS } from '../../../../../src/core/storage/postgres/postgres-migrations';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './postgres-fixtures';

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

describeWithPostgres('postgres migrations', () => {
  let database: TestDatabase;
  let pools: Pool[];

  beforeEach(async () => {
    database = await createTestDatabase();
    pools = Array.from({ length: 3 }, () => new Pool({ connectionString: database.url, max: 2 }));
  });

  afterEach(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.drop();
  });

  it('applies each migration exactly once when nodes start together, and nothing the second time', async () => {
    const applied = await Promise.all(pools.map((pool) => migrate(pool)));
    expect(applied.flat().sort()).toEqual(MIGRATIONS.map((migration) => migration.version));
    await expect(migrate(pools[0]!)).resolves.toEqual([]);
    const rows = await database.query(
      'SELECT version FROM govc_schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(MIGRATIONS.map((migration) => ({ version: migration.version })));
    const tables = await database.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'govc_%' ORDER BY table_name",
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      'govc_metadata',
      'govc_objects',
      'govc_reflog',
      'govc_refs',
      'govc_repositories',
      'govc_schema_migrations',
      'govc_secrets',
    ]);
  });

  it('leaves the schema unchanged when a migration fails', async () => {
    await migrate(pools[0]!);
    const broken = [
      ...MIGRATIONS,
      {
        version: 999,
        name: 'broken',
        statements: ['CREATE TABLE govc_half (x int)', 'SELECT no_such_function()'],
      },
    ];
    await expect(migrate(pools[0]!, broken)).rejects.toThrow(/no_such_function/);
    expect(await database.query("SELECT to_regclass('govc_half') AS t")).toEqual([{ t: null }]);
    expect(await database.query('SELECT max(version) AS v FROM govc_schema_migrations')).toEqual([
      { v: MIGRATIONS.length },
    ]);
  });
});
