/**
 * A set of file edits over one committed tree, as transactions and parallel realities make
 * them: a PathOverlay over a TreeView, so it costs only what it changed, and a commit builds
 * only the trees on the changed paths (tree-builder.ts).
 *
 * Edits are recorded as made, not normalised against the tree: rewriting a file with its own
 * content stays visible as an edit (a transaction lists it), and `build` simply finds nothing
 * to change there. The layout rules are the working tree's: no file on the way to a path, no
 * directory in its place (InvalidFileContentError), so every state can be built.
 */
import { InvalidFileContentError } from '../errors/path-errors';
import { FileMode } from '../objects/file-mode';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { comparePaths } from '../objects/tree-entry-order';
import { PathOverlay, type PathChange } from './path-overlay';
import { ancestorsOf, sameEntry, type FileEntry, type PathView } from './path-view';
import { buildTree } from './tree-builder';
import type { TreeView } from './tree-view';
import { WRITABLE_MODES } from './working-state';

export class TreeEdit {
  private readonly overlay: PathOverlay;

  /** `base` may be shared by many edits: a TreeView is an immutable cache of one tree. */
  constructor(
    private readonly odb: ObjectDatabase,
    readonly base: TreeView,
  ) {
    this.overlay = new PathOverlay(base);
  }

  get baseTree(): Oid {
    return this.base.treeOid;
  }

  /** The edited snapshot, for reads. */
  get view(): PathView {
    return this.overlay;
  }

  /** Number of edited paths. */
  get size(): number {
    return this.overlay.size;
  }

  /** The edit at `path`: an entry, null (deleted) or undefined (not edited). */
  change(path: string): PathChange | undefined {
    return this.overlay.change(path);
  }

  /** Every edit, in the order first made. */
  entries(): IterableIterator<[string, PathChange]> {
    return this.overlay.entries();
  }

  /** Throws InvalidFileContentError unless a file may be put at `path` now. */
  checkPlaceable(path: string): void {
    for (const dir of ancestorsOf(path)) {
      if (this.overlay.file(dir))
        throw new InvalidFileContentError(path, `'${dir}' is a file, not a directory`);
    }
    if (this.overlay.hasDirectory(path))
      throw new InvalidFileContentError(path, `'${path}' is a directory`);
  }

  /** Puts a file at `path` (checked with checkPlaceable first). */
  put(path: string, entry: FileEntry): void {
    this.checkPlaceable(path);
    this.overlay.restore(path, { mode: entry.mode, oid: entry.oid });
  }

  /**
   * Deletes the file at `path`, or every file below it when it is a directory. Returns the
   * deleted paths, sorted; `[]` when nothing is there.
   */
  delete(path: string): string[] {
    const leaves = this.leavesAt(path);
    for (const leaf of leaves) {
      // Only a file the base has needs a deletion mark; an added one just goes away.
      if (this.base.file(leaf)) this.overlay.restore(leaf, null);
      else this.overlay.forget(leaf);
    }
    return leaves;
  }

  /** The file at `path`, or every file below it when it is a directory, sorted; `[]` when none. */
  leavesAt(path: string): string[] {
    const leaves: string[] = [];
    if (this.overlay.file(path)) leaves.push(path);
    else this.overlay.forEachFile(path, (leaf) => leaves.push(leaf));
    return leaves.sort(comparePaths);
  }

  /** Drops the edit at `path`, so the base shows through again. */
  forget(path: string): void {
    this.overlay.forget(path);
  }

  /** True when building would give back the base tree (every edit is a no-op). */
  get isNoOp(): boolean {
    for (const [path, change] of this.overlay.entries())
      if (!sameEntry(change, this.base.file(path))) return false;
    return true;
  }

  /** The tree with every edit applied, written to the object database. */
  build(): Oid {
    return buildTree(this.odb, this.baseTree, this.overlay.entries());
  }
}

/**
 * The working tree's rules for content a caller writes (working-state.ts): one of the writable
 * modes, and a symlink target without NUL bytes. Throws InvalidFileContentError.
 */
export function checkWritableContent(path: string, content: Uint8Array, mode: string): void {
  if (!WRITABLE_MODES.includes(mode))
    throw new InvalidFileContentError(
      path,
      `unsupported mode '${mode}' (use 100644, 100755 or 120000)`,
    );
  if (mode === FileMode.Symlink && content.includes(0))
    throw new InvalidFileContentError(path, 'a symlink target must be free of NUL bytes');
}
