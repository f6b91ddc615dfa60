/**
 * The few file operations the disk driver uses, as an interface: the real one is
 * `nodeFileSystem` (node:fs/promises); tests substitute one that counts fsyncs or fails them
 * (RELIABILITY B3, B4) without root or strace.
 */
import * as fs from 'node:fs/promises';

export interface FileHandle {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }>;
  /** fdatasync: data and the size, enough for an append-only journal. */
  datasync(): Promise<void>;
  /** fsync: data and all metadata. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface DirectoryEntry {
  readonly name: string;
  readonly isDirectory: boolean;
  readonly isFile: boolean;
}

export interface FileSystem {
  /** `flags` as node's: 'r', 'r+', 'w', 'wx' (exclusive create), 'a'. */
  open(path: string, flags: string, mode?: number): Promise<FileHandle>;
  readFile(path: string): Promise<Buffer>;
  rename(from: string, to: string): Promise<void>;
  /** Hard link: fails with EEXIST when `to` exists (an atomic exclusive create). */
  link(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Recursive; returns the first directory created, or undefined when it already existed. */
  mkdir(path: string): Promise<string | undefined>;
  /** Recursive and forced (no error when missing). */
  remove(path: string): Promise<void>;
  list(path: string): Promise<DirectoryEntry[]>;
  /** Undefined when nothing is there. */
  stat(path: string): Promise<{ readonly size: number; readonly isDirectory: boolean } | undefined>;
  /** fsync of a directory: makes the names created, renamed or removed in it durable. */
  syncDirectory(path: string): Promise<void>;
}

function wrapHandle(handle: fs.FileHandle): FileHandle {
  return {
    write: (buffer, offset, length, position) => handle.write(buffer, offset, length, position),
    read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
    datasync: () => handle.datasync(),
    sync: () => handle.sync(),
    truncate: (length) => handle.truncate(length),
    size: async () => (await handle.stat()).size,
    close: () => handle.close(),
  };
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

export const nodeFileSystem: FileSystem = {
  open: async (path, flags, mode) => wrapHandle(await fs.open(path, flags, mode)),
  readFile: (path) => fs.readFile(path),
  rename: (from, to) => fs.rename(from, to),
  link: (from, to) => fs.link(from, to),
  unlink: (path) => fs.unlink(path),
  mkdir: (path) => fs.mkdir(path, { recursive: true }),
  remove: (path) => fs.rm(path, { recursive: true, force: true }),
  list: async (path) =>
    (await fs.readdir(path, { withFileTypes: true })).map((entry) => ({
      name: entry.name,
      isDirectory: entry.isDirectory(),
      isFile: entry.isFile(),
    })),
  stat: async (path) => {
    try {
      const stats = await fs.stat(path);
      return { size: stats.size, isDirectory: stats.isDirectory() };
    } catch (error: unknown) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  syncDirectory: async (path) => {
    const handle = await fs.open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** True for node's "no such file or directory". */
export function isNotFoundError(error: unknown): boolean {
  return isMissing(error);
}

/** The errno code of a file-system error (`EEXIST`, `ENOTEMPTY`), if any. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
    ? error.code
    : undefined;
}
