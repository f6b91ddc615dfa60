/**
 * Full-text search over the index (api-contract.md §5.3). Query syntax: bare terms (any of them,
 * ranked), `+term` (required), `-term` (excluded), `"a phrase"` (required, consecutive tokens;
 * `-"…"` excludes it), `path:<glob>` (a filter). Words are tokenized like documents, so `+getUser`
 * requires both `get` and `user`. Score: BM25 summed over the distinct positive terms, over the
 * indexed files (a blob at two paths is two documents).
 */
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { bm25TermScore, type CorpusStats } from './bm25';
import type { BlobIndex, IndexedBlob } from './blob-index';
import { toByteRanges, splitLines, type MatchRange } from './content-search';
import { compileGlob, type PathPredicate } from './glob';
import { InvalidSearchRequestError } from './search-errors';
import type { IndexedFile } from './search-index';
import { tokenize, terms as termsOf } from './tokenizer';

export interface FulltextQuery {
  readonly should: readonly string[];
  readonly must: readonly string[];
  readonly mustNot: readonly string[];
  readonly phrases: ReadonlyArray<readonly string[]>;
  readonly notPhrases: ReadonlyArray<readonly string[]>;
  readonly paths: readonly string[];
}

const CLAUSE = /([+-]?)(?:"([^"]*)"?|(\S+))/g;

/** Parses the query syntax; InvalidSearchRequestError when nothing searchable is left. */
export function parseFulltextQuery(query: string): FulltextQuery {
  const should: string[] = [];
  const must: string[] = [];
  const mustNot: string[] = [];
  const phrases: string[][] = [];
  const notPhrases: string[][] = [];
  const paths: string[] = [];
  for (const clause of query.matchAll(CLAUSE)) {
    const sign = clause[1] ?? '';
    const phrase = clause[2];
    const word = clause[3];
    if (phrase !== undefined) {
      const tokens = termsOf(phrase);
      if (tokens.length === 0) continue;
      if (sign === '-') notPhrases.push(tokens);
      else if (tokens.length === 1) (sign === '+' ? must : should).push(...tokens);
      else phrases.push(tokens);
      continue;
    }
    if (word === undefined) continue;
    if (sign === '' && word.startsWith('path:') && word.length > 5) {
      paths.push(word.slice(5));
      continue;
    }
    const tokens = termsOf(word);
    if (sign === '+') must.push(...tokens);
    else if (sign === '-') mustNot.push(...tokens);
    else should.push(...tokens);
  }
  if (should.length + must.length + phrases.length === 0) {
    throw new InvalidSearchRequestError('query', 'the query has no searchable term');
  }
  return { should, must, mustNot, phrases, notPhrases, paths };
}

export type FulltextSort = 'score' | 'path' | 'size';

export interface FulltextOptions {
  readonly fileTypes?: readonly string[];
  readonly maxSize?: number;
  readonly minScore?: number;
  readonly sortBy?: FulltextSort;
  readonly offset: number;
  readonly limit: number;
}

export interface FulltextHit {
  readonly path: string;
  readonly oid: Oid;
  readonly score: number;
  readonly size: number;
}

/** The extension of a path's last segment without the dot (`''` for none or a dotfile). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1);
}

function containsSequence(tokens: readonly string[], sequence: readonly string[]): boolean {
  outer: for (let i = 0; i + sequence.length <= tokens.length; i++) {
    for (let j = 0; j < sequence.length; j++) if (tokens[i + j] !== sequence[j]) continue outer;
    return true;
  }
  return false;
}

export function searchFulltext(
  odb: ObjectDatabase,
  blobs: BlobIndex,
  files: ReadonlyMap<string, IndexedFile>,
  query: FulltextQuery,
  options: FulltextOptions,
): { hits: FulltextHit[]; total: number } {
  const pathFilters: PathPredicate[] = query.paths.map((glob) => compileGlob(glob));
  const types =
    options.fileTypes === undefined || options.fileTypes.length === 0
      ? undefined
      : new Set(options.fileTypes.map((type) => type.replace(/^\./, '').toLowerCase()));

  const documents: Array<[string, IndexedBlob]> = [];
  let totalLength = 0;
  for (const [path, file] of files) {
    const blob = blobs.get(file.oid);
    if (blob === undefined || !blob.indexed) continue;
    documents.push([path, blob]);
    totalLength += blob.length;
  }
  const stats: CorpusStats = {
    documents: documents.length,
    averageLength: documents.length === 0 ? 0 : totalLength / documents.length,
  };
  const positive = [...new Set([...query.should, ...query.must, ...query.phrases.flat()])];
  const frequency = new Map<string, number>();
  for (const term of positive) {
    let df = 0;
    for (const id of blobs.posting(term).keys()) df += blobs.byIdAt(id)?.refs ?? 0;
    frequency.set(term, df);
  }
  const needsPhraseCheck = query.phrases.length > 0 || query.notPhrases.length > 0;
  const tokenCache = new Map<Oid, string[]>();
  const tokensOf = (oid: Oid): string[] => {
    let tokens = tokenCache.get(oid);
    if (tokens === undefined) {
      tokens = termsOf(Buffer.from(odb.readBlob(oid)).toString('utf8'));
      tokenCache.set(oid, tokens);
    }
    return tokens;
  };

  const scored: FulltextHit[] = [];
  for (const [path, blob] of documents) {
    if (!pathFilters.every((filter) => filter(path))) continue;
    if (types !== undefined && !types.has(extensionOf(path).toLowerCase())) continue;
    if (options.maxSize !== undefined && blob.size > options.maxSize) continue;
    const has = (term: string): boolean => blob.terms.has(term);
    if (!query.must.every(has)) continue;
    if (query.mustNot.some(has)) continue;
    if (!query.phrases.every((phrase) => phrase.every(has))) continue;
    if (query.must.length === 0 && query.phrases.length === 0 && !query.should.some(has)) continue;
    if (needsPhraseCheck) {
      const tokens = tokensOf(blob.oid);
      if (!query.phrases.every((phrase) => containsSequence(tokens, phrase))) continue;
      if (query.notPhrases.some((phrase) => containsSequence(tokens, phrase))) continue;
    }
    let score = 0;
    for (const term of positive) {
      score += bm25TermScore(
        stats,
        frequency.get(term) ?? 0,
        blob.terms.get(term) ?? 0,
        blob.length,
      );
    }
    score = Math.round(score * 10_000) / 10_000;
    if (options.minScore !== undefined && score < options.minScore) continue;
    scored.push({ path, oid: blob.oid, score, size: blob.size });
  }
  const byPath = (a: FulltextHit, b: FulltextHit): number =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  const sortBy = options.sortBy ?? 'score';
  scored.sort((a, b) =>
    sortBy === 'path'
      ? byPath(a, b)
      : sortBy === 'size'
        ? b.size - a.size || byPath(a, b)
        : b.score - a.score || byPath(a, b),
  );
  return {
    hits: scored.slice(options.offset, options.offset + options.limit),
    total: scored.length,
  };
}

export interface Highlight {
  readonly line: number;
  readonly text: string;
  readonly matches: MatchRange[];
}

const MAX_HIGHLIGHTS = 3;

/**
 * Up to three lines of `text` holding query terms, each cut to a window of at most `length`
 * characters around its first hit, with the byte ranges of the hits inside the window.
 */
export function highlights(text: string, query: FulltextQuery, length: number): Highlight[] {
  const wanted = new Set([...query.should, ...query.must, ...query.phrases.flat()]);
  const out: Highlight[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length && out.length < MAX_HIGHLIGHTS; i++) {
    const line = lines[i] as string;
    const hits = tokenize(line).filter((token) => wanted.has(token.term));
    const first = hits[0];
    if (first === undefined) continue;
    const start = Math.max(0, Math.min(first.start - Math.floor(length / 4), line.length - length));
    const end = Math.min(line.length, start + length);
    const window = line.slice(start, end);
    const ranges = hits
      .filter((token) => token.start >= start && token.end <= end)
      .map((token) => [token.start - start, token.end - start] as const);
    out.push({ line: i + 1, text: window, matches: toByteRanges(window, ranges) });
  }
  return out;
}
