/**
 * The first phase of a tree merge: walk base, ours and theirs together, resolve everything
 * that needs no thought, and record what is left.
 *
 * Rules, as merge-ort's collect_merge_info applies them:
 * - an entry equal (mode and id) on all three sides is taken as it is — for a directory that
 *   means its subtree is never read;
 * - a file present on all three sides where two sides agree takes the remaining side;
 * - a directory changed on one side only is deferred: unless a rename on that side could land
 *   inside it, it is later taken whole from the side that changed it, again unread;
 * - everything else becomes an open `PathState`, directories are descended into, and files
 *   deleted or added on a side become rename candidates for that side. A deletion is a
 *   *relevant* rename source only when the other side changed (or also deleted) the file:
 *   otherwise the rename cannot change the result, and git does not look for it inexactly.
 */
import type { Oid } from '../objects/oid';
import type { TreeEntry } from '../objects/tree';
import { comparePaths } from '../objects/tree-entry-order';
import {
  ABSENT,
  canonicalMode,
  isDirectoryMode,
  sameVersion,
  type FileVersion,
} from './file-version';
import { joinPath, PathState, type MergeContext, type Side } from './merge-state';

type Triple<T> = [T, T, T];

function readTreeOrEmpty(ctx: MergeContext, oid: Oid | null): readonly TreeEntry[] {
  return oid === null ? [] : ctx.odb.readTree(oid);
}

function versionOf(entry: TreeEntry | undefined): FileVersion {
  return entry === undefined ? ABSENT : { mode: canonicalMode(entry.mode), oid: entry.oid };
}

/** Walks one directory level of the three trees (null where a side has no such directory). */
export function walkDirectory(ctx: MergeContext, dir: string, trees: Triple<Oid | null>): void {
  const byName = new Map<string, Triple<FileVersion>>();
  for (let side = 0; side < 3; side++) {
    for (const entry of readTreeOrEmpty(ctx, trees[side]!)) {
      let versions = byName.get(entry.name);
      if (versions === undefined) byName.set(entry.name, (versions = [ABSENT, ABSENT, ABSENT]));
      versions[side] = versionOf(entry);
    }
  }
  const names = [...byName.keys()].sort(comparePaths);
  for (const name of names) walkEntry(ctx, dir, name, byName.get(name)!);
}

function walkEntry(ctx: MergeContext, dir: string, name: string, names: Triple<FileVersion>): void {
  const path = joinPath(dir, name);
  const [base, ours, theirs] = names;
  let filemask = 0;
  let dirmask = 0;
  names.forEach((version, side) => {
    if (version.mode === 0) return;
    if (isDirectoryMode(version.mode)) dirmask |= 1 << side;
    else filemask |= 1 << side;
  });
  const oursMatchesBase = ours.mode !== 0 && base.mode !== 0 && sameVersion(base, ours);
  const theirsMatchesBase = theirs.mode !== 0 && base.mode !== 0 && sameVersion(base, theirs);
  const sidesMatch = ours.mode !== 0 && theirs.mode !== 0 && sameVersion(ours, theirs);

  let matchMask = 0;
  if (oursMatchesBase) matchMask = theirsMatchesBase ? 7 : 3;
  else if (theirsMatchesBase) matchMask = 5;
  else if (sidesMatch) matchMask = 6;

  if (oursMatchesBase && theirsMatchesBase) {
    ctx.paths.set(path, PathState.resolved(path, dir, base));
    return;
  }
  if (filemask === 7 && (sidesMatch || oursMatchesBase || theirsMatchesBase)) {
    // Two sides agree on a file present everywhere: the third side (or the agreement) wins.
    ctx.paths.set(path, PathState.resolved(path, dir, oursMatchesBase ? theirs : ours));
    return;
  }

  collectRenameCandidates(ctx, path, names, filemask, matchMask);

  const state = new PathState(path, dir, false);
  state.stages = [base, ours, theirs];
  state.filemask = filemask;
  state.dirmask = dirmask;
  state.dfConflict = filemask !== 0 && dirmask !== 0;
  state.matchMask = matchMask;
  // A directory's result is unknown until everything below it is merged.
  if (dirmask !== 0) state.isNull = true;
  ctx.paths.set(path, state);
  if (dirmask === 0) return;

  let changedSide: Side = oursMatchesBase ? 2 : theirsMatchesBase ? 1 : 0;
  if (filemask === 0 && (dirmask === 2 || dirmask === 4)) {
    // A directory new on one side only: also a candidate for taking it whole.
    state.matchMask = 7 - dirmask;
    changedSide = dirmask === 2 ? 1 : 2;
  }
  if (changedSide !== 0 && ctx.trivialDirectoriesOkay[changedSide]) {
    ctx.sides[changedSide].deferred.set(path, state);
    return;
  }
  descend(ctx, path, state);
}

/** Walks the directory at `path` (an open state with a directory on some side). */
export function descend(ctx: MergeContext, path: string, state: PathState): void {
  state.matchMask &= state.filemask;
  const trees = state.stages.map((version, side) =>
    (state.dirmask & (1 << side)) !== 0 ? version.oid : null,
  );
  walkDirectory(ctx, path, trees as Triple<Oid | null>);
}

/** git's collect_rename_info for files: deletions and additions per side. */
function collectRenameCandidates(
  ctx: MergeContext,
  path: string,
  names: Triple<FileVersion>,
  filemask: number,
  matchMask: number,
): void {
  if (filemask === 0 || filemask === 7) return;
  for (const side of [1, 2] as const) {
    const sideBit = 1 << side;
    if ((filemask & 1) !== 0 && (filemask & sideBit) === 0) {
      const changes = ctx.sides[side];
      changes.deleted.push({ path, version: names[0] });
      if ((matchMask & filemask) === 0) changes.relevantSources.add(path);
    }
    if ((filemask & 1) === 0 && (filemask & sideBit) !== 0) {
      ctx.sides[side].added.push({ path, version: names[side] });
    }
  }
}

/**
 * git's handle_deferred_entries: a side with relevant rename sources needs every directory it
 * changed explored (a rename target may be anywhere); otherwise its deferred directories are
 * taken whole from it.
 */
export function settleDeferredDirectories(ctx: MergeContext): void {
  for (const side of [1, 2] as const) {
    const changes = ctx.sides[side];
    const takeWhole = !ctx.settings.detectRenames || changes.relevantSources.size === 0;
    ctx.trivialDirectoriesOkay[side] = takeWhole;
    const pending = [...changes.deferred];
    changes.deferred.clear();
    for (const [path, state] of pending) {
      if (takeWhole) resolveWhole(state, side);
      else descend(ctx, path, state);
    }
    for (const state of changes.deferred.values()) resolveWhole(state, side);
    changes.deferred.clear();
  }
}

function resolveWhole(state: PathState, side: 1 | 2): void {
  const version = state.stages[side];
  state.result = version;
  state.isNull = version.mode === 0;
  state.matchMask = 0;
  state.clean = true;
}
