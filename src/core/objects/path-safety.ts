/**
 * Which repository paths are safe to accept: the rules git's `verify_path` and
 * `fsck` apply, so that no path we store can escape a checkout or overwrite `.git`
 * on case-insensitive (NTFS, HFS+) file systems.
 */
import { EmptyPathError, InvalidFilePathError } from '../errors/path-errors';

export const MAX_PATH_BYTES = 4096;

// Code points HFS+ and NTFS ignore when comparing names (git's is_hfs_dotgit list, and BOM).
const IGNORABLE_CODE_POINTS = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL_CHAR = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when a single path component names the git directory on some file system: `.git` in any
 * case, with trailing dots/spaces, an NTFS stream suffix (`.git::$INDEX_ALLOCATION`), HFS+
 * ignorable code points, or the 8.3 short name `git~1`.
 */
export function isDotGitComponent(name: string): boolean {
  let normalized = name.replace(IGNORABLE_CODE_POINTS, '');
  const colon = normalized.indexOf(':');
  if (colon >= 0) normalized = normalized.slice(0, colon);
  normalized = normalized.replace(/[. ]+$/, '').toLowerCase();
  return normalized === '.git' || normalized === 'git~1';
}

/** Reason a single component is unsafe, or undefined when it is fine. */
export function unsafeComponentReason(name: string): string | undefined {
  if (name === '') return 'empty path component';
  if (name === '.' || name === '..') return `'${name}' component`;
  if (name.includes('\\')) return 'backslash in path';
  if (name.includes('/')) return 'slash in name';
  if (CONTROL_CHAR.test(name)) return 'control character in path';
  if (isDotGitComponent(name)) return "'.git' component";
  return undefined;
}

/**
 * Checks a repository-relative path (`a/b.txt`) and returns it unchanged when safe.
 * Throws EmptyPathError for `''` and InvalidFilePathError, with the reason, otherwise.
 */
export function validateFilePath(path: string): string {
  if (path === '') throw new EmptyPathError();
  if (LONE_SURROGATE.test(path)) throw new InvalidFilePathError(path, 'not valid UTF-8');
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) {
    throw new InvalidFilePathError(path, `longer than ${MAX_PATH_BYTES} bytes`);
  }
  if (path.startsWith('/')) throw new InvalidFilePathError(path, 'absolute path');
  if (/^[A-Za-z]:/.test(path)) throw new InvalidFilePathError(path, 'absolute path (drive letter)');
  for (const component of path.split('/')) {
    const reason = unsafeComponentReason(component);
    if (reason !== undefined) throw new InvalidFilePathError(path, reason);
  }
  return path;
}

/** The parent directory of a path (`''` for top-level names). */
export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
