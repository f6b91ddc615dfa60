/**
 * Group commit (RELIABILITY P1, B2): concurrent flushes share fdatasyncs, and no flush resolves
 * before the fdatasync that covers its record has returned.
 */
import { StorageUnavailableError } from '../../../../../src/core/errors/storage-errors';
import { InstrumentedFileSystem, openDriver, scratchDirectory } from './disk-fixtures';

describe('group commit', () => {
  let dir: { path: string; cleanup: () => void };

  beforeEach(() => {
    dir = scratchDirectory();
  });

  afterEach(() => dir.cleanup());

  it('acknowledges 100 concurrent flushes with far fewer fdatasyncs, none before its fdatasync', async () => {
    const fs = new InstrumentedFileSystem();
    const driver = await openDriver(dir.path, { fs });
    await driver.createRepository('group');
    const stores = await driver.openRepository('group');
    let release!: () => void;
    fs.datasyncGate = new Promise<void>((resolve) => (release = resolve));

    const acked: number[] = [];
    const flushes = Array.from({ length: 100 }, (_, i) => {
      stores.objects.put('blob', Buffer.from(`writer ${i}`));
      return stores.objects.flush().then(() => void acked.push(i));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(acked).toEqual([]);
    expect(fs.count('datasync', 'journal')).toBe(0);

    release();
    await Promise.all(flushes);
    expect(acked).toHaveLength(100);
    const datasyncs = fs.count('datasync', 'journal');
    expect(datasyncs).toBeGreaterThanOrEqual(1);
    expect(datasyncs).toBeLessThanOrEqual(5);
    await driver.close();

    const reopened = await openDriver(dir.path);
    expect((await reopened.openRepository('group')).objects.size).toBe(100);
    await reopened.close();
  });

  it('groups flushes of several repositories per journal', async () => {
    const fs = new InstrumentedFileSystem();
    const driver = await openDriver(dir.path, { fs });
    const ids = ['r1', 'r2', 'r3', 'r4'];
    for (const id of ids) await driver.createRepository(id);
    const all = await Promise.all(ids.map((id) => driver.openRepository(id)));
    const flushes = all.flatMap((stores, r) =>
      Array.from({ length: 25 }, (_, i) => {
        stores.objects.put('blob', Buffer.from(`repo ${r} writer ${i}`));
        return stores.objects.flush();
      }),
    );
    await Promise.all(flushes);
    const datasyncs = fs.count('datasync', 'journal');
    expect(datasyncs).toBeGreaterThanOrEqual(ids.length);
    expect(datasyncs).toBeLessThanOrEqual(ids.length * 5);
    await driver.close();
  });

  it('resolves an empty flush only once earlier records are durable', async () => {
    const fs = new InstrumentedFileSystem();
    const driver = await openDriver(dir.path, { fs });
    await driver.createRepository('empty');
    const stores = await driver.openRepository('empty');
    let release!: () => void;
    fs.datasyncGate = new Promise<void>((resolve) => (release = resolve));
    stores.objects.put('blob', Buffer.from('pending'));
    const writer = stores.objects.flush();
    let emptyDone = false;
    const empty = stores.refs.flush().then(() => (emptyDone = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(emptyDone).toBe(false);
    release();
    await Promise.all([writer, empty]);
    expect(emptyDone).toBe(true);
    await driver.close();
  });

  it('rejects flushes of a closed repository', async () => {
    const driver = await openDriver(dir.path);
    await driver.createRepository('closed');
    const stores = await driver.openRepository('closed');
    await driver.closeRepository('closed');
    stores.objects.put('blob', Buffer.from('too late'));
    await expect(stores.objects.flush()).rejects.toBeInstanceOf(StorageUnavailableError);
    await driver.close();
  });
});
