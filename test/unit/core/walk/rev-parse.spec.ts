/**
 * resolveRevision / resolveCommit: the §0.7 grammar (names, ids, suffixes, reflog) and its
 * failure codes. Agreement with `git rev-parse` is checked in test/interop.
 */
import {
  AmbiguousRefError,
  InvalidRefError,
  RefNotFoundError,
} from '../../../../src/core/errors/ref-errors';
import { ZERO_OID } from '../../../../src/core/objects/oid';
import { resolveCommit, resolveRevision } from '../../../../src/core/walk/rev-parse';
import { HistoryBuilder, signature } from '../../../support/history-builder';

/**
 *   r - a - b - m - d      (main; m merges s2 as second parent)
 *        \     /
 *         s1-s2            (side)
 */
function history() {
  const h = new HistoryBuilder();
  const [r, a, b] = h.chain(3);
  const [s1, s2] = h.chain(2, a);
  const m = h.commit({ parents: [b!, s2!] });
  const [d] = h.chain(1, m);
  h.setBranch('main', d!);
  h.setBranch('side', s2!);
  const tag = h.odb.writeTag({
    object: b!,
    type: 'commit',
    name: 'v1',
    tagger: signature(1),
    extraHeaders: [],
    message: 'v1\n',
  });
  h.refs.update({ name: 'refs/tags/v1', expect: null, next: tag });
  h.refs.update({ name: 'refs/tags/light', expect: null, next: a! });
  return { h, r: r!, a: a!, b: b!, s1: s1!, s2: s2!, m, d: d!, tag };
}

function resolve(h: HistoryBuilder, expr: string): string {
  return resolveRevision(h.odb, h.refs, expr);
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('resolveRevision', () => {
  it('resolves HEAD, branch names, full refs, tags and full ids', () => {
    const { h, d, s2, a, m } = history();
    expect(resolve(h, 'HEAD')).toBe(d);
    expect(resolve(h, '@')).toBe(d);
    expect(resolve(h, 'side')).toBe(s2);
    expect(resolve(h, 'refs/heads/side')).toBe(s2);
    expect(resolve(h, 'light')).toBe(a);
    expect(resolve(h, 'refs/tags/light')).toBe(a);
    expect(resolve(h, m)).toBe(m);
    expect(resolve(h, m.toUpperCase())).toBe(m);
  });

  it('prefers a branch over a tag of the same name', () => {
    const { h, a, d } = history();
    h.refs.update({ name: 'refs/tags/main', expect: null, next: a });
    expect(resolve(h, 'main')).toBe(d);
  });

  it('applies ~N along first parents and ^N across parents, composed', () => {
    const { h, r, a, b, s1, s2, m, d } = history();
    expect(resolve(h, 'main~')).toBe(m);
    expect(resolve(h, 'main~1')).toBe(m);
    expect(resolve(h, 'main~2')).toBe(b);
    expect(resolve(h, 'main~4')).toBe(r);
    expect(resolve(h, 'main^')).toBe(m);
    expect(resolve(h, 'main^^2')).toBe(s2);
    expect(resolve(h, 'main~1^2~1')).toBe(s1);
    expect(resolve(h, 'main~1^2^')).toBe(s1);
    expect(resolve(h, 'main^0')).toBe(d);
    expect(resolve(h, 'main~0')).toBe(d);
    expect(resolve(h, 'HEAD~2~1')).toBe(a);
  });

  it('keeps an annotated tag as itself and peels it when a suffix needs a commit', () => {
    const { h, tag, b, a } = history();
    expect(resolve(h, 'v1')).toBe(tag);
    expect(resolve(h, 'v1^0')).toBe(b);
    expect(resolve(h, 'v1~1')).toBe(a);
    expect(resolveCommit(h.odb, h.refs, 'v1')).toBe(b);
  });

  it('resolves an unambiguous abbreviated id of 4 to 39 digits', () => {
    const { h, m } = history();
    expect(resolve(h, m.slice(0, 7))).toBe(m);
    expect(resolve(h, m.slice(0, 39))).toBe(m);
    expect(resolve(h, `${m.slice(0, 10)}^2`)).toBe(h.graph.parents(m)[1]);
  });

  it('reports an abbreviated id matching several objects as AMBIGUOUS_REF with at most 10 candidates', () => {
    const h = new HistoryBuilder();
    const byPrefix = new Map<string, string[]>();
    for (let i = 0; i < 3000; i++) {
      const oid = h.odb.writeBlob(`blob ${i}`);
      const group = byPrefix.get(oid.slice(0, 4)) ?? [];
      group.push(oid);
      byPrefix.set(oid.slice(0, 4), group);
    }
    const [prefix, candidates] = [...byPrefix].find(([, group]) => group.length > 1)!;
    const error = errorOf(() => resolve(h, prefix));
    expect(error).toBeInstanceOf(AmbiguousRefError);
    expect((error as AmbiguousRefError).details).toEqual({
      ref: prefix,
      candidates: [...candidates].sort().slice(0, 10),
    });
  });

  it('reads @{N} from the branch reflog like git (the value N moves ago)', () => {
    const { h, a, b, d } = history();
    const ref = 'refs/heads/topic';
    const moves = [a, b, d];
    moves.forEach((next, i) =>
      h.refs.update({
        name: ref,
        expect: i === 0 ? null : moves[i - 1]!,
        next,
        reflog: { committer: signature(i), message: 'm' },
      }),
    );
    expect(resolve(h, 'topic@{0}')).toBe(d);
    expect(resolve(h, 'topic@{1}')).toBe(b);
    expect(resolve(h, 'topic@{2}')).toBe(a);
    expect(resolve(h, 'refs/heads/topic@{1}~1')).toBe(a);
    expect(errorOf(() => resolve(h, 'topic@{3}'))).toBeInstanceOf(RefNotFoundError);
  });

  it('reads HEAD@{N} from HEAD’s reflog, falling back to the current branch’s', () => {
    const { h, a, b, d } = history();
    h.refs.appendReflog('refs/heads/main', {
      oldOid: a,
      newOid: d,
      committer: signature(1),
      message: 'x',
    });
    expect(resolve(h, 'HEAD@{1}')).toBe(a);
    h.refs.appendReflog('HEAD', {
      oldOid: ZERO_OID,
      newOid: b,
      committer: signature(1),
      message: 'x',
    });
    h.refs.appendReflog('HEAD', { oldOid: b, newOid: d, committer: signature(2), message: 'y' });
    expect(resolve(h, 'HEAD@{1}')).toBe(b);
  });

  it.each([
    'HEAD~x',
    'main^^x',
    'main~1@{1}',
    'ma in',
    'main:path',
    'a..b',
    '~1',
    '^',
    '',
    'main@{-1}',
    'main@{x}',
    'main@{1',
    'main^{commit}',
    '.hidden',
  ])('rejects the malformed %j with INVALID_REF', (expr) => {
    const { h } = history();
    expect(errorOf(() => resolve(h, expr))).toBeInstanceOf(InvalidRefError);
  });

  it('rejects @{N} on a tag or an id with INVALID_REF', () => {
    const { h, m } = history();
    expect(errorOf(() => resolve(h, 'light@{1}'))).toBeInstanceOf(InvalidRefError);
    expect(errorOf(() => resolve(h, `${m}@{0}`))).toBeInstanceOf(InvalidRefError);
  });

  it.each([
    'nope',
    'main~5',
    'main~99999',
    'main^3',
    'side^2',
    'deadbeef',
    'dead',
    '1111111111111111111111111111111111111111',
  ])('reports %j as REF_NOT_FOUND naming the whole expression', (expr) => {
    const { h } = history();
    const error = errorOf(() => resolve(h, expr));
    expect(error).toBeInstanceOf(RefNotFoundError);
    expect((error as RefNotFoundError).details).toEqual({ ref: expr });
  });

  it('reports an unborn HEAD as REF_NOT_FOUND', () => {
    const h = new HistoryBuilder();
    expect(errorOf(() => resolve(h, 'HEAD'))).toBeInstanceOf(RefNotFoundError);
    expect(errorOf(() => resolve(h, 'HEAD~1'))).toBeInstanceOf(RefNotFoundError);
  });

  it('refuses to walk parents of a tree', () => {
    const { h, d } = history();
    const tree = h.graph.tree(d);
    expect(resolve(h, tree)).toBe(tree);
    expect(errorOf(() => resolve(h, `${tree}~1`))).toBeInstanceOf(RefNotFoundError);
    expect(errorOf(() => resolveCommit(h.odb, h.refs, tree))).toBeInstanceOf(RefNotFoundError);
  });
});
