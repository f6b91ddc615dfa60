/**
 * The public surface of the engine. Code outside src/core imports from here only.
 */
export * from './errors/git-error';
export * from './errors/object-errors';
export * from './errors/path-errors';
export * from './errors/ref-errors';
export * from './objects/oid';
export * from './objects/git-object';
export * from './objects/file-mode';
export * from './objects/tree-entry-order';
export * from './objects/tree';
export * from './objects/signature';
export * from './objects/commit';
export * from './objects/tag';
export * from './objects/path-safety';
export * from './objects/object-database';
export * from './storage/object-store';
export * from './storage/ref-store';
export * from './storage/memory/memory-object-store';
export * from './storage/memory/memory-ref-store';
export * from './refs/resolve-ref';
export * from './refs/ref-name';
export * from './refs/ref-update';
export * from './walk/commit-graph';
export * from './walk/merge-base';
export * from './walk/rev-parse';
export * from './walk/log';
export * from './walk/time-travel';
export * from './errors/repo-errors';
export * from './repo/clock';
export * from './repo/identity';
export * from './repo/commit-message';
export * from './repo/path-view';
export * from './repo/path-overlay';
export * from './repo/tree-view';
export * from './repo/tree-builder';
export * from './repo/tree-changes';
export * from './repo/tree-listing';
export * from './repo/working-state';
export * from './repo/status';
export * from './repo/head';
export * from './repo/commit-index';
export * from './repo/branches';
export * from './repo/tags';
export * from './repo/checkout';
export * from './repo/repository';
export * from './errors/diff-errors';
export * from './diff/line-records';
export * from './diff/line-diff';
export * from './diff/binary-content';
export * from './diff/path-quoting';
export * from './diff/file-patch';
export * from './diff/tree-diff';
export * from './diff/rename-detection';
export * from './diff/file-diffs';
export * from './diff/apply-patch';
export * from './walk/blame';
export * from './errors/merge-errors';
export { mergeBlobs, DEFAULT_MARKER_SIZE } from './merge/blob-merge';
export type {
  BlobContent,
  BlobMergeOptions,
  BlobMergeResult,
  ConflictStyle,
  MergeLabels,
} from './merge/blob-merge';
export type {
  CommitMergeResult,
  ConflictStage,
  MergeConflict,
  MergeConflictKind,
  TreeMergeResult,
} from './merge/merge-result';
export { mergeTrees } from './merge/tree-merge';
export type { TreeMergeOptions } from './merge/tree-merge';
export { mergeCommits } from './merge/commit-merge';
export type { CommitMergeOptions } from './merge/commit-merge';
export { cherryPickTree, revertTree } from './merge/cherry-pick';
export type { PickOptions } from './merge/cherry-pick';
export * from './errors/transaction-errors';
export * from './repo/tree-edit';
export * from './repo/transactions';
export * from './repo/realities-benchmark';
export * from './repo/realities';
export * from './repo/time-travel-snapshot';
export * from './walk/commits-ahead';
export * from './walk/timestamp';
export * from './errors/pack-errors';
export * from './protocol/delta';
export * from './protocol/pack-limits';
export * from './protocol/pack-reader';
export * from './protocol/pack-writer';
export * from './protocol/pack-index';
export * from './protocol/pack-file';
// git's wire protocol: pkt-lines, upload-pack (fetch) and receive-pack (push) over smart HTTP.
export * from './errors/protocol-errors';
export * from './protocol/pkt-line';
export * from './protocol/advertised-refs';
export * from './protocol/fetch-plan';
export * from './protocol/pack-cache';
export * from './protocol/object-fsck';
export * from './protocol/upload-pack';
export * from './protocol/receive-pack';
// History operations on a Repository: merge, cherry-pick, revert, reset, rebase, stash.
export * from './errors/operation-errors';
export * from './repo/reset';
export * from './repo/merge-branch';
export * from './repo/merge-branch-message';
export * from './repo/cherry-pick-message';
export * from './repo/cherry-pick-commit';
export * from './repo/revert-commit';
export * from './repo/rebase';
export * from './repo/rebase-session';
export * from './repo/rebase-todo';
export * from './repo/rebase-patch-id';
export * from './repo/stash-ids';
export * from './repo/stash-list';
export * from './repo/stash-push';
export * from './repo/stash-apply';
export * from './repo/stash-drop';
// Storage drivers and repository records, for the server's git-core wiring.
export * from './errors/storage-errors';
export * from './storage/repository-id';
export * from './storage/metadata-store';
export * from './storage/storage-driver';
export * from './storage/memory/memory-metadata-store';
export * from './storage/memory/memory-storage-driver';
export * from './storage/disk/disk-storage-driver';
export type { FileSystem, FileHandle } from './storage/disk/file-system';
export * from './storage/postgres/postgres-storage-driver';
export type { ObjectCompression } from './storage/postgres/postgres-repository';
// Bundles, tar archives, the outbound address policy and the smart-HTTP client (import/export).
export * from './bundle';
export * from './archive';
export * from './net/address-policy';
export * from './net/address-ranges';
export * from './net/guarded-lookup';
export * from './protocol/smart-http-client';
// Search: matching, the per-repository index, searches, aggregation, the SQL subset.
export * from './search/index';
