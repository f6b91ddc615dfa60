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
