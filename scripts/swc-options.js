/**
 * The one set of @swc/core options for TypeScript in this repository, shared by the Jest
 * transform, the build (scripts/build.js) and the on-the-fly loader (scripts/register-ts.js), so
 * tests, benchmarks and the shipped server run identical JavaScript. Nest needs legacy decorators
 * with emitted metadata; class fields keep TypeScript's assignment semantics.
 */
'use strict';

/** @param {{ sourceMaps: boolean | 'inline' }} options */
function swcOptions({ sourceMaps }) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps,
    swcrc: false,
  };
}

module.exports = { swcOptions };
