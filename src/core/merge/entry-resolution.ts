/**
 * The last phase of a tree merge: decide every open path and write the trees, children before
 * their directory, as merge-ort's process_entries does.
 *
 * Paths are visited in reverse of an order that puts each directory right before its
 * contents, so a directory is complete (and its tree written, or dropped when empty) by the
 * time its own entry comes up — which is also what settles a file/directory clash: if the
 * directory survived, the file moves aside to `path~label`.
 *
 * Per open path (git's process_entry):
 * - two sides known equal: take the third (or the agreed version);
 * - ours and theirs of different file types (file, symlink, submodule): conflict; the regular
 *   file (or both) moves to `path~label` so each can be recorded;
 * - present on both sides: content merge (path-content-merge.ts) — `add/add` without a base;
 * - modified on one side, deleted on the other: conflict, the modified version stays;
 * - added on one side: taken; deleted on both: gone.
 */
import type { TreeEntry } from '../objects/tree';
import type { Oid } from '../objects/oid';
import { ABSENT, fileType, isRegular, modeText, S_IFDIR, S_IFGITLINK } from './file-version';
import type { MergeContext, PathState } from './merge-state';
import { mergePathContent } from './path-content-merge';

/**
 * Sorts paths as if every one ended in '/', so a directory comes right before its contents
 * (`foo.txt`, `foo`, `foo/bar`); merge-ort's sort_dirs_next_to_their_children.
 */
function compareDirsNextToChildren(one: string, two: string): number {
  const length = Math.min(one.length, two.length);
  let i = 0;
  while (i < length && one.charCodeAt(i) === two.charCodeAt(i)) i++;
  const c1 = i < one.length ? byteOrderUnit(one.charCodeAt(i)) : 0x2f;
  const c2 = i < two.length ? byteOrderUnit(two.charCodeAt(i)) : 0x2f;
  if (c1 === c2) return i < one.length ? 1 : -1;
  return c1 - c2;
}

/** UTF-16 units compared as UTF-8 bytes order them (surrogates after U+E000-U+FFFF). */
function byteOrderUnit(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

function baseName(path: string, dirName: string): string {
  return dirName === '' ? path : path.slice(dirName.length + 1);
}

/** Entries of the directories still being filled, innermost last (git's directory_versions). */
class PendingTrees {
  private readonly entries: Array<{ name: string; state: PathState }> = [];
  private readonly dirs: Array<{ dir: string; offset: number }> = [];
  private lastDir: string | undefined;

  constructor(private readonly ctx: MergeContext) {}

  record(path: string, state: PathState): void {
    if (state.isNull || state.result.mode === 0) return;
    this.entries.push({ name: baseName(path, state.dirName), state });
  }

  /** Called before each path: closes the directory we just left, if any. */
  enter(dir: string): void {
    if (dir === this.lastDir) return;
    if (this.lastDir === undefined || dir.startsWith(this.lastDir)) {
      this.lastDir = dir;
      this.dirs.push({ dir, offset: this.entries.length });
      return;
    }
    const closing = this.dirs.pop()!;
    const dirState = this.ctx.paths.get(closing.dir)!;
    if (closing.offset === this.entries.length) {
      dirState.isNull = true; // everything below merged away
    } else {
      dirState.isNull = false;
      dirState.result = { mode: S_IFDIR, oid: this.write(closing.offset) };
    }
    this.entries.length = closing.offset;
    if (this.dirs[this.dirs.length - 1]?.dir !== dir)
      this.dirs.push({ dir, offset: this.entries.length });
    this.lastDir = dir;
  }

  write(offset: number): Oid {
    const tree: TreeEntry[] = [];
    for (let i = offset; i < this.entries.length; i++) {
      const { name, state } = this.entries[i]!;
      tree.push({ mode: modeText(state.result.mode), name, oid: state.result.oid });
    }
    return this.ctx.odb.writeTree(tree);
  }

  /** The root tree, once every path has been visited. */
  finish(): Oid {
    return this.write(0);
  }
}

/** Decides every path and writes the merged tree; returns the root tree id. */
export function resolveEntries(ctx: MergeContext): Oid {
  const ordered = [...ctx.paths.keys()].sort(compareDirsNextToChildren);
  const pending = new PendingTrees(ctx);
  for (let k = ordered.length - 1; k >= 0; k--) {
    const path = ordered[k]!;
    const state = ctx.paths.get(path)!;
    pending.enter(state.dirName);
    if (state.clean) pending.record(path, state);
    else resolveEntry(ctx, path, state, pending);
  }
  return pending.finish();
}

function clearDirectoryStages(state: PathState): void {
  state.matchMask &= ~state.dirmask;
  state.dirmask = 0;
  for (let side = 0; side < 3; side++) {
    if ((state.filemask & (1 << side)) === 0) state.stages[side] = ABSENT;
  }
}

function resolveEntry(
  ctx: MergeContext,
  startPath: string,
  startState: PathState,
  pending: PendingTrees,
): void {
  let path = startPath;
  let state = startState;
  let dfFileSide = 0;
  const depth = ctx.settings.callDepth;

  if (state.dirmask !== 0) {
    pending.record(path, state);
    if (state.filemask === 0) return;
  }

  if (state.dfConflict && state.result.mode === 0) {
    // The directory merged away: the file can have the path.
    state.dfConflict = false;
    state.clean = false;
    state.isNull = false;
    clearDirectoryStages(state);
  } else if (state.dfConflict) {
    // The directory stays; the file moves aside.
    if (state.filemask === 1) {
      state.filemask = 0; // a file both sides deleted
      return;
    }
    const moved = state.clone();
    clearDirectoryStages(moved);
    dfFileSide = (state.dirmask & 2) !== 0 ? 2 : 1;
    const label = ctx.branch(dfFileSide as 1 | 2);
    const oldPath = path;
    path = ctx.uniquePath(path, label);
    ctx.paths.set(path, moved);
    ctx.report(
      'file/directory',
      [path, oldPath],
      `CONFLICT (file/directory): directory in the way of ${oldPath} from ${label}; moving it to ${path} instead.`,
    );
    state.filemask = 0;
    state = moved;
  }

  if (state.matchMask !== 0) {
    state.clean = !state.dfConflict && !state.pathConflict;
    if (state.matchMask === 6) {
      state.result = state.stages[1];
    } else {
      const side = (7 & ~state.matchMask) === 4 ? 2 : 1;
      state.result = state.stages[side];
      state.isNull = state.result.mode === 0;
      if (state.isNull) state.clean = true;
    }
  } else if (
    state.filemask >= 6 &&
    fileType(state.stages[1].mode) !== fileType(state.stages[2].mode)
  ) {
    path = resolveDistinctTypes(ctx, path, state, pending);
  } else if (state.filemask >= 6) {
    const outcome = mergePathContent(
      ctx,
      path,
      state.stages[0],
      state.stages[1],
      state.stages[2],
      state.pathnames,
      depth * 2,
    );
    state.clean = outcome.clean && !state.dfConflict && !state.pathConflict;
    state.result = outcome.result;
    state.isNull = outcome.result.mode === 0;
    if (outcome.clean && state.dfConflict) {
      state.filemask = 1 << dfFileSide;
      state.stages[dfFileSide] = outcome.result;
    }
    if (!outcome.clean) {
      const reason =
        fileType(outcome.result.mode) === S_IFGITLINK
          ? 'submodule'
          : state.filemask === 6
            ? 'add/add'
            : 'content';
      const kind = outcome.binary ? 'binary' : outcome.contentClean ? 'mode' : reason;
      ctx.report(kind, [path], `CONFLICT (${reason}): Merge conflict in ${path}`);
    }
  } else if (state.filemask === 3 || state.filemask === 5) {
    const side = state.filemask === 5 ? 2 : 1;
    state.result = state.stages[depth > 0 ? 0 : side];
    state.clean = false;
    if (!(state.pathConflict && state.stages[0].oid === state.stages[side].oid)) {
      const modified = ctx.branch(side);
      const deleted = ctx.branch(side === 1 ? 2 : 1);
      ctx.report(
        'modify/delete',
        [path],
        `CONFLICT (modify/delete): ${path} deleted in ${deleted} and modified in ${modified}.  Version ${modified} of ${path} left in tree.`,
      );
    }
  } else if (state.filemask === 2 || state.filemask === 4) {
    state.result = state.stages[state.filemask === 4 ? 2 : 1];
    state.clean = !state.dfConflict && !state.pathConflict;
  } else if (state.filemask === 1) {
    state.isNull = true;
    state.result = ABSENT;
    state.clean = !state.pathConflict;
  }

  if (!state.clean) ctx.conflicted.set(path, state);
  pending.record(path, state);
}

/**
 * Ours and theirs are different kinds of file at one path: both cannot live there. In a
 * merge of merge bases the base wins; otherwise the regular file (or, with none, both sides)
 * moves to `path~label`. Returns the path the ours entry ends up at.
 */
function resolveDistinctTypes(
  ctx: MergeContext,
  path: string,
  state: PathState,
  pending: PendingTrees,
): string {
  if (ctx.settings.callDepth > 0) {
    state.clean = false;
    state.result = state.stages[0];
    state.isNull = state.result.mode === 0;
    return path;
  }
  const [baseVersion, oursVersion, theirsVersion] = state.stages;
  const renameOurs = isRegular(oursVersion.mode) || !isRegular(theirsVersion.mode);
  const renameTheirs = !isRegular(oursVersion.mode);
  const oursPath = renameOurs ? ctx.uniquePath(path, ctx.branch(1)) : undefined;
  const theirsPath = renameTheirs ? ctx.uniquePath(path, ctx.branch(2)) : path;
  ctx.report(
    'mode',
    [path, ...(oursPath !== undefined ? [oursPath] : []), ...(renameTheirs ? [theirsPath] : [])],
    renameOurs && renameTheirs
      ? `CONFLICT (distinct types): ${path} had different types on each side; renamed both of them so each can be recorded somewhere.`
      : `CONFLICT (distinct types): ${path} had different types on each side; renamed one of them so each can be recorded somewhere.`,
  );

  state.clean = false;
  const theirsEntry = state.clone();
  theirsEntry.result = theirsVersion;
  theirsEntry.stages[1] = ABSENT;
  theirsEntry.filemask = 5;
  if (fileType(theirsVersion.mode) !== fileType(baseVersion.mode)) {
    theirsEntry.stages[0] = ABSENT;
    theirsEntry.filemask = 4;
  }
  state.result = oursVersion;
  state.stages[2] = ABSENT;
  state.filemask = 3;
  if (fileType(oursVersion.mode) !== fileType(baseVersion.mode)) {
    state.stages[0] = ABSENT;
    state.filemask = 2;
  }
  if (oursPath !== undefined) ctx.paths.set(oursPath, state);
  ctx.paths.set(theirsPath, theirsEntry);
  if (oursPath !== undefined && renameTheirs) ctx.paths.delete(path);
  ctx.conflicted.set(theirsPath, theirsEntry);
  pending.record(theirsPath, theirsEntry);
  return oursPath ?? path;
}
