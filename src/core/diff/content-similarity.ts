/**
 * How much of one file's content reappears in another, in the spirit of git's diffcore-delta,
 * so rename scores (and thus which pairs are renames, and their `similarity index`) match git.
 *
 * Content is cut into chunks that end at a newline or after 64 bytes; each chunk is hashed
 * (two rolling 32-bit accumulators folded modulo the prime 107927) and the bytes per hash value
 * are summed (a last chunk without newline shorter than 64 bytes is ignored, as git ignores
 * it). Text files skip the CR of CRLF. The bytes "copied" from source to destination are
 * the sum over hash values of the smaller of the two byte counts; the score is that divided by
 * the larger file size, on git's 0..60000 scale.
 */
import { isBinaryContent } from './binary-content';

/**
 * Bound once: a global lookup per byte is slow where globals are intercepted (jest's VM
 * contexts make the hashing loops ~50x slower), and free elsewhere.
 */
const imul = Math.imul;

export const MAX_SCORE = 60000;
const HASHBASE = 107927;
const MAX_CHUNK = 64;

/** Byte counts per chunk hash, sorted by hash, for a merge-style comparison. */
export interface ChunkProfile {
  readonly hashes: Uint32Array;
  readonly counts: Float64Array;
}

export function chunkProfile(content: Uint8Array): ChunkProfile {
  const isText = !isBinaryContent(content);
  const counts = new Map<number, number>();
  const add = (hash: number, bytes: number): void => {
    counts.set(hash, (counts.get(hash) ?? 0) + bytes);
  };
  let n = 0;
  let accum1 = 0;
  let accum2 = 0;
  const size = content.length;
  for (let p = 0; p < size; p++) {
    const c = content[p]!;
    if (isText && c === 0x0d && p + 1 < size && content[p + 1] === 0x0a) continue;
    const old1 = accum1;
    accum1 = ((accum1 << 7) ^ (accum2 >>> 25)) >>> 0;
    accum2 = ((accum2 << 7) ^ (old1 >>> 25)) >>> 0;
    accum1 = (accum1 + c) >>> 0;
    if (++n < MAX_CHUNK && c !== 0x0a) continue;
    add(((accum1 + imul(accum2, 0x61)) >>> 0) % HASHBASE, n);
    n = 0;
    accum1 = 0;
    accum2 = 0;
  }
  // Like git, a final chunk that ends neither in a newline nor at 64 bytes is not counted.
  const hashes = Uint32Array.from(counts.keys()).sort();
  const sortedCounts = new Float64Array(hashes.length);
  hashes.forEach((hash, i) => {
    sortedCounts[i] = counts.get(hash)!;
  });
  return { hashes, counts: sortedCounts };
}

/** Bytes of `source` that also appear in `destination` (git's `src_copied`). */
export function copiedBytes(source: ChunkProfile, destination: ChunkProfile): number {
  let copied = 0;
  let i = 0;
  let j = 0;
  while (i < source.hashes.length && j < destination.hashes.length) {
    const hs = source.hashes[i]!;
    const hd = destination.hashes[j]!;
    if (hs === hd) {
      copied += Math.min(source.counts[i]!, destination.counts[j]!);
      i++;
      j++;
    } else if (hs < hd) {
      i++;
    } else {
      j++;
    }
  }
  return copied;
}
