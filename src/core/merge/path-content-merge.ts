/**
 * Merging the two sides' versions of one path of the same file type, as merge-ort's
 * handle_content_merge does:
 *
 * - modes: a side that kept the base mode yields to the other; two different changes of the
 *   executable bit keep ours and conflict;
 * - ids: a side equal to the base (or to the other side) yields to the other, no read needed;
 * - regular files: a line merge (blob-merge.ts), two-way when the base is not a regular file,
 *   labelled with the side names, or `name:path` when a rename gave the sides different paths;
 * - symlinks cannot be merged: ours, conflicted; submodules cannot be merged without their
 *   history: ours, conflicted. In a merge of merge bases both fall back to the base.
 */
import { mergeBlobs, DEFAULT_MARKER_SIZE } from './blob-merge';
import { fileType, isRegular, S_IFGITLINK, type FileVersion } from './file-version';
import type { MergeContext } from './merge-state';

export interface ContentMergeOutcome {
  readonly clean: boolean;
  readonly result: FileVersion;
  /** True when the line merge refused binary content. */
  readonly binary: boolean;
  /** True when both sides changed the mode differently. */
  readonly modeConflict: boolean;
  /** True when the contents merged without conflict (whatever the modes did). */
  readonly contentClean: boolean;
}

/**
 * Merges `ours` and `theirs` (same file type) against `base` for the file at `path`.
 * `pathnames` are the paths of base, ours and theirs; `extraMarkerSize` lengthens markers for
 * merges whose result is merged again (rename collisions, virtual bases).
 */
export function mergePathContent(
  ctx: MergeContext,
  path: string,
  base: FileVersion,
  ours: FileVersion,
  theirs: FileVersion,
  pathnames: readonly [string, string, string],
  extraMarkerSize: number,
): ContentMergeOutcome {
  let mode: number;
  let modeConflict = false;
  if (ours.mode === theirs.mode || ours.mode === base.mode) {
    mode = theirs.mode;
  } else {
    mode = ours.mode;
    modeConflict = theirs.mode !== base.mode;
  }
  const clean = !modeConflict;

  const depth = ctx.settings.callDepth;
  if (ours.oid === theirs.oid || ours.oid === base.oid)
    return {
      clean,
      result: { mode, oid: theirs.oid },
      binary: false,
      modeConflict,
      contentClean: true,
    };
  if (theirs.oid === base.oid)
    return {
      clean,
      result: { mode, oid: ours.oid },
      binary: false,
      modeConflict,
      contentClean: true,
    };

  if (isRegular(ours.mode)) {
    const twoWay = fileType(base.mode) !== fileType(ours.mode);
    const { labels } = ctx.settings;
    const samePaths = pathnames[0] === pathnames[1] && pathnames[1] === pathnames[2];
    const merged = mergeBlobs(
      twoWay ? null : ctx.odb.readBlob(base.oid),
      ctx.odb.readBlob(ours.oid),
      ctx.odb.readBlob(theirs.oid),
      {
        labels: samePaths
          ? labels
          : {
              base: `${labels.base}:${pathnames[0]}`,
              ours: `${labels.ours}:${pathnames[1]}`,
              theirs: `${labels.theirs}:${pathnames[2]}`,
            },
        style: ctx.settings.style,
        markerSize: DEFAULT_MARKER_SIZE + extraMarkerSize,
        virtualAncestor: depth > 0,
      },
    );
    const oid = ctx.odb.writeBlob(merged.content);
    if (merged.binary && !merged.clean) {
      ctx.report(
        'binary',
        [path],
        `warning: Cannot merge binary files: ${path} (${labels.ours} vs. ${labels.theirs})`,
      );
    }
    return {
      clean: clean && merged.clean,
      result: { mode, oid },
      binary: merged.binary,
      modeConflict,
      contentClean: merged.clean,
    };
  }

  if (fileType(ours.mode) === S_IFGITLINK) {
    // The submodule's commits are not in this object database: git reports "not checked
    // out" and keeps ours (the base in a merge of merge bases).
    const twoWay = fileType(base.mode) !== fileType(ours.mode);
    if (depth > 0)
      return {
        clean: false,
        result: twoWay ? base : { mode, oid: base.oid },
        binary: false,
        modeConflict,
        contentClean: false,
      };
    return {
      clean: false,
      result: { mode, oid: ours.oid },
      binary: false,
      modeConflict,
      contentClean: false,
    };
  }

  // Symlinks (the only other file type): targets cannot be merged.
  if (depth > 0)
    return { clean: false, result: base, binary: false, modeConflict, contentClean: false };
  return {
    clean: false,
    result: { mode, oid: ours.oid },
    binary: false,
    modeConflict,
    contentClean: false,
  };
}
