/**
 * The text header of a git bundle (v2 and v3, as `git bundle` writes them): the signature line,
 * v3 capabilities (`@object-format=sha1`; `@filter` is refused: a partial bundle cannot fill a
 * repository), prerequisite lines `-<oid> <comment>`, ref lines `<oid> <refname>`, then an empty
 * line; the pack follows. Limits keep a hostile header from costing unbounded memory.
 */
import { isOid, type Oid } from '../objects/oid';
import { InvalidBundleError } from './bundle-errors';

export const BUNDLE_V2_SIGNATURE = '# v2 git bundle';
export const BUNDLE_V3_SIGNATURE = '# v3 git bundle';
/** The header may not exceed this many bytes (a million refs of 100 bytes fit). */
export const MAX_BUNDLE_HEADER_BYTES = 128 * 1024 * 1024;

export interface BundleRef {
  readonly name: string;
  readonly oid: Oid;
}

export interface BundlePrerequisite {
  readonly oid: Oid;
  readonly comment: string;
}

export interface BundleHeader {
  readonly version: 2 | 3;
  readonly capabilities: ReadonlyMap<string, string | undefined>;
  readonly prerequisites: readonly BundlePrerequisite[];
  /** In header order; `HEAD` may be among them. */
  readonly refs: readonly BundleRef[];
}

/**
 * Parses the header text (without the final empty line). Throws InvalidBundleError for anything
 * `git bundle verify` would refuse to read.
 */
export function parseBundleHeader(text: string): BundleHeader {
  const lines = text.split('\n');
  const signature = lines.shift();
  let version: 2 | 3;
  if (signature === BUNDLE_V2_SIGNATURE) version = 2;
  else if (signature === BUNDLE_V3_SIGNATURE) version = 3;
  else throw new InvalidBundleError('not a git bundle (unknown signature line)');
  const capabilities = new Map<string, string | undefined>();
  const prerequisites: BundlePrerequisite[] = [];
  const refs: BundleRef[] = [];
  for (const line of lines) {
    if (line.startsWith('@')) {
      if (version !== 3 || prerequisites.length > 0 || refs.length > 0) {
        throw new InvalidBundleError('capability line outside a v3 header');
      }
      const eq = line.indexOf('=');
      const key = eq < 0 ? line.slice(1) : line.slice(1, eq);
      const value = eq < 0 ? undefined : line.slice(eq + 1);
      capabilities.set(key, value);
    } else if (line.startsWith('-')) {
      const oid = line.slice(1, 41);
      if (!isOid(oid) || (line.length > 41 && line[41] !== ' ')) {
        throw new InvalidBundleError('malformed prerequisite line');
      }
      prerequisites.push({ oid, comment: line.slice(42) });
    } else {
      const oid = line.slice(0, 40);
      const name = line.slice(41);
      if (!isOid(oid) || line[40] !== ' ' || name === '') {
        throw new InvalidBundleError('malformed ref line');
      }
      refs.push({ oid, name });
    }
  }
  for (const [key, value] of capabilities) {
    if (key === 'object-format') {
      if (value !== 'sha1') {
        throw new InvalidBundleError(`unsupported object format '${String(value)}'`);
      }
    } else if (key === 'filter') {
      throw new InvalidBundleError('partial (filtered) bundles cannot be imported');
    } else {
      throw new InvalidBundleError(`unknown bundle capability '${key}'`);
    }
  }
  return { version, capabilities, prerequisites, refs };
}

/** The v2 header bytes for these refs (HEAD included when given), ending with the empty line. */
export function formatBundleHeader(refs: readonly BundleRef[]): Buffer {
  let text = `${BUNDLE_V2_SIGNATURE}\n`;
  for (const ref of refs) {
    if (!isOid(ref.oid) || ref.name === '' || /[\n\0]/.test(ref.name)) {
      throw new RangeError(`cannot write bundle ref '${ref.name}'`);
    }
    text += `${ref.oid} ${ref.name}\n`;
  }
  return Buffer.from(`${text}\n`, 'utf8');
}
