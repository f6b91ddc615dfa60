/**
 * Applying each side's renames to the merge state before paths are merged, as merge-ort's
 * process_renames does, so that a renamed file's versions meet at its new path:
 *
 * - a plain rename moves the base version and the other side's version to the target path and
 *   drops the source (the target then merges like any three-way path);
 * - a file renamed differently on both sides (rename/rename 1to2) gets both targets, each with
 *   the content merged from all three versions, plus a conflict on the source and both targets;
 *   renamed the same way on both sides (1to1), it simply moves;
 * - a rename onto a path the other side also has (rename/add, 2to1) merges the rename first
 *   (longer markers) and leaves an add/add at the target;
 * - a rename of a file the other side deleted is a rename/delete conflict at the target.
 */
import { comparePaths } from '../objects/tree-entry-order';
import { ABSENT, isRegular, sameVersion } from './file-version';
import type { DetectedRename } from './merge-renames';
import type { MergeContext, PathState } from './merge-state';
import { mergePathContent } from './path-content-merge';

export interface SidedRename extends DetectedRename {
  readonly side: 1 | 2;
}

/** Both sides' renames, ordered by source path (ours before theirs for the same source). */
export function combineRenames(
  ours: readonly DetectedRename[],
  theirs: readonly DetectedRename[],
): SidedRename[] {
  const all: SidedRename[] = [
    ...ours.map((r) => ({ ...r, side: 1 as const })),
    ...theirs.map((r) => ({ ...r, side: 2 as const })),
  ];
  return all.sort((a, b) => comparePaths(a.source, b.source)); // stable
}

function openState(ctx: MergeContext, path: string): PathState {
  const state = ctx.paths.get(path);
  if (state === undefined || state.clean) throw new RenameStateError(path);
  return state;
}

/** An internal invariant broke: a rename endpoint has no open merge state. */
class RenameStateError extends Error {
  constructor(path: string) {
    super(`merge state for renamed path '${path}' is missing or already resolved`);
  }
}

export function applyRenames(ctx: MergeContext, renames: readonly SidedRename[]): void {
  const depth = ctx.settings.callDepth;
  for (let i = 0; i < renames.length; i++) {
    const rename = renames[i]!;
    const oldPath = rename.source;
    const newPath = rename.target;
    const oldState = ctx.paths.get(oldPath);
    if (oldState === undefined || oldState.clean) continue;
    const next = renames[i + 1];

    if (next !== undefined && next.source === oldPath) {
      const pathnames = [oldPath, newPath, next.target] as const;
      const base = openState(ctx, pathnames[0]);
      const side1 = openState(ctx, pathnames[1]);
      const side2 = openState(ctx, pathnames[2]);
      if (pathnames[1] === pathnames[2]) {
        // rename/rename(1to1): both sides moved it to the same place.
        side1.stages[0] = base.stages[0];
        side1.filemask |= 1;
        base.isNull = true;
        base.clean = true;
        i++;
        continue;
      }
      // rename/rename(1to2)
      const outcome = mergePathContent(
        ctx,
        oldPath,
        base.stages[0],
        side1.stages[1],
        side2.stages[2],
        pathnames,
        1 + 2 * depth,
      );
      const wasBinary = !outcome.clean && sameVersion(outcome.result, side1.stages[1]);
      side1.stages[1] = outcome.result;
      // An unmergeable pair keeps each side's own content at its own path.
      side2.stages[2] = wasBinary ? side2.stages[2] : outcome.result;
      side1.pathConflict = true;
      side2.pathConflict = true;
      base.pathConflict = true;
      ctx.report(
        'rename/rename',
        pathnames,
        `CONFLICT (rename/rename): ${oldPath} renamed to ${pathnames[1]} in ${ctx.branch(1)} and to ${pathnames[2]} in ${ctx.branch(2)}.`,
      );
      i++;
      continue;
    }

    const newState = openState(ctx, newPath);
    const target = rename.side;
    const other = (3 - target) as 1 | 2;
    const otherBit = 1 << other;
    const sourceDeleted = oldState.filemask === 1;
    let collision = (newState.filemask & otherBit) !== 0;
    const typeChanged =
      !sourceDeleted &&
      isRegular(oldState.stages[other].mode) !== isRegular(newState.stages[target].mode);
    if (typeChanged && collision) collision = false; // really a double rename (no break detection)
    const renameBranch = ctx.branch(target);
    const deleteBranch = ctx.branch(other);

    if (collision && !sourceDeleted) {
      // rename/add or rename/rename(2to1): merge the rename, then the target is an add/add.
      const pathnames: [string, string, string] = [oldPath, oldPath, oldPath];
      pathnames[target] = newPath;
      const base = openState(ctx, pathnames[0]);
      const side1 = openState(ctx, pathnames[1]);
      const side2 = openState(ctx, pathnames[2]);
      const outcome = mergePathContent(
        ctx,
        oldPath,
        base.stages[0],
        side1.stages[1],
        side2.stages[2],
        pathnames,
        1 + 2 * depth,
      );
      newState.stages[target] = outcome.result;
      if (!outcome.clean) {
        ctx.report(
          'add/add',
          [newPath, oldPath],
          `CONFLICT (rename involved in collision): rename of ${oldPath} -> ${newPath} has content conflicts AND collides with another path; this may result in nested conflict markers.`,
        );
      }
    } else if (collision && sourceDeleted) {
      newState.pathConflict = true;
      ctx.report(
        'rename/delete',
        [newPath, oldPath],
        `CONFLICT (rename/delete): ${oldPath} renamed to ${newPath} in ${renameBranch}, but deleted in ${deleteBranch}.`,
      );
    } else {
      newState.stages[0] = oldState.stages[0];
      newState.filemask |= 1;
      newState.pathnames[0] = oldPath;
      if (typeChanged) {
        // The source stays (as the other side's type change); only the base moves.
        oldState.stages[0] = ABSENT;
        oldState.filemask &= 6;
      } else if (sourceDeleted) {
        newState.pathConflict = true;
        ctx.report(
          'rename/delete',
          [newPath, oldPath],
          `CONFLICT (rename/delete): ${oldPath} renamed to ${newPath} in ${renameBranch}, but deleted in ${deleteBranch}.`,
        );
      } else {
        newState.stages[other] = oldState.stages[other];
        newState.filemask |= otherBit;
        newState.pathnames[other] = oldPath;
      }
    }
    if (!typeChanged) {
      oldState.isNull = true;
      oldState.clean = true;
    }
  }
}
