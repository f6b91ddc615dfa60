/**
 * Layer rules (STYLE.md §3), checked by `npm run deps:check` in CI: the engine in src/core stays
 * free of Nest and of the layers above it, pg is used only by its storage adapter, and code outside
 * the engine reaches it only through src/core/index.ts.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-stays-framework-free',
      comment:
        'src/core is a plain TypeScript engine: no Nest, no HTTP, config or feature modules.',
      severity: 'error',
      from: { path: '^src/core' },
      to: {
        path: [
          '^src/(modules|http|config|logging|metrics)/',
          '^src/(main|app\\.module|app\\.factory|graceful-shutdown|build-info)\\.ts$',
          '^node_modules/(@nestjs|nestjs-pino|@willsoto|express|@types/express)/',
        ],
      },
    },
    {
      name: 'pg-only-in-its-adapter',
      comment: 'Only the postgres storage adapter talks to PostgreSQL.',
      severity: 'error',
      from: { path: '^src', pathNot: '^src/core/storage/postgres/' },
      to: { path: '^node_modules/(pg|@types/pg)/' },
    },
    {
      name: 'core-through-its-index',
      comment: 'Outside src/core, import the engine from src/core/index.ts only.',
      severity: 'error',
      from: { path: '^src', pathNot: '^src/core/' },
      to: { path: '^src/core/', pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'Runtime import cycles; a cycle closed only by `import type` is harmless.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'Runtime imports must be declared in package.json.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'Server code must not need devDependencies at run time (npm ci --omit=dev).',
      severity: 'error',
      from: { path: '^src' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
      mainFields: ['main', 'types'],
      extensions: ['.ts', '.js', '.json', '.d.ts'],
    },
  },
};
