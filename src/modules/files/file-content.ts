/**
 * File content on the wire (api-contract.md §0.4): a JSON string that is the UTF-8 text when
 * the bytes are valid UTF-8 without NUL, otherwise base64 with `encoding: "base64"`. Requests
 * say `encoding: "utf-8"` (the default) or `"base64"`; base64 must be canonical (standard
 * alphabet, padded, no whitespace), so one text never stands for two contents.
 */
import { isUtf8 } from 'node:buffer';
import { InvalidContentEncodingError } from './file-input-errors';

export const CONTENT_ENCODINGS = ['utf-8', 'base64'] as const;
export type ContentEncoding = (typeof CONTENT_ENCODINGS)[number];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface EncodedContent {
  readonly content: string;
  readonly encoding: ContentEncoding;
}

/**
 * The bytes a request's `content` stands for; InvalidContentEncodingError for bad base64 or
 * text that is not well-formed Unicode (a lone surrogate has no UTF-8 form).
 */
export function decodeContent(content: string, encoding: ContentEncoding = 'utf-8'): Uint8Array {
  if (encoding === 'utf-8') {
    if (LONE_SURROGATE.test(content)) {
      throw new InvalidContentEncodingError(
        'content',
        'content is not valid UTF-8 text; send base64',
      );
    }
    return Buffer.from(content, 'utf8');
  }
  if (!BASE64.test(content)) {
    throw new InvalidContentEncodingError('content', 'content is not valid base64');
  }
  return Buffer.from(content, 'base64');
}

/** Text when the bytes are UTF-8 without NUL, else base64. */
export function encodeContent(bytes: Uint8Array): EncodedContent {
  if (isUtf8(bytes) && !bytes.includes(0)) {
    return { content: Buffer.from(bytes).toString('utf8'), encoding: 'utf-8' };
  }
  return { content: Buffer.from(bytes).toString('base64'), encoding: 'base64' };
}
