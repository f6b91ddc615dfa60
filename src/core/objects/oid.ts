/**
 * Object ids: git's SHA-1, kept as 40-char lower-case hex strings.
 *
 * Strings (not 20-byte buffers) because ids are used as Map keys on every hot path and V8
 * hashes and compares short flat strings faster than it can key anything by bytes.
 */
export type Oid = string;

export const ZERO_OID: Oid = '0000000000000000000000000000000000000000';

const OID_PATTERN = /^[0-9a-f]{40}$/;
const HEX_PREFIX_PATTERN = /^[0-9a-f]{4,40}$/;

export function isOid(value: string): boolean {
  return value.length === 40 && OID_PATTERN.test(value);
}

/** True for an abbreviated (or full) id as users type it: 4 to 40 lower-case hex digits. */
export function isHexPrefix(value: string): boolean {
  return HEX_PREFIX_PATTERN.test(value);
}

export function shortOid(oid: Oid, length = 7): string {
  return oid.slice(0, length);
}
