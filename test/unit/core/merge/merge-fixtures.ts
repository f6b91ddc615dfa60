/**
 * Small builders for merge tests: trees from flat `path -> content` snapshots, the reverse,
 * and a store that records which objects a merge read (to prove unchanged subtrees are not).
 */
import { ObjectDatabase } from '../../../../src/core/objects/object-database';
import type { Oid } from '../../../../src/core/objects/oid';
import type { RawObject } from '../../../../src/core/objects/git-object';
import type { TreeEntry } from '../../../../src/core/objects/tree';
import { MemoryObjectStore } from '../../../../src/core/storage/memory/memory-object-store';

/** A file: its text, or text plus mode (`100755`, `120000` symlink, `160000` submodule id). */
export type FileSpec = string | { readonly content: string; readonly mode: string };
export type FileSnapshot = Readonly<Record<string, FileSpec>>;

export class RecordingObjectStore extends MemoryObjectStore {
  readonly reads = new Set<Oid>();

  override get(oid: Oid): RawObject | undefined {
    this.reads.add(oid);
    return super.get(oid);
  }
}

export function newDatabase(): ObjectDatabase {
  return new ObjectDatabase(new MemoryObjectStore());
}

/** Writes the nested trees of a snapshot and returns the root tree id. */
export function writeSnapshot(odb: ObjectDatabase, files: FileSnapshot): Oid {
  const here: TreeEntry[] = [];
  const subdirs = new Map<string, Record<string, FileSpec>>();
  for (const [path, spec] of Object.entries(files)) {
    const slash = path.indexOf('/');
    if (slash >= 0) {
      const inner = subdirs.get(path.slice(0, slash)) ?? {};
      inner[path.slice(slash + 1)] = spec;
      subdirs.set(path.slice(0, slash), inner);
      continue;
    }
    const { content, mode } = typeof spec === 'string' ? { content: spec, mode: '100644' } : spec;
    const oid = mode === '160000' ? content : odb.writeBlob(content);
    here.push({ mode, name: path, oid });
  }
  for (const [dir, inner] of subdirs)
    here.push({ mode: '40000', name: dir, oid: writeSnapshot(odb, inner) });
  return odb.writeTree(here);
}

export interface ReadFile {
  readonly mode: string;
  readonly content: string;
}

/** Every file of a tree as `path -> {mode, content}` (submodules show their commit id). */
export function readSnapshot(
  odb: ObjectDatabase,
  tree: Oid,
  prefix = '',
): Record<string, ReadFile> {
  const out: Record<string, ReadFile> = {};
  for (const entry of odb.readTree(tree)) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.mode === '40000') Object.assign(out, readSnapshot(odb, entry.oid, path));
    else if (entry.mode === '160000') out[path] = { mode: entry.mode, content: entry.oid };
    else
      out[path] = {
        mode: entry.mode,
        content: Buffer.from(odb.readBlob(entry.oid)).toString('utf8'),
      };
  }
  return out;
}

/** Just the contents, for the common case where modes do not matter. */
export function readContents(odb: ObjectDatabase, tree: Oid): Record<string, string> {
  return Object.fromEntries(
    Object.entries(readSnapshot(odb, tree)).map(([path, file]) => [path, file.content]),
  );
}

/** Numbered lines `prefix1\n prefix2\n ...`, distinct enough for rename similarity. */
export function numberedLines(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix} line ${i + 1}\n`).join('');
}
