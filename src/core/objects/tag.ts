/**
 * Annotated tag objects: `object`, `type`, `tag`, optional `tagger`, other headers, message.
 */
import { CorruptObjectError } from '../errors/object-errors';
import { isObjectType, type ObjectType } from './git-object';
import { formatHeader, splitHeaders } from './object-headers';
import { isOid, type Oid } from './oid';
import { formatSignature, parseSignature, type Signature } from './signature';

export interface Tag {
  readonly object: Oid;
  readonly type: ObjectType;
  readonly name: string;
  readonly tagger?: Signature;
  readonly extraHeaders: ReadonlyArray<readonly [string, string]>;
  readonly message: string;
}

export function parseTag(body: Uint8Array, oid?: Oid): Tag {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const { headers, message } = splitHeaders(text);
  let object: Oid | undefined;
  let type: ObjectType | undefined;
  let name: string | undefined;
  let tagger: Signature | undefined;
  const extraHeaders: Array<[string, string]> = [];
  for (const [key, value] of headers) {
    if (key === 'object' && object === undefined) {
      if (!isOid(value)) throw new CorruptObjectError('tag', 'bad object id', oid);
      object = value;
    } else if (key === 'type' && type === undefined) {
      if (!isObjectType(value)) throw new CorruptObjectError('tag', `bad type '${value}'`, oid);
      type = value;
    } else if (key === 'tag' && name === undefined) {
      name = value;
    } else if (key === 'tagger' && tagger === undefined && name !== undefined) {
      tagger = parseSignature(value, 'tag');
    } else {
      extraHeaders.push([key, value]);
    }
  }
  if (object === undefined || type === undefined || name === undefined) {
    throw new CorruptObjectError('tag', 'missing object, type or tag header', oid);
  }
  return { object, type, name, ...(tagger ? { tagger } : {}), extraHeaders, message };
}

export function serializeTag(tag: Tag): Buffer {
  let text = `object ${tag.object}\ntype ${tag.type}\ntag ${tag.name}\n`;
  if (tag.tagger) text += `tagger ${formatSignature(tag.tagger)}\n`;
  for (const [key, value] of tag.extraHeaders) text += formatHeader(key, value);
  text += `\n${tag.message}`;
  return Buffer.from(text, 'utf8');
}
