/**
 * Writes tar archives as chunks: entries with their data in memory or streamed with a known
 * size, a pax global comment (git archive records the commit id there), and the end marker.
 * The caller pipes the chunks where they go (an HTTP response, gzip, a file).
 */
import { TarCorruptError } from './tar-errors';
import {
  encodeEntryHeader,
  entryPadding,
  paxHeader,
  paxRecord,
  type TarEntryHeader,
} from './tar-header';

/** The chunks of one entry whose data is in memory (none for directories and symlinks). */
export function tarEntry(header: Omit<TarEntryHeader, 'size'>, data?: Uint8Array): Buffer[] {
  const body =
    data === undefined
      ? Buffer.alloc(0)
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return [
    encodeEntryHeader({ ...header, size: body.length }),
    body,
    entryPadding(body.length),
  ].filter((chunk) => chunk.length > 0);
}

/**
 * One entry whose `size` bytes come from `chunks` (a file too large to hold). Throws
 * TarCorruptError when the source gives a different number of bytes.
 */
export async function* tarStreamedEntry(
  header: TarEntryHeader,
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<Buffer> {
  yield encodeEntryHeader(header);
  let written = 0;
  for await (const chunk of chunks) {
    written += chunk.length;
    if (written > header.size)
      throw new TarCorruptError(`entry ${header.name} grew while archived`);
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  if (written !== header.size)
    throw new TarCorruptError(`entry ${header.name} shrank while archived`);
  const pad = entryPadding(header.size);
  if (pad.length > 0) yield pad;
}

/** A pax global header with a `comment` record, as `git archive` writes the commit id. */
export function tarGlobalComment(comment: string, mtime: number): Buffer {
  return paxHeader(paxRecord('comment', comment), true, mtime);
}
