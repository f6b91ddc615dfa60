/**
 * Git's binary delta format (pack OFS_DELTA / REF_DELTA payloads): two size varints (source,
 * target), then copy instructions (0x80 | which offset/size bytes follow) and insert
 * instructions (1–127 literal bytes).
 *
 * `applyDelta` runs on untrusted input, so every instruction is bounds-checked and the result
 * size is checked against the caller's limit before anything is allocated.
 *
 * `createDelta` is our own encoder: the source is cut into 16-byte blocks indexed by a
 * polynomial rolling hash; the target is scanned with the same rolling hash, and each hit is
 * verified and extended both ways into a copy. Copies are capped at 64 KiB each, as git writes
 * them, so every reader (git, JGit, libgit2) accepts our deltas.
 */
import { DeltaCorruptError, PackObjectTooLargeError } from '../errors/pack-errors';

/** Bytes per indexed source block, and the rolling-hash window. */
const BLOCK = 16;
/** The largest copy git emits per instruction (encoded as size 0). */
const MAX_COPY = 0x10000;
/** Hash-chain candidates examined per target position (bounds work on repetitive input). */
const MAX_CHAIN = 64;
/** A match this long is good enough: stop looking at other candidates. */
const GOOD_MATCH = 4096;
const MAX_INSERT = 0x7f;
/** A copy this long marks where source and target run in parallel (see createDelta). */
const LONG_COPY = 64;
/**
 * Builtins captured once: inside a vm context (Jest) every global lookup such as `Math` goes
 * through the context's interceptor, which made the hashing loops ~100× slower there.
 */
const imul = Math.imul;
const min = Math.min;

/** Multiplier of the rolling hash, and P^(BLOCK-1) to remove the outgoing byte. */
const P = 0x01000193;
const P_OUT = powMod32(P, BLOCK - 1);

function powMod32(base: number, exponent: number): number {
  let result = 1;
  for (let i = 0; i < exponent; i++) result = imul(result, base);
  return result >>> 0;
}

export interface DeltaHeader {
  readonly sourceSize: number;
  readonly targetSize: number;
  /** Offset of the first instruction. */
  readonly instructionsStart: number;
}

/** Where a delta came from, for error details (the pack entry's offset). */
export interface DeltaContext {
  readonly offset?: number;
}

function corrupt(
  reason: string,
  context: DeltaContext,
  details: Record<string, unknown> = {},
): DeltaCorruptError {
  return new DeltaCorruptError(reason, { ...details, ...context });
}

function readSizeVarint(
  delta: Uint8Array,
  start: number,
  what: string,
  context: DeltaContext,
): [number, number] {
  let value = 0;
  let multiplier = 1;
  let pos = start;
  for (;;) {
    if (pos >= delta.length) throw corrupt(`truncated ${what} size`, context);
    const byte = delta[pos++]!;
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) break;
    multiplier *= 128;
    if (multiplier > 2 ** 49) throw corrupt(`${what} size does not fit 53 bits`, context);
  }
  return [value, pos];
}

/** The sizes a delta declares. Throws DeltaCorruptError on a truncated or absurd varint. */
export function readDeltaHeader(delta: Uint8Array, context: DeltaContext = {}): DeltaHeader {
  const [sourceSize, afterSource] = readSizeVarint(delta, 0, 'source', context);
  const [targetSize, instructionsStart] = readSizeVarint(delta, afterSource, 'target', context);
  return { sourceSize, targetSize, instructionsStart };
}

/**
 * Rebuilds the target from `base` and `delta`. Throws DeltaCorruptError when the base size
 * differs from the declared source size, an instruction is reserved (0) or truncated, a copy
 * reads outside the base, or the output does not end exactly at the declared target size; and
 * PackObjectTooLargeError (before allocating) when the declared target exceeds `maxTargetBytes`.
 * `context` (the pack entry's offset) is added to the errors' details.
 */
export function applyDelta(
  base: Uint8Array,
  delta: Uint8Array,
  maxTargetBytes: number = Number.MAX_SAFE_INTEGER,
  context: DeltaContext = {},
): Uint8Array {
  const { sourceSize, targetSize, instructionsStart } = readDeltaHeader(delta, context);
  if (sourceSize !== base.length) {
    throw corrupt(`base is ${base.length} bytes, delta expects ${sourceSize}`, context);
  }
  if (targetSize > maxTargetBytes) {
    throw new PackObjectTooLargeError('delta result', targetSize, maxTargetBytes, context.offset);
  }
  const out = new Uint8Array(targetSize);
  let outPos = 0;
  let pos = instructionsStart;
  const end = delta.length;
  while (pos < end) {
    const op = delta[pos++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      // Offset bytes (bits 0-3) and size bytes (bits 4-6), little-endian, present when set.
      for (let bit = 0; bit < 7; bit++) {
        if ((op & (1 << bit)) === 0) continue;
        if (pos >= end) throw corrupt('truncated copy instruction', context);
        const byte = delta[pos++]!;
        if (bit < 4) offset += byte * 2 ** (8 * bit);
        else size += byte * 2 ** (8 * (bit - 4));
      }
      if (size === 0) size = MAX_COPY;
      if (offset + size > base.length) {
        throw corrupt('copy outside the base', context, {
          copyOffset: offset,
          size,
          baseSize: base.length,
        });
      }
      if (outPos + size > targetSize) {
        throw corrupt('copy past the declared target size', context, { targetSize });
      }
      out.set(base.subarray(offset, offset + size), outPos);
      outPos += size;
    } else if (op !== 0) {
      if (pos + op > end) throw corrupt('truncated insert instruction', context);
      if (outPos + op > targetSize) {
        throw corrupt('insert past the declared target size', context, { targetSize });
      }
      out.set(delta.subarray(pos, pos + op), outPos);
      outPos += op;
      pos += op;
    } else {
      throw corrupt('reserved instruction 0', context);
    }
  }
  if (outPos !== targetSize) {
    throw corrupt(`result is ${outPos} bytes, delta declares ${targetSize}`, context);
  }
  return out;
}

function hashWindow(data: Uint8Array, start: number): number {
  let h = 0;
  for (let i = start; i < start + BLOCK; i++) h = (imul(h, P) + data[i]!) >>> 0;
  return h;
}

function roll(h: number, outgoing: number, incoming: number): number {
  return (imul((h - imul(outgoing, P_OUT)) >>> 0, P) + incoming) >>> 0;
}

/**
 * A source prepared for delta creation: the rolling hash of each aligned 16-byte block, in a
 * chained hash table. Build it once per base and reuse it against many targets (the pack
 * writer's window does).
 */
export class DeltaIndex {
  /** Bucket → most recently inserted block, -1 when empty. */
  private readonly heads: Int32Array;
  /** Block → next block in the same bucket. */
  private readonly next: Int32Array;
  private readonly hashes: Uint32Array;
  private readonly shift: number;

  constructor(readonly source: Uint8Array) {
    const blocks = Math.floor(source.length / BLOCK);
    let bits = 4;
    while (1 << bits < blocks && bits < 24) bits++;
    this.shift = 32 - bits;
    this.heads = new Int32Array(1 << bits).fill(-1);
    this.next = new Int32Array(blocks);
    this.hashes = new Uint32Array(blocks);
    // Inserted back to front, so chains list earlier blocks first (smaller copy offsets).
    for (let b = blocks - 1; b >= 0; b--) {
      const h = hashWindow(source, b * BLOCK);
      const bucket = this.bucketOf(h);
      this.hashes[b] = h;
      this.next[b] = this.heads[bucket]!;
      this.heads[bucket] = b;
    }
  }

  /** The in-memory size of the index, for window budgets. */
  get byteLength(): number {
    return this.heads.byteLength + this.next.byteLength + this.hashes.byteLength;
  }

  bucketOf(h: number): number {
    return imul(h, 0x9e3779b1) >>> this.shift;
  }

  /** Source offset of the match `findMatch` found last. */
  matchOffset = 0;

  /**
   * The length of the longest verified match of `target[at..]` in the source (0 when none is at
   * least one block long); its source offset is left in `matchOffset`. Results go through a
   * field, not a returned pair: this runs once per target byte and must not allocate.
   */
  findMatch(target: Uint8Array, at: number, h: number): number {
    const source = this.source;
    let bestLength = 0;
    let examined = 0;
    for (let b = this.heads[this.bucketOf(h)]!; b >= 0 && examined < MAX_CHAIN; b = this.next[b]!) {
      examined++;
      if (this.hashes[b] !== h) continue;
      const s = b * BLOCK;
      const limit = min(source.length - s, target.length - at);
      let n = 0;
      while (n < limit && source[s + n] === target[at + n]) n++;
      if (n >= BLOCK && n > bestLength) {
        this.matchOffset = s;
        bestLength = n;
        if (n >= GOOD_MATCH) break;
      }
    }
    return bestLength;
  }
}

/**
 * Delta output over one module-wide scratch buffer (createDelta is synchronous, so it is never
 * shared by two calls at once): a failed attempt, the common case in a pack window, allocates
 * nothing, and a successful one copies out exactly its bytes.
 */
let scratch = new Uint8Array(64 * 1024);

class DeltaOutput {
  length = 0;

  constructor(private readonly budget: number) {}

  /** False when the output went over budget. */
  reserve(extra: number): boolean {
    const needed = this.length + extra;
    if (needed > this.budget) return false;
    if (needed > scratch.length) {
      const grown = new Uint8Array(Math.max(needed, scratch.length * 2));
      grown.set(scratch.subarray(0, this.length));
      scratch = grown;
    }
    return true;
  }

  push(byte: number): void {
    scratch[this.length++] = byte;
  }

  rewrite(at: number, byte: number): void {
    scratch[at] = byte;
  }

  pushBytes(data: Uint8Array, start: number, end: number): void {
    scratch.set(data.subarray(start, end), this.length);
    this.length += end - start;
  }

  result(): Uint8Array {
    const out = scratch.slice(0, this.length);
    // Do not keep a huge buffer alive after one huge delta.
    if (scratch.length > 16 * 1024 * 1024) scratch = new Uint8Array(64 * 1024);
    return out;
  }
}

function pushVarint(out: DeltaOutput, value: number): boolean {
  if (!out.reserve(8)) return false;
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return true;
}

function pushInsert(out: DeltaOutput, data: Uint8Array, start: number, end: number): boolean {
  for (let p = start; p < end; p += MAX_INSERT) {
    const n = min(MAX_INSERT, end - p);
    if (!out.reserve(n + 1)) return false;
    out.push(n);
    out.pushBytes(data, p, p + n);
  }
  return true;
}

function pushCopy(out: DeltaOutput, offset: number, length: number): boolean {
  for (let done = 0; done < length;) {
    const size = min(MAX_COPY, length - done);
    const off = offset + done;
    if (!out.reserve(8)) return false;
    const at = out.length;
    out.push(0x80);
    let op = 0x80;
    for (let i = 0; i < 4; i++) {
      const byte = Math.floor(off / 2 ** (8 * i)) & 0xff;
      if (byte !== 0) {
        out.push(byte);
        op |= 1 << i;
      }
    }
    if (size !== MAX_COPY) {
      for (let i = 0; i < 3; i++) {
        const byte = (size >> (8 * i)) & 0xff;
        if (byte !== 0) {
          out.push(byte);
          op |= 1 << (4 + i);
        }
      }
    }
    // The op byte goes first but depends on which bytes followed.
    out.rewrite(at, op);
    done += size;
  }
  return true;
}

/** How many bytes of `source[s..]` equal `target[t..]`. */
function matchLengthAt(source: Uint8Array, s: number, target: Uint8Array, t: number): number {
  const limit = min(source.length - s, target.length - t);
  let n = 0;
  while (n < limit && source[s + n] === target[t + n]) n++;
  return n;
}

/**
 * A delta that turns `source` into `target`, or undefined when it would be larger than
 * `maxDeltaBytes` (the caller then stores the target whole). Pass a DeltaIndex to reuse one
 * source against many targets. `applyDelta(source, createDelta(source, target)!)` is `target`.
 *
 * Besides the hash lookup, each position also tries where the last long copy says the source
 * should continue (same diagonal after a replaced run, or the same source position after an
 * insertion). Without that, text whose lines share long common parts finds only short copies
 * from the first lines of the file: the hash chains of those common blocks are too long to
 * search, and the true match is rarely among the candidates examined.
 */
export function createDelta(
  source: Uint8Array | DeltaIndex,
  target: Uint8Array,
  maxDeltaBytes: number = Number.MAX_SAFE_INTEGER,
): Uint8Array | undefined {
  const index = source instanceof DeltaIndex ? source : new DeltaIndex(source);
  const base = index.source;
  const out = new DeltaOutput(maxDeltaBytes);
  if (!pushVarint(out, base.length) || !pushVarint(out, target.length)) return undefined;
  const end = target.length;
  let literalStart = 0;
  let at = 0;
  let h = end >= BLOCK ? hashWindow(target, 0) : 0;
  // End of the last long copy, in source and target (-1: none yet).
  let anchorSource = -1;
  let anchorTarget = 0;
  while (at + BLOCK <= end) {
    let matchLength = index.findMatch(target, at, h);
    let matchOffset = index.matchOffset;
    if (anchorSource >= 0 && matchLength < GOOD_MATCH) {
      const diagonal = anchorSource + (at - anchorTarget);
      if (diagonal < base.length) {
        const n = matchLengthAt(base, diagonal, target, at);
        if (n >= BLOCK && n > matchLength) {
          matchLength = n;
          matchOffset = diagonal;
        }
      }
      if (anchorSource < base.length && diagonal !== anchorSource) {
        const n = matchLengthAt(base, anchorSource, target, at);
        if (n >= BLOCK && n > matchLength) {
          matchLength = n;
          matchOffset = anchorSource;
        }
      }
    }
    if (matchLength === 0) {
      if (at + BLOCK < end) h = roll(h, target[at]!, target[at + BLOCK]!);
      at++;
      continue;
    }
    // Grow the match backwards over literal bytes not yet written.
    let sourceStart = matchOffset;
    let targetStart = at;
    while (
      sourceStart > 0 &&
      targetStart > literalStart &&
      base[sourceStart - 1] === target[targetStart - 1]
    ) {
      sourceStart--;
      targetStart--;
    }
    const length = matchLength + (at - targetStart);
    if (!pushInsert(out, target, literalStart, targetStart)) return undefined;
    if (!pushCopy(out, sourceStart, length)) return undefined;
    at = targetStart + length;
    literalStart = at;
    if (length >= LONG_COPY) {
      anchorSource = sourceStart + length;
      anchorTarget = at;
    }
    if (at + BLOCK <= end) h = hashWindow(target, at);
  }
  if (!pushInsert(out, target, literalStart, end)) return undefined;
  return out.result();
}
