/**
 * Git's files for refs: `packed-refs` (every direct ref under refs/, sorted, with the peeled
 * id of annotated tags) and loose ref files (`HEAD`, symbolic refs: `ref: <target>\n`, or an
 * id and a newline). The disk driver writes direct refs to packed-refs and only HEAD, other
 * top-level pseudo-refs and symbolic refs as loose files.
 */
import { isOid, type Oid } from '../../objects/oid';
import type { Ref, RefName } from '../ref-store';

export interface PackedRef {
  readonly name: RefName;
  readonly oid: Oid;
  /** For an annotated tag: the id it peels to (what `^{}` gives). */
  readonly peeled?: Oid;
}

const PACKED_REFS_HEADER = '# pack-refs with: peeled fully-peeled sorted \n';

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function formatPackedRefs(refs: readonly PackedRef[]): string {
  let text = PACKED_REFS_HEADER;
  for (const ref of [...refs].sort((a, b) => byteOrder(a.name, b.name))) {
    text += `${ref.oid} ${ref.name}\n`;
    if (ref.peeled !== undefined) text += `^${ref.peeled}\n`;
  }
  return text;
}

/** The refs of a packed-refs file (peeled lines dropped: they are derived data). */
export function parsePackedRefs(text: string): Map<RefName, Oid> {
  const refs = new Map<RefName, Oid>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('^')) continue;
    const oid = line.slice(0, 40);
    const name = line.slice(41);
    if (isOid(oid) && line[40] === ' ' && name !== '') refs.set(name, oid);
  }
  return refs;
}

/** The content of a loose ref file. */
export function formatLooseRef(ref: Ref): string {
  return ref.kind === 'symbolic' ? `ref: ${ref.target}\n` : `${ref.oid}\n`;
}

/** A loose ref file's ref, or undefined when the content is not one git writes. */
export function parseLooseRef(name: RefName, text: string): Ref | undefined {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (line.startsWith('ref: ')) {
    const target = line.slice(5).trim();
    return target === '' ? undefined : { name, kind: 'symbolic', target };
  }
  const oid = line.trim();
  return isOid(oid) ? { name, kind: 'direct', oid } : undefined;
}
