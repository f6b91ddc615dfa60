/**
 * A copy-on-write layer of changed paths over a lower PathView: a Map from leaf path to its new
 * entry, or `null` for a deletion. Everything not in the map falls through to the lower view, so
 * a layer over a tree of any size costs only its own changes.
 *
 * Entries are kept normalised: a path is in the map only while its value differs from the lower
 * view's, so the map's keys are exactly the paths where the layer differs from what it covers
 * (staged paths for the index, unstaged ones for the working tree). Per-directory counters of
 * live and deleted entries answer "is `d` a directory here?" without scanning the map.
 *
 * Callers keep the layer consistent as a snapshot (never a leaf `a` and a leaf `a/b` visible at
 * once); working-state.ts checks that before every write.
 */
import {
  ancestorsOf,
  DIRECTORY,
  isBelow,
  type ChildEntry,
  type FileEntry,
  type PathView,
} from './path-view';

export type PathChange = FileEntry | null;

export class PathOverlay implements PathView {
  private readonly changes = new Map<string, PathChange>();
  /** Directory → number of live (non-null) entries strictly below it. */
  private readonly liveBelow = new Map<string, number>();
  /** Directory → number of deletions strictly below it. */
  private readonly deletedBelow = new Map<string, number>();

  constructor(private lower: PathView) {}

  /** The view this layer covers. */
  get base(): PathView {
    return this.lower;
  }

  /**
   * Puts the layer over another view without touching its entries. Only valid when the new
   * lower view has the same content as the old one at every path in the map (e.g. after the
   * index it covers was committed into a tree with identical content).
   */
  relink(lower: PathView): void {
    this.lower = lower;
  }

  get size(): number {
    return this.changes.size;
  }

  /** The change recorded for `path`: an entry, `null` (deleted) or undefined (falls through). */
  change(path: string): PathChange | undefined {
    return this.changes.get(path);
  }

  /** Every recorded change, in insertion order. */
  entries(): IterableIterator<[string, PathChange]> {
    return this.changes.entries();
  }

  /** Sets the value at a leaf path (null = absent), dropping the entry when it equals the lower view. */
  set(path: string, value: PathChange): void {
    const lower = this.lower.file(path);
    const same =
      value === null
        ? lower === undefined
        : lower !== undefined && lower.oid === value.oid && lower.mode === value.mode;
    if (same) this.forget(path);
    else this.record(path, value === null ? null : { mode: value.mode, oid: value.oid });
  }

  /** Records `value` as is, without comparing it to the lower view (undo of an earlier change). */
  restore(path: string, value: PathChange): void {
    this.record(path, value);
  }

  /** Removes the change at `path`, so it falls through to the lower view again. */
  forget(path: string): void {
    const previous = this.changes.get(path);
    if (previous === undefined) return;
    this.changes.delete(path);
    this.count(path, previous, -1);
  }

  clear(): void {
    this.changes.clear();
    this.liveBelow.clear();
    this.deletedBelow.clear();
  }

  private record(path: string, value: PathChange): void {
    const previous = this.changes.get(path);
    if (previous !== undefined) this.count(path, previous, -1);
    this.changes.set(path, value);
    this.count(path, value, 1);
  }

  private count(path: string, value: PathChange, delta: number): void {
    const counters = value === null ? this.deletedBelow : this.liveBelow;
    for (const dir of ancestorsOf(path)) {
      const next = (counters.get(dir) ?? 0) + delta;
      if (next === 0) counters.delete(dir);
      else counters.set(dir, next);
    }
  }

  file(path: string): FileEntry | undefined {
    const change = this.changes.get(path);
    if (change !== undefined) return change ?? undefined;
    return this.lower.file(path);
  }

  hasDirectory(dir: string): boolean {
    if (dir === '' || this.liveBelow.has(dir)) return true;
    if (this.changes.get(dir)) return false; // a live leaf here: not a directory
    if (!this.lower.hasDirectory(dir)) return false;
    if (!this.deletedBelow.has(dir)) return true;
    // Some lower leaves below `dir` are deleted here: the directory survives if any is not.
    let survives = false;
    this.lower.forEachFile(dir, (path) => {
      if (!survives && this.changes.get(path) !== null) survives = true;
    });
    return survives;
  }

  children(dir: string): Map<string, ChildEntry> {
    const result = this.changes.get(dir) ? new Map<string, ChildEntry>() : this.lower.children(dir);
    const prefixLength = dir === '' ? 0 : dir.length + 1;
    const emptied = new Set<string>();
    for (const [path, value] of this.changes) {
      if (!isBelow(path, dir)) continue;
      const slash = path.indexOf('/', prefixLength);
      if (slash < 0) {
        const name = path.slice(prefixLength);
        if (value) result.set(name, value);
        else if (result.get(name) !== DIRECTORY) result.delete(name);
      } else {
        const name = path.slice(prefixLength, slash);
        if (value) result.set(name, DIRECTORY);
        else emptied.add(name);
      }
    }
    for (const name of emptied) {
      const child = dir === '' ? name : `${dir}/${name}`;
      if (result.get(name) === DIRECTORY && !this.hasDirectory(child)) result.delete(name);
    }
    return result;
  }

  forEachFile(dir: string, visit: (path: string, entry: FileEntry) => void): void {
    if (!this.changes.get(dir)) {
      this.lower.forEachFile(dir, (path, entry) => {
        if (!this.changes.has(path)) visit(path, entry);
      });
    }
    for (const [path, value] of this.changes) if (value && isBelow(path, dir)) visit(path, value);
  }
}
