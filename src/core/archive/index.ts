/** Tar archives (ustar + pax long names): writer, reader, and their errors. */
export * from './tar-errors';
export * from './tar-header';
export * from './tar-reader';
export * from './tar-writer';
export * from './tree-archive';
export * from './bare-repository-archive';
