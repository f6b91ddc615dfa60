/**
 * Lets plain `node` run this repository's TypeScript (bench files, scripts) without a build step
 * or a global tool: `node -r ./scripts/register-ts.js file.ts`. Each .ts file is transpiled on
 * require by @swc/core with the shared options of scripts/swc-options.js; no type-check here,
 * `npm run typecheck` does that.
 */
'use strict';

const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const { swcOptions } = require('./swc-options');

const options = swcOptions({ sourceMaps: 'inline' });

if (!Module._extensions['.ts']) {
  Module._extensions['.ts'] = function compileTypeScript(module, filename) {
    const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
    module._compile(code, filename);
  };
  // Stack traces point at the .ts lines through the inline source maps.
  process.setSourceMapsEnabled(true);
}
