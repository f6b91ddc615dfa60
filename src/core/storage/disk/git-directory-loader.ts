/**
 * Reads a repository's git state into the memory stores: every pack (with its .idx) and loose
 * object, packed-refs, loose refs and reflogs, plus the checkpoint marker. The journal is
 * replayed on top of this by DiskRepository.
 *
 * It also returns what it found of the ref files (OnDiskRefs), so the first checkpoint knows
 * which files to replace or remove.
 */
import { join } from 'node:path';
import { PackCorruptError } from '../../errors/pack-errors';
import { hashObject } from '../../objects/git-object';
import type { Oid } from '../../objects/oid';
import { PackIndex } from '../../protocol/pack-index';
import { decodeLooseObject } from '../loose-object';
import type { PersistentObjectStore } from '../persistent-object-store';
import type { PersistentRefStore } from '../persistent-ref-store';
import type { Ref, RefName } from '../ref-store';
import { NO_MARKER, parseCheckpointMarker, type CheckpointMarker } from './checkpoint-marker';
import { isNotFoundError, type FileSystem } from './file-system';
import { unstorableRefReason, type GitDirectory } from './git-directory';
import { loadPackObjects } from './pack-loader';
import { parseLooseRef, parsePackedRefs } from './ref-files';
import { parseReflog } from './reflog-file';

/** The ref files on disk, as the last load or checkpoint left them. */
export interface OnDiskRefs {
  /** packed-refs entries. */
  packed: Map<RefName, Oid>;
  /** Loose ref files (HEAD included) and their content. */
  loose: Map<RefName, string>;
  /** Refs that have a reflog file. */
  reflogs: Set<RefName>;
}

export interface LoadedGitDirectory {
  readonly marker: CheckpointMarker;
  readonly disk: OnDiskRefs;
}

const LOOSE_DIR = /^[0-9a-f]{2}$/;
const LOOSE_FILE = /^[0-9a-f]{38}$/;
const PSEUDO_REF_FILE = /^[A-Z][A-Z_]*$/;
const LOOSE_READ_CONCURRENCY = 32;

async function readText(fs: FileSystem, path: string): Promise<string | undefined> {
  try {
    return (await fs.readFile(path)).toString('utf8');
  } catch (error: unknown) {
    if (isNotFoundError(error)) return undefined;
    throw error;
  }
}

/** Relative paths (with `/`) of every file under `dir`; [] when it does not exist. */
async function listFiles(fs: FileSystem, dir: string, prefix = ''): Promise<string[]> {
  if ((await fs.stat(dir))?.isDirectory !== true) return [];
  const files: string[] = [];
  for (const entry of await fs.list(dir)) {
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory) files.push(...(await listFiles(fs, join(dir, entry.name), name)));
    else if (entry.isFile) files.push(name);
  }
  return files;
}

async function loadPacks(
  fs: FileSystem,
  layout: GitDirectory,
  objects: PersistentObjectStore,
): Promise<void> {
  const names =
    (await fs.stat(layout.packDirectory))?.isDirectory === true
      ? await fs.list(layout.packDirectory)
      : [];
  const packs = new Set(
    names.filter((entry) => entry.name.endsWith('.pack')).map((entry) => entry.name.slice(0, -5)),
  );
  for (const entry of names) {
    if (!entry.name.endsWith('.idx')) continue;
    const base = entry.name.slice(0, -4);
    // An index without its pack cannot be used (git ignores it too); a pack without an index
    // was interrupted before its rename completed and holds nothing a ref points to.
    if (!packs.has(base)) continue;
    const index = new PackIndex(await fs.readFile(join(layout.packDirectory, entry.name)));
    const pack = await fs.readFile(join(layout.packDirectory, `${base}.pack`));
    await loadPackObjects(pack, index, (oid, object) => objects.restore(oid, object), {
      lookup: (oid) => objects.get(oid),
    });
  }
}

async function loadLooseObjects(
  fs: FileSystem,
  layout: GitDirectory,
  objects: PersistentObjectStore,
): Promise<void> {
  const paths: Array<{ oid: Oid; path: string }> = [];
  for (const dir of await fs.list(layout.objectsDirectory)) {
    if (!dir.isDirectory || !LOOSE_DIR.test(dir.name)) continue;
    for (const file of await fs.list(join(layout.objectsDirectory, dir.name))) {
      if (file.isFile && LOOSE_FILE.test(file.name)) {
        paths.push({
          oid: dir.name + file.name,
          path: join(layout.objectsDirectory, dir.name, file.name),
        });
      }
    }
  }
  for (let i = 0; i < paths.length; i += LOOSE_READ_CONCURRENCY) {
    const slice = paths.slice(i, i + LOOSE_READ_CONCURRENCY);
    const datas = await Promise.all(slice.map(({ path }) => fs.readFile(path)));
    slice.forEach(({ oid }, k) => {
      if (objects.has(oid)) return;
      const object = decodeLooseObject(datas[k]!, 2 ** 32);
      if (hashObject(object.type, object.body) !== oid)
        throw new PackCorruptError(`loose object ${oid} does not match its id`);
      objects.restore(oid, object);
    });
  }
}

async function loadRefs(
  fs: FileSystem,
  layout: GitDirectory,
  refs: PersistentRefStore,
  marker: CheckpointMarker,
): Promise<Pick<OnDiskRefs, 'packed' | 'loose'>> {
  const packedText = await readText(fs, layout.packedRefsPath);
  const packed = packedText === undefined ? new Map<RefName, Oid>() : parsePackedRefs(packedText);
  const loose = new Map<RefName, string>();
  const found = new Map<RefName, Ref>();
  for (const [name, oid] of packed) found.set(name, { name, kind: 'direct', oid });
  const rootFiles = (await fs.list(layout.path)).filter(
    (entry) => entry.isFile && PSEUDO_REF_FILE.test(entry.name),
  );
  const refFiles = (await listFiles(fs, join(layout.path, 'refs'), 'refs')).filter(
    (name) => unstorableRefReason(name) === undefined,
  );
  for (const name of [...rootFiles.map((entry) => entry.name), ...refFiles]) {
    const text = await readText(fs, layout.refPath(name));
    const ref = text === undefined ? undefined : parseLooseRef(name, text);
    if (ref === undefined) continue;
    loose.set(name, text!);
    if (name === 'HEAD' && marker.head === 'placeholder') continue;
    found.set(name, ref);
  }
  for (const [name, ref] of found) refs.restoreRef(name, ref);
  return { packed, loose };
}

async function loadReflogs(
  fs: FileSystem,
  layout: GitDirectory,
  refs: PersistentRefStore,
): Promise<Set<RefName>> {
  const names = (await listFiles(fs, join(layout.path, 'logs'))).filter(
    (name) => unstorableRefReason(name) === undefined,
  );
  for (const name of names) {
    const text = await readText(fs, layout.reflogPath(name));
    if (text !== undefined)
      refs.restoreReflog({ name, reset: true, base: 0, entries: parseReflog(text) });
  }
  return new Set(names);
}

/** Loads packs, loose objects, refs and reflogs; throws on anything that does not verify. */
export async function loadGitDirectory(
  fs: FileSystem,
  layout: GitDirectory,
  objects: PersistentObjectStore,
  refs: PersistentRefStore,
): Promise<LoadedGitDirectory> {
  const markerText = await readText(fs, layout.checkpointMarkerPath);
  const marker = markerText === undefined ? NO_MARKER : parseCheckpointMarker(markerText);
  await loadPacks(fs, layout, objects);
  await loadLooseObjects(fs, layout, objects);
  const { packed, loose } = await loadRefs(fs, layout, refs, marker);
  const reflogs = await loadReflogs(fs, layout, refs);
  return { marker, disk: { packed, loose, reflogs } };
}
