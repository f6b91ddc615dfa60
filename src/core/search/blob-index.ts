/**
 * The per-repository content index, keyed by blob id: a trigram index over case-folded text
 * (content search and grep read only the blobs that contain every trigram of a required literal)
 * and an inverted index of tokens with term frequencies (full-text search). A blob shared by
 * several paths is indexed once and counted once per path (`refs`).
 *
 * Blobs get increasing ids, so posting lists stay sorted by appending; a removed blob leaves
 * tombstones in the trigram postings, dropped in one pass when they outnumber live blobs.
 * Binary blobs and blobs over `maxFileSize` are recorded (so searches know to skip or scan
 * them) but not tokenized.
 */
import type { Oid } from '../objects/oid';
import { foldCase } from './case-fold';
import { tokenize } from './tokenizer';

export interface IndexedBlob {
  readonly id: number;
  readonly oid: Oid;
  /** Paths of the indexed tree holding this blob. */
  refs: number;
  readonly size: number;
  readonly binary: boolean;
  /** False for binaries and blobs over the size limit: searches must scan these themselves. */
  readonly indexed: boolean;
  /** Token count (BM25 document length). */
  readonly length: number;
  /** Term → frequency. */
  readonly terms: ReadonlyMap<string, number>;
}

const TWO_16 = 0x10000;
const TWO_32 = 0x100000000;

function trigramKey(text: string, at: number): number {
  return text.charCodeAt(at) * TWO_32 + text.charCodeAt(at + 1) * TWO_16 + text.charCodeAt(at + 2);
}

/** The distinct trigram keys of folded `text`. */
export function trigramKeys(folded: string): Set<number> {
  const keys = new Set<number>();
  for (let i = 0; i + 3 <= folded.length; i++) keys.add(trigramKey(folded, i));
  return keys;
}

export class BlobIndex {
  private readonly blobs = new Map<Oid, IndexedBlob>();
  private readonly byId: Array<IndexedBlob | undefined> = [];
  private readonly trigrams = new Map<number, number[]>();
  /** Term → blob id → frequency. */
  private readonly postings = new Map<string, Map<number, number>>();
  private nextId = 0;
  private tombstones = 0;

  get blobCount(): number {
    return this.blobs.size;
  }

  get termCount(): number {
    return this.postings.size;
  }

  get(oid: Oid): IndexedBlob | undefined {
    return this.blobs.get(oid);
  }

  byIdAt(id: number): IndexedBlob | undefined {
    return this.byId[id];
  }

  /** Adds one path's reference to a blob, indexing its content the first time. */
  addRef(oid: Oid, content: Uint8Array, binary: boolean, maxFileSize: number): IndexedBlob {
    const existing = this.blobs.get(oid);
    if (existing !== undefined) {
      existing.refs += 1;
      return existing;
    }
    const id = this.nextId++;
    const indexed = !binary && content.length <= maxFileSize;
    const terms = new Map<string, number>();
    let length = 0;
    if (indexed) {
      const text = Buffer.from(content.buffer, content.byteOffset, content.length).toString('utf8');
      for (const key of trigramKeys(foldCase(text))) {
        const list = this.trigrams.get(key);
        if (list === undefined) this.trigrams.set(key, [id]);
        else list.push(id);
      }
      for (const token of tokenize(text)) {
        terms.set(token.term, (terms.get(token.term) ?? 0) + 1);
        length++;
      }
      for (const [term, frequency] of terms) {
        let posting = this.postings.get(term);
        if (posting === undefined) {
          posting = new Map<number, number>();
          this.postings.set(term, posting);
        }
        posting.set(id, frequency);
      }
    }
    const blob: IndexedBlob = {
      id,
      oid,
      refs: 1,
      size: content.length,
      binary,
      indexed,
      length,
      terms,
    };
    this.blobs.set(oid, blob);
    this.byId[id] = blob;
    return blob;
  }

  /** Drops one path's reference; the blob leaves the index with its last reference. */
  removeRef(oid: Oid): void {
    const blob = this.blobs.get(oid);
    if (blob === undefined) return;
    blob.refs -= 1;
    if (blob.refs > 0) return;
    this.blobs.delete(oid);
    this.byId[blob.id] = undefined;
    for (const term of blob.terms.keys()) {
      const posting = this.postings.get(term);
      posting?.delete(blob.id);
      if (posting !== undefined && posting.size === 0) this.postings.delete(term);
    }
    if (blob.indexed) this.tombstones++;
    if (this.tombstones > Math.max(64, this.blobs.size)) this.compact();
  }

  private compact(): void {
    for (const [key, list] of this.trigrams) {
      const live = list.filter((id) => this.byId[id] !== undefined);
      if (live.length === 0) this.trigrams.delete(key);
      else this.trigrams.set(key, live);
    }
    this.tombstones = 0;
  }

  /**
   * Ids of the indexed blobs whose folded text contains every trigram of every literal
   * (already folded), or undefined when no literal has a trigram (no filtering possible).
   */
  candidates(literals: readonly string[]): Set<number> | undefined {
    const lists: number[][] = [];
    for (const literal of literals) {
      for (const key of trigramKeys(literal)) lists.push(this.trigrams.get(key) ?? []);
    }
    if (lists.length === 0) return undefined;
    lists.sort((a, b) => a.length - b.length);
    let current = new Set((lists[0] as number[]).filter((id) => this.byId[id] !== undefined));
    for (let i = 1; i < lists.length && current.size > 0; i++) {
      const list = lists[i] as number[];
      const next = new Set<number>();
      if (list.length > current.size * 8) {
        for (const id of current) if (sortedHas(list, id)) next.add(id);
      } else {
        for (const id of list) if (current.has(id)) next.add(id);
      }
      current = next;
    }
    return current;
  }

  /** Blob id → frequency of `term` ({} when absent). */
  posting(term: string): ReadonlyMap<number, number> {
    return this.postings.get(term) ?? EMPTY_POSTING;
  }

  /** Every indexed term starting with `prefix` with its blob count, for suggestions. */
  termsWithPrefix(prefix: string, limit: number): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const [term, posting] of this.postings) {
      if (!term.startsWith(prefix)) continue;
      let documents = 0;
      for (const id of posting.keys()) documents += this.byId[id]?.refs ?? 0;
      out.push([term, documents]);
    }
    out.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out.slice(0, limit);
  }

  /** A rough byte count of the index (postings and trigram lists), for statistics. */
  approximateBytes(): number {
    let bytes = 0;
    for (const list of this.trigrams.values()) bytes += 16 + list.length * 8;
    for (const [term, posting] of this.postings) bytes += term.length * 2 + posting.size * 16;
    return bytes;
  }
}

const EMPTY_POSTING: ReadonlyMap<number, number> = new Map();

function sortedHas(list: readonly number[], id: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = list[mid] as number;
    if (value === id) return true;
    if (value < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
