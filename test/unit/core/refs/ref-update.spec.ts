/**
 * updateRef: JGit-style results for every kind of move, and no lost update when several
 * clients race on one ref (fast-check scheduler interleaving their read and write).
 */
import fc from 'fast-check';
import { InvalidRefError } from '../../../../src/core/errors/ref-errors';
import { updateRef } from '../../../../src/core/refs/ref-update';
import { resolveRef } from '../../../../src/core/refs/resolve-ref';
import { fcParams } from '../../../support/fast-check';
import { HistoryBuilder, signature } from '../../../support/history-builder';

const MAIN = 'refs/heads/main';

function setup(): { h: HistoryBuilder; a: string; b: string; c: string } {
  const h = new HistoryBuilder();
  const [a, b, c] = h.chain(3);
  return { h, a: a!, b: b!, c: c! };
}

describe('updateRef', () => {
  it('creates an absent ref when null was expected', () => {
    const { h, a } = setup();
    const result = updateRef(h.refs, h.graph, { name: MAIN, expect: null, next: a });
    expect(result).toEqual({ status: 'created', name: MAIN, oldOid: null, newOid: a });
    expect(resolveRef(h.refs, MAIN).oid).toBe(a);
  });

  it('fast-forwards to a descendant and writes the reflog entry', () => {
    const { h, a, c } = setup();
    h.setBranch('main', a);
    const reflog = { committer: signature(5), message: 'commit: c' };
    const result = updateRef(h.refs, h.graph, { name: MAIN, expect: a, next: c, reflog });
    expect(result.status).toBe('fast-forward');
    expect(h.refs.reflog(MAIN)).toEqual([{ oldOid: a, newOid: c, ...reflog }]);
  });

  it('rejects a move backwards without force and leaves the ref alone', () => {
    const { h, a, c } = setup();
    h.setBranch('main', c);
    const result = updateRef(h.refs, h.graph, { name: MAIN, expect: c, next: a });
    expect(result).toEqual({ status: 'rejected', name: MAIN, oldOid: c, newOid: a, current: c });
    expect(resolveRef(h.refs, MAIN).oid).toBe(c);
  });

  it('forces a move to an unrelated commit when asked', () => {
    const { h, c } = setup();
    const [other] = h.chain(1);
    h.setBranch('main', c);
    expect(
      updateRef(h.refs, h.graph, { name: MAIN, expect: c, next: other!, force: true }).status,
    ).toBe('forced');
    expect(resolveRef(h.refs, MAIN).oid).toBe(other);
  });

  it('reports a lock failure with the current value when the expectation is stale', () => {
    const { h, a, b, c } = setup();
    h.setBranch('main', b);
    const result = updateRef(h.refs, h.graph, { name: MAIN, expect: a, next: c });
    expect(result).toEqual({
      status: 'lock-failure',
      name: MAIN,
      oldOid: a,
      newOid: c,
      current: b,
    });
    expect(resolveRef(h.refs, MAIN).oid).toBe(b);
  });

  it('reports a lock failure when creating a ref that already exists', () => {
    const { h, a, b } = setup();
    h.setBranch('main', a);
    expect(updateRef(h.refs, h.graph, { name: MAIN, expect: null, next: b }).status).toBe(
      'lock-failure',
    );
  });

  it('reports no-change without writing when the ref already has the value', () => {
    const { h, a } = setup();
    h.setBranch('main', a);
    const reflog = { committer: signature(5), message: 'noop' };
    expect(updateRef(h.refs, h.graph, { name: MAIN, expect: a, next: a, reflog }).status).toBe(
      'no-change',
    );
    expect(h.refs.reflog(MAIN)).toEqual([]);
  });

  it('deletes as forced', () => {
    const { h, a } = setup();
    h.setBranch('main', a);
    expect(updateRef(h.refs, h.graph, { name: MAIN, expect: a, next: null }).status).toBe('forced');
    expect(h.refs.read(MAIN)).toBeUndefined();
  });

  it('never fast-forwards a tag, even to a descendant', () => {
    const { h, a, c } = setup();
    const tag = 'refs/tags/v1';
    updateRef(h.refs, h.graph, { name: tag, expect: null, next: a });
    expect(updateRef(h.refs, h.graph, { name: tag, expect: a, next: c }).status).toBe('rejected');
    expect(updateRef(h.refs, h.graph, { name: tag, expect: a, next: c, force: true }).status).toBe(
      'forced',
    );
  });

  it('never fast-forwards between non-commits', () => {
    const { h, a } = setup();
    h.setBranch('main', a);
    const blob = h.odb.writeBlob('not a commit');
    expect(updateRef(h.refs, h.graph, { name: MAIN, expect: a, next: blob }).status).toBe(
      'rejected',
    );
  });

  it('follows HEAD to the branch it points at', () => {
    const { h, a, b } = setup();
    h.setBranch('main', a);
    const result = updateRef(h.refs, h.graph, { name: 'HEAD', expect: a, next: b });
    expect(result).toMatchObject({ status: 'fast-forward', name: MAIN });
    expect(h.refs.read('HEAD')).toEqual({ name: 'HEAD', kind: 'symbolic', target: MAIN });
  });

  it('detaches HEAD when asked, even at the same commit', () => {
    const { h, a, b } = setup();
    h.setBranch('main', a);
    expect(
      updateRef(h.refs, h.graph, { name: 'HEAD', expect: a, next: a, detach: true }),
    ).toMatchObject({ status: 'no-change', name: 'HEAD' });
    expect(h.refs.read('HEAD')).toEqual({ name: 'HEAD', kind: 'direct', oid: a });
    expect(
      updateRef(h.refs, h.graph, { name: 'HEAD', expect: a, next: b, detach: true }).status,
    ).toBe('fast-forward');
    expect(resolveRef(h.refs, MAIN).oid).toBe(a);
  });

  it('throws InvalidRefError for a malformed ref name', () => {
    const { h, a } = setup();
    expect(() =>
      updateRef(h.refs, h.graph, { name: 'refs/heads/a..b', expect: null, next: a }),
    ).toThrow(InvalidRefError);
  });

  it('never loses an accepted update when clients race read-then-write', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (s, clients, rounds) => {
          const h = new HistoryBuilder();
          const root = h.commit();
          h.setBranch('main', root);
          const accepted: string[] = [];
          const client = async (id: number): Promise<void> => {
            for (let round = 0; round < rounds; round++) {
              const seen = resolveRef(h.refs, MAIN).oid!;
              // Another client may run between this read and the write below.
              await s.schedule(Promise.resolve(), `client ${id} round ${round}`);
              const next = h.commit({ parents: [seen], message: `client ${id} round ${round}` });
              const reflog = { committer: signature(round), message: `client ${id}` };
              const result = updateRef(h.refs, h.graph, { name: MAIN, expect: seen, next, reflog });
              if (result.status === 'fast-forward') accepted.push(next);
              else
                expect(result).toMatchObject({
                  status: 'lock-failure',
                  current: resolveRef(h.refs, MAIN).oid,
                });
            }
          };
          const running = Promise.all(Array.from({ length: clients }, (_, id) => client(id)));
          await s.waitAll();
          await running;

          const tip = resolveRef(h.refs, MAIN).oid!;
          expect(accepted.length).toBeGreaterThan(0);
          for (const oid of accepted) expect(h.graph.isAncestor(oid, tip)).toBe(true);
          // The reflog is an unbroken chain of exactly the accepted moves.
          const log = h.refs.reflog(MAIN);
          expect(log.map((entry) => entry.newOid)).toEqual(accepted);
          log.forEach((entry, i) => expect(entry.oldOid).toBe(i === 0 ? root : log[i - 1]!.newOid));
        },
      ),
      fcParams(100),
    );
  });
});
