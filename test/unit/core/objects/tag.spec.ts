/**
 * Annotated tag bodies: object, type, tag, optional tagger, other headers, message. Like
 * commits, a parsed tag must re-serialize to the same bytes (and so the same id).
 */
import fc from 'fast-check';
import { CorruptObjectError } from '../../../../src/core/errors/object-errors';
import { parseTag, serializeTag, type Tag } from '../../../../src/core/objects/tag';
import { fcParams } from '../../../support/fast-check';
import { tagArb } from '../../../support/object-arbitraries';

const TARGET = 'c'.repeat(40);

describe('parseTag and serializeTag', () => {
  it('round-trips any tag, with or without a tagger', () => {
    fc.assert(
      fc.property(tagArb, (tag) => {
        expect(parseTag(serializeTag(tag))).toEqual(tag);
      }),
      fcParams(1000),
    );
  });

  it('re-serializes the bytes it parsed to the identical bytes', () => {
    fc.assert(
      fc.property(tagArb, (tag) => {
        const bytes = serializeTag(tag);
        expect(serializeTag(parseTag(bytes)).equals(bytes)).toBe(true);
      }),
      fcParams(500),
    );
  });

  it("writes git's layout", () => {
    const tag: Tag = {
      object: TARGET,
      type: 'commit',
      name: 'v1.0',
      tagger: { name: 'Zoë', email: 'z@example.com', timestamp: 1700000000, timezone: '+1400' },
      extraHeaders: [],
      message: 'release 1.0\n',
    };
    expect(serializeTag(tag).toString('utf8')).toBe(
      `object ${TARGET}\ntype commit\ntag v1.0\ntagger Zoë <z@example.com> 1700000000 +1400\n\nrelease 1.0\n`,
    );
  });

  it('omits the tagger key entirely when the tag has none', () => {
    const parsed = parseTag(Buffer.from(`object ${TARGET}\ntype tree\ntag old\n\nm\n`));
    expect(parsed).toEqual({
      object: TARGET,
      type: 'tree',
      name: 'old',
      extraHeaders: [],
      message: 'm\n',
    });
    expect('tagger' in parsed).toBe(false);
  });

  it.each<[string, string]>([
    ['no object header', 'type commit\ntag v1\n\nm\n'],
    ['no type header', `object ${TARGET}\ntag v1\n\nm\n`],
    ['no tag header', `object ${TARGET}\ntype commit\n\nm\n`],
    ['a bad object id', 'object 123\ntype commit\ntag v1\n\nm\n'],
    ['an unknown type', `object ${TARGET}\ntype branch\ntag v1\n\nm\n`],
    ['a broken tagger', `object ${TARGET}\ntype commit\ntag v1\ntagger nobody\n\nm\n`],
  ])('rejects a tag with %s as corrupt', (_label, text) => {
    expect(() => parseTag(Buffer.from(text))).toThrow(CorruptObjectError);
  });
});
