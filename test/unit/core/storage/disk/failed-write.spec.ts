/**
 * A failed fsync or write (RELIABILITY P1, B3): the flush it covered rejects with
 * StorageUnavailableError, and from then on nothing is acknowledged — not later flushes, not
 * other repositories, not metadata, not the health probe. A restart recovers every flush that
 * was acknowledged before.
 */
import { StorageUnavailableError } from '../../../../../src/core/errors/storage-errors';
import type { Oid } from '../../../../../src/core/objects/oid';
import { InstrumentedFileSystem, openDriver, scratchDirectory } from './disk-fixtures';

const failures = [
  {
    what: 'fdatasync fails with EIO',
    arm: (fs: InstrumentedFileSystem) => (fs.failDatasync = (path) => path.includes('journal')),
  },
  {
    what: 'write fails with ENOSPC',
    arm: (fs: InstrumentedFileSystem) => (fs.failWrite = (path) => path.includes('journal')),
  },
];

describe.each(failures)('when a journal $what', ({ arm }) => {
  let dir: { path: string; cleanup: () => void };

  beforeEach(() => {
    dir = scratchDirectory({ fast: true });
  });

  afterEach(() => dir.cleanup());

  it('refuses that flush and every later write, and a restart keeps what was acknowledged', async () => {
    const fs = new InstrumentedFileSystem();
    const driver = await openDriver(dir.path, { fs });
    await driver.createRepository('failing');
    await driver.createRepository('other');
    const stores = await driver.openRepository('failing');
    const other = await driver.openRepository('other');
    const acked: Oid[] = [];
    for (let i = 0; i < 3; i++) {
      const oid = stores.objects.put('blob', Buffer.from(`acked ${i}`));
      stores.refs.update({
        name: 'refs/heads/main',
        expect: acked[acked.length - 1] ?? null,
        next: oid,
      });
      await stores.refs.flush();
      acked.push(oid);
    }

    arm(fs);
    stores.objects.put('blob', Buffer.from('never acknowledged'));
    const failure = await stores.objects.flush().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect(failure).toMatchObject({ code: 'STORAGE_UNAVAILABLE', kind: 'unavailable' });

    // Even with the disk healthy again, nothing is acknowledged until a restart.
    fs.failDatasync = () => false;
    fs.failWrite = () => false;
    stores.objects.put('blob', Buffer.from('later'));
    await expect(stores.objects.flush()).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(stores.refs.flush()).rejects.toBeInstanceOf(StorageUnavailableError);
    other.objects.put('blob', Buffer.from('other repository'));
    await expect(other.objects.flush()).rejects.toBeInstanceOf(StorageUnavailableError);
    driver.metadata.put('users', 'u', { name: 'u' });
    await expect(driver.metadata.flush()).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(driver.probe()).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(driver.createRepository('new')).rejects.toBeInstanceOf(StorageUnavailableError);
    await driver.close();

    const restarted = await openDriver(dir.path);
    const recovered = await restarted.openRepository('failing');
    for (const oid of acked) expect(recovered.objects.has(oid)).toBe(true);
    const main = recovered.refs.read('refs/heads/main');
    expect(main).toEqual({ name: 'refs/heads/main', kind: 'direct', oid: acked[2] });
    await expect(restarted.probe()).resolves.toBeUndefined();
    await restarted.close();
  });
});
