/**
 * Line search over the files of a tree: content search and grep (api-contract.md §5.2). Files
 * are visited in path order; binaries (NUL in the first 8000 bytes) are skipped. When an index
 * covers a blob and the pattern has required literals, blobs lacking one of their trigrams are
 * not read at all; blobs outside the index (another ref, a large file) are read and checked.
 * Only the requested page of hits is kept; all hits are counted for `total`.
 */
import { isBinaryContent } from '../diff/binary-content';
import { isBlobMode } from '../objects/file-mode';
import type { ObjectDatabase } from '../objects/object-database';
import type { Oid } from '../objects/oid';
import { walkTreeFiles } from '../repo/tree-view';
import type { BlobIndex } from './blob-index';
import { isAscii } from './case-fold';
import type { PathPredicate } from './glob';
import type { SearchBudget } from './search-budget';
import { utf8Offset, type TextMatcher } from './text-matcher';

export interface TreeFile {
  readonly path: string;
  readonly oid: Oid;
  /** Git mode as stored (`100644`, `100755`, `120000`, `160000`). */
  readonly mode: string;
}

/** Every non-directory entry of `tree` (null = empty) in path order. */
export function treeFiles(odb: ObjectDatabase, tree: Oid | null): TreeFile[] {
  const files: TreeFile[] = [];
  if (tree === null) return files;
  walkTreeFiles(odb, tree, '', (path, entry) =>
    files.push({ path, oid: entry.oid, mode: entry.mode }),
  );
  return files;
}

/** A byte range within a line (or path), UTF-8 offsets, end exclusive. */
export interface MatchRange {
  readonly start: number;
  readonly end: number;
}

export interface LineHit {
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based byte column of the first match (1 for inverted hits). */
  readonly column: number;
  readonly content: string;
  readonly matches: MatchRange[];
  readonly before?: string[];
  readonly after?: string[];
}

export interface LineSearchOptions {
  readonly pathFilter: PathPredicate;
  readonly invert?: boolean;
  /** Matching lines per file at most (grep -m). */
  readonly maxCount?: number;
  /** Context lines; undefined = no context arrays in the hits. */
  readonly contextBefore?: number;
  readonly contextAfter?: number;
  readonly offset: number;
  readonly limit: number;
}

export interface LineSearchResult {
  readonly hits: LineHit[];
  readonly total: number;
}

/** Lines of a text as grep sees them: split on `\n`, no empty line after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** UTF-16 ranges of a line as byte ranges. */
export function toByteRanges(
  line: string,
  ranges: ReadonlyArray<readonly [number, number]>,
): MatchRange[] {
  const ascii = isAscii(line);
  return ranges.map(([start, end]) => ({
    start: utf8Offset(line, start, ascii),
    end: utf8Offset(line, end, ascii),
  }));
}

export function searchLines(
  odb: ObjectDatabase,
  files: readonly TreeFile[],
  matcher: TextMatcher,
  options: LineSearchOptions,
  budget: SearchBudget,
  index?: BlobIndex,
): LineSearchResult {
  const invert = options.invert === true;
  const candidates = invert || index === undefined ? undefined : index.candidates(matcher.literals);
  const withContext = options.contextBefore !== undefined || options.contextAfter !== undefined;
  const before = Math.max(0, options.contextBefore ?? 0);
  const after = Math.max(0, options.contextAfter ?? 0);
  const maxCount =
    options.maxCount !== undefined && options.maxCount > 0 ? options.maxCount : Infinity;
  const end = options.offset + options.limit;
  const hits: LineHit[] = [];
  let total = 0;

  for (const file of files) {
    if (!isBlobMode(file.mode) || !options.pathFilter(file.path)) continue;
    const indexed = index?.get(file.oid);
    if (indexed !== undefined) {
      if (indexed.binary) continue;
      if (candidates !== undefined && indexed.indexed && !candidates.has(indexed.id)) continue;
    }
    if (!budget.inTime()) break;
    const content = odb.readBlob(file.oid);
    if (!budget.spend(content.length)) break;
    if (isBinaryContent(content)) continue;
    const text = Buffer.from(content.buffer, content.byteOffset, content.length).toString('utf8');
    if (!invert && !matcher.mayMatch(text)) continue;
    const lines = splitLines(text);
    let inFile = 0;
    for (let i = 0; i < lines.length && inFile < maxCount; i++) {
      // A huge file can outlast the time budget on its own.
      if ((i & 1023) === 1023 && !budget.inTime()) break;
      const line = lines[i] as string;
      const ranges = matcher.matchLine(line);
      if (invert ? ranges.length > 0 : ranges.length === 0) continue;
      inFile++;
      total++;
      if (total <= options.offset || total > end) continue;
      const matches = invert ? [] : toByteRanges(line, ranges);
      hits.push({
        path: file.path,
        line: i + 1,
        column: matches.length > 0 ? (matches[0] as MatchRange).start + 1 : 1,
        content: line,
        matches,
        ...(withContext
          ? {
              before: lines.slice(Math.max(0, i - before), i),
              after: lines.slice(i + 1, i + 1 + after),
            }
          : {}),
      });
    }
  }
  return { hits, total };
}
