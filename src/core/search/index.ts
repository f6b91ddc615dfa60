/**
 * The search engine (api-contract.md §5): matching, globs, tokens, the per-repository index,
 * line/path/commit/full-text search, aggregation, statistics and the SQL subset. Re-exported
 * through src/core/index.ts.
 */
export * from './search-errors';
export * from './case-fold';
export * from './text-matcher';
export * from './regex-literals';
export * from './glob';
export * from './tokenizer';
export * from './bm25';
export * from './blob-index';
export * from './search-index';
export * from './search-budget';
export * from './content-search';
export * from './path-search';
export * from './commit-search';
export * from './fulltext-search';
export * from './commit-stats';
export * from './aggregate';
export * from './repository-statistics';
export * from './sql/sql-tables';
export * from './sql/sql-query';
export * from './sql/sql-engine';
