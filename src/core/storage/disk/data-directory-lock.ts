/**
 * Keeps two server processes off one data directory: `<storage.path>/govc.pid` holds the pid of
 * the process using it. A file left by a process that is gone (killed, crashed) is taken over;
 * one held by a live process refuses the start. The same process may open the directory again
 * (tests reopen a driver in-process).
 */
import { join } from 'node:path';
import { StorageUnavailableError } from '../../errors/storage-errors';
import { writeFileDurably } from './durable-file';
import { isNotFoundError, type FileSystem } from './file-system';

const LOCK_FILE = 'govc.pid';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}

export async function acquireDataDirectoryLock(
  fs: FileSystem,
  root: string,
  tempDir: string,
): Promise<void> {
  const path = join(root, LOCK_FILE);
  try {
    const holder = Number((await fs.readFile(path)).toString('utf8').trim());
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new StorageUnavailableError(`data directory ${root} is in use by process ${holder}`);
    }
  } catch (error: unknown) {
    if (!isNotFoundError(error)) throw error;
  }
  await writeFileDurably(fs, tempDir, { path, data: `${process.pid}\n` });
}

export async function releaseDataDirectoryLock(fs: FileSystem, root: string): Promise<void> {
  const path = join(root, LOCK_FILE);
  try {
    if (Number((await fs.readFile(path)).toString('utf8').trim()) === process.pid)
      await fs.unlink(path);
  } catch (error: unknown) {
    if (!isNotFoundError(error)) throw error;
  }
}
