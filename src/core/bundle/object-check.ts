/**
 * The checks every imported object passes before it is stored, as `receive.fsckObjects` with
 * `--strict` would apply them (RELIABILITY P9): commits and tags must parse with their required
 * headers and identities; tree entries must have a known mode, a safe name (no `.`, `..`, `.git`
 * in any NTFS/HFS+ spelling, no `/`), no duplicates, git's order, and `.gitmodules` may not be a
 * symlink. Legacy quirks git itself tolerates (zero-padded modes, odd time zones) pass.
 */
import { GitError } from '../errors/git-error';
import { parseCommit } from '../objects/commit';
import type { RawObject } from '../objects/git-object';
import type { Oid } from '../objects/oid';
import { unsafeComponentReason } from '../objects/path-safety';
import { parseTag } from '../objects/tag';
import { isSortedTree, parseTree } from '../objects/tree';
import { RejectedObjectError } from './bundle-errors';

const TREE_MODES = new Set(['40000', '040000', '100644', '100755', '100664', '120000', '160000']);
const SYMLINK_MODE = '120000';

function checkTree(oid: Oid, body: Uint8Array): void {
  const entries = parseTree(body, oid);
  const names = new Set<string>();
  for (const entry of entries) {
    if (!TREE_MODES.has(entry.mode)) {
      throw new RejectedObjectError(`tree entry '${entry.name}' has bad mode ${entry.mode}`, oid);
    }
    const reason = unsafeComponentReason(entry.name);
    if (reason !== undefined) {
      throw new RejectedObjectError(`tree entry name refused (${reason})`, oid);
    }
    if (entry.mode === SYMLINK_MODE && entry.name.toLowerCase() === '.gitmodules') {
      throw new RejectedObjectError('.gitmodules is a symbolic link', oid);
    }
    if (names.has(entry.name)) {
      throw new RejectedObjectError(`duplicate tree entry '${entry.name}'`, oid);
    }
    names.add(entry.name);
  }
  if (!isSortedTree(entries)) throw new RejectedObjectError('tree entries not sorted', oid);
}

/** Throws RejectedObjectError when `object` would be refused by a strict fsck. */
export function checkObject(oid: Oid, object: RawObject): void {
  try {
    switch (object.type) {
      case 'blob':
        return;
      case 'tree':
        return checkTree(oid, object.body);
      case 'commit':
        parseCommit(object.body, oid);
        return;
      case 'tag':
        parseTag(object.body, oid);
        return;
    }
  } catch (error: unknown) {
    if (error instanceof RejectedObjectError) throw error;
    if (error instanceof GitError) throw new RejectedObjectError(error.message, oid);
    throw error;
  }
}

const GITMODULES_SETTING = /^\s*(url|path)\s*=\s*"?(.*?)"?\s*$/i;
const GITMODULES_SECTION = /^\s*\[\s*submodule\s+"(.*)"\s*\]\s*$/i;

/**
 * The `.gitmodules` check git's fsck applies to blobs named so in a tree: no submodule name
 * with a `..` component, no `url` or `path` that looks like a command-line option.
 */
export function checkGitmodules(oid: Oid, body: Uint8Array): void {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  for (const line of text.split('\n')) {
    const section = GITMODULES_SECTION.exec(line);
    if (section !== null && section[1]!.split(/[/\\]/).includes('..')) {
      throw new RejectedObjectError('.gitmodules names a submodule with a ".." component', oid);
    }
    const setting = GITMODULES_SETTING.exec(line);
    if (setting !== null && setting[2]!.startsWith('-')) {
      throw new RejectedObjectError(
        `.gitmodules has an option-like ${setting[1]!.toLowerCase()}`,
        oid,
      );
    }
  }
}

/** Every object checked, plus the `.gitmodules` blobs the trees name. */
export function checkObjects(
  objects: ReadonlyMap<Oid, RawObject>,
  onProgress?: (done: number) => void,
): void {
  const gitmodules = new Set<Oid>();
  let done = 0;
  for (const [oid, object] of objects) {
    checkObject(oid, object);
    if (object.type === 'tree') {
      for (const entry of parseTree(object.body, oid)) {
        if (entry.mode !== SYMLINK_MODE && isGitmodulesName(entry.name)) gitmodules.add(entry.oid);
      }
    }
    if (++done % 10_000 === 0) onProgress?.(done);
  }
  for (const oid of gitmodules) {
    const blob = objects.get(oid);
    if (blob?.type === 'blob') checkGitmodules(oid, blob.body);
  }
}

/** `.gitmodules` as NTFS and HFS+ may also spell it (case, trailing dots/spaces, 8.3 name). */
function isGitmodulesName(name: string): boolean {
  const folded = name.replace(/[. ]+$/, '').toLowerCase();
  return folded === '.gitmodules' || folded === 'gitmod~1';
}
