/**
 * Text split into git's diff records: each line with its `\n` (the last one may lack it), every
 * distinct line content mapped to a small integer id so the diff compares numbers, not bytes.
 *
 * A line without its final newline is a different record from the same text with one, exactly
 * as in git (that is how `\ No newline at end of file` changes show up). Ids come from a
 * `LineInterner`; records compared with each other must share one interner. Lines are compared
 * as bytes, so any content (UTF-8 or not) is handled without loss.
 */

/**
 * Bound once: a global lookup per byte is slow where globals are intercepted (jest's VM
 * contexts make the hashing loops ~50x slower), and free elsewhere.
 */
const imul = Math.imul;

export interface LineRecords {
  /** The content the records point into (possibly a prefix of a blob, see `trimCommonTail`). */
  readonly bytes: Uint8Array;
  /** `starts[i]` is where record i begins; `starts[count]` is the end of the content. */
  readonly starts: Int32Array;
  /** The interned id of each record. */
  readonly ids: Int32Array;
  readonly count: number;
}

export class LineInterner {
  // Lines are hashed (FNV-1a) while the text is scanned for newlines, looked up in an
  // open-addressing table of ids, and told apart by a byte comparison with the first line seen
  // with that hash: no per-line strings, buffers or Map entries.
  private table = new Int32Array(1024); // id + 1, 0 = empty slot
  private hashes = new Int32Array(512);
  private readonly repBytes: Uint8Array[] = [];
  private readonly repStart: number[] = [];
  private readonly repEnd: number[] = [];
  private counterA = new Int32Array(256);
  private counterB = new Int32Array(256);

  /** How many distinct lines were seen so far (ids are 0..size-1). */
  get size(): number {
    return this.repBytes.length;
  }

  /**
   * Splits the first `length` bytes of `bytes` into records and interns each one. With
   * `reference` (records of a similar text from this interner, e.g. the next version of the same
   * file), the lines of the common byte prefix and suffix reuse its ids and only the middle is
   * hashed: a blame walk then costs per changed byte, not per byte of every version.
   */
  records(bytes: Uint8Array, length = bytes.length, reference?: LineRecords): LineRecords {
    let prefixCount = 0; // reference records reused at the start
    let suffixFrom = 0; // reference records from here on are reused at the end
    let suffixEnd = 0;
    let shift = 0; // reference offset minus ours, in the shared suffix
    let pos = 0;
    let middleEnd = length;
    if (reference !== undefined) {
      const ref = reference.bytes;
      const refLength = ref.length;
      const refStarts = reference.starts;
      const refCount = reference.count;
      // Reference records that end inside the shared prefix, in a newline, are ours too.
      const prefix = commonPrefixLength(bytes, length, ref, refLength);
      prefixCount = countAtMost(refStarts, 1, refCount + 1, prefix);
      if (prefixCount === refCount && refCount > 0 && ref[refLength - 1] !== 0x0a) prefixCount--;
      pos = refStarts[prefixCount]!;
      // Reference records inside the shared suffix are ours too, from the first one that also
      // starts a line here (the byte before it is a newline here, or it starts the text).
      const suffix = commonSuffixLength(
        bytes,
        length,
        ref,
        refLength,
        Math.min(length, refLength) - pos,
      );
      shift = refLength - length;
      const lowest = Math.max(refLength - suffix, pos + shift);
      suffixFrom = prefixCount + countAtMost(refStarts, prefixCount, refCount, lowest - 1);
      if (suffixFrom < refCount) {
        const here = refStarts[suffixFrom]! - shift;
        if (here > 0 && refStarts[suffixFrom]! - 1 < refLength - suffix && bytes[here - 1] !== 0x0a)
          suffixFrom++;
      }
      suffixEnd = refCount;
      if (suffixFrom < refCount) middleEnd = refStarts[suffixFrom]! - shift;
    }

    const middleStarts: number[] = [];
    const middleIds: number[] = [];
    while (pos < middleEnd) {
      let hash = 0x811c9dc5;
      let p = pos;
      while (p < middleEnd) {
        const c = bytes[p++]!;
        hash = imul(hash ^ c, 0x01000193);
        if (c === 0x0a) break;
      }
      middleStarts.push(pos);
      middleIds.push(this.intern(bytes, pos, p, hash | 0));
      pos = p;
    }

    const middleCount = middleIds.length;
    const count = prefixCount + middleCount + (suffixEnd - suffixFrom);
    const starts = new Int32Array(count + 1);
    const ids = new Int32Array(count);
    if (reference !== undefined) {
      starts.set(reference.starts.subarray(0, prefixCount));
      ids.set(reference.ids.subarray(0, prefixCount));
      ids.set(reference.ids.subarray(suffixFrom, suffixEnd), prefixCount + middleCount);
      for (let j = suffixFrom, i = prefixCount + middleCount; j < suffixEnd; j++, i++) {
        starts[i] = reference.starts[j]! - shift;
      }
    }
    for (let i = 0; i < middleCount; i++) {
      starts[prefixCount + i] = middleStarts[i]!;
      ids[prefixCount + i] = middleIds[i]!;
    }
    starts[count] = length;
    return {
      bytes: length === bytes.length ? bytes : bytes.subarray(0, length),
      starts,
      ids,
      count,
    };
  }

  private intern(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.table.length - 1;
    let slot = hash & mask;
    for (let v = this.table[slot]!; v !== 0; v = this.table[slot]!) {
      const id = v - 1;
      if (this.hashes[id] === hash && this.sameAs(id, bytes, start, end)) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.repBytes.length;
    this.repBytes.push(bytes);
    this.repStart.push(start);
    this.repEnd.push(end);
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = hash;
    this.table[slot] = id + 1;
    if ((id + 1) * 2 > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let id = 0; id < this.repBytes.length; id++) {
      let slot = this.hashes[id]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
  }

  private sameAs(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const rep = this.repBytes[id]!;
    let r = this.repStart[id]!;
    if (this.repEnd[id]! - r !== end - start) return false;
    for (let p = start; p < end; p++, r++) if (rep[r] !== bytes[p]) return false;
    return true;
  }

  /**
   * Two zeroed per-id counters, sized for every id interned so far. Callers must zero again
   * the entries they touched before the next call (the diff does); this keeps a long blame walk
   * from allocating per step.
   */
  counters(): [Int32Array, Int32Array] {
    if (this.counterA.length < this.size) {
      let size = this.counterA.length;
      while (size < this.size) size *= 2;
      this.counterA = new Int32Array(size);
      this.counterB = new Int32Array(size);
    }
    return [this.counterA, this.counterB];
  }
}

/** How many of `sorted[from..to)` are <= `value` (binary search; `sorted` is non-decreasing). */
function countAtMost(sorted: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - from;
}

/** Bytes equal at the start of both texts (native compares of growing blocks, then bytes). */
function commonPrefixLength(
  a: Uint8Array,
  aLength: number,
  b: Uint8Array,
  bLength: number,
): number {
  const max = Math.min(aLength, bLength);
  let p = 0;
  let block = 64;
  while (
    p + block <= max &&
    Buffer.compare(a.subarray(p, p + block), b.subarray(p, p + block)) === 0
  ) {
    p += block;
    if (block < 4096) block *= 2;
  }
  while (p < max && a[p] === b[p]) p++;
  return p;
}

/** Bytes equal at the end of both texts, at most `max`. */
function commonSuffixLength(
  a: Uint8Array,
  aLength: number,
  b: Uint8Array,
  bLength: number,
  max: number,
): number {
  let s = 0;
  let block = 64;
  while (
    s + block <= max &&
    Buffer.compare(
      a.subarray(aLength - s - block, aLength - s),
      b.subarray(bLength - s - block, bLength - s),
    ) === 0
  ) {
    s += block;
    if (block < 4096) block *= 2;
  }
  while (s < max && a[aLength - 1 - s] === b[bLength - 1 - s]) s++;
  return s;
}

/** The bytes of record `i`, including its newline when it has one. */
export function recordBytes(records: LineRecords, i: number): Uint8Array {
  return records.bytes.subarray(records.starts[i], records.starts[i + 1]);
}

/**
 * git's `trim_common_tail`, used whenever a diff is asked for zero lines of context (blame and
 * `-U0`): drops identical trailing 1 KiB blocks of both texts, then gives back the part of the
 * last dropped block up to and including its first newline. Returns the lengths to keep.
 * Without it, `-U0` hunks and blame can come out differently from git's on long common tails.
 */
export function trimCommonTail(a: Uint8Array, b: Uint8Array): [number, number] {
  const block = 1024;
  const smaller = Math.min(a.length, b.length);
  let trimmed = 0;
  while (block + trimmed <= smaller) {
    const ae = a.length - trimmed;
    const be = b.length - trimmed;
    if (Buffer.compare(a.subarray(ae - block, ae), b.subarray(be - block, be)) !== 0) break;
    trimmed += block;
  }
  let recovered = 0;
  const cut = a.length - trimmed;
  while (recovered < trimmed) {
    if (a[cut + recovered++] === 0x0a) break;
  }
  return [a.length - (trimmed - recovered), b.length - (trimmed - recovered)];
}
