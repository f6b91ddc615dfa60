/** The audit log (api-contract.md §11.4): chunked persistence, reload, filters, cursor, retention. */
import { AuditConfig } from '../../../src/config/config.schema';
import { MemoryMetadataStore } from '../../../src/core';
import { AuditLog, type AuditInput } from '../../../src/modules/auth/audit-log';

function input(action: string, overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    actor: { id: 'u1', username: 'alice', auth_method: 'apikey' },
    ip: '127.0.0.1',
    user_agent: 'test',
    request_id: 'r',
    action,
    target: null,
    repo_id: null,
    result: 'success',
    status: 200,
    details: {},
    ...overrides,
  };
}

function log(retention = 90 * 86_400_000): AuditLog {
  const config = new AuditConfig();
  config.retention = retention;
  return new AuditLog(config);
}

describe('AuditLog', () => {
  it('answers newest first, pages with a cursor, and survives a reload from the store', async () => {
    const store = new MemoryMetadataStore();
    const first = log();
    first.load(store);
    for (let i = 0; i < 250; i++) first.record(input(i % 2 === 0 ? 'repo.create' : 'user.delete'));
    await first.onApplicationShutdown();
    expect(store.list('audit').length).toBe(3);

    const second = log();
    second.load(store);
    second.record(
      input('auth.login', { actor: { id: 'u2', username: 'bob', auth_method: 'jwt' } }),
    );
    const page = second.query({ limit: 3 });
    expect(page.entries.map((e) => e.action)).toEqual(['auth.login', 'user.delete', 'repo.create']);
    const ids = page.entries.map((e) => e.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const next = second.query({ limit: 3, cursor: page.next_cursor ?? undefined });
    expect(next.entries[0]!.id < ids[2]!).toBe(true);
    expect(second.query({ limit: 1000 }).entries).toHaveLength(251);
    expect(second.query({ limit: 1000 }).next_cursor).toBeNull();
    await second.onApplicationShutdown();
  });

  it('filters by actor, action (exact or prefix), repository, result and time', () => {
    const audit = log();
    audit.load(new MemoryMetadataStore());
    audit.record(input('repo.create', { repo_id: 'a' }));
    audit.record(input('repo.delete', { repo_id: 'b', result: 'denied', status: 403 }));
    audit.record(input('user.create', { actor: null }));
    expect(audit.query({ limit: 10, action: 'repo.*' }).entries).toHaveLength(2);
    expect(audit.query({ limit: 10, action: 'repo' }).entries).toHaveLength(0);
    expect(audit.query({ limit: 10, repoId: 'b' }).entries[0]!.action).toBe('repo.delete');
    expect(audit.query({ limit: 10, result: 'denied' }).entries).toHaveLength(1);
    expect(audit.query({ limit: 10, actor: 'alice' }).entries).toHaveLength(2);
    expect(audit.query({ limit: 10, actor: 'u1' }).entries).toHaveLength(2);
    expect(audit.query({ limit: 10, since: Date.now() + 60_000 }).entries).toHaveLength(0);
    expect(audit.query({ limit: 10, until: Date.now() - 60_000 }).entries).toHaveLength(0);
    void audit.onApplicationShutdown();
  });

  it('drops whole chunks past retention', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    try {
      const store = new MemoryMetadataStore();
      const audit = log(60_000);
      audit.load(store);
      for (let i = 0; i < 150; i++) audit.record(input('old.entry'));
      jest.setSystemTime(Date.UTC(2026, 0, 1, 1));
      for (let i = 0; i < 100; i++) audit.record(input('new.entry'));
      const actions = new Set(audit.query({ limit: 1000 }).entries.map((e) => e.action));
      expect(actions.has('new.entry')).toBe(true);
      // The first full chunk of old entries is gone; the partly old one stays whole.
      expect(audit.query({ limit: 1000, action: 'old.entry' }).entries).toHaveLength(50);
      await audit.onApplicationShutdown();
    } finally {
      jest.useRealTimers();
    }
  });

  it('records nothing when audit.enabled is false', () => {
    const config = new AuditConfig();
    config.enabled = false;
    const audit = new AuditLog(config);
    audit.load(new MemoryMetadataStore());
    audit.record(input('repo.create'));
    expect(audit.query({ limit: 10 }).entries).toEqual([]);
    void audit.onApplicationShutdown();
  });
});
