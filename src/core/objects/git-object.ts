/**
 * The git object envelope: `"<type> <length>\0" + body`, whose SHA-1 is the object id.
 *
 * Bodies are kept uncompressed in memory; compression happens only where bytes leave the
 * process (packs, loose files), so this module knows nothing about zlib.
 */
import { createHash, hash } from 'node:crypto';
import { CorruptObjectError } from '../errors/object-errors';
import type { Oid } from './oid';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export const OBJECT_TYPES: readonly ObjectType[] = ['blob', 'tree', 'commit', 'tag'];

/** An object as stored: its type and the raw body bytes (no header). */
export interface RawObject {
  readonly type: ObjectType;
  readonly body: Uint8Array;
}

export function isObjectType(value: string): value is ObjectType {
  return value === 'blob' || value === 'tree' || value === 'commit' || value === 'tag';
}

export function objectHeader(type: ObjectType, length: number): Buffer {
  return Buffer.from(`${type} ${length}\0`, 'latin1');
}

// Below this size one copy into a single buffer plus the one-shot `crypto.hash` is about twice
// as fast as a streaming Hash object; above it the copy would cost more than it saves.
const ONE_SHOT_HASH_LIMIT = 64 * 1024;

/** The id git gives an object of this type and body. */
export function hashObject(type: ObjectType, body: Uint8Array): Oid {
  const header = `${type} ${body.length}\0`;
  if (body.length > ONE_SHOT_HASH_LIMIT) {
    return createHash('sha1').update(header, 'latin1').update(body).digest('hex');
  }
  const envelope = Buffer.allocUnsafe(header.length + body.length);
  envelope.write(header, 0, 'latin1');
  envelope.set(body, header.length);
  return hash('sha1', envelope, 'hex');
}

/** Header plus body, as hashed and as stored in a loose object before deflate. */
export function encodeObject(type: ObjectType, body: Uint8Array): Buffer {
  return Buffer.concat([objectHeader(type, body.length), body]);
}

/** Splits `"<type> <len>\0<body>"` (an inflated loose object) and checks the declared length. */
export function decodeObject(data: Uint8Array): RawObject {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const nul = buf.indexOf(0);
  const space = buf.indexOf(0x20);
  if (nul < 0 || space < 0 || space > nul)
    throw new CorruptObjectError('unknown', 'bad object header');
  const type = buf.toString('latin1', 0, space);
  if (!isObjectType(type)) throw new CorruptObjectError(type, 'unknown object type');
  const lengthText = buf.toString('latin1', space + 1, nul);
  if (!/^(0|[1-9][0-9]*)$/.test(lengthText))
    throw new CorruptObjectError(type, 'bad length in header');
  const body = buf.subarray(nul + 1);
  if (Number(lengthText) !== body.length)
    throw new CorruptObjectError(type, 'length does not match header');
  return { type, body };
}
