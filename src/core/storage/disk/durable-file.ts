/**
 * How every file of the disk driver comes into being (RELIABILITY P1): written to a temporary
 * name, fsynced, renamed into place, and the directory fsynced. A crash at any point leaves
 * either the old file or the complete new one, never a torn one. Temporary files live in a
 * directory of their own (`govc/tmp/`), outside `objects/` and `refs/`, so git never sees them.
 */
import { basename, dirname, relative, sep } from 'node:path';
import type { FileHandle, FileSystem } from './file-system';

export interface DurableFile {
  readonly path: string;
  readonly data: Uint8Array | string;
  /** Permission bits of the new file (default 0o644). */
  readonly mode?: number;
}

let temporaryCounter = 0;

/** A fresh temporary path in `tempDir` for a file that will become `finalPath`. */
export function temporaryPath(tempDir: string, finalPath: string): string {
  temporaryCounter = (temporaryCounter + 1) % 1e9;
  return `${tempDir}${sep}${basename(finalPath)}.${process.pid}.${temporaryCounter}.tmp`;
}

/** Writes all of `data` at `position`, looping over short writes. */
export async function writeFully(
  handle: FileHandle,
  data: Uint8Array,
  position: number,
): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(
      data,
      written,
      data.length - written,
      position + written,
    );
    if (bytesWritten <= 0) throw new Error('write made no progress');
    written += bytesWritten;
  }
}

function asBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Writes and fsyncs a new file at `path` (which must not exist). */
async function writeAndSync(
  fs: FileSystem,
  path: string,
  data: Uint8Array,
  mode: number,
): Promise<void> {
  const handle = await fs.open(path, 'wx', mode);
  try {
    await writeFully(handle, data, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Puts every file in place durably: all temporaries written and fsynced, then renamed in the
 * given order (so `a.pack` can precede `a.idx`), then each touched directory fsynced once.
 * Resolves only when all of it is durable; on an error the temporaries are removed.
 */
export async function writeFilesDurably(
  fs: FileSystem,
  tempDir: string,
  files: readonly DurableFile[],
): Promise<void> {
  if (files.length === 0) return;
  const temporaries = files.map((file) => temporaryPath(tempDir, file.path));
  try {
    await Promise.all(
      files.map((file, i) =>
        writeAndSync(fs, temporaries[i]!, asBytes(file.data), file.mode ?? 0o644),
      ),
    );
    for (const [i, file] of files.entries()) await fs.rename(temporaries[i]!, file.path);
  } catch (error: unknown) {
    await Promise.all(temporaries.map((path) => fs.unlink(path).catch(() => undefined)));
    throw error;
  }
  await syncDirectories(
    fs,
    files.map((file) => dirname(file.path)),
  );
}

export async function writeFileDurably(
  fs: FileSystem,
  tempDir: string,
  file: DurableFile,
): Promise<void> {
  await writeFilesDurably(fs, tempDir, [file]);
}

/** fsyncs each distinct directory once. */
export async function syncDirectories(
  fs: FileSystem,
  directories: Iterable<string>,
): Promise<void> {
  await Promise.all([...new Set(directories)].map((dir) => fs.syncDirectory(dir)));
}

/**
 * Creates `path` and its missing parents, fsyncing the parent of every directory it created,
 * so the new directories survive a crash. `root` bounds the walk (it must exist).
 */
export async function ensureDirectory(fs: FileSystem, path: string, root: string): Promise<void> {
  const first = await fs.mkdir(path);
  if (first === undefined) return;
  const created: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    created.push(dir);
    if (dir === first || relative(root, dir).startsWith('..') || dirname(dir) === dir) break;
  }
  await syncDirectories(
    fs,
    created.map((dir) => dirname(dir)),
  );
}
