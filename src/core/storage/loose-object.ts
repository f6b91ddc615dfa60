/**
 * Git's loose object format: the object envelope (`"<type> <len>\0" + body`) deflated with
 * zlib, stored at `objects/<first two hex digits>/<other 38>`. The interop tests write it into
 * real repositories, and the disk driver will read and write it.
 *
 * Reading is bounded (RELIABILITY P9): inflation stops as soon as the output passes the
 * caller's limit, so a small zlib bomb never allocates its full inflated size.
 */
import { constants as bufferConstants } from 'node:buffer';
import { deflateSync, inflateSync } from 'node:zlib';
import { CorruptObjectError, ObjectTooLargeError } from '../errors/object-errors';
import { decodeObject, encodeObject, type ObjectType, type RawObject } from '../objects/git-object';
import { isOid, type Oid } from '../objects/oid';

/** Default bound on a loose object's body: git.max_object_size (100 MiB). */
export const MAX_LOOSE_OBJECT_BYTES = 100 * 1024 * 1024;

/** Room for the longest header: `"commit "`, a 16-digit length and NUL, rounded up. */
const MAX_HEADER_BYTES = 32;

/** zlib level git uses for loose objects (core.looseCompression defaults to best speed). */
const LOOSE_COMPRESSION_LEVEL = 1;

/** The deflated envelope, byte-for-byte what git can read from `objects/xx/yyyy…`. */
export function encodeLooseObject(type: ObjectType, body: Uint8Array): Buffer {
  return deflateSync(encodeObject(type, body), { level: LOOSE_COMPRESSION_LEVEL });
}

interface InflateWithInfo {
  readonly buffer: Buffer;
  readonly engine: { readonly bytesWritten: number };
}

function isInflateWithInfo(value: unknown): value is InflateWithInfo {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<InflateWithInfo>;
  return Buffer.isBuffer(candidate.buffer) && typeof candidate.engine?.bytesWritten === 'number';
}

/**
 * Node's signal that inflation stopped at `maxOutputLength`. Checked by code, not by
 * `instanceof RangeError`: zlib's errors come from Node's realm, which need not be the caller's.
 */
function isOutputLimitError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === 'ERR_BUFFER_TOO_LARGE'
  );
}

/**
 * Inflates and splits a loose object. Throws ObjectTooLargeError when the body would exceed
 * `maxBodyBytes` (without inflating past it), and CorruptObjectError for a bad zlib stream,
 * data after the stream, a bad header, or a body whose length differs from the header's.
 * The id is not checked here: the caller knows which id it asked for.
 */
export function decodeLooseObject(
  data: Uint8Array,
  maxBodyBytes: number = MAX_LOOSE_OBJECT_BYTES,
): RawObject {
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new RangeError(`maxBodyBytes must be a non-negative integer, got ${maxBodyBytes}`);
  }
  const maxOutputLength = Math.min(maxBodyBytes + MAX_HEADER_BYTES, bufferConstants.MAX_LENGTH);
  let inflated: unknown;
  try {
    inflated = inflateSync(data, { info: true, maxOutputLength });
  } catch (error: unknown) {
    if (isOutputLimitError(error)) throw new ObjectTooLargeError(maxBodyBytes);
    const reason =
      typeof error === 'object' && error !== null && 'message' in error
        ? String(error.message)
        : String(error);
    throw new CorruptObjectError('loose', `bad zlib stream: ${reason}`);
  }
  if (!isInflateWithInfo(inflated)) {
    throw new CorruptObjectError('loose', 'zlib returned no stream info');
  }
  if (inflated.engine.bytesWritten !== data.byteLength) {
    throw new CorruptObjectError('loose', 'garbage after the zlib stream');
  }
  const object = decodeObject(inflated.buffer);
  if (object.body.byteLength > maxBodyBytes) throw new ObjectTooLargeError(maxBodyBytes);
  return object;
}

/**
 * Where git keeps a loose object, relative to the repository (`objects/ab/cdef…`). Throws
 * CorruptObjectError for anything but a full lower-case hex id, so no id can name a path
 * outside `objects/`.
 */
export function looseObjectPath(oid: Oid): string {
  if (!isOid(oid)) throw new CorruptObjectError('loose', `not an object id: '${oid}'`);
  return `objects/${oid.slice(0, 2)}/${oid.slice(2)}`;
}
