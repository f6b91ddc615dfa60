/**
 * fast-check arbitraries for working-state tests: repository paths drawn from a tiny alphabet
 * of components, so random operations keep colliding (same file, file vs directory, a
 * directory and its contents) instead of spreading over paths that never meet.
 */
import fc from 'fast-check';

/** Components that sort around `/` in git's order (`a.b`, `a-` vs `a/`) plus unicode and spaces. */
export const PATH_COMPONENTS = ['a', 'b', 'a.b', 'a-', 'c d', 'é', '😀'] as const;

/** A path of 1–3 components from PATH_COMPONENTS. */
export const repoPathArb: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...PATH_COMPONENTS), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('/'));

/** Short contents, often equal to each other (so "changed back" cases happen). */
export const contentArb: fc.Arbitrary<string> = fc.constantFrom('', 'x', 'y', 'hello\n', 'target');

export const writableModeArb: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  undefined,
  '100644',
  '100755',
  '120000',
);

/** True when no path of the set is a directory of another (a valid snapshot). */
export function isConsistentLayout(paths: readonly string[]): boolean {
  return paths.every((a) => paths.every((b) => !b.startsWith(`${a}/`)));
}

/** A commit's file changes for TestRepo: path → content, or null to delete; a valid layout. */
export const fileChangesArb: fc.Arbitrary<Record<string, string | null>> = fc
  .dictionary(repoPathArb, fc.option(contentArb, { nil: null }), { maxKeys: 8 })
  .filter((files) => isConsistentLayout(Object.keys(files)));
