/**
 * Three-way merge of trees, with git merge-ort's results as the reference (`git merge-tree
 * --write-tree` writes the same tree and reports the same conflicted paths).
 *
 * Phases: walk the three trees, resolving what needs no thought and never reading subtrees
 * that are equal on two sides (merge-walk.ts); pair each side's deletions and additions into
 * renames (merge-renames.ts) and move renamed files' versions to their targets
 * (rename-resolution.ts); decide every remaining path and write the trees bottom-up
 * (entry-resolution.ts). Conflicted files are written with conflict markers; the caller gets
 * the tree, a clean flag and a description per conflicted path.
 *
 * Pure: reads and writes objects only, touches no refs. Deliberate gap: git's directory
 * rename detection (a file added under a directory the other side renamed away is reported
 * as a "file location" conflict and moved) is not implemented.
 */
import { EMPTY_TREE_OID, type ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { comparePaths } from '../objects/tree-entry-order';
import { DEFAULT_RENAME_SCORE, detectSideRenames } from './merge-renames';
import { modeText } from './file-version';
import type { ConflictStyle } from './merge-hunks';
import type {
  ConflictStage,
  MergeConflict,
  MergeConflictKind,
  TreeMergeResult,
} from './merge-result';
import {
  MergeContext,
  type LogicalConflict,
  type MergeSettings,
  type PathState,
} from './merge-state';
import { settleDeferredDirectories, walkDirectory } from './merge-walk';
import { applyRenames, combineRenames } from './rename-resolution';
import { resolveEntries } from './entry-resolution';
import { MAX_SCORE } from '../diff/content-similarity';

export interface TreeMergeOptions {
  /** Names for conflict markers and `path~name` files; default `ours`, `theirs`, `base`. */
  readonly labels?: { readonly ours?: string; readonly theirs?: string; readonly base?: string };
  /** Conflict marker style; default `merge` (git's default conflictstyle). */
  readonly style?: ConflictStyle;
  /** Detect renames on each side (git's default); default true. */
  readonly renames?: boolean;
  /** Minimum similarity in percent for an inexact rename; default 50. */
  readonly renameThreshold?: number;
}

export function settingsFor(options: TreeMergeOptions, callDepth: number): MergeSettings {
  const threshold = options.renameThreshold;
  return {
    labels: {
      ours: options.labels?.ours ?? 'ours',
      theirs: options.labels?.theirs ?? 'theirs',
      base: options.labels?.base ?? 'base',
    },
    style: options.style ?? 'merge',
    callDepth,
    detectRenames: options.renames !== false,
    renameScore:
      threshold === undefined ? DEFAULT_RENAME_SCORE : Math.round((threshold * MAX_SCORE) / 100),
  };
}

/**
 * Merges `oursTree` and `theirsTree` against `baseTree` (null: the empty tree) and writes the
 * result. Never throws for conflicts: they are in the result. Throws ObjectNotFoundError /
 * UnexpectedObjectTypeError when an input object is missing or not a tree.
 */
export function mergeTrees(
  odb: ObjectDatabase,
  baseTree: Oid | null,
  oursTree: Oid,
  theirsTree: Oid,
  options: TreeMergeOptions = {},
): TreeMergeResult {
  return mergeTreesWith(
    odb,
    baseTree ?? EMPTY_TREE_OID,
    oursTree,
    theirsTree,
    settingsFor(options, 0),
  );
}

/** `mergeTrees` with explicit settings (the recursive merge of merge bases uses depth > 0). */
export function mergeTreesWith(
  odb: ObjectDatabase,
  baseTree: Oid,
  oursTree: Oid,
  theirsTree: Oid,
  settings: MergeSettings,
): TreeMergeResult {
  // Whole-tree shortcuts; the full walk would reach the same trees.
  if (oursTree === theirsTree || baseTree === theirsTree) return cleanResult(odb, oursTree);
  if (baseTree === oursTree) return cleanResult(odb, theirsTree);

  const ctx = new MergeContext(odb, settings);
  walkDirectory(ctx, '', [baseTree, oursTree, theirsTree]);
  settleDeferredDirectories(ctx);
  if (settings.detectRenames) {
    const ours = detectSideRenames(odb, ctx.sides[1], settings.renameScore);
    const theirs = detectSideRenames(odb, ctx.sides[2], settings.renameScore);
    applyRenames(ctx, combineRenames(ours, theirs));
  }
  const tree = resolveEntries(ctx);
  const conflicts = describeConflicts(ctx);
  return { tree, clean: ctx.renamesClean && conflicts.length === 0, conflicts };
}

function cleanResult(odb: ObjectDatabase, tree: Oid): TreeMergeResult {
  // Touch the tree so a missing or mistyped input fails as it would in a full merge.
  odb.readTree(tree);
  return { tree, clean: true, conflicts: [] };
}

function stageOf(state: PathState, side: 0 | 1 | 2): ConflictStage | undefined {
  if ((state.filemask & (1 << side)) === 0) return undefined;
  const version = state.stages[side];
  return { mode: modeText(version.mode), oid: version.oid, path: state.pathnames[side] };
}

/** Each path's logical conflict: the one it is the primary path of, else the first naming it. */
function logicalConflictsByPath(ctx: MergeContext): Map<string, LogicalConflict> {
  const byPath = new Map<string, LogicalConflict>();
  for (const [primary, list] of ctx.logicalConflicts) byPath.set(primary, list[0]!);
  for (const list of ctx.logicalConflicts.values()) {
    for (const conflict of list)
      for (const path of conflict.paths) if (!byPath.has(path)) byPath.set(path, conflict);
  }
  return byPath;
}

function fallbackKind(state: PathState): MergeConflictKind {
  if (state.filemask === 3 || state.filemask === 5) return 'modify/delete';
  if (state.filemask === 6) return 'add/add';
  return 'content';
}

function describeConflicts(ctx: MergeContext): MergeConflict[] {
  const paths = [...ctx.conflicted.keys()].sort(comparePaths);
  const logicalByPath = logicalConflictsByPath(ctx);
  return paths.map((path) => {
    const state = ctx.conflicted.get(path)!;
    const logical = logicalByPath.get(path);
    const base = stageOf(state, 0);
    const ours = stageOf(state, 1);
    const theirs = stageOf(state, 2);
    return {
      path,
      kind: logical?.kind ?? fallbackKind(state),
      message: logical?.message ?? `CONFLICT: Merge conflict in ${path}`,
      relatedPaths: (logical?.paths ?? []).filter((p) => p !== path),
      ...(base !== undefined ? { base } : {}),
      ...(ours !== undefined ? { ours } : {}),
      ...(theirs !== undefined ? { theirs } : {}),
    };
  });
}
