/**
 * Tags: lightweight (a ref to a commit) or annotated (a real tag object, `git tag -a`), with
 * create, delete, list and get. A tag ref is created by compare-and-swap from "absent", so two
 * concurrent creations cannot both succeed.
 */
import {
  InvalidRefError,
  RefNotFoundError,
  TagExistsError,
  TagNotFoundError,
  ConcurrentUpdateError,
} from '../errors/ref-errors';
import { InvalidCommitMessageError, TagCreateFailedError } from '../errors/repo-errors';
import { normalizeMessage } from '../objects/commit';
import type { Oid } from '../objects/oid';
import type { Signature } from '../objects/signature';
import { validateTagName } from '../refs/ref-name';
import { HEAD, TAG_PREFIX, tagRef } from '../refs/resolve-ref';
import { updateRef } from '../refs/ref-update';
import { resolveCommit } from '../walk/rev-parse';
import { MAX_MESSAGE_BYTES } from './commit-message';
import { hasCommits } from './head';
import { DEFAULT_IDENTITY, toSignature, type Identity } from './identity';
import type { RepoContext } from './repo-context';

export interface TagInfo {
  readonly name: string;
  /** The commit the tag finally points at (annotated tags peeled). */
  readonly commit: Oid;
  readonly annotated: boolean;
  /** The tag object's id (annotated only). */
  readonly object?: Oid;
  /** The tag message as stored, normally ending in one newline (annotated only). */
  readonly message?: string;
  readonly tagger?: Signature;
}

export interface CreateTagOptions {
  /** Present (even `''`) → an annotated tag object with this message. */
  readonly message?: string;
  /** The annotated tag's tagger; default DEFAULT_IDENTITY at the repository clock. */
  readonly tagger?: Identity;
}

/**
 * Tags the commit `target` resolves to (default HEAD). Throws InvalidTagNameError,
 * TagExistsError, TagCreateFailedError (no commits yet), RefNotFoundError/InvalidRefError
 * (unknown target), InvalidCommitMessageError (message with NUL or too long).
 */
export function createTag(
  ctx: RepoContext,
  name: string,
  target: string = HEAD,
  options: CreateTagOptions = {},
): TagInfo {
  validateTagName(name);
  const ref = tagRef(name);
  if (ctx.refs.read(ref) !== undefined) throw new TagExistsError(name);
  let commit: Oid;
  try {
    commit = resolveCommit(ctx.odb, ctx.refs, target);
  } catch (error) {
    if (
      (error instanceof RefNotFoundError || error instanceof InvalidRefError) &&
      !hasCommits(ctx.refs)
    ) {
      throw new TagCreateFailedError(name);
    }
    throw error;
  }

  let info: TagInfo = { name, commit, annotated: false };
  let pointsAt = commit;
  if (options.message !== undefined) {
    const message = tagMessage(options.message);
    const tagger = toSignature(options.tagger ?? DEFAULT_IDENTITY, ctx.clock, 'tagger');
    pointsAt = ctx.odb.writeTag({
      object: commit,
      type: 'commit',
      name,
      tagger,
      extraHeaders: [],
      message,
    });
    info = { name, commit, annotated: true, object: pointsAt, message, tagger };
  }
  const result = updateRef(ctx.refs, ctx.graph, { name: ref, expect: null, next: pointsAt });
  if (result.status !== 'created') throw new TagExistsError(name);
  return info;
}

/** Git's `tag -m` cleanup; an empty message stays empty (git writes no newline then). */
function tagMessage(message: string): string {
  if (message.includes('\0')) throw new InvalidCommitMessageError('contains a NUL byte');
  if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) {
    throw new InvalidCommitMessageError(`longer than ${MAX_MESSAGE_BYTES} bytes`);
  }
  return message.trim() === '' ? '' : normalizeMessage(message);
}

/** Deletes a tag and returns what its ref pointed at. Throws TagNotFoundError. */
export function deleteTag(ctx: RepoContext, name: string): Oid {
  const ref = tagRef(name);
  const stored = ctx.refs.read(ref);
  if (stored?.kind !== 'direct') throw new TagNotFoundError(name);
  const result = ctx.refs.update({ name: ref, expect: stored.oid, next: null });
  if (result.status === 'lock-failure')
    throw new ConcurrentUpdateError(ref, stored.oid, result.current);
  return stored.oid;
}

/** Every tag by name. */
export function listTags(ctx: RepoContext): TagInfo[] {
  const tags: TagInfo[] = [];
  for (const ref of ctx.refs.list(TAG_PREFIX)) {
    if (ref.kind === 'direct')
      tags.push(describeTag(ctx, ref.name.slice(TAG_PREFIX.length), ref.oid));
  }
  return tags;
}

/** One tag. Throws TagNotFoundError. */
export function getTag(ctx: RepoContext, name: string): TagInfo {
  const stored = ctx.refs.read(tagRef(name));
  if (stored?.kind !== 'direct') throw new TagNotFoundError(name);
  return describeTag(ctx, name, stored.oid);
}

function describeTag(ctx: RepoContext, name: string, oid: Oid): TagInfo {
  if (!ctx.odb.has(oid) || ctx.odb.typeOf(oid) !== 'tag')
    return { name, commit: oid, annotated: false };
  const tag = ctx.odb.readTag(oid);
  return {
    name,
    commit: ctx.odb.peel(oid),
    annotated: true,
    object: oid,
    message: tag.message,
    ...(tag.tagger ? { tagger: tag.tagger } : {}),
  };
}
