/**
 * Checks received objects the way `receive.fsckObjects` does with `fsck.strict` (where git's
 * warnings are errors): well-formed commits, tags and trees, identities and dates, tree entry
 * modes, order and names — no `.`/`..`, no `.git` in any NTFS/HFS+ disguise (path-safety.ts), no
 * `.gitmodules` symlink, no dangerous `.gitmodules` (option-like url/path, `..` in a name) — and
 * that everything an object points at exists, in the pack or already in the repository.
 *
 * The first problem throws ObjectCheckError naming the object and git's message id, so a push is
 * refused whole (`unpack <reason>`).
 */
import { GitError } from '../errors/git-error';
import type { RawObject } from '../objects/git-object';
import type { ObjectType } from '../objects/git-object';
import { isDotGitComponent } from '../objects/path-safety';
import type { Oid } from '../objects/oid';
import { compareTreeEntryNames } from '../objects/tree-entry-order';

/** A received object git's fsck would reject. */
export class ObjectCheckError extends GitError {
  readonly code = 'OBJECT_CHECK_FAILED';
  readonly kind = 'invalid-argument';
  constructor(
    readonly oid: Oid,
    readonly check: string,
    reason: string,
  ) {
    super(`object ${oid}: ${check}: ${reason}`, { oid, check, reason });
  }
}

/** Looks up an object outside the pack (the repository); undefined when absent. */
export type ExistingObjectLookup = (oid: Oid) => ObjectType | undefined;

const ALLOWED_MODES = new Set(['100644', '100755', '120000', '40000', '160000']);
const HEX40 = /^[0-9a-f]{40}$/;
/** Printable ASCII without a backslash. */
const PLAIN_NAME = /^[\x20-\x5b\x5d-\x7e]*$/;

function fail(oid: Oid, check: string, reason: string): never {
  throw new ObjectCheckError(oid, check, reason);
}

/** The header block (up to the blank line) as text; git's verify_headers. */
function headerBlock(oid: Oid, body: Uint8Array): string {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const blank = buf.indexOf('\n\n');
  const end = blank < 0 ? buf.length : blank + 1;
  const nul = buf.indexOf(0);
  if (nul >= 0 && nul < end) fail(oid, 'nulInHeader', 'NUL byte in the header');
  if (blank < 0 && (buf.length === 0 || buf[buf.length - 1] !== 0x0a)) {
    fail(oid, 'unterminatedHeader', 'header does not end with a newline');
  }
  return buf.toString('utf8', 0, end);
}

/** git's fsck_ident: `Name <email> <seconds> <+hhmm>`. */
function checkIdent(oid: Oid, what: string, value: string): void {
  const match = /^([^<>\n]*) <([^<>\n]*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (match === null) {
    if (!/^[^<>\n]*<[^<>\n]*>/.test(value)) fail(oid, 'badEmail', `bad ${what} identity`);
    if (!/> \d/.test(value)) fail(oid, 'badDate', `bad ${what} date`);
    fail(oid, 'badTimezone', `bad ${what} timezone`);
  }
  const seconds = match[3]!;
  if (seconds.length > 1 && seconds.startsWith('0')) {
    fail(oid, 'zeroPaddedDate', `zero-padded ${what} date`);
  }
  if (seconds.length > 19 || Number(seconds) > Number.MAX_SAFE_INTEGER) {
    fail(oid, 'badDateOverflow', `${what} date out of range`);
  }
}

interface Links {
  readonly refs: Array<[Oid, ObjectType | undefined]>;
}

function checkCommit(oid: Oid, body: Uint8Array): Links {
  const lines = headerBlock(oid, body).split('\n');
  let at = 0;
  const refs: Links['refs'] = [];
  const tree = /^tree (.*)$/.exec(lines[at] ?? '');
  if (tree === null) fail(oid, 'missingTree', 'commit does not start with a tree line');
  if (!HEX40.test(tree[1]!)) fail(oid, 'badTreeSha1', 'invalid tree id');
  refs.push([tree[1]!, 'tree']);
  at++;
  while ((lines[at] ?? '').startsWith('parent ')) {
    const parent = lines[at]!.slice(7);
    if (!HEX40.test(parent)) fail(oid, 'badParentSha1', 'invalid parent id');
    refs.push([parent, 'commit']);
    at++;
  }
  if (!(lines[at] ?? '').startsWith('author ')) fail(oid, 'missingAuthor', 'no author line');
  checkIdent(oid, 'author', lines[at]!.slice(7));
  at++;
  if ((lines[at] ?? '').startsWith('author ')) fail(oid, 'multipleAuthors', 'several authors');
  if (!(lines[at] ?? '').startsWith('committer ')) {
    fail(oid, 'missingCommitter', 'no committer line');
  }
  checkIdent(oid, 'committer', lines[at]!.slice(10));
  return { refs };
}

function checkTag(oid: Oid, body: Uint8Array): Links {
  const lines = headerBlock(oid, body).split('\n');
  const object = /^object (.*)$/.exec(lines[0] ?? '');
  if (object === null) fail(oid, 'missingObject', 'tag does not start with an object line');
  if (!HEX40.test(object[1]!)) fail(oid, 'badObjectSha1', 'invalid object id');
  const type = /^type (.*)$/.exec(lines[1] ?? '');
  if (type === null) fail(oid, 'missingTypeEntry', 'no type line');
  if (!['blob', 'tree', 'commit', 'tag'].includes(type[1]!)) fail(oid, 'badType', 'bad type');
  const name = /^tag (.*)$/.exec(lines[2] ?? '');
  if (name === null || name[1] === '') fail(oid, 'missingTagEntry', 'no tag line');
  if ((lines[3] ?? '').startsWith('tagger ')) checkIdent(oid, 'tagger', lines[3]!.slice(7));
  return { refs: [[object[1]!, type[1] as ObjectType]] };
}

/** `.gitmodules` under any name a file system would treat as it. */
function isGitmodulesName(name: string): boolean {
  const normalized = name
    .replace(/[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g, '')
    .replace(/[. ]+$/, '')
    .toLowerCase();
  return normalized === '.gitmodules' || /^gi7eba~[1-4]$|^gitmod~[1-4]$/.test(normalized);
}

interface TreeLinks extends Links {
  /** Blobs stored as `.gitmodules` (checked as such). */
  readonly gitmodules: Oid[];
}

function checkTree(oid: Oid, body: Uint8Array): TreeLinks {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const refs: Links['refs'] = [];
  const gitmodules: Oid[] = [];
  let pos = 0;
  let previous: { name: string; tree: boolean } | undefined;
  const names = new Set<string>();
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    if (space < 0) fail(oid, 'badTree', 'entry without a mode');
    const mode = buf.toString('latin1', pos, space);
    if (mode.startsWith('0')) fail(oid, 'zeroPaddedFilemode', `zero-padded mode ${mode}`);
    if (!ALLOWED_MODES.has(mode)) fail(oid, 'badFilemode', `bad mode ${mode.slice(0, 8)}`);
    const nul = buf.indexOf(0, space + 1);
    if (nul < 0 || nul + 21 > buf.length) fail(oid, 'badTree', 'truncated entry');
    const raw = buf.subarray(space + 1, nul);
    const name = raw.toString('utf8');
    const entryOid = buf.toString('hex', nul + 1, nul + 21);
    pos = nul + 21;
    if (raw.length === 0) fail(oid, 'emptyName', 'empty entry name');
    if (name.includes('/')) fail(oid, 'fullPathname', 'entry name contains a slash');
    if (name === '.') fail(oid, 'hasDot', "entry named '.'");
    if (name === '..') fail(oid, 'hasDotdot', "entry named '..'");
    // Plain ASCII names without "git", "~" or "\\" cannot alias .git or .gitmodules: skip the
    // normalising checks for them (nearly every name).
    const suspicious = !PLAIN_NAME.test(name) || /git|~/i.test(name);
    if (suspicious && isDotGitComponent(name)) fail(oid, 'hasDotgit', `entry '${name}' names .git`);
    if (suspicious && name.includes('\\')) {
      // git's verify_path on Windows: `..\x` and `.git\x` escape a checkout there.
      for (const part of name.split('\\')) {
        if (part === '..' || isDotGitComponent(part)) {
          fail(oid, 'hasDotgit', 'entry name escapes through a backslash');
        }
      }
    }
    if (entryOid === '0'.repeat(40)) fail(oid, 'nullSha1', 'entry with a null id');
    const isTree = mode === '40000';
    if (suspicious && isGitmodulesName(name)) {
      if (mode === '120000') fail(oid, 'gitmodulesSymlink', '.gitmodules is a symlink');
      if (!isTree && mode !== '160000') gitmodules.push(entryOid);
    }
    if (names.has(name)) fail(oid, 'duplicateEntries', `duplicate entry '${name}'`);
    names.add(name);
    if (previous !== undefined) {
      if (compareTreeEntryNames(previous.name, previous.tree, name, isTree) >= 0) {
        fail(oid, 'treeNotSorted', 'entries are not sorted');
      }
    }
    previous = { name, tree: isTree };
    if (mode !== '160000') refs.push([entryOid, isTree ? 'tree' : 'blob']);
  }
  return { refs, gitmodules };
}

/** git's .gitmodules checks: names without `..` components, url and path not option-like. */
function checkGitmodules(oid: Oid, body: Uint8Array): void {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    const section = /^\[\s*submodule\s+"((?:[^"\\]|\\.)*)"\s*\]/.exec(line);
    if (section !== null) {
      const name = section[1]!.replace(/\\(.)/g, '$1');
      if (name.split(/[/\\]/).includes('..')) {
        fail(oid, 'gitmodulesName', `submodule name '${name.slice(0, 64)}' contains '..'`);
      }
      continue;
    }
    const setting = /^(url|path)\s*=\s*"?(.*?)"?$/i.exec(line);
    if (setting !== null && setting[2]!.startsWith('-')) {
      const key = setting[1]!.toLowerCase();
      fail(oid, key === 'url' ? 'gitmodulesUrl' : 'gitmodulesPath', `option-like ${key}`);
    }
  }
}

/**
 * Checks every received object and the links between them. `existing` answers for objects
 * already in the repository. Throws ObjectCheckError on the first problem.
 */
export function checkReceivedObjects(
  objects: ReadonlyMap<Oid, RawObject>,
  existing: ExistingObjectLookup,
): void {
  const typeOf = (oid: Oid): ObjectType | undefined => objects.get(oid)?.type ?? existing(oid);
  const gitmodules = new Set<Oid>();
  for (const [oid, object] of objects) {
    let links: Links;
    switch (object.type) {
      case 'commit':
        links = checkCommit(oid, object.body);
        break;
      case 'tag':
        links = checkTag(oid, object.body);
        break;
      case 'tree': {
        const tree = checkTree(oid, object.body);
        for (const blob of tree.gitmodules) gitmodules.add(blob);
        links = tree;
        break;
      }
      default:
        continue;
    }
    for (const [target, expected] of links.refs) {
      const actual = typeOf(target);
      if (actual === undefined) fail(oid, 'missingObject', `points at missing object ${target}`);
      if (expected !== undefined && actual !== expected) {
        fail(oid, 'badType', `points at ${target} as a ${expected}, but it is a ${actual}`);
      }
    }
  }
  for (const blob of gitmodules) {
    const object = objects.get(blob);
    if (object !== undefined) checkGitmodules(blob, object.body);
  }
}
