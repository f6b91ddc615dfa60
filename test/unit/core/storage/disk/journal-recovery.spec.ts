/**
 * Recovery from the journal: a torn tail (the end of the last segment cut anywhere) loses only
 * records that were never complete, is logged once, and later appends work; a corrupt record
 * before the tail, or a pack that does not verify, refuses that repository with REPO_CORRUPT
 * while the other repositories open.
 */
import fc from 'fast-check';
import { cpSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RepositoryCorruptError } from '../../../../../src/core/errors/storage-errors';
import type { DiskStorageDriver } from '../../../../../src/core/storage/disk/disk-storage-driver';
import type { Oid } from '../../../../../src/core/objects/oid';
import { fcParams } from '../../../../support/fast-check';
import { capturingLogger, openDriver, scratchDirectory } from './disk-fixtures';

const MAIN = 'refs/heads/main';

function journalSegments(root: string, repo: string): string[] {
  const dir = join(root, 'repos', `${repo}.git`, 'govc', 'journal');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.journal'))
    .sort()
    .map((name) => join(dir, name));
}

/** `count` acknowledged flushes, each a new blob and main moved to it; returns the blob ids. */
async function writeFlushes(
  driver: DiskStorageDriver,
  repo: string,
  count: number,
  onFlushed?: () => void,
): Promise<Oid[]> {
  const stores = await driver.openRepository(repo);
  const oids: Oid[] = [];
  for (let i = 0; i < count; i++) {
    const previous = oids[oids.length - 1] ?? null;
    const oid = stores.objects.put('blob', Buffer.from(`flush ${i} of ${repo}\n`.repeat(i + 1)));
    stores.refs.update({ name: MAIN, expect: previous, next: oid });
    await stores.refs.flush();
    oids.push(oid);
    onFlushed?.();
  }
  return oids;
}

describe('journal recovery', () => {
  describe('a torn tail', () => {
    const source = scratchDirectory({ fast: true });
    let driver: DiskStorageDriver;
    let oids: Oid[];
    /** Segment size after each acknowledged flush: where each record ends. */
    const boundaries: number[] = [];

    beforeAll(async () => {
      driver = await openDriver(source.path);
      await driver.createRepository('torn');
      oids = await writeFlushes(driver, 'torn', 8, () => {
        boundaries.push(statSync(journalSegments(source.path, 'torn')[0]!).size);
      });
      // The driver stays open: the copies below are what a crash right now would leave.
    });

    afterAll(async () => {
      await driver.close();
      source.cleanup();
    });

    it('keeps every record before the cut, drops the rest with one log line, and appends after it', async () => {
      const total = boundaries[boundaries.length - 1]!;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: total }), async (cut) => {
          const copy = scratchDirectory({ fast: true });
          try {
            cpSync(source.path, copy.path, { recursive: true });
            const [segment] = journalSegments(copy.path, 'torn');
            truncateSync(segment!, cut);
            const logger = capturingLogger();
            let reopened = await openDriver(copy.path, { logger });
            const stores = await reopened.openRepository('torn');
            const survivors = boundaries.filter((end) => end <= cut).length;
            const main = stores.refs.read(MAIN);
            expect(main?.kind === 'direct' ? main.oid : null).toBe(
              survivors === 0 ? null : oids[survivors - 1],
            );
            oids.forEach((oid, i) => expect(stores.objects.has(oid)).toBe(i < survivors));
            const torn = logger.lines.filter((line) => line.message.includes('torn journal tail'));
            const atBoundary = cut === 0 || boundaries.includes(cut);
            expect(torn).toHaveLength(atBoundary ? 0 : 1);

            // Appending after the dropped tail: the new record survives the next restart.
            const next = stores.objects.put('blob', Buffer.from(`after cut ${cut}`));
            stores.refs.update({
              name: MAIN,
              expect: main?.kind === 'direct' ? main.oid : null,
              next,
            });
            await stores.refs.flush();
            await reopened.close();
            reopened = await openDriver(copy.path);
            const again = await reopened.openRepository('torn');
            expect(again.refs.read(MAIN)).toEqual({ name: MAIN, kind: 'direct', oid: next });
            await reopened.close();
          } finally {
            copy.cleanup();
          }
        }),
        fcParams(12),
      );
    });
  });

  describe('corruption', () => {
    let dir: { path: string; cleanup: () => void };

    beforeEach(() => {
      dir = scratchDirectory({ fast: true });
    });

    afterEach(() => dir.cleanup());

    it('refuses a repository whose journal is damaged before the tail; the others open', async () => {
      let driver = await openDriver(dir.path);
      await driver.createRepository('bad');
      await driver.createRepository('good');
      const bad = await writeFlushes(driver, 'bad', 4);
      const good = await writeFlushes(driver, 'good', 2);
      const [segment] = journalSegments(dir.path, 'bad');
      const bytes = readFileSync(segment!);
      // A byte in the payload of the second of four records.
      const secondRecordMiddle = Math.floor(bytes.length / 4) + 40;
      bytes[secondRecordMiddle] = bytes[secondRecordMiddle]! ^ 0xff;
      writeFileSync(segment!, bytes);

      driver = await openDriver(dir.path);
      const failure = await driver.openRepository('bad').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RepositoryCorruptError);
      expect((failure as RepositoryCorruptError).code).toBe('REPO_CORRUPT');
      expect((failure as RepositoryCorruptError).kind).toBe('unavailable');
      expect((failure as RepositoryCorruptError).message).toMatch(/before acknowledged records/);
      const stores = await driver.openRepository('good');
      expect(stores.refs.read(MAIN)).toEqual({ name: MAIN, kind: 'direct', oid: good[1] });
      expect(bad).toHaveLength(4);
      await driver.close();
    });

    it('refuses a repository whose pack does not verify', async () => {
      let driver = await openDriver(dir.path);
      await driver.createRepository('packed');
      await writeFlushes(driver, 'packed', 3);
      await driver.close();
      const packDir = join(dir.path, 'repos', 'packed.git', 'objects', 'pack');
      const pack = join(
        packDir,
        readdirSync(packDir).find((name) => name.endsWith('.pack'))!,
      );
      const bytes = readFileSync(pack);
      bytes[20] = bytes[20]! ^ 0x01;
      writeFileSync(pack, bytes);

      driver = await openDriver(dir.path);
      await expect(driver.openRepository('packed')).rejects.toMatchObject({ code: 'REPO_CORRUPT' });
      // Refused again on the next try, not cached as half-loaded.
      await expect(driver.openRepository('packed')).rejects.toBeInstanceOf(RepositoryCorruptError);
      await driver.close();
    });
  });
});
