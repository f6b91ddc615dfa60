/**
 * Bodies real git wrote (signed commits, a mergetag merge, an encoding header, signed tags, a
 * tag of a tag, trees with every mode) must parse and re-serialize to the very same bytes, or
 * reading and re-writing history would change ids.
 */
import { parseCommit, serializeCommit } from '../../../../src/core/objects/commit';
import { hashObject } from '../../../../src/core/objects/git-object';
import { parseTag, serializeTag } from '../../../../src/core/objects/tag';
import { parseTree, serializeTree } from '../../../../src/core/objects/tree';
import { GIT_PRODUCED_OBJECTS, type GitObjectFixture } from './fixtures/git-produced-objects';

function reserialize(fixture: GitObjectFixture, body: Buffer): Buffer {
  switch (fixture.type) {
    case 'commit':
      return serializeCommit(parseCommit(body, fixture.oid));
    case 'tag':
      return serializeTag(parseTag(body, fixture.oid));
    case 'tree':
      return serializeTree(parseTree(body, fixture.oid));
  }
}

describe('objects git produced', () => {
  it('covers signed commits, merges with mergetag, encodings and every tree mode', () => {
    const commits = GIT_PRODUCED_OBJECTS.filter((f) => f.type === 'commit').map((f) =>
      parseCommit(Buffer.from(f.body, 'base64')),
    );
    const headerKeys = commits.flatMap((c) => c.extraHeaders.map(([key]) => key));
    expect(headerKeys).toEqual(expect.arrayContaining(['gpgsig', 'mergetag', 'encoding']));
    expect(commits.some((c) => c.parents.length === 2)).toBe(true);
    const modes = GIT_PRODUCED_OBJECTS.filter((f) => f.type === 'tree').flatMap((f) =>
      parseTree(Buffer.from(f.body, 'base64')).map((e) => e.mode),
    );
    expect(new Set(modes)).toEqual(new Set(['100644', '100755', '120000', '40000', '160000']));
  });

  it.each(GIT_PRODUCED_OBJECTS.map((f) => [f.type, f.oid, f] as const))(
    're-serializes the %s %s byte for byte',
    (_type, oid, fixture) => {
      const body = Buffer.from(fixture.body, 'base64');
      expect(hashObject(fixture.type, body)).toBe(oid);
      const again = reserialize(fixture, body);
      expect(again.toString('latin1')).toBe(body.toString('latin1'));
      expect(hashObject(fixture.type, again)).toBe(oid);
    },
  );

  it('parses the signature of a signed commit as one multi-line gpgsig header', () => {
    const signed = GIT_PRODUCED_OBJECTS.map(
      (f) => f.type === 'commit' && parseCommit(Buffer.from(f.body, 'base64')),
    ).find((c) => c !== false && c.extraHeaders.some(([key]) => key === 'gpgsig'));
    expect(signed).toBeTruthy();
    const gpgsig =
      signed !== undefined && signed !== false
        ? signed.extraHeaders.find(([key]) => key === 'gpgsig')?.[1]
        : undefined;
    expect(gpgsig).toMatch(
      /^-----BEGIN PGP SIGNATURE-----\n\n[\s\S]+\n-----END PGP SIGNATURE-----$/,
    );
    expect(signed !== false && signed?.author.timezone).toBe('-0730');
  });
});
