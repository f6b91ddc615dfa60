/**
 * The working state of one tree merge, shaped like git merge-ort's so its rules can be
 * followed step by step: every path the walk met (files and directories) maps to a
 * `PathState` that is either resolved (clean, with a result) or still open, holding the
 * three stages (base, ours, theirs), which of them are files or directories, and whether a
 * rename or a file/directory clash touched it. Sides are numbered as in git: 0 base, 1 ours,
 * 2 theirs; masks have bit `1 << side` set for the sides concerned.
 */
import type { ObjectDatabase } from '../objects/object-database';
import type { ConflictStyle } from './merge-hunks';
import type { MergeConflictKind } from './merge-result';
import { ABSENT, type FileVersion } from './file-version';

export type Side = 0 | 1 | 2;

export class PathState {
  /** Resolved: `result` (or nothing, when `isNull`) goes into the tree. */
  clean: boolean;
  isNull = false;
  result: FileVersion = ABSENT;
  /** The containing directory ('' at the top). */
  dirName: string;

  // Meaningful while not clean.
  stages: [FileVersion, FileVersion, FileVersion] = [ABSENT, ABSENT, ABSENT];
  /** The path each stage had on its side (they differ after a rename). */
  pathnames: [string, string, string];
  filemask = 0;
  dirmask = 0;
  /** Sides known to hold the same entry (0, or at least two bits). */
  matchMask = 0;
  dfConflict = false;
  pathConflict = false;

  constructor(path: string, dirName: string, clean: boolean) {
    this.dirName = dirName;
    this.clean = clean;
    this.pathnames = [path, path, path];
  }

  static resolved(path: string, dirName: string, version: FileVersion): PathState {
    const state = new PathState(path, dirName, true);
    state.result = version;
    state.isNull = version.mode === 0;
    return state;
  }

  /** A copy that can diverge from this one (git's memcpy of a conflict_info). */
  clone(): PathState {
    const copy = new PathState(this.pathnames[0], this.dirName, this.clean);
    copy.isNull = this.isNull;
    copy.result = this.result;
    copy.stages = [...this.stages];
    copy.pathnames = [...this.pathnames];
    copy.filemask = this.filemask;
    copy.dirmask = this.dirmask;
    copy.matchMask = this.matchMask;
    copy.dfConflict = this.dfConflict;
    copy.pathConflict = this.pathConflict;
    return copy;
  }
}

/** A logical conflict (or note) about a primary path, as merge-ort records them. */
export interface LogicalConflict {
  readonly kind: MergeConflictKind;
  readonly paths: readonly string[];
  readonly message: string;
}

/** A deleted or added file on one side, a candidate for rename pairing. */
export interface SideFileChange {
  readonly path: string;
  readonly version: FileVersion;
}

export interface SideChanges {
  readonly deleted: SideFileChange[];
  readonly added: SideFileChange[];
  /** Deleted paths whose rename matters because the other side changed them. */
  readonly relevantSources: Set<string>;
  /** Directories left unexplored because only this side changed them (git's deferral). */
  readonly deferred: Map<string, PathState>;
}

export interface MergeLabelsResolved {
  readonly ours: string;
  readonly theirs: string;
  readonly base: string;
}

export interface MergeSettings {
  readonly labels: MergeLabelsResolved;
  readonly style: ConflictStyle;
  /** 0 for the merge asked for, 1+ while merging merge bases into a virtual base. */
  readonly callDepth: number;
  readonly detectRenames: boolean;
  /** Minimum similarity on git's 0..60000 scale. */
  readonly renameScore: number;
}

export class MergeContext {
  readonly paths = new Map<string, PathState>();
  readonly conflicted = new Map<string, PathState>();
  readonly logicalConflicts = new Map<string, LogicalConflict[]>();
  readonly sides: [SideChanges, SideChanges, SideChanges] = [
    newSideChanges(),
    newSideChanges(),
    newSideChanges(),
  ];
  /** False once a rename-level conflict made the merge unclean. */
  renamesClean = true;
  /** Per side: may directories changed only on that side be taken whole, unread? */
  readonly trivialDirectoriesOkay: [boolean, boolean, boolean] = [false, true, true];

  constructor(
    readonly odb: ObjectDatabase,
    readonly settings: MergeSettings,
  ) {}

  /** The label of side 1 or 2 (git's branch1/branch2). */
  branch(side: 1 | 2): string {
    return side === 1 ? this.settings.labels.ours : this.settings.labels.theirs;
  }

  /** Records a conflict under its primary path (the first of `paths`). */
  report(kind: MergeConflictKind, paths: readonly string[], message: string): void {
    if (this.settings.callDepth > 0) return; // git drops messages of inner merges
    const primary = paths[0]!;
    const list = this.logicalConflicts.get(primary) ?? [];
    list.push({ kind, paths, message });
    this.logicalConflicts.set(primary, list);
  }

  /**
   * git's unique_path: `path~label` (slashes in the label become `_`), then `_0`, `_1`... until
   * no path of the merge has that name.
   */
  uniquePath(path: string, label: string): string {
    const stem = `${path}~${label.replace(/\//g, '_')}`;
    let candidate = stem;
    for (let suffix = 0; this.paths.has(candidate); suffix++) candidate = `${stem}_${suffix}`;
    return candidate;
  }
}

function newSideChanges(): SideChanges {
  return { deleted: [], added: [], relevantSources: new Set(), deferred: new Map() };
}

/** The directory part of a path ('' for a top-level name). */
export function parentDirectory(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
