/**
 * Writes a checkpoint of one repository into its git directory, in the order that keeps the
 * directory a valid git repository at every instant (RELIABILITY P3):
 *
 *   1. the journaled objects as one pack + .idx (pack renamed first: git ignores a pack until
 *      its index exists), so every object is in place before any ref can name it;
 *   2. packed-refs (all direct refs under refs/), then loose files (HEAD, pseudo-refs,
 *      symbolic refs), then the removal of loose files packed-refs now holds;
 *   3. the reflogs that changed, in git's format;
 *   4. the checkpoint marker, naming the last journal record the checkpoint covers.
 *
 * Every file goes temp → fsync → rename → fsync(dir) (durable-file.ts). The journal is only
 * trimmed by the caller after all of this is durable, so a crash anywhere in between leaves the
 * old checkpoint plus a journal that still holds everything.
 */
import { dirname, join } from 'node:path';
import { writePack, type PackWriteOptions } from '../../protocol/pack-writer';
import { writePackIndex } from '../../protocol/pack-index';
import type { Oid } from '../../objects/oid';
import type { ObjectWrite } from '../change-batch';
import type { Ref, RefName, ReflogEntry } from '../ref-store';
import type { StorageLogger } from '../storage-driver';
import { formatCheckpointMarker } from './checkpoint-marker';
import {
  ensureDirectory,
  syncDirectories,
  temporaryPath,
  writeFileDurably,
  writeFilesDurably,
  writeFully,
  type DurableFile,
} from './durable-file';
import { errorCode, isNotFoundError, type FileSystem } from './file-system';
import type { OnDiskRefs } from './git-directory-loader';
import { PLACEHOLDER_HEAD, type GitDirectory } from './git-directory';
import { formatLooseRef, formatPackedRefs, type PackedRef } from './ref-files';
import { formatReflog } from './reflog-file';

/** The state a checkpoint writes, taken synchronously at one instant. */
export interface CheckpointSnapshot {
  /** The last journal record whose changes the snapshot includes. */
  readonly seq: number;
  /** Objects not yet in any pack. */
  readonly objects: readonly ObjectWrite[];
  /** Every ref (HEAD included when the store has one). */
  readonly refs: readonly Ref[];
  /** Peeled ids of refs that point at annotated tags. */
  readonly peeled: ReadonlyMap<RefName, Oid>;
  /** Reflogs changed since the last checkpoint ([] = remove the file). */
  readonly reflogs: ReadonlyMap<RefName, readonly ReflogEntry[]>;
}

export interface CheckpointContext {
  readonly fs: FileSystem;
  readonly layout: GitDirectory;
  readonly logger: StorageLogger;
  readonly label: string;
  readonly packOptions?: PackWriteOptions;
}

/** Writes the pack and its index; returns the pack's name, or undefined when there was nothing. */
async function writeObjects(
  context: CheckpointContext,
  objects: readonly ObjectWrite[],
): Promise<string | undefined> {
  if (objects.length === 0) return undefined;
  const { fs, layout } = context;
  const packTemp = temporaryPath(layout.tempDirectory, 'pack.pack');
  const handle = await fs.open(packTemp, 'wx', 0o444);
  let result;
  try {
    let position = 0;
    result = await writePack(
      objects.map(({ oid, object }) => ({ oid, type: object.type, body: object.body })),
      async (chunk) => {
        await writeFully(handle, chunk, position);
        position += chunk.length;
      },
      context.packOptions,
    );
    await handle.sync();
  } catch (error: unknown) {
    await handle.close().catch(() => undefined);
    await fs.unlink(packTemp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  const name = `pack-${result.checksum}`;
  await fs.rename(packTemp, join(layout.packDirectory, `${name}.pack`));
  await writeFileDurably(fs, layout.tempDirectory, {
    path: join(layout.packDirectory, `${name}.idx`),
    data: writePackIndex(result.entries, result.checksum),
    mode: 0o444,
  });
  return name;
}

function samePacked(a: ReadonlyMap<RefName, Oid>, b: ReadonlyMap<RefName, Oid>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, oid] of a) if (b.get(name) !== oid) return false;
  return true;
}

/** Where each ref goes: packed-refs for direct refs under refs/, a loose file for the rest. */
function planRefs(snapshot: CheckpointSnapshot): {
  packed: PackedRef[];
  loose: Map<RefName, string>;
} {
  const packed: PackedRef[] = [];
  const loose = new Map<RefName, string>();
  for (const ref of snapshot.refs) {
    if (ref.kind === 'direct' && ref.name.startsWith('refs/')) {
      const peeled = snapshot.peeled.get(ref.name);
      packed.push(
        peeled === undefined
          ? { name: ref.name, oid: ref.oid }
          : { name: ref.name, oid: ref.oid, peeled },
      );
    } else {
      loose.set(ref.name, formatLooseRef(ref));
    }
  }
  if (!loose.has('HEAD')) loose.set('HEAD', PLACEHOLDER_HEAD);
  return { packed, loose };
}

async function writeRefs(
  context: CheckpointContext,
  snapshot: CheckpointSnapshot,
  disk: OnDiskRefs,
): Promise<void> {
  const { fs, layout } = context;
  const plan = planRefs(snapshot);
  const packedMap = new Map(plan.packed.map((ref) => [ref.name, ref.oid]));
  if (!samePacked(packedMap, disk.packed)) {
    await writeFileDurably(fs, layout.tempDirectory, {
      path: layout.packedRefsPath,
      data: formatPackedRefs(plan.packed),
    });
    disk.packed = packedMap;
  }
  const changed: DurableFile[] = [];
  for (const [name, text] of plan.loose) {
    if (disk.loose.get(name) === text) continue;
    const path = layout.refPath(name);
    await ensureDirectory(fs, dirname(path), layout.path);
    changed.push({ path, data: text });
  }
  await writeFilesDurably(fs, layout.tempDirectory, changed);
  const removed: string[] = [];
  for (const name of disk.loose.keys()) {
    if (plan.loose.has(name)) continue;
    const path = layout.refPath(name);
    await fs.unlink(path).catch((error: unknown) => {
      if (!isNotFoundError(error)) throw error;
    });
    removed.push(dirname(path));
  }
  await syncDirectories(fs, removed);
  disk.loose = plan.loose;
}

async function writeReflogs(
  context: CheckpointContext,
  snapshot: CheckpointSnapshot,
  disk: OnDiskRefs,
): Promise<void> {
  const { fs, layout, logger } = context;
  const changed: DurableFile[] = [];
  const removed: string[] = [];
  for (const [name, entries] of snapshot.reflogs) {
    const path = layout.reflogPath(name);
    if (entries.length === 0) {
      if (!disk.reflogs.has(name)) continue;
      await fs.unlink(path).catch((error: unknown) => {
        if (!isNotFoundError(error)) throw error;
      });
      disk.reflogs.delete(name);
      removed.push(dirname(path));
      continue;
    }
    try {
      await ensureDirectory(fs, dirname(path), layout.path);
    } catch (error: unknown) {
      // refs/x and refs/x/y cannot both have a reflog file: git refuses such pairs of refs.
      if (errorCode(error) !== 'EEXIST' && errorCode(error) !== 'ENOTDIR') throw error;
      logger.warn('reflog not checkpointed: its path collides with another ref', {
        repo: context.label,
        ref: name,
      });
      continue;
    }
    changed.push({ path, data: formatReflog(entries) });
    disk.reflogs.add(name);
  }
  await writeFilesDurably(fs, layout.tempDirectory, changed);
  await syncDirectories(fs, removed);
}

/** Writes the snapshot (steps 1–4 of the file header); updates `disk` to what is now on disk. */
export async function writeCheckpoint(
  context: CheckpointContext,
  snapshot: CheckpointSnapshot,
  disk: OnDiskRefs,
): Promise<void> {
  await writeObjects(context, snapshot.objects);
  await writeRefs(context, snapshot, disk);
  await writeReflogs(context, snapshot, disk);
  const head = snapshot.refs.some((ref) => ref.name === 'HEAD') ? 'stored' : 'placeholder';
  await writeFileDurably(context.fs, context.layout.tempDirectory, {
    path: context.layout.checkpointMarkerPath,
    data: formatCheckpointMarker({ seq: snapshot.seq, head }),
  });
}
