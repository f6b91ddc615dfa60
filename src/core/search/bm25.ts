/**
 * Okapi BM25 with k1 = 1.2 and b = 0.75 (api-contract.md §5.3). The idf is the non-negative form
 * ln(1 + (N − df + 0.5) / (df + 0.5)) (Lucene's), so a term present in every document still adds
 * a little instead of subtracting.
 */

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export interface CorpusStats {
  /** Documents in the corpus. */
  readonly documents: number;
  /** Mean document length in tokens. */
  readonly averageLength: number;
}

export function idf(stats: CorpusStats, documentFrequency: number): number {
  return Math.log(1 + (stats.documents - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** The BM25 weight of one term in one document. */
export function bm25TermScore(
  stats: CorpusStats,
  documentFrequency: number,
  termFrequency: number,
  documentLength: number,
): number {
  if (termFrequency === 0) return 0;
  const norm =
    stats.averageLength > 0 ? 1 - BM25_B + (BM25_B * documentLength) / stats.averageLength : 1;
  return (
    (idf(stats, documentFrequency) * termFrequency * (BM25_K1 + 1)) /
    (termFrequency + BM25_K1 * norm)
  );
}
