/**
 * Jest runs TypeScript through swc (no type-check; `npm run typecheck` does that), with the same
 * options as the build and the script loader (scripts/swc-options.js).
 */
const { swcOptions } = require('./scripts/swc-options');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions({ sourceMaps: 'inline' })] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
