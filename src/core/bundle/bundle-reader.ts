/**
 * Reads a git bundle from a stream of chunks (a temp file, an upload): the header, then the pack
 * through the pack reader with its limits. The objects are returned only once the whole pack
 * verified (checksum, every delta resolved), so a truncated or corrupt bundle yields nothing.
 */
import { GitError } from '../errors/git-error';
import { readPack, type PackObject, type PackReadSummary } from '../protocol/pack-reader';
import type { PackLimits } from '../protocol/pack-limits';
import { InvalidBundleError } from './bundle-errors';
import { MAX_BUNDLE_HEADER_BYTES, parseBundleHeader, type BundleHeader } from './bundle-header';

export interface ReadBundleResult {
  readonly header: BundleHeader;
  readonly objects: PackObject[];
  readonly summary: PackReadSummary;
}

export interface ReadBundleOptions {
  readonly limits?: Partial<PackLimits>;
  readonly maxHeaderBytes?: number;
}

type ChunkSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Splits `source` into the header text and an iterator of the bytes after it. */
async function splitHeader(
  source: ChunkSource,
  maxHeaderBytes: number,
): Promise<{ text: string; rest: AsyncIterable<Uint8Array> }> {
  const iterator =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
      : (source as Iterable<Uint8Array>)[Symbol.iterator]();
  let buffered = Buffer.alloc(0);
  let searchFrom = 0;
  for (;;) {
    // The header ends at the first empty line: "\n\n" (the signature line is never empty).
    const end = buffered.indexOf('\n\n', Math.max(0, searchFrom - 1));
    if (end >= 0) {
      const text = buffered.toString('utf8', 0, end);
      const tail = buffered.subarray(end + 2);
      return { text, rest: continueWith(tail, iterator) };
    }
    if (buffered.length > maxHeaderBytes) {
      throw new InvalidBundleError(`header longer than ${maxHeaderBytes} bytes`);
    }
    const next = await iterator.next();
    if (next.done === true) {
      if (buffered.length === 0) throw new InvalidBundleError('empty input');
      if (!buffered.toString('latin1', 0, 16).startsWith('# v')) {
        throw new InvalidBundleError('not a git bundle (unknown signature line)');
      }
      throw new InvalidBundleError('input ends inside the header');
    }
    searchFrom = buffered.length;
    buffered = Buffer.concat([buffered, Buffer.from(next.value)]);
    if (searchFrom === 0 && buffered.length >= 3 && buffered.toString('latin1', 0, 3) !== '# v') {
      throw new InvalidBundleError('not a git bundle (unknown signature line)');
    }
  }
}

async function* continueWith(
  first: Buffer,
  iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (first.length > 0) yield first;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return;
    yield next.value;
  }
}

/**
 * Reads and verifies a whole bundle. Throws InvalidBundleError for a bad header and for any pack
 * failure (its pack error's code in `details.cause_code`).
 */
export async function readBundle(
  source: ChunkSource,
  options: ReadBundleOptions = {},
): Promise<ReadBundleResult> {
  const { text, rest } = await splitHeader(
    source,
    options.maxHeaderBytes ?? MAX_BUNDLE_HEADER_BYTES,
  );
  const header = parseBundleHeader(text);
  try {
    const { objects, summary } = await readPack(rest, { limits: options.limits ?? {} });
    return { header, objects, summary };
  } catch (error: unknown) {
    if (error instanceof GitError) {
      throw new InvalidBundleError(error.message, { cause_code: error.code });
    }
    throw error;
  }
}

/** Only the header (listing a bundle without reading its pack). */
export async function readBundleHeader(
  source: ChunkSource,
  maxHeaderBytes = MAX_BUNDLE_HEADER_BYTES,
): Promise<BundleHeader> {
  const { text } = await splitHeader(source, maxHeaderBytes);
  return parseBundleHeader(text);
}
