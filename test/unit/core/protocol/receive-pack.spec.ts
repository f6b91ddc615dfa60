/**
 * Deciding and applying pushed ref updates (applyPush) and the fetch side's planning
 * (planShallow, planFetch, one v0 negotiation round), on TestRepo histories. A "client" TestRepo
 * replays the server's commits (same clock, same ids) and adds its own, which become the
 * pushed objects.
 */
import type { RawObject } from '../../../../src/core/objects/git-object';
import type { Oid } from '../../../../src/core/objects/oid';
import { planFetch, planShallow } from '../../../../src/core/protocol/fetch-plan';
import {
  decodePktLines,
  encodePktLines,
  FLUSH_PKT,
  pktText,
} from '../../../../src/core/protocol/pkt-line';
import { applyPush, encodeReportStatus } from '../../../../src/core/protocol/receive-pack';
import { serveUploadPack } from '../../../../src/core/protocol/upload-pack';
import { TestRepo } from '../../../support/test-repo';

const committer = {
  name: 'Pusher',
  email: 'p@example.com',
  timestamp: 1_700_000_000,
  timezone: '+0000',
};
const policy = { denyNonFastForwards: false, atomic: false, committer };

/** Objects of `client` that `server` lacks: what a push would send. */
function pushed(client: TestRepo, server: TestRepo): Map<Oid, RawObject> {
  const staged = new Map<Oid, RawObject>();
  for (const oid of client.repo.odb.store.oids()) {
    if (!server.repo.odb.store.has(oid)) staged.set(oid, client.repo.odb.store.get(oid)!);
  }
  return staged;
}

function pair(): { server: TestRepo; client: TestRepo; base: Oid } {
  const server = TestRepo.create();
  const client = TestRepo.create();
  const base = server.commit({ files: { 'a.txt': 'one\n' } });
  expect(client.commit({ files: { 'a.txt': 'one\n' } })).toBe(base);
  return { server, client, base };
}

describe('applyPush', () => {
  it('fast-forwards the current branch and brings the working state along', () => {
    const { server, client, base } = pair();
    const next = client.commit({ files: { 'a.txt': 'two\n' } });
    const objects = pushed(client, server);
    const [outcome] = applyPush(
      server.repo,
      [{ ref: 'refs/heads/main', oldOid: base, newOid: next }],
      objects,
      policy,
    );
    expect(outcome).toMatchObject({ error: null, kind: 'fast-forward', before: base, after: next });
    expect(server.repo.head().oid).toBe(next);
    expect(Buffer.from(server.repo.readWorking('a.txt').content).toString()).toBe('two\n');
    expect(server.repo.status().staged).toEqual([]);
  });

  it('refuses an update whose old id is stale and stores nothing', () => {
    const { server, client, base } = pair();
    server.commit({ files: { 'b.txt': 'server\n' } });
    const next = client.commit({ files: { 'a.txt': 'client\n' } });
    const objects = pushed(client, server);
    const [outcome] = applyPush(
      server.repo,
      [{ ref: 'refs/heads/main', oldOid: base, newOid: next }],
      objects,
      policy,
    );
    expect(outcome?.error).toMatch(/failed to update ref/);
    expect(server.repo.odb.store.has(next)).toBe(false);
  });

  it('refuses non-fast-forwards only with denyNonFastForwards', () => {
    const { server, client, base } = pair();
    const serverHead = server.commit({ files: { 'b.txt': 'server\n' } });
    const rewritten = client.commit({ parents: [base], files: { 'c.txt': 'c\n' } });
    const objects = pushed(client, server);
    const command = { ref: 'refs/heads/main', oldOid: serverHead, newOid: rewritten };
    const [denied] = applyPush(server.repo, [command], objects, {
      ...policy,
      denyNonFastForwards: true,
    });
    expect(denied?.error).toBe('non-fast-forward');
    const [forced] = applyPush(server.repo, [command], objects, policy);
    expect(forced).toMatchObject({ error: null, kind: 'forced' });
  });

  it('refuses to delete the current branch and keeps other refs apart', () => {
    const { server, base } = pair();
    server.branch('other', base);
    const outcomes = applyPush(
      server.repo,
      [
        { ref: 'refs/heads/main', oldOid: base, newOid: null },
        { ref: 'refs/heads/other', oldOid: base, newOid: null },
      ],
      new Map(),
      policy,
    );
    expect(outcomes[0]?.error).toBe('deletion of the current branch prohibited');
    expect(outcomes[1]).toMatchObject({ error: null, kind: 'deleted' });
  });

  it('is all or nothing when atomic', () => {
    const { server, client, base } = pair();
    const next = client.commit({ files: { 'a.txt': 'two\n' } });
    const outcomes = applyPush(
      server.repo,
      [
        { ref: 'refs/heads/feature', oldOid: null, newOid: next },
        { ref: 'refs/heads/main', oldOid: base, newOid: null },
      ],
      pushed(client, server),
      { ...policy, atomic: true },
    );
    expect(outcomes.map((o) => o.error)).toEqual([
      'atomic push failure',
      'deletion of the current branch prohibited',
    ]);
    expect(server.repo.refs.read('refs/heads/feature')).toBeUndefined();
  });

  it('refuses reserved and malformed refs and objects it does not have', () => {
    const { server, base } = pair();
    const outcomes = applyPush(
      server.repo,
      [
        { ref: 'refs/govc/stash-ids/x', oldOid: null, newOid: base },
        { ref: 'refs/heads/bad..name', oldOid: null, newOid: base },
        { ref: 'refs/heads/ghost', oldOid: null, newOid: '1'.repeat(40) },
      ],
      new Map(),
      policy,
    );
    expect(outcomes.map((o) => o.error)).toEqual([
      'refusing to update a reserved ref',
      'funny refname',
      'missing necessary objects',
    ]);
  });

  it('reports in report-status format', () => {
    const report = encodeReportStatus(
      'ok',
      [
        { ref: 'refs/heads/a', error: null, before: null, after: null },
        { ref: 'refs/heads/b', error: 'non-fast-forward', before: null, after: null },
      ],
      false,
    );
    expect(decodePktLines(report).map((line) => pktText(line) ?? line.type)).toEqual([
      'unpack ok',
      'ok refs/heads/a',
      'ng refs/heads/b non-fast-forward',
      'flush',
    ]);
  });
});

describe('fetch planning', () => {
  function linear(): { t: TestRepo; commits: Oid[] } {
    const t = TestRepo.create();
    const commits = [1, 2, 3, 4].map((n) => t.commit({ files: { 'f.txt': `${n}\n` } }));
    return { t, commits };
  }

  it('cuts history at the requested depth', () => {
    const { t, commits } = linear();
    const shallow = planShallow(t.repo.graph, [commits[3]!], [], { depth: 2 });
    expect(shallow.shallow).toEqual([commits[2]]);
    const plan = planFetch(t.repo.odb, t.repo.graph, {
      wants: [commits[3]!],
      haves: [],
      cut: shallow.cut,
    });
    expect(plan.commitCount).toBe(2);
  });

  it('unshallows the client boundary when deepening', () => {
    const { t, commits } = linear();
    const update = planShallow(t.repo.graph, [commits[3]!], [commits[3]!], {
      depth: 1,
      relative: true,
    });
    expect(update.unshallow).toEqual([commits[3]]);
    expect(update.shallow).toEqual([commits[2]]);
    expect(update.extraWants).toEqual([commits[2]]);
  });

  it('sends only what the haves do not cover, and omits blobs with blob:none', () => {
    const { t, commits } = linear();
    const plan = planFetch(t.repo.odb, t.repo.graph, {
      wants: [commits[3]!],
      haves: [commits[1]!],
      cut: new Set(),
    });
    expect(plan.commitCount).toBe(2);
    expect(plan.objects.filter((o) => o.type === 'blob')).toHaveLength(2);
    const filtered = planFetch(t.repo.odb, t.repo.graph, {
      wants: [commits[3]!],
      haves: [],
      cut: new Set(),
      omitBlobs: true,
    });
    expect(filtered.objects.some((o) => o.type === 'blob')).toBe(false);
  });

  it('acknowledges common commits in a v0 multi_ack_detailed round', async () => {
    const { t, commits } = linear();
    const request = encodePktLines([
      `want ${commits[3]} multi_ack_detailed side-band-64k ofs-delta`,
      FLUSH_PKT,
      `have ${commits[1]}`,
      `have ${'e'.repeat(40)}`,
      FLUSH_PKT,
    ]);
    const out: Buffer[] = [];
    await serveUploadPack(t.repo, 0, request, (chunk) => void out.push(chunk), { agent: 'test' });
    const lines = decodePktLines(Buffer.concat(out)).map((line) => pktText(line) ?? line.type);
    expect(lines).toEqual([`ACK ${commits[1]} common`, `ACK ${'e'.repeat(40)} ready`, 'NAK']);
  });
});
