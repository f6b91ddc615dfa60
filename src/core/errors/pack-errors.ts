/**
 * Errors of the pack reader, writer, index and delta codec. Packs arrive from untrusted clients
 * (push) and from our own disk, so every refusal names what was wrong and where (the byte offset
 * of the pack entry) without echoing the bytes themselves. Limits are `too-large` (413); broken
 * input is `invalid-argument` (400).
 */
import { GitError } from './git-error';

/** A pack that does not follow the format: bad header, bad zlib stream, size mismatch, garbage. */
export class PackCorruptError extends GitError {
  readonly code = 'PACK_CORRUPT';
  readonly kind = 'invalid-argument';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(`corrupt pack: ${reason}`, { reason, ...details });
  }
}

/** The input ended before the pack did (missing entries, a cut zlib stream, or no trailer). */
export class PackTruncatedError extends GitError {
  readonly code = 'PACK_TRUNCATED';
  readonly kind = 'invalid-argument';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(`truncated pack: ${reason}`, { reason, ...details });
  }
}

/** The trailing SHA-1 does not match the pack's bytes. */
export class PackChecksumMismatchError extends GitError {
  readonly code = 'PACK_CHECKSUM_MISMATCH';
  readonly kind = 'invalid-argument';
  constructor(expected: string, actual: string) {
    super(`pack checksum mismatch: trailer says ${expected}, content hashes to ${actual}`, {
      expected,
      actual,
    });
  }
}

/** The pack (its bytes, or everything it inflates to) is over the caller's limit. */
export class PackTooLargeError extends GitError {
  readonly code = 'PACK_TOO_LARGE';
  readonly kind = 'too-large';
  constructor(what: 'pack bytes' | 'inflated bytes', limit: number) {
    super(`pack exceeds the limit of ${limit} ${what}`, { what, limit });
  }
}

/** One pack entry (declared or inflated size) or one delta result is over the object limit. */
export class PackObjectTooLargeError extends GitError {
  readonly code = 'OBJECT_TOO_LARGE';
  readonly kind = 'too-large';
  constructor(what: 'object' | 'delta result', size: number, limit: number, offset?: number) {
    const where = offset === undefined ? '' : ` at pack offset ${offset}`;
    super(`${what}${where} is ${size} bytes, over the limit of ${limit}`, {
      what,
      size,
      limit,
      ...(offset === undefined ? {} : { offset }),
    });
  }
}

/** A delta chain longer than the caller allows (git itself never writes one deeper than 4095). */
export class DeltaTooDeepError extends GitError {
  readonly code = 'DELTA_TOO_DEEP';
  readonly kind = 'too-large';
  constructor(limit: number, offset: number) {
    super(`delta chain at pack offset ${offset} is deeper than ${limit}`, { limit, offset });
  }
}

/**
 * Deltas whose base is neither in the pack nor available to the reader. A REF_DELTA cycle ends
 * here too: no base in a cycle can ever be rebuilt, so its members stay unresolved.
 */
export class DeltaBaseMissingError extends GitError {
  readonly code = 'DELTA_BASE_MISSING';
  readonly kind = 'invalid-argument';
  constructor(unresolved: number, missingBases: readonly string[]) {
    super(
      `pack has ${unresolved} unresolved delta${unresolved === 1 ? '' : 's'}` +
        (missingBases.length > 0 ? ` (missing base ${missingBases[0]})` : ''),
      { unresolved, missingBases: missingBases.slice(0, 10) },
    );
  }
}

/** Delta instructions that do not fit their base or their declared result. */
export class DeltaCorruptError extends GitError {
  readonly code = 'DELTA_CORRUPT';
  readonly kind = 'invalid-argument';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(`corrupt delta: ${reason}`, { reason, ...details });
  }
}

/** A pack index (.idx) that is not a well-formed version 2 index. */
export class PackIndexCorruptError extends GitError {
  readonly code = 'PACK_INDEX_CORRUPT';
  readonly kind = 'invalid-argument';
  constructor(reason: string) {
    super(`corrupt pack index: ${reason}`, { reason });
  }
}
