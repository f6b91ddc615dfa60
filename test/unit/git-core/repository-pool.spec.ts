/**
 * The repository pool in the registry (api-contract.md §10.2) over a real disk driver: capacity
 * eviction of the least recently used repository, idle and forced cleanups, 503 POOL_FULL when
 * nothing can go, and the repositories that never go (memory_only, pinned, holding working-tree
 * changes). Every eviction is followed by a reload that must find everything acknowledged.
 * The postgres driver's close and reopen of one repository get the same check.
 */
import { PoolFullError } from '../../../src/modules/git-core/capacity-errors';
import { scratchDirectory } from '../core/storage/disk/disk-fixtures';
import {
  createTestDatabase,
  postgresAvailable,
  type TestDatabase,
} from '../core/storage/postgres/postgres-fixtures';
import { commit, history, startRegistry, type RegistryFixture } from './registry-fixture';

describe('repository pool', () => {
  let dir: { path: string; cleanup: () => void };
  let fixture: RegistryFixture;

  async function start(env: Record<string, string> = {}): Promise<RegistryFixture> {
    fixture = await startRegistry({
      GOVC_STORAGE_DRIVER: 'disk',
      GOVC_STORAGE_PATH: dir.path,
      GOVC_POOL_MAX_REPOSITORIES: '2',
      ...env,
    });
    return fixture;
  }

  const loaded = (): string[] => fixture.registry.poolStats().repositories.map((r) => r.id);
  const create = (id: string, memoryOnly = false) =>
    fixture.registry.create({ id, memoryOnly, public: false });

  beforeEach(() => {
    dir = scratchDirectory({ fast: true });
  });

  afterEach(async () => {
    await fixture.close();
    dir.cleanup();
  });

  it('evicts the least recently used repository at capacity and reloads it intact', async () => {
    const { registry } = await start();
    const unloaded: string[] = [];
    registry.onUnload((id) => unloaded.push(id));
    await create('a');
    const a1 = await commit(registry, 'a', { 'a.txt': 'one' });
    await create('b');
    await commit(registry, 'b', { 'b.txt': 'one' });
    await registry.open('a'); // b is now the least recently used
    await create('c');
    expect(loaded()).toEqual(['a', 'c']);

    const b2 = await commit(registry, 'b', { 'b.txt': 'two' }); // reloads b, evicts a
    expect(loaded()).toEqual(['b', 'c']);
    expect(await history(registry, 'a')).toEqual([a1]);
    expect((await history(registry, 'b'))[0]).toBe(b2);
    expect(registry.poolStats().evictionsTotal).toBe(3);
    expect(unloaded).toEqual(['b', 'a', 'c']); // reading a brought it back, in place of c
  });

  it('never evicts memory_only repositories and answers POOL_FULL when nothing can go', async () => {
    const { registry } = await start();
    await create('m1', true);
    await create('m2', true);
    await expect(create('d')).rejects.toBeInstanceOf(PoolFullError);
    const stats = registry.poolStats().repositories;
    expect(stats.map((r) => [r.id, r.evictable])).toEqual([
      ['m1', false],
      ['m2', false],
    ]);
    expect(await registry.cleanup({ force: true, reason: 'manual' })).toBe(0);
    // The refused create left nothing behind.
    expect(registry.list().map((record) => record.id)).toEqual(['m1', 'm2']);
  });

  it('keeps pinned repositories and those with working-tree changes', async () => {
    const { registry } = await start();
    await create('p');
    await create('w');
    await registry.write('w', ({ repository }) => repository.write('draft.txt', 'not committed'));
    const release = registry.pin('p');
    expect(registry.poolStats().repositories.map((r) => [r.id, r.pinned, r.dirty])).toEqual([
      ['p', true, false],
      ['w', false, true],
    ]);
    await expect(create('x')).rejects.toMatchObject({ code: 'POOL_FULL' });
    expect(await registry.cleanup({ force: true, reason: 'manual' })).toBe(0);

    release();
    release(); // a second release does nothing
    await create('x');
    expect(loaded()).toEqual(['w', 'x']);
    const { repository } = await registry.open('w');
    expect(repository.working.isPristine).toBe(false);
  });

  it('deletes a repository right after its eviction without disturbing the closing checkpoint', async () => {
    const { registry } = await start({ GOVC_POOL_MAX_REPOSITORIES: '10' });
    await create('gone');
    await commit(registry, 'gone', { 'a.txt': 'a'.repeat(100_000) });
    await create('other');
    expect(await registry.cleanup({ force: true, reason: 'manual' })).toBe(2);
    await registry.delete('gone'); // while its eviction's checkpoint may still be writing
    await create('gone');
    expect(await history(registry, 'gone')).toEqual([]);
    // Storage is still healthy: writes are acknowledged.
    await commit(registry, 'gone', { 'b.txt': 'b' });
    await commit(registry, 'other', { 'c.txt': 'c' });
    await expect(registry.probe()).resolves.toBeDefined();
  });

  it('holds repositories pinned by a pin source while it says so', async () => {
    const { registry } = await start();
    await create('s');
    let open = true;
    const unregister = registry.addPinSource((id) => id === 's' && open);
    expect(await registry.cleanup({ force: true, reason: 'manual' })).toBe(0);
    open = false;
    expect(await registry.cleanup({ force: true, reason: 'manual' })).toBe(1);
    unregister();
  });

  it('evicts only repositories idle for pool.max_idle_time, unless forced', async () => {
    const { registry } = await start({
      GOVC_POOL_MAX_REPOSITORIES: '10',
      GOVC_POOL_MAX_IDLE_TIME: '200ms',
    });
    await create('old');
    const kept = await commit(registry, 'old', { 'f.txt': 'x' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await create('new');
    expect(await registry.cleanup({ reason: 'idle' })).toBe(1);
    expect(loaded()).toEqual(['new']);
    expect(registry.poolStats().lastCleanup).toBeInstanceOf(Date);
    expect(await registry.cleanup({ force: true, reason: 'manual' })).toBe(1);
    expect(loaded()).toEqual([]);
    expect(await history(registry, 'old')).toEqual([kept]);
  });

  it('evicts least recently used repositories while the pool is above pool.max_memory', async () => {
    const { registry } = await start({
      GOVC_POOL_MAX_REPOSITORIES: '10',
      GOVC_POOL_MAX_MEMORY: '50KB',
    });
    for (const id of ['m1', 'm2', 'm3']) {
      await create(id);
      await commit(registry, id, { 'big.txt': id.repeat(10_000) }); // ≈ 20 KB each
    }
    const total = () =>
      registry.poolStats().repositories.reduce((sum, entry) => sum + entry.memoryBytes, 0);
    expect(total()).toBeGreaterThan(50_000);
    expect(await registry.cleanup({ reason: 'idle' })).toBe(1); // none idle; m1 is the oldest
    expect(loaded()).toEqual(['m2', 'm3']);
    expect(total()).toBeLessThanOrEqual(50_000);
  });

  it('loses no acknowledged commit when evictions race with writers', async () => {
    const { registry } = await start({ GOVC_POOL_MAX_REPOSITORIES: '3' });
    const ids = ['r0', 'r1', 'r2', 'r3', 'r4'];
    for (const id of ids) await create(id);
    const acked = new Map<string, string[]>(ids.map((id) => [id, []]));
    const writers = ids.map(async (id) => {
      for (let i = 0; i < 12; i++) {
        try {
          acked.get(id)!.push(await commit(registry, id, { [`f${i}.txt`]: `${id} ${i}` }));
        } catch (error: unknown) {
          // Three slots for five busy repositories: a load may find nothing evictable.
          expect(error).toBeInstanceOf(PoolFullError);
        }
      }
    });
    const cleaner = (async () => {
      for (let i = 0; i < 10; i++) {
        await registry.cleanup({ force: true, reason: 'manual' });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all([...writers, cleaner]);
    expect(registry.poolStats().evictionsTotal).toBeGreaterThan(0);
    await fixture.close();

    await start({ GOVC_POOL_MAX_REPOSITORIES: '10' });
    for (const id of ids) {
      const log = await history(fixture.registry, id);
      for (const oid of acked.get(id)!) expect(log).toContain(oid);
      expect(log).toHaveLength(acked.get(id)!.length);
    }
  });
});

const describeWithPostgres = postgresAvailable() ? describe : describe.skip;

describeWithPostgres('repository pool on postgres', () => {
  let database: TestDatabase;
  let fixture: RegistryFixture | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await fixture?.close();
    await database.drop();
  });

  it('closes and reloads a repository through the driver without losing a commit', async () => {
    fixture = await startRegistry({
      GOVC_STORAGE_DRIVER: 'postgres',
      GOVC_STORAGE_POSTGRES_URL: database.url,
      GOVC_POOL_MAX_REPOSITORIES: '1',
    });
    const { registry } = fixture;
    await registry.create({ id: 'one', memoryOnly: false, public: false });
    const first = await commit(registry, 'one', { 'a.txt': 'a' });
    await registry.create({ id: 'two', memoryOnly: false, public: false }); // evicts one
    expect(registry.poolStats().repositories.map((r) => r.id)).toEqual(['two']);
    const second = await commit(registry, 'one', { 'b.txt': 'b' }); // reloads one, evicts two
    expect(await history(registry, 'one')).toEqual([second, first]);
    expect(registry.poolStats().evictionsTotal).toBe(2);
  });
});
