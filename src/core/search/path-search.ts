/**
 * File search (api-contract.md §5.2 search/files): the pattern matched against each full path of
 * a tree, with the byte ranges of the matches, the blob size and the git mode.
 */
import type { ObjectDatabase } from '../objects/object-database';
import type { TreeFile } from './content-search';
import { toByteRanges, type MatchRange } from './content-search';
import type { SearchBudget } from './search-budget';
import type { TextMatcher } from './text-matcher';

export interface PathHit {
  readonly path: string;
  readonly size: number;
  readonly mode: string;
  readonly matches: MatchRange[];
}

const GITLINK_MODE = '160000';

export function searchPaths(
  odb: ObjectDatabase,
  files: readonly TreeFile[],
  matcher: TextMatcher,
  page: { readonly offset: number; readonly limit: number },
  budget: SearchBudget,
): { hits: PathHit[]; total: number } {
  const hits: PathHit[] = [];
  let total = 0;
  for (const file of files) {
    if (!budget.inTime()) break;
    const ranges = matcher.matchLine(file.path);
    if (ranges.length === 0) continue;
    total++;
    if (total <= page.offset || total > page.offset + page.limit) continue;
    const size = file.mode === GITLINK_MODE ? 0 : (odb.store.get(file.oid)?.body.length ?? 0);
    hits.push({ path: file.path, size, mode: file.mode, matches: toByteRanges(file.path, ranges) });
  }
  return { hits, total };
}
