/** AccessPolicy (api-contract.md §0.3): roles, grants, key intersection, public repositories. */
import { AuthConfig } from '../../../src/config/config.schema';
import { MemoryMetadataStore, RepoNotFoundError } from '../../../src/core';
import { AccessPolicy } from '../../../src/modules/auth/access-policy';
import { IdentityStore, type UserRecord } from '../../../src/modules/auth/identity-store';
import type { Principal } from '../../../src/modules/auth/principal';
import type { RepositoryRegistry } from '../../../src/modules/git-core/repository-registry';

const REPOS: Record<string, { public: boolean }> = {
  priv: { public: false },
  other: { public: false },
  pub: { public: true },
};
const registry = {
  record: (id: string) => {
    const record = REPOS[id];
    if (record === undefined) throw new RepoNotFoundError(id);
    return record;
  },
} as unknown as RepositoryRegistry;

const now = new Date().toISOString();
const user = (id: string, roles: string[], grants: Record<string, string[]> = {}): UserRecord => ({
  id,
  username: id,
  email: `${id}@example.com`,
  roles,
  repoPermissions: grants,
  active: true,
  createdAt: now,
  updatedAt: now,
});
const as = (id: string, apiKeyId?: string): Principal => ({
  id,
  username: id,
  email: `${id}@example.com`,
  authMethod: apiKeyId === undefined ? 'jwt' : 'apikey',
  ...(apiKeyId === undefined ? {} : { apiKeyId }),
});

async function setup(enabled = true): Promise<{ policy: AccessPolicy; store: IdentityStore }> {
  const config = new AuthConfig();
  config.enabled = enabled;
  const store = new IdentityStore();
  store.load(new MemoryMetadataStore());
  await store.saveUser(user('dev', ['developer']));
  await store.saveUser(user('granted', [], { priv: ['repo:write'] }));
  await store.saveUser(user('nobody', []));
  await store.saveUser({ ...user('gone', ['admin']), active: false });
  await store.saveKey({
    id: 'k1',
    name: 'read-only',
    userId: 'dev',
    prefix: 'govc_aaaaaaa',
    digest: 'd1',
    permissions: ['repo:read'],
    repoPermissions: { priv: ['repo:write'] },
    active: true,
    createdAt: now,
  });
  await store.saveKey({
    id: 'k2',
    name: 'wide',
    userId: 'granted',
    prefix: 'govc_bbbbbbb',
    digest: 'd2',
    permissions: ['system:admin'],
    repoPermissions: {},
    active: true,
    createdAt: now,
  });
  return { policy: new AccessPolicy(config, store, registry), store };
}

describe('AccessPolicy', () => {
  afterEach(() => jest.useRealTimers());

  it('hides a repository from a caller without read, and forbids what read does not cover', async () => {
    const { policy } = await setup();
    expect(policy.check(as('nobody'), 'repo:read', 'priv')).toBe('not-found');
    expect(policy.check(as('nobody'), 'repo:write', 'priv')).toBe('not-found');
    expect(policy.check(as('granted'), 'repo:read', 'priv')).toBe('allowed');
    expect(policy.check(as('granted'), 'repo:write', 'priv')).toBe('allowed');
    expect(policy.check(as('granted'), 'repo:delete', 'priv')).toBe('forbidden');
    expect(policy.check(as('granted'), 'repo:read', 'other')).toBe('not-found');
    expect(policy.check(as('dev'), 'repo:write', 'other')).toBe('allowed');
    expect(policy.check(as('dev'), 'repo:admin', 'other')).toBe('forbidden');
  });

  it('asks for credentials first, except to read a public repository', async () => {
    const { policy } = await setup();
    expect(policy.check(null, 'repo:read', 'priv')).toBe('unauthenticated');
    expect(policy.check(null, 'repo:read', 'pub')).toBe('allowed');
    expect(policy.check(null, 'repo:write', 'pub')).toBe('unauthenticated');
    expect(policy.check(as('nobody'), 'repo:write', 'pub')).toBe('forbidden');
    expect(policy.canRead(as('nobody'), 'pub')).toBe(true);
    expect(policy.check(null, 'any')).toBe('unauthenticated');
  });

  it('gives an API key its own permissions intersected with its owner’s', async () => {
    const { policy } = await setup();
    // dev (developer) with a repo:read key that also lists repo:write on priv.
    expect(policy.check(as('dev', 'k1'), 'repo:read', 'other')).toBe('allowed');
    expect(policy.check(as('dev', 'k1'), 'repo:write', 'other')).toBe('forbidden');
    expect(policy.check(as('dev', 'k1'), 'repo:write', 'priv')).toBe('allowed');
    // granted holds nothing globally: a system:admin key gives no more than its owner's grant.
    expect(policy.check(as('granted', 'k2'), 'system:admin')).toBe('forbidden');
    expect(policy.check(as('granted', 'k2'), 'repo:write', 'priv')).toBe('allowed');
    expect(policy.check(as('granted', 'k2'), 'repo:read', 'other')).toBe('not-found');
    expect(policy.effectivePermissions(as('dev', 'k1'))).toEqual(['repo:read']);
  });

  it('reads the store on every call: revoked keys, role changes and deactivation apply at once', async () => {
    const { policy, store } = await setup();
    expect(policy.allows(as('dev'), 'repo:write')).toBe(true);
    await store.saveUser({ ...user('dev', ['reader']) });
    expect(policy.allows(as('dev'), 'repo:write')).toBe(false);
    const key = store.key('k1');
    await store.saveKey({ ...key!, active: false });
    expect(policy.allows(as('dev', 'k1'), 'repo:read')).toBe(false);
    expect(policy.allows(as('gone'), 'repo:read')).toBe(false);
    expect(policy.check(as('gone'), 'any')).toBe('forbidden');
  });

  it('allows everything when auth is disabled', async () => {
    const { policy } = await setup(false);
    expect(policy.check(null, 'system:admin')).toBe('allowed');
    expect(policy.check(null, 'repo:delete', 'priv')).toBe('allowed');
    expect(policy.canRead(null, 'priv')).toBe(true);
  });
});
