/**
 * `npm run bench [-- --json] [-- <filter>...]`: runs bench/*.bench.ts through the harness.
 * TypeScript is transpiled on load by scripts/register-ts.js (@swc/core), so no build step or
 * global tool is needed.
 */
'use strict';

require('../scripts/register-ts.js');
const { runBenchmarks } = require('./harness.ts');

runBenchmarks(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(
      `bench harness failed: ${error && error.stack ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
