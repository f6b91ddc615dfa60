/** Git bundles: header codec, reader, writer, reachability walk and import object checks. */
export * from './bundle-errors';
export * from './bundle-header';
export * from './bundle-reader';
export * from './bundle-writer';
export * from './object-check';
export * from './reachable-objects';
export * from './bare-repository-reader';
