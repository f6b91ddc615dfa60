/**
 * The default message of a merge commit, as `git merge <rev>` writes it (builtin/merge.c
 * merge_name + fmt-merge-msg.c), for merges inside one repository:
 *
 *   Merge branch 'feature' into topic        <rev> names a branch
 *   Merge branch 'feature' (early part)      <rev> is `branch~N` (N > 0) or `branch^...`
 *   Merge tag 'v1' into topic                <rev> names a tag; an annotated tag's message
 *                                            follows after a blank line
 *   Merge remote-tracking branch 'origin/x'  <rev> names a ref under refs/remotes/
 *   Merge commit 'abc1234' into topic        anything else, quoted as the caller wrote it
 *
 * ` into <branch>` is left out for `main` and `master`, git's default `merge.suppressDest`.
 * Which ref a name means follows the contract's resolution order (§0.7: branches before tags),
 * where git would warn about an ambiguous name and take the tag.
 */
import type { ObjectDatabase } from '../objects/object-database';
import { isOid } from '../objects/oid';
import { BRANCH_PREFIX, branchRef, TAG_PREFIX, tagRef } from '../refs/resolve-ref';
import type { RefStore } from '../storage/ref-store';
import { stripSpace } from './cherry-pick-message';

/** Branches whose merge titles omit ` into <branch>` (git's default merge.suppressDest). */
export const SUPPRESSED_MERGE_DESTINATIONS: readonly string[] = ['main', 'master'];

const REMOTE_PREFIX = 'refs/remotes/';

interface MergeSource {
  readonly title: string;
  /** An annotated tag's message, which git appends to the merge message. */
  readonly tagMessage?: string;
}

/** The ref a plain or full name denotes, if it names one (HEAD and ids never do here). */
function namedRef(refs: RefStore, name: string): string | undefined {
  if (name.startsWith('refs/')) return refs.read(name) !== undefined ? name : undefined;
  if (name === 'HEAD' || isOid(name)) return undefined;
  for (const ref of [branchRef(name), tagRef(name)]) if (refs.read(ref) !== undefined) return ref;
  return undefined;
}

/**
 * merge_name's "<branch>~N" / "<branch>^^" rule: the branch name with the suffix cut off and
 * whether git calls it the early part (any `^`, `~` alone, or `~N` with N > 0). Undefined when
 * the name has no such suffix.
 */
function suffixedBranch(name: string): { branch: string; early: boolean } | undefined {
  let cut = 0;
  while (cut < name.length && name[name.length - 1 - cut] === '^') cut++;
  let early = cut > 0;
  if (cut === 0) {
    const tilde = name.lastIndexOf('~');
    if (tilde < 0) return undefined;
    const digits = name.slice(tilde + 1);
    if (!/^[0-9]*$/.test(digits)) return undefined;
    cut = 1 + digits.length;
    early = /[1-9]/.test(digits) || digits === '';
  }
  return { branch: name.slice(0, name.length - cut), early };
}

function describeSource(odb: ObjectDatabase, refs: RefStore, from: string): MergeSource {
  const ref = namedRef(refs, from);
  if (ref?.startsWith(BRANCH_PREFIX)) return { title: `branch '${from}'` };
  if (ref?.startsWith(TAG_PREFIX)) {
    const stored = refs.read(ref);
    if (stored?.kind === 'direct' && odb.has(stored.oid) && odb.typeOf(stored.oid) === 'tag')
      return { title: `tag '${from}'`, tagMessage: odb.readTag(stored.oid).message };
    return { title: `tag '${from}'` };
  }
  if (ref?.startsWith(REMOTE_PREFIX)) return { title: `remote-tracking branch '${from}'` };
  const suffixed = suffixedBranch(from);
  if (suffixed !== undefined && refs.read(branchRef(suffixed.branch)) !== undefined) {
    return { title: `branch '${suffixed.branch}'${suffixed.early ? ' (early part)' : ''}` };
  }
  return { title: `commit '${from}'` };
}

/** git's default message for merging revision `from` (as the caller wrote it) into `into`. */
export function mergeBranchMessage(
  odb: ObjectDatabase,
  refs: RefStore,
  from: string,
  into: string,
): string {
  const source = describeSource(odb, refs, from);
  let message = `Merge ${source.title}`;
  if (!SUPPRESSED_MERGE_DESTINATIONS.includes(into)) message += ` into ${into}`;
  message += '\n';
  if (source.tagMessage !== undefined) message += `\n${source.tagMessage}`;
  return stripSpace(message);
}
