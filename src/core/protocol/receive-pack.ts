/**
 * The server side of `git push` over stateless HTTP (git's receive-pack): the ref advertisement,
 * reading the update commands and the pack that follows them, checking every received object
 * (pack-limits.ts + object-fsck.ts), deciding and applying the ref updates, and the
 * report-status answer.
 *
 * The pack is read and checked completely before anything is written, so a bad pack changes
 * nothing. `applyPush` is synchronous: it runs inside the repository's serialized write, decides
 * each update against the refs as they are at that moment (compare-and-swap on the client's old
 * id, fast-forward rule, current-branch rule), stores the new objects only when at least one
 * update is accepted, moves the refs, and brings the server-side working state along when the
 * checked-out branch moved (as the REST API does for a reset of the current branch).
 */
import { GitError } from '../errors/git-error';
import { ProtocolError, ProtocolRequestTooLargeError } from '../errors/protocol-errors';
import { parseCommit } from '../objects/commit';
import type { RawObject } from '../objects/git-object';
import { ZERO_OID, type Oid } from '../objects/oid';
import type { Signature } from '../objects/signature';
import { isValidRefName } from '../refs/ref-name';
import { BRANCH_PREFIX, HEAD, resolveRef, TAG_PREFIX } from '../refs/resolve-ref';
import type { Repository } from '../repo/repository';
import type { RefChange, RefStore } from '../storage/ref-store';
import { isInternalRef } from './advertised-refs';
import { checkReceivedObjects } from './object-fsck';
import type { PackLimits } from './pack-limits';
import { parsePack } from './pack-reader';
import {
  BAND_DATA,
  encodePktText,
  encodeSideBand,
  FLUSH_PKT,
  PktLineDecoder,
  pktText,
  type PktLine,
} from './pkt-line';
import { refAdvertisementLines, servicePreamble } from './upload-pack';

export const RECEIVE_PACK_CAPABILITIES = [
  'report-status',
  'report-status-v2',
  'delete-refs',
  'side-band-64k',
  'quiet',
  'atomic',
  'ofs-delta',
  'push-options',
];

/** Commands per push and bytes of the command section at most (the pack has its own limit). */
const MAX_COMMANDS = 100_000;
const MAX_COMMAND_BYTES = 10 * 1024 * 1024;
const MAX_PUSH_OPTIONS = 1000;

export interface PushCommand {
  readonly ref: string;
  /** null: the client expects the ref not to exist (create). */
  readonly oldOid: Oid | null;
  /** null: delete. */
  readonly newOid: Oid | null;
}

export interface PushRequest {
  readonly commands: readonly PushCommand[];
  readonly capabilities: ReadonlySet<string>;
  readonly pushOptions: readonly string[];
  /** The bytes after the commands: the pack (absent when every command is a delete). */
  readonly pack: AsyncIterable<Uint8Array>;
}

/** The info/refs answer for git-receive-pack (refs only, never HEAD or refs/govc/). */
export function advertiseReceivePack(refs: RefStore, agent: string): Buffer {
  const listed: Array<{ name: string; oid: Oid }> = [];
  for (const ref of refs.list('refs/')) {
    if (isInternalRef(ref.name)) continue;
    const oid = ref.kind === 'direct' ? ref.oid : resolveRef(refs, ref.name).oid;
    if (oid !== null) listed.push({ name: ref.name, oid });
  }
  const capabilities = [...RECEIVE_PACK_CAPABILITIES, 'object-format=sha1', `agent=${agent}`];
  return Buffer.concat([
    servicePreamble('git-receive-pack'),
    refAdvertisementLines(listed, capabilities.join(' ')),
    FLUSH_PKT,
  ]);
}

/** Pulls pkt-lines off a chunk stream, then hands over the rest of the stream untouched. */
class PktStream {
  private readonly decoder = new PktLineDecoder();
  private readonly chunks: AsyncIterator<Uint8Array>;
  private ended = false;
  private read = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** The next packet, or undefined at the end of the stream. */
  async next(): Promise<PktLine | undefined> {
    for (;;) {
      const line = this.decoder.next();
      if (line !== undefined) return line;
      if (this.ended) {
        if (this.decoder.buffered > 0) throw new ProtocolError('request ends inside a pkt-line');
        return undefined;
      }
      const chunk = await this.chunks.next();
      if (chunk.done === true) {
        this.ended = true;
        continue;
      }
      this.read += chunk.value.length;
      if (this.read > MAX_COMMAND_BYTES + 65536 * 4) {
        throw new ProtocolRequestTooLargeError(MAX_COMMAND_BYTES);
      }
      this.decoder.push(chunk.value);
    }
  }

  /** What follows the packets read so far. */
  rest(): AsyncIterable<Uint8Array> {
    const head = Buffer.from(this.decoder.rest());
    const chunks = this.chunks;
    const ended = this.ended;
    return {
      async *[Symbol.asyncIterator]() {
        if (head.length > 0) yield head;
        if (ended) return;
        for (;;) {
          const next = await chunks.next();
          if (next.done === true) return;
          yield next.value;
        }
      },
    };
  }
}

function parseCommandLine(text: string): PushCommand {
  const match = /^([0-9a-f]{40}) ([0-9a-f]{40}) (.+)$/.exec(text);
  if (match === null) throw new ProtocolError(`malformed update command '${text.slice(0, 100)}'`);
  const [, oldHex, newHex, ref] = match;
  return {
    ref: ref!,
    oldOid: oldHex === ZERO_OID ? null : oldHex!,
    newOid: newHex === ZERO_OID ? null : newHex!,
  };
}

/** Reads the commands (and push options) of a push; the pack stays unread in `pack`. */
export async function readPushRequest(source: AsyncIterable<Uint8Array>): Promise<PushRequest> {
  const stream = new PktStream(source);
  const commands: PushCommand[] = [];
  const capabilities = new Set<string>();
  for (;;) {
    const packet = await stream.next();
    if (packet === undefined) {
      if (commands.length === 0) break;
      throw new ProtocolError('update commands must end with a flush');
    }
    if (packet.type === 'flush') break;
    if (packet.type !== 'data') throw new ProtocolError('unexpected special packet in commands');
    let text = pktText(packet)!;
    if (commands.length === 0) {
      const nul = text.indexOf('\0');
      if (nul >= 0) {
        for (const cap of text.slice(nul + 1).split(' ')) if (cap !== '') capabilities.add(cap);
        text = text.slice(0, nul);
      }
    }
    if (text.startsWith('shallow ')) continue; // a shallow client names its boundary; ignored
    if (commands.length >= MAX_COMMANDS) throw new ProtocolError('too many update commands');
    commands.push(parseCommandLine(text));
  }
  const pushOptions: string[] = [];
  if (capabilities.has('push-options') && commands.length > 0) {
    for (;;) {
      const packet = await stream.next();
      if (packet === undefined || packet.type === 'flush') break;
      if (pushOptions.length >= MAX_PUSH_OPTIONS) throw new ProtocolError('too many push options');
      const option = pktText(packet);
      if (option === undefined) throw new ProtocolError('unexpected special packet in options');
      pushOptions.push(option);
    }
  }
  return { commands, capabilities, pushOptions, pack: stream.rest() };
}

/** A pushed pack that was refused; `unpackReason` is what `unpack <reason>` reports. */
export class PushRejectedError extends GitError {
  readonly code = 'PUSH_REJECTED';
  readonly kind = 'invalid-argument';
  constructor(readonly unpackReason: string) {
    super(`push rejected: ${unpackReason}`, { reason: unpackReason });
  }
}

export interface ReceiveObjectsOptions {
  readonly limits?: Partial<PackLimits>;
  /** Objects of the repository (thin-pack bases and link targets). */
  readonly existing: (oid: Oid) => RawObject | undefined;
}

export interface ReceivedObjects {
  /** The pack's objects (not yet stored), by id. */
  readonly objects: Map<Oid, RawObject>;
  /** Bytes of the pack as received. */
  readonly packBytes: number;
}

/**
 * Reads the pack of a push and checks every object: limits while reading, then fsck and links.
 * Throws PushRejectedError with git-like reasons.
 */
export async function receivePackObjects(
  pack: AsyncIterable<Uint8Array>,
  options: ReceiveObjectsOptions,
): Promise<ReceivedObjects> {
  const objects = new Map<Oid, RawObject>();
  let packBytes: number | undefined;
  try {
    const iterator = parsePack(pack, {
      ...(options.limits !== undefined ? { limits: options.limits } : {}),
      resolveExternalBase: (oid) => options.existing(oid),
    });
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) {
        packBytes = next.value.byteLength;
        break;
      }
      const { oid, type, body } = next.value;
      if (!objects.has(oid)) objects.set(oid, { type, body });
    }
    checkReceivedObjects(objects, (oid) => options.existing(oid)?.type);
  } catch (error) {
    if (error instanceof GitError) throw new PushRejectedError(error.message);
    throw error;
  }
  return { objects, packBytes: packBytes ?? 0 };
}

// ---- deciding and applying ------------------------------------------------------------------

export type PushUpdateKind = 'created' | 'fast-forward' | 'forced' | 'deleted' | 'no-change';

export interface PushOutcome {
  readonly ref: string;
  /** null when accepted. */
  readonly error: string | null;
  /** The ref's value before the push (null: it did not exist). */
  readonly before: Oid | null;
  readonly after: Oid | null;
  readonly kind?: PushUpdateKind;
}

export interface PushPolicy {
  /** `git.deny_non_fast_forwards`: refuse non-fast-forward updates of branches. */
  readonly denyNonFastForwards: boolean;
  /** `atomic`: all or nothing. */
  readonly atomic: boolean;
  /** Refs refused before the write (hooks), with their reason. */
  readonly refused?: ReadonlyMap<string, string>;
  /** Reflog identity of the pusher. */
  readonly committer: Signature;
}

/** Parents of a commit from the pushed objects, else from the repository's graph. */
function isAncestorWithStaged(
  repo: Repository,
  staged: ReadonlyMap<Oid, RawObject>,
  ancestor: Oid,
  descendant: Oid,
): boolean {
  const seen = new Set<Oid>([descendant]);
  const stack = [descendant];
  while (stack.length > 0) {
    const oid = stack.pop()!;
    if (oid === ancestor) return true;
    const object = staged.get(oid);
    if (object === undefined) {
      if (repo.graph.isCommit(oid) && repo.graph.isCommit(ancestor)) {
        if (repo.graph.isAncestor(ancestor, oid)) return true;
      }
      continue;
    }
    if (object.type !== 'commit') continue;
    for (const parent of parseCommit(object.body, oid).parents) {
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return false;
}

function objectType(
  repo: Repository,
  staged: ReadonlyMap<Oid, RawObject>,
  oid: Oid,
): string | undefined {
  return staged.get(oid)?.type ?? repo.odb.store.get(oid)?.type;
}

/** Why this command cannot apply now, or undefined when it can. */
function refusal(
  repo: Repository,
  staged: ReadonlyMap<Oid, RawObject>,
  command: PushCommand,
  current: Oid | null,
  policy: PushPolicy,
): string | undefined {
  const { ref, oldOid, newOid } = command;
  if (!ref.startsWith('refs/') || !isValidRefName(ref)) return 'funny refname';
  if (isInternalRef(ref)) return 'refusing to update a reserved ref';
  const hook = policy.refused?.get(ref);
  if (hook !== undefined) return hook;
  const stored = repo.refs.read(ref);
  if (stored?.kind === 'symbolic') return 'cannot update a symbolic ref';
  if (newOid !== null) {
    const type = objectType(repo, staged, newOid);
    if (type === undefined) return 'missing necessary objects';
    if (ref.startsWith(BRANCH_PREFIX) && type !== 'commit') return 'branch must point at a commit';
  }
  if (current !== oldOid) return 'failed to update ref (it moved; fetch first)';
  if (newOid === null) {
    const head = repo.refs.read(HEAD);
    if (head?.kind === 'symbolic' && head.target === ref) {
      return 'deletion of the current branch prohibited';
    }
    return undefined;
  }
  if (
    policy.denyNonFastForwards &&
    current !== null &&
    current !== newOid &&
    ref.startsWith(BRANCH_PREFIX) &&
    !isAncestorWithStaged(repo, staged, current, newOid)
  ) {
    return 'non-fast-forward';
  }
  return undefined;
}

/**
 * Decides and applies the commands against the repository as it is now (synchronous: call it
 * inside the repository's write). Returns one outcome per command, in order.
 */
export function applyPush(
  repo: Repository,
  commands: readonly PushCommand[],
  staged: ReadonlyMap<Oid, RawObject>,
  policy: PushPolicy,
): PushOutcome[] {
  const seen = new Set<string>();
  const decided = commands.map((command) => {
    const current = resolveCurrent(repo.refs, command.ref);
    const error = seen.has(command.ref)
      ? 'multiple updates for one ref'
      : refusal(repo, staged, command, current, policy);
    seen.add(command.ref);
    return { command, current, error };
  });
  const failed = decided.some((entry) => entry.error !== undefined);
  if (policy.atomic && failed) {
    return decided.map(({ command, current, error }) => ({
      ref: command.ref,
      error: error ?? 'atomic push failure',
      before: current,
      after: current,
    }));
  }
  const accepted = decided.filter((entry) => entry.error === undefined);
  if (accepted.length > 0) {
    for (const [oid, object] of staged) {
      if (!repo.odb.store.has(oid)) repo.odb.store.insert(oid, object);
    }
  }
  const reflog = { committer: policy.committer, message: 'push' };
  const changes: RefChange[] = accepted
    .filter(({ command, current }) => command.newOid !== current)
    .map(({ command, current }) => ({
      name: command.ref,
      expect: current,
      next: command.newOid,
      ...(command.newOid !== null ? { reflog } : {}),
    }));
  const applied = new Set<string>();
  if (policy.atomic) {
    if (repo.refs.updateMany(changes).ok) for (const change of changes) applied.add(change.name);
  } else {
    for (const change of changes) {
      if (repo.refs.update(change).status !== 'lock-failure') applied.add(change.name);
    }
  }

  const head = repo.refs.read(HEAD);
  const headTarget = head?.kind === 'symbolic' ? head.target : undefined;
  const outcomes = decided.map(({ command, current, error }): PushOutcome => {
    if (error !== undefined) {
      return { ref: command.ref, error, before: current, after: current };
    }
    if (command.newOid === current) {
      return { ref: command.ref, error: null, before: current, after: current, kind: 'no-change' };
    }
    if (!applied.has(command.ref)) {
      return { ref: command.ref, error: 'failed to update ref', before: current, after: current };
    }
    return {
      ref: command.ref,
      error: null,
      before: current,
      after: command.newOid,
      kind: updateKind(repo, current, command.newOid, command.ref),
    };
  });
  const moved = outcomes.find(
    (outcome) =>
      outcome.ref === headTarget && outcome.error === null && outcome.kind !== 'no-change',
  );
  if (moved !== undefined && moved.after !== null) {
    repo.refs.appendReflog(HEAD, {
      oldOid: moved.before ?? ZERO_OID,
      newOid: moved.after,
      committer: policy.committer,
      message: 'push',
    });
    repo.syncToHead();
  }
  return outcomes;
}

function resolveCurrent(refs: RefStore, ref: string): Oid | null {
  const stored = refs.read(ref);
  if (stored === undefined) return null;
  return stored.kind === 'direct' ? stored.oid : resolveRef(refs, ref).oid;
}

function updateKind(
  repo: Repository,
  before: Oid | null,
  after: Oid | null,
  ref: string,
): PushUpdateKind {
  if (after === null) return 'deleted';
  if (before === null) return 'created';
  if (ref.startsWith(TAG_PREFIX)) return 'forced';
  const graph = repo.graph;
  if (graph.isCommit(before) && graph.isCommit(after) && graph.isAncestor(before, after)) {
    return 'fast-forward';
  }
  return 'forced';
}

/** The report-status answer (`unpack …`, `ok`/`ng` per ref, flush), side-band wrapped if asked. */
export function encodeReportStatus(
  unpack: string,
  outcomes: readonly PushOutcome[],
  sideBand: boolean,
): Buffer {
  const lines: Buffer[] = [encodePktText(unpack === 'ok' ? 'unpack ok' : `unpack ${unpack}`)];
  for (const outcome of outcomes) {
    lines.push(
      encodePktText(
        outcome.error === null ? `ok ${outcome.ref}` : `ng ${outcome.ref} ${outcome.error}`,
      ),
    );
  }
  lines.push(FLUSH_PKT);
  const report = Buffer.concat(lines);
  if (!sideBand) return report;
  return Buffer.concat([encodeSideBand(BAND_DATA, report), FLUSH_PKT]);
}
