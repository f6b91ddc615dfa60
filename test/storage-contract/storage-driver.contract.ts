/**
 * The contract every StorageDriver (memory, disk, postgres) must pass: repository lifecycle
 * (create, list, open, close, delete), the errors each step reports, and — for durable drivers
 * — that repositories, their content and their deletion survive closing the driver and opening
 * a new one on the same storage.
 */
import {
  InvalidRepoIdError,
  RepoExistsError,
  RepoNotFoundError,
} from '../../src/core/errors/storage-errors';
import type { StorageDriver } from '../../src/core/storage/storage-driver';

export interface DriverHarness {
  readonly driver: StorageDriver;
  /** Closes the driver and opens a new one on the same storage (durable drivers only). */
  readonly reopen?: () => Promise<StorageDriver>;
  readonly cleanup: () => Promise<void>;
}

export function describeStorageDriver(name: string, factory: () => Promise<DriverHarness>): void {
  describe(`StorageDriver contract: ${name}`, () => {
    let harness: DriverHarness;
    let driver: StorageDriver;

    beforeEach(async () => {
      harness = await factory();
      driver = harness.driver;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    it('starts without repositories and answers a health probe', async () => {
      await expect(driver.listRepositories()).resolves.toEqual([]);
      await expect(driver.probe()).resolves.toBeUndefined();
    });

    it('creates repositories, lists them sorted, and refuses a second create', async () => {
      await driver.createRepository('beta');
      await driver.createRepository('Alpha-1');
      await expect(driver.createRepository('beta')).rejects.toBeInstanceOf(RepoExistsError);
      await expect(driver.listRepositories()).resolves.toEqual(['Alpha-1', 'beta']);
      expect(typeof driver.repositoryLocator('beta')).toBe('string');
    });

    it('refuses ids that do not match the contract pattern', async () => {
      for (const bad of ['', '../x', 'a/b', '-x', 'x'.repeat(65), 'a.git', 'é']) {
        await expect(driver.createRepository(bad)).rejects.toBeInstanceOf(InvalidRepoIdError);
      }
      await expect(driver.listRepositories()).resolves.toEqual([]);
    });

    it('opens a new repository empty, and returns the same stores while it is open', async () => {
      await driver.createRepository('repo');
      const first = await driver.openRepository('repo');
      expect(first.objects.size).toBe(0);
      expect(first.refs.list('')).toEqual([]);
      const second = await driver.openRepository('repo');
      expect(second.objects).toBe(first.objects);
      expect(second.refs).toBe(first.refs);
    });

    it('reports unknown repositories as not found', async () => {
      await expect(driver.openRepository('missing')).rejects.toBeInstanceOf(RepoNotFoundError);
      await expect(driver.openRepository('../etc')).rejects.toBeInstanceOf(RepoNotFoundError);
      await expect(driver.deleteRepository('missing')).rejects.toBeInstanceOf(RepoNotFoundError);
    });

    it('deletes a repository with its content', async () => {
      await driver.createRepository('doomed');
      const stores = await driver.openRepository('doomed');
      stores.objects.put('blob', Buffer.from('content'));
      await stores.objects.flush();
      await driver.deleteRepository('doomed');
      await expect(driver.listRepositories()).resolves.toEqual([]);
      await expect(driver.openRepository('doomed')).rejects.toBeInstanceOf(RepoNotFoundError);
      await driver.createRepository('doomed');
      expect((await driver.openRepository('doomed')).objects.size).toBe(0);
    });

    it("keeps a closed repository's content for the next open", async () => {
      await driver.createRepository('kept');
      const stores = await driver.openRepository('kept');
      const oid = stores.objects.put('blob', Buffer.from('kept'));
      stores.refs.update({ name: 'refs/heads/main', expect: null, next: oid });
      await stores.refs.flush();
      await driver.closeRepository('kept');
      const again = await driver.openRepository('kept');
      expect(again.objects.has(oid)).toBe(true);
      expect(again.refs.read('refs/heads/main')).toEqual({
        name: 'refs/heads/main',
        kind: 'direct',
        oid,
      });
    });

    it('keeps repositories, their content and deletions across a reopen (durable drivers)', async () => {
      if (harness.reopen === undefined) {
        expect(driver.durable).toBe(false);
        return;
      }
      expect(driver.durable).toBe(true);
      await driver.createRepository('one');
      await driver.createRepository('two');
      const one = await driver.openRepository('one');
      const oid = one.objects.put('blob', Buffer.from('durable'));
      one.refs.update({ name: 'refs/heads/main', expect: null, next: oid });
      one.refs.setSymbolic('HEAD', 'refs/heads/main');
      await one.refs.flush();
      await driver.deleteRepository('two');
      const reopened = await harness.reopen();
      await expect(reopened.listRepositories()).resolves.toEqual(['one']);
      const loaded = await reopened.openRepository('one');
      expect(loaded.objects.get(oid)?.type).toBe('blob');
      expect(loaded.refs.read('HEAD')).toEqual({
        name: 'HEAD',
        kind: 'symbolic',
        target: 'refs/heads/main',
      });
    });
  });
}
