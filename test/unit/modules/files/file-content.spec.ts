import fc from 'fast-check';
import { decodeContent, encodeContent } from '../../../../src/modules/files/file-content';
import { InvalidContentEncodingError } from '../../../../src/modules/files/file-input-errors';
import { fcParams } from '../../../support/fast-check';

describe('file content on the wire', () => {
  it('answers valid UTF-8 without NUL as text, anything else as base64', () => {
    expect(encodeContent(Buffer.from('héllo\n'))).toEqual({
      content: 'héllo\n',
      encoding: 'utf-8',
    });
    expect(encodeContent(Buffer.from([0x61, 0x00]))).toEqual({
      content: 'YQA=',
      encoding: 'base64',
    });
    expect(encodeContent(Buffer.from([0xff, 0xfe]))).toEqual({
      content: '//4=',
      encoding: 'base64',
    });
    expect(encodeContent(new Uint8Array(0))).toEqual({ content: '', encoding: 'utf-8' });
  });

  it('round-trips any bytes through encode and decode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const { content, encoding } = encodeContent(bytes);
        expect(Buffer.from(decodeContent(content, encoding))).toEqual(Buffer.from(bytes));
      }),
      fcParams(300),
    );
  });

  it('accepts only canonical padded base64', () => {
    expect(Buffer.from(decodeContent('AAEC', 'base64'))).toEqual(Buffer.from([0, 1, 2]));
    expect(decodeContent('', 'base64')).toHaveLength(0);
    for (const bad of ['AAE', 'AA=C', 'QU JD', 'QUJD\n', '****', 'QQ', 'QUJD=']) {
      expect(() => decodeContent(bad, 'base64')).toThrow(InvalidContentEncodingError);
    }
  });

  it('refuses text with a lone surrogate, which has no UTF-8 form', () => {
    expect(() => decodeContent('a\ud800b')).toThrow(InvalidContentEncodingError);
    expect(Buffer.from(decodeContent('😀')).toString('utf8')).toBe('😀');
  });
});
