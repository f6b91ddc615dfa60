/**
 * The server-side checkout of a repository (contract §0.1 "Working state"): one staging index
 * and one working tree, each a PathOverlay over the layer below it:
 *
 *     working tree  = worktree overlay  over  index
 *     index         = index overlay     over  base tree (HEAD's tree when it was last synced)
 *
 * So the index overlay's keys are the staged paths and the worktree overlay's keys the paths
 * whose working copy differs from the index; a fresh checkout of any size costs nothing.
 *
 * Like git's index, the index is a snapshot: when HEAD moves without the working state being
 * told (a push, a `reset --soft`), `baseTree` stays put and status compares against the new
 * HEAD tree (status.ts). Operations that move HEAD on purpose call `resetTo`/`replace`.
 *
 * Every file operation checks its paths (validateFilePath) and the file/directory rules
 * before writing; one that writes several paths (move) runs inside `atomically`, so a failure
 * half-way leaves both overlays as they were.
 */
import {
  InvalidFileContentError,
  InvalidFilePathError,
  FileNotFoundError,
  IsADirectoryError,
} from '../errors/path-errors';
import { FileMode } from '../objects/file-mode';
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { validateFilePath } from '../objects/path-safety';
import { comparePaths } from '../objects/tree-entry-order';
import { PathOverlay, type PathChange } from './path-overlay';
import { ancestorsOf, isBelow, isSameOrBelow, type FileEntry, type PathView } from './path-view';
import { buildTree } from './tree-builder';
import type { ListingSource } from './tree-listing';
import { TreeView } from './tree-view';

/** Modes a caller may give a file it adds. */
export const WRITABLE_MODES: readonly string[] = [
  FileMode.Regular,
  FileMode.Executable,
  FileMode.Symlink,
];

export interface FileContent {
  readonly path: string;
  readonly mode: string;
  readonly oid: Oid;
  readonly content: Uint8Array;
}

interface UndoStep {
  readonly overlay: PathOverlay;
  readonly path: string;
  readonly previous: PathChange | undefined;
}

export class WorkingState {
  private baseView: TreeView;
  /** Staged changes over the base tree. */
  readonly index: PathOverlay;
  /** Working-tree changes over the index. */
  readonly worktree: PathOverlay;
  private journal: UndoStep[] | undefined;

  constructor(
    private readonly odb: ObjectDatabase,
    baseTree: Oid,
  ) {
    this.baseView = new TreeView(odb, baseTree);
    this.index = new PathOverlay(this.baseView);
    this.worktree = new PathOverlay(this.index);
  }

  /** The tree the index overlay is relative to. */
  get baseTree(): Oid {
    return this.baseView.treeOid;
  }

  get base(): TreeView {
    return this.baseView;
  }

  /** True when neither the index nor the working tree differs from the base tree. */
  get isPristine(): boolean {
    return this.index.size === 0 && this.worktree.size === 0;
  }

  // ---- whole-state transitions ------------------------------------------------------------

  /** Index and working tree both become `tree`, discarding every local change. */
  resetTo(tree: Oid): void {
    this.replace(tree, [], []);
  }

  /**
   * The index was just committed as `tree` (same content as the index view): the overlay folds
   * into the new base, and the working-tree overlay, relative to unchanged index content, stays.
   */
  indexCommitted(tree: Oid): void {
    this.baseView = new TreeView(this.odb, tree);
    this.index.clear();
    this.index.relink(this.baseView);
  }

  /**
   * Installs a new base with the given staged changes (relative to `tree`) and working-tree
   * changes (relative to the resulting index). Used by checkout to carry local changes over.
   */
  replace(
    tree: Oid,
    staged: Iterable<readonly [string, PathChange]>,
    unstaged: Iterable<readonly [string, PathChange]>,
  ): void {
    this.baseView = new TreeView(this.odb, tree);
    this.index.clear();
    this.index.relink(this.baseView);
    this.worktree.clear();
    for (const [path, change] of staged) this.index.set(path, change);
    for (const [path, change] of unstaged) this.worktree.set(path, change);
    this.journal = undefined;
  }

  // ---- reads ------------------------------------------------------------------------------

  /** The working tree's file at `path` with its content. */
  readWorking(path: string): FileContent {
    return readFileFrom(this.odb, this.worktree, validateFilePath(path));
  }

  /** The working tree as a listable snapshot (tree-listing.ts). */
  worktreeListing(): ListingSource {
    const worktree = this.worktree;
    return {
      file: (path) => worktree.file(path),
      hasDirectory: (dir) => worktree.hasDirectory(dir),
      children: (dir) => worktree.children(dir),
      forEachFile: (dir, visit) => worktree.forEachFile(dir, visit),
      directoryOid: (dir) => this.worktreeDirectoryOid(dir),
    };
  }

  /**
   * The tree id `dir` would have if the working tree were committed, computed without storing
   * anything; the base tree's own id when nothing below `dir` changed.
   */
  worktreeDirectoryOid(dir: string): Oid {
    const baseTree = this.baseView.treeAt(dir);
    const changes: Array<[string, PathChange]> = [];
    const seen = new Set<string>();
    for (const overlay of [this.index, this.worktree]) {
      for (const [path] of overlay.entries()) {
        if (seen.has(path) || !isBelow(path, dir)) continue;
        seen.add(path);
        changes.push([
          dir === '' ? path : path.slice(dir.length + 1),
          this.worktree.file(path) ?? null,
        ]);
      }
    }
    if (changes.length === 0 && baseTree !== undefined) return baseTree;
    return buildTree(this.odb, baseTree ?? EMPTY_TREE_OID, changes, { write: false });
  }

  // ---- writes -----------------------------------------------------------------------------

  /**
   * Writes `content` to the working tree and stages it (`git add`). The mode defaults to the
   * path's current mode in the working tree, else 100644; a symlink's content is its target.
   */
  add(path: string, content: Uint8Array, mode?: string): FileEntry {
    validateFilePath(path);
    const entry = this.prepareFile(path, content, mode);
    this.checkPlaceable(this.worktree, path);
    // With no unstaged changes the working tree is the index: one check covers both.
    if (this.worktree.size > 0) this.checkPlaceable(this.index, path);
    this.stage(path, entry);
    return entry;
  }

  /** Writes `content` to the working tree only (not staged); keeps the path's current mode. */
  write(path: string, content: Uint8Array, mode?: string): FileEntry {
    validateFilePath(path);
    const entry = this.prepareFile(path, content, mode);
    this.checkPlaceable(this.worktree, path);
    this.worktree.set(path, entry);
    return entry;
  }

  /**
   * Deletes a file, or a directory with everything below it, from the working tree and the
   * index. Returns the removed leaf paths, sorted; FileNotFoundError when nothing is there.
   */
  remove(path: string): string[] {
    validateFilePath(path);
    const removed = this.leavesAtOrBelow(path);
    if (removed.length === 0) throw new FileNotFoundError(path);
    for (const leaf of removed) this.stage(leaf, null);
    return removed;
  }

  /**
   * Moves a file or a directory (with its contents) to `to`, staging both sides (the working
   * copy is what moves). An existing file at `to` is overwritten; an existing directory at `to`
   * is a clash (InvalidFileContentError), as is a file on the way to it.
   */
  move(from: string, to: string): string[] {
    validateFilePath(from);
    validateFilePath(to);
    if (isSameOrBelow(to, from))
      throw new InvalidFilePathError(to, `destination is inside the source '${from}'`);
    const sources: Array<[string, FileEntry]> = [];
    const single = this.worktree.file(from);
    if (single) sources.push([from, single]);
    else this.worktree.forEachFile(from, (path, entry) => sources.push([path, entry]));
    if (sources.length === 0) throw new FileNotFoundError(from, `source file '${from}' not found`);
    const leftBehind = this.leavesAtOrBelow(from);

    const moved: string[] = [];
    this.atomically(() => {
      for (const leaf of leftBehind) this.stage(leaf, null);
      for (const [path, entry] of sources) {
        const target = to + path.slice(from.length);
        this.checkPlaceable(this.worktree, target);
        this.checkPlaceable(this.index, target);
        this.stage(target, entry);
        moved.push(target);
      }
    });
    return moved.sort(comparePaths);
  }

  /** Runs `mutate`; if it throws, every overlay change it made is undone before rethrowing. */
  atomically<T>(mutate: () => T): T {
    if (this.journal) return mutate(); // nested: the outer call undoes everything
    const journal: UndoStep[] = [];
    this.journal = journal;
    try {
      return mutate();
    } catch (error) {
      for (let i = journal.length - 1; i >= 0; i--) {
        const step = journal[i]!;
        restore(step.overlay, step.path, step.previous);
      }
      throw error;
    } finally {
      this.journal = undefined;
    }
  }

  // ---- internals --------------------------------------------------------------------------

  /** Index and working tree both hold `value` at `path`. */
  private stage(path: string, value: PathChange): void {
    this.remember(this.index, path);
    this.remember(this.worktree, path);
    this.index.set(path, value);
    this.worktree.forget(path);
  }

  private remember(overlay: PathOverlay, path: string): void {
    this.journal?.push({ overlay, path, previous: overlay.change(path) });
  }

  private prepareFile(path: string, content: Uint8Array, mode: string | undefined): FileEntry {
    const chosen = mode ?? this.currentWritableMode(path);
    if (!WRITABLE_MODES.includes(chosen)) {
      throw new InvalidFileContentError(
        path,
        `unsupported mode '${chosen}' (use 100644, 100755 or 120000)`,
      );
    }
    if (chosen === FileMode.Symlink && (content.length === 0 || content.includes(0))) {
      throw new InvalidFileContentError(
        path,
        'a symlink target must be non-empty and free of NUL bytes',
      );
    }
    return { mode: chosen, oid: this.odb.writeBlob(content) };
  }

  /** The path's mode in the working tree when a caller may write it, else 100644. */
  private currentWritableMode(path: string): string {
    const current = this.worktree.file(path)?.mode;
    return current !== undefined && WRITABLE_MODES.includes(current) ? current : FileMode.Regular;
  }

  /** A file may go at `path` in `view`: no file on the way to it, no directory in its place. */
  private checkPlaceable(view: PathView, path: string): void {
    for (const dir of ancestorsOf(path)) {
      if (view.file(dir))
        throw new InvalidFileContentError(path, `'${dir}' is a file, not a directory`);
    }
    if (view.hasDirectory(path))
      throw new InvalidFileContentError(path, `'${path}' is a directory`);
  }

  /** Leaves at or below `path` in the index or the working tree, sorted. */
  private leavesAtOrBelow(path: string): string[] {
    const found = new Set<string>();
    for (const view of [this.index, this.worktree]) {
      if (view.file(path)) found.add(path);
      else view.forEachFile(path, (leaf) => found.add(leaf));
    }
    return [...found].sort(comparePaths);
  }
}

/** Puts back a change exactly as it was (no normalisation: the layer below is restored too). */
function restore(overlay: PathOverlay, path: string, previous: PathChange | undefined): void {
  if (previous === undefined) overlay.forget(path);
  else overlay.restore(path, previous);
}

/** A leaf of `view` with its content: IsADirectoryError for directories (and submodules). */
export function readFileFrom(odb: ObjectDatabase, view: PathView, path: string): FileContent {
  const entry = view.file(path);
  if (entry === undefined) {
    if (view.hasDirectory(path)) throw new IsADirectoryError(path);
    throw new FileNotFoundError(path);
  }
  if (entry.mode === FileMode.Gitlink) throw new IsADirectoryError(path);
  return { path, mode: entry.mode, oid: entry.oid, content: odb.readBlob(entry.oid) };
}
