/**
 * `npm run build`: compiles src/ into dist/ (CommonJS, with source maps) using @swc/core, the
 * same transform the tests run through, in about a second. It does not type-check:
 * `npm run typecheck` (tsc --noEmit, strict) does, in CI before the tests.
 */
'use strict';

const { mkdir, readdir, rm, writeFile } = require('node:fs/promises');
const path = require('node:path');
const { transformFile } = require('@swc/core');
const { swcOptions } = require('./swc-options');

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'src');
const OUTPUT = path.join(ROOT, 'dist');

async function sourceFiles(directory) {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
    }),
  );
  return nested.flat();
}

async function compile(file) {
  const relative = path.relative(SOURCE, file).replace(/\.ts$/, '.js');
  const target = path.join(OUTPUT, relative);
  const { code, map } = await transformFile(file, {
    ...swcOptions({ sourceMaps: true }),
    sourceFileName: path.relative(path.dirname(target), file),
  });
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
  if (map) await writeFile(`${target}.map`, map);
}

async function main() {
  const started = Date.now();
  // A clean output: files deleted from src/ must not linger in dist/.
  await rm(OUTPUT, { recursive: true, force: true });
  const files = await sourceFiles(SOURCE);
  await Promise.all(files.map(compile));
  process.stdout.write(`built ${files.length} files into dist/ in ${Date.now() - started} ms\n`);
}

main().catch((error) => {
  process.stderr.write(`build failed: ${error && error.message ? error.message : String(error)}\n`);
  process.exit(1);
});
