/**
 * Ref name rules: git's check-ref-format for full names, and the stricter branch/tag name
 * rules of the contract (§0.7), which add govc's limits on top of git's.
 *
 * Relies on nothing but the error classes; every rule is checked on the string as given (no
 * normalization), so a name that passes is stored exactly as the caller wrote it.
 */
import { InvalidBranchNameError, InvalidTagNameError } from '../errors/ref-errors';

export interface RefNameOptions {
  /** Accept a name without any `/` (`HEAD`, `FETCH_HEAD`), like `--allow-onelevel`. */
  readonly allowOneLevel?: boolean;
}

/** Bytes git refuses anywhere in a ref name: controls, DEL, space and `~ ^ : ? * [ \`. */
// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const FORBIDDEN_REF_CHAR = /[\x00-\x20\x7f~^:?*[\\]/;

/**
 * The reason git's `check-ref-format` rejects `name`, or undefined when it accepts it.
 * Same rules as refs.c `check_refname_format` without flags (so no `*` patterns).
 */
export function refNameProblem(name: string, options: RefNameOptions = {}): string | undefined {
  if (name === '') return 'is empty';
  if (name === '@') return "is the single character '@'";
  const bad = FORBIDDEN_REF_CHAR.exec(name);
  if (bad)
    return bad[0] <= ' ' || bad[0] === '\x7f'
      ? 'contains a space or control character'
      : `contains '${bad[0]}'`;
  if (name.includes('..')) return "contains '..'";
  if (name.includes('@{')) return "contains '@{'";
  if (name.endsWith('.')) return "ends with '.'";
  const components = name.split('/');
  for (const component of components) {
    if (component === '') return 'has an empty component (leading, trailing or double slash)';
    if (component.startsWith('.')) return "has a component starting with '.'";
    if (component.endsWith('.lock')) return "has a component ending with '.lock'";
  }
  if (components.length < 2 && !options.allowOneLevel) return "has a single component (no '/')";
  return undefined;
}

/** True when git would accept `name` as a full ref name (`refs/heads/x`), per check-ref-format. */
export function isValidRefName(name: string, options: RefNameOptions = {}): boolean {
  return refNameProblem(name, options) === undefined;
}

const MAX_NAME_BYTES = 255;
/** Unicode whitespace (not just ASCII) and C0/C1 controls: invisible in UIs, easy to spoof. */
// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const WHITESPACE_OR_CONTROL = /[\s\x00-\x1f\x7f-\x9f]/u;
const FORBIDDEN_NAME_CHAR = /[~^:?*[\\]/;

/**
 * Why a short branch or tag name (`feature/x`) breaks §0.7, or undefined when it is valid.
 * Everything `git check-ref-format --branch` rejects is rejected here too (tested against git).
 */
export function shortRefNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES)
    return `must be at most ${MAX_NAME_BYTES} bytes`;
  if (WHITESPACE_OR_CONTROL.test(name)) return 'must not contain whitespace or control characters';
  const bad = FORBIDDEN_NAME_CHAR.exec(name);
  if (bad) return `must not contain '${bad[0]}'`;
  if (name.includes('..')) return "must not contain '..'";
  if (name.includes('//')) return "must not contain '//'";
  if (name.includes('@{')) return "must not contain '@{'";
  if (name === '@' || name === 'HEAD') return `'${name}' is reserved`;
  if (name.startsWith('-')) return "must not start with '-'";
  if (name.startsWith('/')) return "must not start with '/'";
  if (name.endsWith('/')) return "must not end with '/'";
  if (name.endsWith('.')) return "must not end with '.'";
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return "no component may start with '.'";
    if (component.endsWith('.lock')) return "no component may end with '.lock'";
  }
  // Safety net: the rules above are meant to imply git's; this keeps that true if either drifts.
  const gitProblem = refNameProblem(`refs/heads/${name}`);
  return gitProblem === undefined ? undefined : `is not a valid git ref name: ${gitProblem}`;
}

/** Throws InvalidBranchNameError (code INVALID_BRANCH_NAME) when `name` breaks §0.7. */
export function validateBranchName(name: string): void {
  const problem = shortRefNameProblem(name);
  if (problem !== undefined) throw new InvalidBranchNameError(name, problem);
}

/** Throws InvalidTagNameError (code INVALID_TAG_NAME) when `name` breaks §0.7 (same rules as branches). */
export function validateTagName(name: string): void {
  const problem = shortRefNameProblem(name);
  if (problem !== undefined) throw new InvalidTagNameError(name, problem);
}
