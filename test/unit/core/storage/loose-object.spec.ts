/**
 * Loose objects are how the disk driver and the interop tests hand objects to real git, and
 * how untrusted bytes come back in: decoding must round-trip, read git's own files, and refuse
 * corrupt or oversized input before inflating it all (RELIABILITY P9).
 */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { CorruptObjectError, ObjectTooLargeError } from '../../../../src/core/errors/object-errors';
import { encodeObject, hashObject, OBJECT_TYPES } from '../../../../src/core/objects/git-object';
import {
  decodeLooseObject,
  encodeLooseObject,
  looseObjectPath,
  MAX_LOOSE_OBJECT_BYTES,
} from '../../../../src/core/storage/loose-object';
import { fcParams } from '../../../support/fast-check';
import { blobBodyArb } from '../../../support/object-arbitraries';

/** `objects/ce/013625…` as git 2.39 wrote it for the blob "hello\n". */
const GIT_WRITTEN_HELLO = Buffer.from('eAFLyslPUjBjyEjNycnnAgAdxQQU', 'base64');

describe('encodeLooseObject and decodeLooseObject', () => {
  it('round-trips any type and body', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OBJECT_TYPES), blobBodyArb, (type, body) => {
        const decoded = decodeLooseObject(encodeLooseObject(type, body));
        expect(decoded.type).toBe(type);
        expect(Buffer.from(decoded.body).equals(Buffer.from(body))).toBe(true);
      }),
      fcParams(300),
    );
  });

  it('reads a loose object file git wrote', () => {
    const object = decodeLooseObject(GIT_WRITTEN_HELLO);
    expect(object.type).toBe('blob');
    expect(Buffer.from(object.body).toString()).toBe('hello\n');
    expect(hashObject(object.type, object.body)).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('writes a zlib stream of the envelope', () => {
    const encoded = encodeLooseObject('blob', Buffer.from('hello\n'));
    expect(encoded[0]).toBe(0x78);
    expect((encoded[0]! * 256 + encoded[1]!) % 31).toBe(0);
  });

  it('accepts a body exactly at the limit and refuses one byte more', () => {
    const body = Buffer.alloc(1000, 0x61);
    expect(decodeLooseObject(encodeLooseObject('blob', body), 1000).body.length).toBe(1000);
    expect(() => decodeLooseObject(encodeLooseObject('blob', body), 999)).toThrow(
      ObjectTooLargeError,
    );
  });

  it('stops a zlib bomb at the limit with a too-large error', () => {
    const bomb = encodeLooseObject('blob', Buffer.alloc(16 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const error = (() => {
      try {
        decodeLooseObject(bomb, 1024 * 1024);
        return undefined;
      } catch (e: unknown) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ObjectTooLargeError);
    expect(error).toMatchObject({
      code: 'OBJECT_TOO_LARGE',
      kind: 'too-large',
      details: { limit: 1024 * 1024 },
    });
  });

  it('defaults the limit to git.max_object_size', () => {
    expect(MAX_LOOSE_OBJECT_BYTES).toBe(100 * 1024 * 1024);
  });

  const valid = encodeLooseObject('blob', Buffer.from('hello\n'));
  it.each<[string, Buffer]>([
    ['bytes that are not zlib', Buffer.from('blob 6\0hello\n')],
    ['a truncated zlib stream', valid.subarray(0, valid.length - 4)],
    ['an empty file', Buffer.alloc(0)],
    ['garbage after the zlib stream', Buffer.concat([valid, Buffer.from('x')])],
    ['a second stream appended', Buffer.concat([valid, valid])],
    ['a bad header inside', deflateSync(Buffer.from('blob six\0hello\n'))],
    ['an unknown type inside', deflateSync(Buffer.from('delta 6\0hello\n'))],
    ['a length that does not match the body', deflateSync(Buffer.from('blob 7\0hello\n'))],
    ['no header at all', deflateSync(Buffer.from('hello\n'))],
  ])('rejects %s as a corrupt object', (_label, data) => {
    expect(() => decodeLooseObject(data)).toThrow(CorruptObjectError);
    expect(() => decodeLooseObject(data)).toThrow(
      expect.objectContaining({ code: 'CORRUPT_OBJECT' }),
    );
  });

  it('accepts an envelope deflated at any compression level', () => {
    const envelope = encodeObject('commit', Buffer.from('tree x\n'));
    for (const level of [0, 1, 6, 9]) {
      expect(decodeLooseObject(deflateSync(envelope, { level })).type).toBe('commit');
    }
  });

  it.each([-1, 1.5, Number.NaN])('rejects a limit of %p as a programming error', (limit) => {
    expect(() => decodeLooseObject(valid, limit)).toThrow(RangeError);
  });
});

describe('looseObjectPath', () => {
  it('splits the id after two hex digits under objects/', () => {
    expect(looseObjectPath('ce013625030ba8dba906f756967f9e9ca394464a')).toBe(
      'objects/ce/013625030ba8dba906f756967f9e9ca394464a',
    );
  });

  it.each([
    '../../../../etc/passwd',
    'CE013625030BA8DBA906F756967F9E9CA394464A',
    'ce0136',
    `${'a'.repeat(39)}/`,
    '',
  ])('refuses %j, which is not a full object id', (oid) => {
    expect(() => looseObjectPath(oid)).toThrow(CorruptObjectError);
  });
});
