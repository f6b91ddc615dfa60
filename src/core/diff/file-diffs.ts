/**
 * From tree changes to what the API returns: one `FileDiff` per changed file (patch text and
 * `--numstat` counts), plus git's `--name-status` and `--name-only` listings.
 *
 * Blob contents come from the object database; a submodule side is the text
 * `Subproject commit <id>\n`, as git diffs it.
 */
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { formatFilePatch, modeType, type FilePatch, type PatchSide } from './file-patch';
import { quotePath } from './path-quoting';
import type { ChangeStatus, PathEntry, TreeChange } from './tree-diff';

/** The API's FileDiff (camelCase; the REST layer maps `oldPath` to `old_path`). */
export interface FileDiff {
  readonly path: string;
  readonly oldPath?: string;
  readonly status: ChangeStatus;
  readonly additions: number;
  readonly deletions: number;
  /** git's unified patch for this file; `''` when patches were not asked for. */
  readonly patch: string;
  readonly binary: boolean;
}

export interface FileDiffOptions {
  /** Lines of context; default 3. */
  readonly context?: number;
  /** Build patch text (default true); counts and `binary` are always filled. */
  readonly patch?: boolean;
}

/** What git diffs for an entry: the blob, or the submodule line for a gitlink. */
export function entryContent(db: ObjectDatabase, mode: string, oid: Oid): Uint8Array {
  if (modeType(mode) === 'gitlink') return Buffer.from(`Subproject commit ${oid}\n`, 'utf8');
  return db.readBlob(oid);
}

function side(
  db: ObjectDatabase,
  path: string,
  mode: string | null,
  oid: Oid | null,
): PatchSide | null {
  if (mode === null || oid === null) return null;
  return { path, mode, oid, content: entryContent(db, mode, oid) };
}

/** The patch of one tree change. */
export function changePatch(db: ObjectDatabase, change: TreeChange, context = 3): FilePatch {
  return formatFilePatch({
    old: side(db, change.oldPath ?? change.path, change.oldMode, change.oldOid),
    new: side(db, change.path, change.newMode, change.newOid),
    ...(change.similarity === undefined ? {} : { similarity: change.similarity }),
    context,
  });
}

/** FileDiffs for tree changes (from `diffTrees`), in the same order. */
export function toFileDiffs(
  db: ObjectDatabase,
  changes: readonly TreeChange[],
  options: FileDiffOptions = {},
): FileDiff[] {
  const context = options.context ?? 3;
  return changes.map((change) => {
    const patch = changePatch(db, change, context);
    return {
      path: change.path,
      ...(change.oldPath === undefined ? {} : { oldPath: change.oldPath }),
      status: change.status,
      additions: patch.additions,
      deletions: patch.deletions,
      patch: options.patch === false ? '' : patch.text,
      binary: patch.binary,
    };
  });
}

/** The whole `git diff` text: the file patches, concatenated. */
export function unifiedDiffText(files: readonly FileDiff[]): string {
  return files.map((f) => f.patch).join('');
}

/** True when a modification changes the kind of entry (file, symlink, submodule). */
export function isTypeChange(change: TreeChange): boolean {
  return (
    change.status === 'modified' &&
    change.oldMode !== null &&
    change.newMode !== null &&
    modeType(change.oldMode) !== modeType(change.newMode)
  );
}

/**
 * `git diff --name-status` lines: `A`, `M`, `D`, `T` (type change, as git prints it) then a
 * TAB and the path, or `R<3-digit similarity>\t<old>\t<new>`; paths quoted like git's.
 */
export function formatNameStatus(changes: readonly TreeChange[]): string {
  let out = '';
  for (const change of changes) {
    if (change.status === 'renamed') {
      out += `R${String(change.similarity ?? 100).padStart(3, '0')}\t${quotePath(change.oldPath ?? change.path)}\t${quotePath(change.path)}\n`;
    } else {
      const letter =
        change.status === 'added'
          ? 'A'
          : change.status === 'deleted'
            ? 'D'
            : isTypeChange(change)
              ? 'T'
              : 'M';
      out += `${letter}\t${quotePath(change.path)}\n`;
    }
  }
  return out;
}

/** `git diff --name-only`: one path per line (the new path of a rename). */
export function formatNameOnly(changes: readonly TreeChange[]): string {
  return changes.map((c) => `${quotePath(c.path)}\n`).join('');
}

/**
 * The patch of one path between two versions (either may be missing), for single-file diff
 * routes. Returns undefined when both are missing.
 */
export function diffFileEntries(
  db: ObjectDatabase,
  path: string,
  oldEntry: PathEntry | null,
  newEntry: PathEntry | null,
  context = 3,
): FilePatch | undefined {
  if (oldEntry === null && newEntry === null) return undefined;
  return formatFilePatch({
    old: side(db, path, oldEntry?.mode ?? null, oldEntry?.oid ?? null),
    new: side(db, path, newEntry?.mode ?? null, newEntry?.oid ?? null),
    context,
  });
}
