/** Permission implication and the built-in roles (api-contract.md §0.3). */
import fc from 'fast-check';
import { BUILT_IN_ROLES } from '../../../src/modules/rbac/built-in-roles';
import {
  PERMISSIONS,
  expand,
  holds,
  implies,
  isPermission,
  isRepositoryPermission,
} from '../../../src/modules/rbac/permissions';

describe('permission implication', () => {
  it('system:admin implies every permission', () => {
    for (const permission of PERMISSIONS) expect(implies('system:admin', permission)).toBe(true);
  });

  it('X:admin implies every X:* and nothing of another area', () => {
    expect(implies('repo:admin', 'repo:delete')).toBe(true);
    expect(implies('repo:admin', 'repo:write')).toBe(true);
    expect(implies('repo:admin', 'webhook:read')).toBe(false);
    expect(implies('repo:admin', 'system:admin')).toBe(false);
    expect(implies('user:admin', 'user:delete')).toBe(true);
  });

  it('write and delete imply read, not each other', () => {
    expect(implies('repo:write', 'repo:read')).toBe(true);
    expect(implies('repo:delete', 'repo:read')).toBe(true);
    expect(implies('repo:write', 'repo:delete')).toBe(false);
    expect(implies('repo:delete', 'repo:write')).toBe(false);
    expect(implies('repo:read', 'repo:write')).toBe(false);
    expect(implies('webhook:write', 'repo:read')).toBe(false);
  });

  it('is reflexive and transitive over the known permissions', () => {
    const permission = fc.constantFrom(...PERMISSIONS);
    fc.assert(
      fc.property(permission, permission, permission, (a, b, c) => {
        expect(implies(a, a)).toBe(true);
        if (implies(a, b) && implies(b, c)) expect(implies(a, c)).toBe(true);
      }),
    );
  });

  it('expands a set to everything it implies, sorted', () => {
    expect(expand(['repo:write'])).toEqual(['repo:read', 'repo:write']);
    expect(expand(['system:admin'])).toEqual([...PERMISSIONS].sort());
    expect(expand([])).toEqual([]);
    expect(holds(['reader', 'repo:read'], 'repo:read')).toBe(true);
    expect(holds(undefined, 'repo:read')).toBe(false);
  });

  it('knows the contract names and which ones a repository grant may hold', () => {
    expect(isPermission('repo:read')).toBe(true);
    expect(isPermission('repo:execute')).toBe(false);
    expect(isRepositoryPermission('webhook:write')).toBe(true);
    expect(isRepositoryPermission('system:admin')).toBe(false);
    expect(isRepositoryPermission('user:read')).toBe(false);
  });
});

describe('built-in roles', () => {
  it('are the four of the contract with their permissions', () => {
    expect([...BUILT_IN_ROLES.keys()].sort()).toEqual(['admin', 'developer', 'guest', 'reader']);
    expect(BUILT_IN_ROLES.get('reader')?.permissions).toEqual(['repo:read']);
    expect(BUILT_IN_ROLES.get('guest')?.permissions).toEqual(['system:read']);
    expect(BUILT_IN_ROLES.get('developer')?.permissions).toEqual([
      'repo:read',
      'repo:write',
      'webhook:read',
      'webhook:write',
    ]);
    expect(holds(BUILT_IN_ROLES.get('admin')?.permissions, 'user:delete')).toBe(true);
    for (const role of BUILT_IN_ROLES.values()) {
      expect(role.builtIn).toBe(true);
      for (const permission of role.permissions) expect(isPermission(permission)).toBe(true);
    }
  });
});
