/**
 * One side's version of a path in a merge: a canonical numeric mode (0 when the path is
 * absent on that side) and an object id. Modes are numbers here because the merge rules test
 * file types the way git does (`S_IFMT & mode`), and a regular file's mode is canonicalized
 * as git canonicalizes it when reading trees (any owner-execute bit means 100755).
 */
import { ZERO_OID, type Oid } from '../objects/oid';

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFGITLINK = 0o160000;

export const MODE_REGULAR = 0o100644;
export const MODE_EXECUTABLE = 0o100755;

/** The id git gives the empty blob; empty files are never rename sources or targets. */
export const EMPTY_BLOB_OID: Oid = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

export interface FileVersion {
  readonly mode: number;
  readonly oid: Oid;
}

export const ABSENT: FileVersion = { mode: 0, oid: ZERO_OID };

/** A tree entry mode as git normalizes it (`canon_mode`). */
export function canonicalMode(mode: string): number {
  const value = parseInt(mode, 8);
  switch (value & S_IFMT) {
    case S_IFREG:
      return (value & 0o100) !== 0 ? MODE_EXECUTABLE : MODE_REGULAR;
    case S_IFDIR:
      return S_IFDIR;
    case S_IFLNK:
      return S_IFLNK;
    default:
      return S_IFGITLINK;
  }
}

/** The mode as a tree object spells it (`40000` for directories). */
export function modeText(mode: number): string {
  return mode.toString(8);
}

export function fileType(mode: number): number {
  return mode & S_IFMT;
}

export function isRegular(mode: number): boolean {
  return (mode & S_IFMT) === S_IFREG;
}

export function isDirectoryMode(mode: number): boolean {
  return (mode & S_IFMT) === S_IFDIR;
}

export function isAbsent(version: FileVersion): boolean {
  return version.mode === 0;
}

export function sameVersion(a: FileVersion, b: FileVersion): boolean {
  return a.mode === b.mode && a.oid === b.oid;
}
