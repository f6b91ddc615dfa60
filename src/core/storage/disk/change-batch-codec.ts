/**
 * The payload of a repository journal record: one ChangeBatch (change-batch.ts).
 *
 *   u32 object count, then per object: u8 type code (git's pack codes: 1 commit, 2 tree,
 *       3 blob, 4 tag), the 20-byte id, u32 body length, the body (uncompressed: the journal is
 *       written on the request path, compression happens at checkpoint)
 *   u32 length + UTF-8 JSON of the ref states and reflog changes
 *
 * Decoding copies each body out of the segment buffer, so objects do not pin a whole segment
 * in memory after it is deleted. Throws JournalCorruptError on a payload that does not parse
 * (its checksum matched, so this means a bug or a foreign file, not a torn write).
 */
import { isObjectType, type ObjectType } from '../../objects/git-object';
import { isOid, type Oid } from '../../objects/oid';
import type { Signature } from '../../objects/signature';
import type { ChangeBatch, ObjectWrite, RefState, ReflogChange } from '../change-batch';
import type { Ref, ReflogEntry } from '../ref-store';
import { JournalCorruptError } from './journal';

const TYPE_CODES: Readonly<Record<ObjectType, number>> = { commit: 1, tree: 2, blob: 3, tag: 4 };
const TYPES_BY_CODE: ReadonlyArray<ObjectType | undefined> = [
  undefined,
  'commit',
  'tree',
  'blob',
  'tag',
];

/** A ref state on the wire: [name, 'd', oid] | [name, 's', target] | [name, 'x'] (deleted). */
type WireRef = [string, 'd' | 's', string] | [string, 'x'];
/** A reflog entry: [old, new, name, email, timestamp, timezone, message]. */
type WireReflogEntry = [string, string, string, string, number, string, string];
/** A reflog change: [name, reset (0 | 1), base, entries]. */
type WireReflog = [string, 0 | 1, number, WireReflogEntry[]];

interface WireRefs {
  readonly refs: WireRef[];
  readonly reflogs: WireReflog[];
}

function toWireRef({ name, ref }: RefState): WireRef {
  if (ref === null) return [name, 'x'];
  return ref.kind === 'direct' ? [name, 'd', ref.oid] : [name, 's', ref.target];
}

function toWireEntry(entry: ReflogEntry): WireReflogEntry {
  const { name, email, timestamp, timezone } = entry.committer;
  return [entry.oldOid, entry.newOid, name, email, timestamp, timezone, entry.message];
}

export function encodeChangeBatch(batch: ChangeBatch): Buffer {
  const wire: WireRefs = {
    refs: batch.refs.map(toWireRef),
    reflogs: batch.reflogs.map((change) => [
      change.name,
      change.reset ? 1 : 0,
      change.base,
      change.entries.map(toWireEntry),
    ]),
  };
  const json = Buffer.from(JSON.stringify(wire), 'utf8');
  let size = 4 + 4 + json.length;
  for (const { object } of batch.objects) size += 1 + 20 + 4 + object.body.length;
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt32BE(batch.objects.length, 0);
  for (const { oid, object } of batch.objects) {
    at = out.writeUInt8(TYPE_CODES[object.type], at);
    at += out.write(oid, at, 20, 'hex');
    at = out.writeUInt32BE(object.body.length, at);
    out.set(object.body, at);
    at += object.body.length;
  }
  at = out.writeUInt32BE(json.length, at);
  json.copy(out, at);
  return out;
}

function fail(reason: string): never {
  throw new JournalCorruptError(`journal record payload: ${reason}`);
}

function need(payload: Buffer, at: number, bytes: number): void {
  if (at + bytes > payload.length) fail('ends early');
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function fromWireRef(wire: unknown): RefState {
  if (!Array.isArray(wire) || !isString(wire[0])) fail('bad ref state');
  const [name, kind, value] = wire as unknown[];
  const refName = name as string;
  if (kind === 'x') return { name: refName, ref: null };
  if (kind === 'd' && isString(value) && isOid(value))
    return { name: refName, ref: { name: refName, kind: 'direct', oid: value } satisfies Ref };
  if (kind === 's' && isString(value))
    return { name: refName, ref: { name: refName, kind: 'symbolic', target: value } };
  fail(`bad ref state for ${refName}`);
}

function fromWireEntry(wire: unknown): ReflogEntry {
  if (!Array.isArray(wire) || wire.length !== 7) fail('bad reflog entry');
  const [oldOid, newOid, name, email, timestamp, timezone, message] = wire as unknown[];
  if (!isString(oldOid) || !isString(newOid) || !isString(name) || !isString(email))
    fail('bad reflog entry');
  if (typeof timestamp !== 'number' || !isString(timezone) || !isString(message))
    fail('bad reflog entry');
  const committer: Signature = { name, email, timestamp, timezone };
  return { oldOid, newOid, committer, message };
}

function fromWireReflog(wire: unknown): ReflogChange {
  if (!Array.isArray(wire) || wire.length !== 4) fail('bad reflog change');
  const [name, reset, base, entries] = wire as unknown[];
  if (
    !isString(name) ||
    (reset !== 0 && reset !== 1) ||
    typeof base !== 'number' ||
    !Array.isArray(entries)
  ) {
    fail('bad reflog change');
  }
  return { name, reset: reset === 1, base, entries: entries.map(fromWireEntry) };
}

export function decodeChangeBatch(payload: Buffer): ChangeBatch {
  need(payload, 0, 4);
  const count = payload.readUInt32BE(0);
  let at = 4;
  const objects: ObjectWrite[] = [];
  for (let i = 0; i < count; i++) {
    need(payload, at, 25);
    const type = TYPES_BY_CODE[payload.readUInt8(at)];
    if (type === undefined || !isObjectType(type))
      fail(`bad object type code ${payload.readUInt8(at)}`);
    const oid: Oid = payload.toString('hex', at + 1, at + 21);
    const length = payload.readUInt32BE(at + 21);
    at += 25;
    need(payload, at, length);
    objects.push({ oid, object: { type, body: Buffer.from(payload.subarray(at, at + length)) } });
    at += length;
  }
  need(payload, at, 4);
  const jsonLength = payload.readUInt32BE(at);
  at += 4;
  need(payload, at, jsonLength);
  let wire: unknown;
  try {
    wire = JSON.parse(payload.toString('utf8', at, at + jsonLength));
  } catch {
    fail('ref changes are not JSON');
  }
  if (typeof wire !== 'object' || wire === null) fail('ref changes are not an object');
  const { refs, reflogs } = wire as { refs?: unknown; reflogs?: unknown };
  if (!Array.isArray(refs) || !Array.isArray(reflogs)) fail('ref changes lack refs or reflogs');
  return { objects, refs: refs.map(fromWireRef), reflogs: reflogs.map(fromWireReflog) };
}
