/**
 * The environment a hook script sees (api-contract.md §6.6): never the server's own, only a
 * fixed PATH, a private HOME, LANG, the GOVC_* variables describing the change, and variables an
 * admin configured or a caller sent, whose names and sizes are checked here.
 */
import { InvalidEnvironmentError } from './server-hook-errors';

/** A PATH that finds the usual tools without exposing the server's own (which may be odd). */
export const HOOK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const KEY = /^[A-Z_][A-Z0-9_]*$/;
const MAX_VARIABLES = 100;
const MAX_KEY_LENGTH = 256;
/** Bytes of all names and values together: keeps argv+envp far below the kernel's limits. */
const MAX_TOTAL_BYTES = 64 * 1024;

export type HookVariables = Readonly<Record<string, string>>;

/**
 * The GOVC_* variables of one run; empty strings where a value does not apply. (A type literal,
 * not an interface, so that it reads as a record of strings.)
 */
export type GovcVariables = {
  readonly GOVC_REPO: string;
  readonly GOVC_REPO_PATH: string;
  readonly GOVC_BRANCH: string;
  readonly GOVC_COMMIT: string;
  readonly GOVC_HOOK_TYPE: string;
  readonly GOVC_REF?: string;
  readonly GOVC_OLD_COMMIT?: string;
};

/**
 * Checks a configured or requested environment: an object of string values whose names match
 * `^[A-Z_][A-Z0-9_]*$` and are neither PATH nor GOVC_*. Returns a plain copy sorted by name;
 * throws InvalidEnvironmentError naming the first problem.
 */
export function checkEnvironment(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new InvalidEnvironmentError('environment must be an object of string values');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_VARIABLES)
    throw new InvalidEnvironmentError(`at most ${MAX_VARIABLES} variables`);
  let total = 0;
  const checked: Record<string, string> = {};
  for (const [key, raw] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!KEY.test(key) || key.length > MAX_KEY_LENGTH)
      throw new InvalidEnvironmentError('names must match ^[A-Z_][A-Z0-9_]*$', key);
    if (key === 'PATH' || key.startsWith('GOVC_'))
      throw new InvalidEnvironmentError('PATH and GOVC_* are set by the server', key);
    if (typeof raw !== 'string') throw new InvalidEnvironmentError('values must be strings', key);
    if (raw.includes('\0')) throw new InvalidEnvironmentError('values must not contain NUL', key);
    total += Buffer.byteLength(key) + Buffer.byteLength(raw) + 2;
    if (total > MAX_TOTAL_BYTES)
      throw new InvalidEnvironmentError(`names and values exceed ${MAX_TOTAL_BYTES} bytes`, key);
    checked[key] = raw;
  }
  return checked;
}

/**
 * The whole environment of a run, later sources winning: base (PATH, HOME, LANG) < configured
 * < requested < GOVC_* (which the checks above keep callers from setting anyway).
 */
export function hookEnvironment(
  home: string,
  configured: HookVariables,
  requested: HookVariables,
  govc: GovcVariables,
): Record<string, string> {
  const env: Record<string, string> = { PATH: HOOK_PATH, HOME: home, LANG: 'C.UTF-8' };
  return Object.assign(env, configured, requested, definedVariables(govc));
}

/** What the execute reply shows of the environment: GOVC_* and the caller's own variables. */
export function visibleEnvironment(
  requested: HookVariables,
  govc: GovcVariables,
): Record<string, string> {
  return { ...requested, ...definedVariables(govc) };
}

function definedVariables(govc: GovcVariables): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(govc)) if (value !== undefined) defined[key] = value;
  return defined;
}
