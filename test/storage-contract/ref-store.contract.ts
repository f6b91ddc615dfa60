/**
 * The contract every RefStore adapter (memory, disk, postgres) must pass. Refs are where lost
 * updates would happen (RELIABILITY P2), so besides the single-call semantics (compare-and-swap
 * as a result value, all-or-nothing batches, reflogs) it races simulated clients through
 * fast-check's scheduler and checks that no acknowledged update disappears. Durable adapters
 * also prove refs, symbolic refs and reflogs survive `flush()` and a reopen.
 */
import fc from 'fast-check';
import { hashObject, type RawObject } from '../../src/core/objects/git-object';
import { ZERO_OID, type Oid } from '../../src/core/objects/oid';
import type { Signature } from '../../src/core/objects/signature';
import { resolveRef } from '../../src/core/refs/resolve-ref';
import type {
  ReflogEntry,
  RefName,
  RefStore,
  RefWriteResult,
} from '../../src/core/storage/ref-store';
import { fcParams } from '../support/fast-check';
import { afterRestart, type StoreFactory, type StoreHarness } from './store-harness';

export interface RefStoreContractOptions {
  /** fast-check runs of each race (each run opens a fresh store). */
  readonly raceRuns?: number;
}

const committer: Signature = {
  name: 'Ref Tester',
  email: 'refs@example.com',
  timestamp: 1700000000,
  timezone: '-0730',
};

/** A distinct, valid object id per label (refs need not point at stored objects here). */
function oidOf(label: string): Oid {
  const blob: RawObject = { type: 'blob', body: Buffer.from(label) };
  return hashObject(blob.type, blob.body);
}

const A = oidOf('A');
const B = oidOf('B');
const C = oidOf('C');

function directOid(refs: RefStore, name: RefName): Oid | null {
  const ref = refs.read(name);
  return ref?.kind === 'direct' ? ref.oid : null;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function describeRefStore(
  name: string,
  factory: StoreFactory<RefStore>,
  options: RefStoreContractOptions = {},
): void {
  const raceRuns = options.raceRuns ?? 50;

  describe(`RefStore contract: ${name}`, () => {
    let harness: StoreHarness<RefStore>;
    let refs: RefStore;

    beforeEach(async () => {
      harness = await factory();
      refs = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup?.();
    });

    function create(ref: RefName, oid: Oid, message = 'create'): RefWriteResult {
      return refs.update({ name: ref, expect: null, next: oid, reflog: { committer, message } });
    }

    describe('recorded moves', () => {
      it('reports the refs a unit of work moved with their previous ids, and nothing else', () => {
        create('refs/heads/main', A);
        create('refs/heads/gone', A);
        create('refs/heads/still', A);
        const { value, moved } = refs.recordMoves(() => {
          refs.update({ name: 'refs/heads/main', expect: A, next: B });
          refs.update({ name: 'refs/heads/main', expect: B, next: A });
          refs.updateMany([
            { name: 'refs/heads/gone', expect: A, next: null },
            { name: 'refs/heads/new', expect: null, next: B },
          ]);
          // A lost race moves nothing.
          refs.update({ name: 'refs/heads/still', expect: B, next: A });
          return 'done';
        });
        expect(value).toBe('done');
        expect(new Map(moved)).toEqual(
          new Map<string, Oid | null>([
            ['refs/heads/main', A],
            ['refs/heads/gone', A],
            ['refs/heads/new', null],
          ]),
        );
        expect(refs.recordMoves(() => undefined).moved.size).toBe(0);
      });
    });

    describe('single updates', () => {
      it('starts with no refs', () => {
        expect(refs.list('')).toEqual([]);
      });

      it('answers a read of a missing ref with undefined', () => {
        expect(refs.read('refs/heads/nope')).toBeUndefined();
        expect(refs.reflog('refs/heads/nope')).toEqual([]);
      });

      it('creates a ref when it is expected to be absent', () => {
        expect(create('refs/heads/main', A)).toEqual({ status: 'ok', previous: null });
        expect(refs.read('refs/heads/main')).toEqual({
          name: 'refs/heads/main',
          kind: 'direct',
          oid: A,
        });
      });

      it('refuses to create a ref that already exists, reporting its current id', () => {
        create('refs/heads/main', A);
        expect(create('refs/heads/main', B)).toEqual({ status: 'lock-failure', current: A });
        expect(directOid(refs, 'refs/heads/main')).toBe(A);
      });

      it('moves a ref when the expected old id matches', () => {
        create('refs/heads/main', A);
        const result = refs.update({ name: 'refs/heads/main', expect: A, next: B });
        expect(result).toEqual({ status: 'ok', previous: A });
        expect(directOid(refs, 'refs/heads/main')).toBe(B);
      });

      it('rejects a ref update whose expected old id has moved, as a result and without change', () => {
        create('refs/heads/main', A);
        refs.update({
          name: 'refs/heads/main',
          expect: A,
          next: B,
          reflog: { committer, message: 'to B' },
        });
        const log = [...refs.reflog('refs/heads/main')];
        const result = refs.update({
          name: 'refs/heads/main',
          expect: A,
          next: C,
          reflog: { committer, message: 'stale' },
        });
        expect(result).toEqual({ status: 'lock-failure', current: B });
        expect(directOid(refs, 'refs/heads/main')).toBe(B);
        expect(refs.reflog('refs/heads/main')).toEqual(log);
      });

      it('rejects an update of a missing ref that expected an id, reporting null', () => {
        expect(refs.update({ name: 'refs/heads/gone', expect: A, next: B })).toEqual({
          status: 'lock-failure',
          current: null,
        });
        expect(refs.read('refs/heads/gone')).toBeUndefined();
      });

      it('reports no-change when the ref already has the new id, and logs nothing', () => {
        create('refs/heads/main', A);
        const before = refs.reflog('refs/heads/main').length;
        expect(
          refs.update({
            name: 'refs/heads/main',
            expect: A,
            next: A,
            reflog: { committer, message: 'noop' },
          }),
        ).toEqual({
          status: 'no-change',
          previous: A,
        });
        expect(refs.reflog('refs/heads/main')).toHaveLength(before);
      });

      it('deletes a ref and its reflog when the expected id matches', () => {
        create('refs/heads/topic', A);
        expect(refs.update({ name: 'refs/heads/topic', expect: A, next: null })).toEqual({
          status: 'ok',
          previous: A,
        });
        expect(refs.read('refs/heads/topic')).toBeUndefined();
        expect(refs.reflog('refs/heads/topic')).toEqual([]);
        expect(refs.list('refs/heads/')).toEqual([]);
      });

      it('starts a fresh reflog when a deleted ref is created again', () => {
        create('refs/heads/topic', A, 'first life');
        refs.update({ name: 'refs/heads/topic', expect: A, next: null });
        create('refs/heads/topic', B, 'second life');
        expect(refs.reflog('refs/heads/topic').map((e) => e.message)).toEqual(['second life']);
      });

      it('refuses to delete a ref whose id has moved', () => {
        create('refs/heads/topic', B);
        expect(refs.update({ name: 'refs/heads/topic', expect: A, next: null })).toEqual({
          status: 'lock-failure',
          current: B,
        });
        expect(directOid(refs, 'refs/heads/topic')).toBe(B);
      });

      it('reports no-change when deleting a ref that is already absent', () => {
        expect(refs.update({ name: 'refs/heads/none', expect: null, next: null })).toEqual({
          status: 'no-change',
          previous: null,
        });
      });
    });

    describe('symbolic refs', () => {
      it('stores a symbolic ref as a name, not an id', () => {
        refs.setSymbolic('HEAD', 'refs/heads/main');
        expect(refs.read('HEAD')).toEqual({
          name: 'HEAD',
          kind: 'symbolic',
          target: 'refs/heads/main',
        });
      });

      it('lets HEAD resolve through its target, unborn or not', () => {
        refs.setSymbolic('HEAD', 'refs/heads/main');
        expect(resolveRef(refs, 'HEAD')).toEqual({
          name: 'refs/heads/main',
          oid: null,
          symbolic: true,
        });
        create('refs/heads/main', A);
        expect(resolveRef(refs, 'HEAD')).toEqual({
          name: 'refs/heads/main',
          oid: A,
          symbolic: true,
        });
      });

      it('retargets a symbolic ref when set again', () => {
        refs.setSymbolic('HEAD', 'refs/heads/main');
        refs.setSymbolic('HEAD', 'refs/heads/dev');
        expect(refs.read('HEAD')).toEqual({
          name: 'HEAD',
          kind: 'symbolic',
          target: 'refs/heads/dev',
        });
      });

      it('answers a compare-and-swap on a symbolic ref with a lock failure, not an exception', () => {
        refs.setSymbolic('HEAD', 'refs/heads/main');
        create('refs/heads/main', A);
        const result = refs.update({ name: 'HEAD', expect: A, next: B });
        expect(result.status).toBe('lock-failure');
        expect(refs.read('HEAD')).toEqual({
          name: 'HEAD',
          kind: 'symbolic',
          target: 'refs/heads/main',
        });
        expect(directOid(refs, 'refs/heads/main')).toBe(A);
      });

      it('detaches a symbolic ref when asked and the id it resolves to is the expected one', () => {
        refs.setSymbolic('HEAD', 'refs/heads/main');
        create('refs/heads/main', A);
        expect(refs.update({ name: 'HEAD', expect: A, next: B, detach: true }).status).toBe('ok');
        expect(refs.read('HEAD')).toEqual({ name: 'HEAD', kind: 'direct', oid: B });
        expect(directOid(refs, 'refs/heads/main')).toBe(A);
      });

      it('detaches even onto the id the symbolic ref already resolves to', () => {
        refs.setSymbolic('HEAD', 'refs/heads/main');
        create('refs/heads/main', A);
        expect(refs.update({ name: 'HEAD', expect: A, next: A, detach: true }).status).toBe('ok');
        expect(refs.read('HEAD')).toEqual({ name: 'HEAD', kind: 'direct', oid: A });
      });

      it('refuses to detach when the resolved id has moved, reporting it', () => {
        refs.setSymbolic('HEAD', 'refs/heads/main');
        create('refs/heads/main', B);
        expect(refs.update({ name: 'HEAD', expect: A, next: C, detach: true })).toEqual({
          status: 'lock-failure',
          current: B,
        });
        expect(refs.read('HEAD')).toEqual({
          name: 'HEAD',
          kind: 'symbolic',
          target: 'refs/heads/main',
        });
      });

      it('treats detach on a direct ref as an ordinary compare-and-swap', () => {
        create('HEAD', A);
        expect(refs.update({ name: 'HEAD', expect: A, next: B, detach: true })).toEqual({
          status: 'ok',
          previous: A,
        });
        expect(refs.update({ name: 'HEAD', expect: A, next: C, detach: true })).toEqual({
          status: 'lock-failure',
          current: B,
        });
      });
    });

    describe('listing', () => {
      const names = [
        'refs/heads/main',
        'refs/heads/Z',
        'refs/heads/a',
        'refs/heads/a-b',
        'refs/heads/a.b',
        'refs/heads/b-x',
        'refs/heads/b/c',
        'refs/heads/b0',
        'refs/heads/é',
        'refs/heads/\uffee',
        'refs/heads/😀',
        'refs/tags/v1',
        'refs/headsx',
      ];

      it('lists refs under a prefix sorted by the bytes of their names', () => {
        names.forEach((ref, i) => create(ref, oidOf(`list ${i}`)));
        refs.setSymbolic('HEAD', 'refs/heads/main');
        const expected = names.filter((n) => n.startsWith('refs/heads/')).sort(byteOrder);
        expect(refs.list('refs/heads/').map((r) => r.name)).toEqual(expected);
        expect(expected.indexOf('refs/heads/\uffee')).toBeLessThan(
          expected.indexOf('refs/heads/😀'),
        );
        expect(expected.indexOf('refs/heads/b-x')).toBeLessThan(expected.indexOf('refs/heads/b/c'));
      });

      it('lists every ref, symbolic ones included, for the empty prefix', () => {
        names.forEach((ref, i) => create(ref, oidOf(`list ${i}`)));
        refs.setSymbolic('HEAD', 'refs/heads/main');
        const listed = refs.list('');
        expect(listed.map((r) => r.name)).toEqual(['HEAD', ...names].sort(byteOrder));
        expect(listed.find((r) => r.name === 'HEAD')).toEqual({
          name: 'HEAD',
          kind: 'symbolic',
          target: 'refs/heads/main',
        });
        expect(listed.find((r) => r.name === 'refs/tags/v1')).toEqual({
          name: 'refs/tags/v1',
          kind: 'direct',
          oid: oidOf('list 11'),
        });
      });

      it('lists refs in byte order for any set of names', () => {
        const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/);
        fc.assert(
          fc.property(
            fc.uniqueArray(fc.oneof(segment, fc.constantFrom('é', 'ü', '中', '😀', '\uffee')), {
              minLength: 1,
              maxLength: 20,
            }),
            (leaves) => {
              const fresh = refs.list('refs/x/');
              for (const ref of fresh)
                refs.update({
                  name: ref.name,
                  expect: ref.kind === 'direct' ? ref.oid : null,
                  next: null,
                });
              const refNames = leaves.map((leaf) => `refs/x/${leaf}`);
              refNames.forEach((ref) => refs.update({ name: ref, expect: null, next: A }));
              expect(refs.list('refs/x/').map((r) => r.name)).toEqual(
                [...refNames].sort(byteOrder),
              );
            },
          ),
          fcParams(100),
        );
      });
    });

    describe('batches', () => {
      it('applies every change of a batch whose expectations all hold', () => {
        create('refs/heads/main', A);
        create('refs/heads/old', B);
        const outcome = refs.updateMany([
          { name: 'refs/heads/main', expect: A, next: B, reflog: { committer, message: 'batch' } },
          {
            name: 'refs/heads/new',
            expect: null,
            next: C,
            reflog: { committer, message: 'batch' },
          },
          { name: 'refs/heads/old', expect: B, next: null },
        ]);
        expect(outcome).toEqual({
          ok: true,
          results: [
            { status: 'ok', previous: A },
            { status: 'ok', previous: null },
            { status: 'ok', previous: B },
          ],
        });
        expect(directOid(refs, 'refs/heads/main')).toBe(B);
        expect(directOid(refs, 'refs/heads/new')).toBe(C);
        expect(refs.read('refs/heads/old')).toBeUndefined();
      });

      it('applies nothing when one expectation fails: lock-failure for it, aborted for the rest', () => {
        create('refs/heads/main', A);
        create('refs/heads/old', B);
        const logBefore = [...refs.reflog('refs/heads/main')];
        const outcome = refs.updateMany([
          { name: 'refs/heads/main', expect: A, next: B, reflog: { committer, message: 'batch' } },
          {
            name: 'refs/heads/new',
            expect: null,
            next: C,
            reflog: { committer, message: 'batch' },
          },
          { name: 'refs/heads/old', expect: C, next: null },
        ]);
        expect(outcome).toEqual({
          ok: false,
          results: [
            { status: 'aborted' },
            { status: 'aborted' },
            { status: 'lock-failure', current: B },
          ],
        });
        expect(directOid(refs, 'refs/heads/main')).toBe(A);
        expect(refs.read('refs/heads/new')).toBeUndefined();
        expect(directOid(refs, 'refs/heads/old')).toBe(B);
        expect(refs.reflog('refs/heads/main')).toEqual(logBefore);
        expect(refs.reflog('refs/heads/new')).toEqual([]);
      });

      it('reports no-change inside a successful batch', () => {
        create('refs/heads/main', A);
        const outcome = refs.updateMany([
          { name: 'refs/heads/main', expect: A, next: A },
          { name: 'refs/heads/new', expect: null, next: B },
        ]);
        expect(outcome).toEqual({
          ok: true,
          results: [
            { status: 'no-change', previous: A },
            { status: 'ok', previous: null },
          ],
        });
      });

      it('checks two changes of one ref in order, so they must chain', () => {
        create('refs/heads/main', A);
        const chained = refs.updateMany([
          { name: 'refs/heads/main', expect: A, next: B, reflog: { committer, message: 'A to B' } },
          { name: 'refs/heads/main', expect: B, next: C, reflog: { committer, message: 'B to C' } },
        ]);
        expect(chained).toEqual({
          ok: true,
          results: [
            { status: 'ok', previous: A },
            { status: 'ok', previous: B },
          ],
        });
        expect(directOid(refs, 'refs/heads/main')).toBe(C);
        expect(refs.reflog('refs/heads/main').map((e) => [e.oldOid, e.newOid])).toEqual([
          [ZERO_OID, A],
          [A, B],
          [B, C],
        ]);
      });

      it('refuses a batch whose second change of a ref expects the value the first replaced', () => {
        create('refs/heads/main', A);
        const conflicting = refs.updateMany([
          { name: 'refs/heads/main', expect: A, next: B },
          { name: 'refs/heads/main', expect: A, next: C },
        ]);
        expect(conflicting).toEqual({
          ok: false,
          results: [{ status: 'aborted' }, { status: 'lock-failure', current: B }],
        });
        expect(directOid(refs, 'refs/heads/main')).toBe(A);
      });

      it('accepts an empty batch', () => {
        expect(refs.updateMany([])).toEqual({ ok: true, results: [] });
      });
    });

    describe('reflogs', () => {
      it('logs each applied update, oldest first, from the zero id on creation', () => {
        create('refs/heads/main', A, 'commit (initial): first');
        refs.update({
          name: 'refs/heads/main',
          expect: A,
          next: B,
          reflog: { committer, message: 'commit: second' },
        });
        refs.update({
          name: 'refs/heads/main',
          expect: B,
          next: C,
          reflog: { committer, message: 'reset: moving to C' },
        });
        expect(refs.reflog('refs/heads/main')).toEqual([
          { oldOid: ZERO_OID, newOid: A, committer, message: 'commit (initial): first' },
          { oldOid: A, newOid: B, committer, message: 'commit: second' },
          { oldOid: B, newOid: C, committer, message: 'reset: moving to C' },
        ]);
      });

      it('logs nothing for an update that carries no reflog entry', () => {
        create('refs/heads/main', A);
        refs.update({ name: 'refs/heads/main', expect: A, next: B });
        expect(refs.reflog('refs/heads/main')).toHaveLength(1);
        expect(directOid(refs, 'refs/heads/main')).toBe(B);
      });

      it('appends entries without moving any ref, as for HEAD', () => {
        const entry: ReflogEntry = {
          oldOid: A,
          newOid: B,
          committer,
          message: 'checkout: moving from main to dev',
        };
        refs.setSymbolic('HEAD', 'refs/heads/dev');
        refs.appendReflog('HEAD', entry);
        refs.appendReflog('HEAD', { ...entry, oldOid: B, newOid: C });
        expect(refs.reflog('HEAD')).toEqual([entry, { ...entry, oldOid: B, newOid: C }]);
        expect(refs.read('HEAD')).toEqual({
          name: 'HEAD',
          kind: 'symbolic',
          target: 'refs/heads/dev',
        });
      });

      it('replaces a reflog on rewrite, and empties it with no entries', () => {
        create('refs/stash', A, 'WIP 1');
        refs.update({
          name: 'refs/stash',
          expect: A,
          next: B,
          reflog: { committer, message: 'WIP 2' },
        });
        const [first] = refs.reflog('refs/stash');
        refs.rewriteReflog('refs/stash', first ? [first] : []);
        expect(refs.reflog('refs/stash').map((e) => e.message)).toEqual(['WIP 1']);
        refs.rewriteReflog('refs/stash', []);
        expect(refs.reflog('refs/stash')).toEqual([]);
        expect(directOid(refs, 'refs/stash')).toBe(B);
      });

      it('keeps unicode and tabs-free messages and identities exactly', () => {
        const unicode: Signature = {
          name: 'Zoë 😀',
          email: 'zoe@example.com',
          timestamp: 1,
          timezone: '+1400',
        };
        refs.update({
          name: 'refs/heads/u',
          expect: null,
          next: A,
          reflog: { committer: unicode, message: 'ünïcödé: 中文' },
        });
        expect(refs.reflog('refs/heads/u')).toEqual([
          { oldOid: ZERO_OID, newOid: A, committer: unicode, message: 'ünïcödé: 中文' },
        ]);
      });
    });

    describe('concurrency', () => {
      interface RaceOutcome {
        /** Ids whose update was acknowledged, in acknowledgement order. */
        readonly acked: Oid[];
        /** For every id a client tried to write, the id it read before (its "parent"). */
        readonly parentOf: ReadonlyMap<Oid, Oid | null>;
        readonly lockFailures: number;
      }

      /**
       * Clients that each push `perClient` updates to one ref: read, yield to the scheduler (an
       * await, as a request handler would), compare-and-swap, and on a lock failure re-read and
       * retry. Successful updates are flushed, also through the scheduler. Each value written
       * names the value it replaced, like a commit its parent, so a lost update shows up as a
       * break in the chain from the final value back to the start.
       */
      async function race(
        s: fc.Scheduler,
        store: RefStore,
        clients: number,
        perClient: number,
      ): Promise<RaceOutcome> {
        const ref = 'refs/heads/main';
        const acked: Oid[] = [];
        const parentOf = new Map<Oid, Oid | null>();
        let lockFailures = 0;
        const client = async (c: number): Promise<void> => {
          for (let k = 0; k < perClient; k++) {
            for (let attempt = 0; ; attempt++) {
              if (attempt > 1000) throw new Error(`client ${c} starved`);
              const seen = directOid(store, ref);
              const next = oidOf(`client ${c} update ${k} on ${seen ?? 'nothing'}`);
              parentOf.set(next, seen);
              await s.schedule(
                Promise.resolve(),
                `client ${c} #${k} read ${seen?.slice(0, 7) ?? 'null'}`,
              );
              const result = store.update({
                name: ref,
                expect: seen,
                next,
                reflog: { committer, message: `client ${c} #${k}` },
              });
              if (result.status === 'ok') {
                acked.push(next);
                await s.schedule(store.flush(), `client ${c} #${k} flush`);
                break;
              }
              if (result.status !== 'lock-failure') throw new Error(`unexpected ${result.status}`);
              lockFailures++;
            }
          }
        };
        await s.waitFor(Promise.all(Array.from({ length: clients }, (_, c) => client(c))));
        return { acked, parentOf, lockFailures };
      }

      it('loses no update when clients race compare-and-swap on one ref', async () => {
        let sawContention = false;
        await fc.assert(
          fc.asyncProperty(
            fc.scheduler(),
            fc.integer({ min: 2, max: 6 }),
            fc.integer({ min: 1, max: 4 }),
            async (s, clients, perClient) => {
              const fresh = await factory();
              try {
                const { acked, parentOf, lockFailures } = await race(
                  s,
                  fresh.store,
                  clients,
                  perClient,
                );
                if (lockFailures > 0) sawContention = true;
                expect(acked).toHaveLength(clients * perClient);
                const reopened = await afterRestart(fresh);
                const final = directOid(reopened, 'refs/heads/main');
                expect(final).toBe(acked[acked.length - 1]);
                const chain: Oid[] = [];
                for (
                  let at = final;
                  at !== null && chain.length <= acked.length;
                  at = parentOf.get(at) ?? null
                )
                  chain.unshift(at);
                expect(chain).toEqual(acked);
                const log = reopened.reflog('refs/heads/main');
                expect(log).toHaveLength(acked.length);
                expect(log.map((e) => e.newOid)).toEqual(acked);
                log.forEach((entry, i) =>
                  expect(entry.oldOid).toBe(i === 0 ? ZERO_OID : acked[i - 1]),
                );
              } finally {
                await fresh.cleanup?.();
              }
            },
          ),
          fcParams(raceRuns),
        );
        expect(sawContention).toBe(true);
      });

      it('never shows a half-applied batch to a concurrent reader', async () => {
        await fc.assert(
          fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 4 }), async (s, clients) => {
            const fresh = await factory();
            const store = fresh.store;
            try {
              store.updateMany([
                { name: 'refs/heads/left', expect: null, next: A },
                { name: 'refs/heads/right', expect: null, next: A },
              ]);
              let torn = 0;
              let applied = 0;
              const writer = async (c: number): Promise<void> => {
                for (let k = 0; k < 3; k++) {
                  const next = oidOf(`pair ${c} ${k}`);
                  for (;;) {
                    const left = directOid(store, 'refs/heads/left');
                    const right = directOid(store, 'refs/heads/right');
                    await s.schedule(Promise.resolve(), `writer ${c} #${k}`);
                    const outcome = store.updateMany([
                      { name: 'refs/heads/left', expect: left, next },
                      { name: 'refs/heads/right', expect: right, next },
                    ]);
                    if (outcome.ok) {
                      applied++;
                      break;
                    }
                  }
                }
              };
              const reader = async (): Promise<void> => {
                for (let k = 0; k < 6; k++) {
                  await s.schedule(Promise.resolve(), `reader #${k}`);
                  if (directOid(store, 'refs/heads/left') !== directOid(store, 'refs/heads/right'))
                    torn++;
                }
              };
              await s.waitFor(
                Promise.all([...Array.from({ length: clients }, (_, c) => writer(c)), reader()]),
              );
              expect(torn).toBe(0);
              expect(applied).toBe(clients * 3);
            } finally {
              await fresh.cleanup?.();
            }
          }),
          fcParams(raceRuns),
        );
      });
    });

    describe('durability', () => {
      it('keeps refs, symbolic refs and reflogs after flush() (and a reopen, for durable adapters)', async () => {
        create('refs/heads/main', A, 'commit (initial): a');
        refs.update({
          name: 'refs/heads/main',
          expect: A,
          next: B,
          reflog: { committer, message: 'commit: b' },
        });
        create('refs/tags/v1', C, 'tag');
        create('refs/heads/ünï', A, 'unicode');
        refs.setSymbolic('HEAD', 'refs/heads/main');
        refs.appendReflog('HEAD', { oldOid: A, newOid: B, committer, message: 'commit: b' });
        const listed = refs.list('');
        const reopened = await afterRestart(harness);
        expect(reopened.list('')).toEqual(listed);
        expect(resolveRef(reopened, 'HEAD')).toEqual({
          name: 'refs/heads/main',
          oid: B,
          symbolic: true,
        });
        expect(
          reopened.reflog('refs/heads/main').map((e) => [e.oldOid, e.newOid, e.message]),
        ).toEqual([
          [ZERO_OID, A, 'commit (initial): a'],
          [A, B, 'commit: b'],
        ]);
        expect(reopened.reflog('refs/heads/main')[1]?.committer).toEqual(committer);
        expect(reopened.reflog('HEAD')).toHaveLength(1);
      });

      it('does not bring back a deleted ref or its reflog after a reopen', async () => {
        create('refs/heads/topic', A, 'create');
        await refs.flush();
        refs.update({ name: 'refs/heads/topic', expect: A, next: null });
        const reopened = await afterRestart(harness);
        expect(reopened.read('refs/heads/topic')).toBeUndefined();
        expect(reopened.reflog('refs/heads/topic')).toEqual([]);
      });

      it('persists nothing of a failed batch', async () => {
        create('refs/heads/main', A);
        refs.updateMany([
          { name: 'refs/heads/main', expect: A, next: B },
          { name: 'refs/heads/other', expect: B, next: C },
        ]);
        const reopened = await afterRestart(harness);
        expect(directOid(reopened, 'refs/heads/main')).toBe(A);
        expect(reopened.read('refs/heads/other')).toBeUndefined();
      });

      it('keeps a rewritten reflog as rewritten', async () => {
        create('refs/stash', A, 'WIP 1');
        refs.update({
          name: 'refs/stash',
          expect: A,
          next: B,
          reflog: { committer, message: 'WIP 2' },
        });
        await refs.flush();
        refs.rewriteReflog('refs/stash', refs.reflog('refs/stash').slice(1));
        const reopened = await afterRestart(harness);
        expect(reopened.reflog('refs/stash').map((e) => e.message)).toEqual(['WIP 2']);
      });
    });
  });
}
