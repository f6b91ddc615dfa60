/**
 * Helpers for the disk driver's unit tests: scratch directories, a logger that keeps its lines,
 * and a file system wrapper (over the real one) that records every durability-relevant call
 * and can hold or fail fsyncs and writes on request.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DiskStorageDriver,
  type DiskStorageOptions,
} from '../../../../../src/core/storage/disk/disk-storage-driver';
import {
  nodeFileSystem,
  type FileHandle,
  type FileSystem,
} from '../../../../../src/core/storage/disk/file-system';
import type { StorageLogger } from '../../../../../src/core/storage/storage-driver';

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export function capturingLogger(): StorageLogger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message, details) =>
      void lines.push({ level: 'info', message, ...(details ? { details } : {}) }),
    warn: (message, details) =>
      void lines.push({ level: 'warn', message, ...(details ? { details } : {}) }),
    error: (message, details) =>
      void lines.push({ level: 'error', message, ...(details ? { details } : {}) }),
  };
}

/** A scratch directory; `fast` puts it on tmpfs when there is one (no real fsync cost). */
export function scratchDirectory(options: { fast?: boolean } = {}): {
  path: string;
  cleanup: () => void;
} {
  const base = options.fast === true && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const path = mkdtempSync(join(base, 'govc-disk-unit-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export async function openDriver(
  path: string,
  options: Partial<DiskStorageOptions> = {},
): Promise<DiskStorageDriver> {
  const driver = new DiskStorageDriver({ path, logger: capturingLogger(), ...options });
  await driver.open();
  return driver;
}

export type FsOperation =
  | { readonly op: 'open'; readonly path: string; readonly flags: string }
  | { readonly op: 'write' | 'datasync' | 'sync'; readonly path: string }
  | { readonly op: 'rename'; readonly path: string; readonly to: string }
  | { readonly op: 'unlink' | 'syncDirectory'; readonly path: string };

function errnoError(code: string): Error {
  return Object.assign(new Error(`${code}: injected by the test`), { code });
}

/**
 * The real file system, instrumented: `operations` lists opens, writes, syncs, renames, unlinks
 * and directory syncs in order. `failDatasync` / `failWrite` decide per call (with the file's
 * path) whether to fail it with EIO / ENOSPC; `datasyncGate` is awaited before every datasync.
 */
export class InstrumentedFileSystem implements FileSystem {
  readonly operations: FsOperation[] = [];
  failDatasync: (path: string) => boolean = () => false;
  failWrite: (path: string) => boolean = () => false;
  datasyncGate: Promise<void> = Promise.resolve();

  constructor(private readonly base: FileSystem = nodeFileSystem) {}

  count(op: FsOperation['op'], pathPart = ''): number {
    return this.operations.filter((entry) => entry.op === op && entry.path.includes(pathPart))
      .length;
  }

  async open(path: string, flags: string, mode?: number): Promise<FileHandle> {
    this.operations.push({ op: 'open', path, flags });
    const handle = await this.base.open(path, flags, mode);
    return {
      write: async (buffer, offset, length, position) => {
        this.operations.push({ op: 'write', path });
        if (this.failWrite(path)) throw errnoError('ENOSPC');
        return handle.write(buffer, offset, length, position);
      },
      read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
      datasync: async () => {
        await this.datasyncGate;
        this.operations.push({ op: 'datasync', path });
        if (this.failDatasync(path)) throw errnoError('EIO');
        return handle.datasync();
      },
      sync: async () => {
        this.operations.push({ op: 'sync', path });
        return handle.sync();
      },
      truncate: (length) => handle.truncate(length),
      size: () => handle.size(),
      close: () => handle.close(),
    };
  }

  readFile(path: string): Promise<Buffer> {
    return this.base.readFile(path);
  }

  async rename(from: string, to: string): Promise<void> {
    this.operations.push({ op: 'rename', path: from, to });
    return this.base.rename(from, to);
  }

  link(from: string, to: string): Promise<void> {
    return this.base.link(from, to);
  }

  async unlink(path: string): Promise<void> {
    this.operations.push({ op: 'unlink', path });
    return this.base.unlink(path);
  }

  mkdir(path: string): Promise<string | undefined> {
    return this.base.mkdir(path);
  }

  remove(path: string): Promise<void> {
    return this.base.remove(path);
  }

  list(path: string): ReturnType<FileSystem['list']> {
    return this.base.list(path);
  }

  stat(path: string): ReturnType<FileSystem['stat']> {
    return this.base.stat(path);
  }

  async syncDirectory(path: string): Promise<void> {
    this.operations.push({ op: 'syncDirectory', path });
    return this.base.syncDirectory(path);
  }
}
