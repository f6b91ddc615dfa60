/**
 * What a principal may do (api-contract.md §0.3), in one synchronous place: global permissions
 * are the union of the user's roles; a repository permission is satisfied by a global one or by
 * the user's grant on that repository; an API key acts with its own permissions intersected
 * with its owner's (each side with implication). On a repository, a caller that cannot read it
 * is told it does not exist ('not-found'); a repository created `public: true` is readable by
 * anyone, even without credentials (for git fetches; REST routes still ask for credentials).
 */
import { Injectable } from '@nestjs/common';
import { AuthConfig } from '../../config/config.schema';
import { ANY_AUTHENTICATED } from '../../http/endpoint.decorator';
import { RepositoryRegistry } from '../git-core/repository-registry';
import { expand, holds } from '../rbac/permissions';
import { IdentityStore, type RepoPermissions } from './identity-store';
import type { Principal } from './principal';

export type AccessDecision = 'allowed' | 'not-found' | 'forbidden' | 'unauthenticated';

@Injectable()
export class AccessPolicy {
  constructor(
    private readonly config: AuthConfig,
    private readonly identities: IdentityStore,
    private readonly registry: RepositoryRegistry,
  ) {}

  check(principal: Principal | null, permission: string, repoId?: string): AccessDecision {
    if (!this.config.enabled) return 'allowed';
    if (repoId !== undefined) {
      const isPublic = this.isPublic(repoId);
      if (permission === 'repo:read' && isPublic) return 'allowed';
      if (principal === null) return 'unauthenticated';
      if (!isPublic && !this.allows(principal, 'repo:read', repoId)) return 'not-found';
      if (permission === ANY_AUTHENTICATED) return 'allowed';
      return this.allows(principal, permission, repoId) ? 'allowed' : 'forbidden';
    }
    if (principal === null) return 'unauthenticated';
    if (permission === ANY_AUTHENTICATED) return this.isActive(principal) ? 'allowed' : 'forbidden';
    return this.allows(principal, permission) ? 'allowed' : 'forbidden';
  }

  canRead(principal: Principal | null, repoId: string): boolean {
    return this.check(principal, 'repo:read', repoId) === 'allowed';
  }

  /** Whether `principal` holds `permission` (globally, or on `repoId` when given). */
  allows(principal: Principal, permission: string, repoId?: string): boolean {
    if (!this.config.enabled) return true;
    const user = this.identities.user(principal.id);
    if (user === undefined || !user.active) return false;
    if (!grants(this.identities.rolePermissions(user), user.repoPermissions, permission, repoId)) {
      return false;
    }
    if (principal.authMethod !== 'apikey' || principal.apiKeyId === undefined) return true;
    const key = this.identities.key(principal.apiKeyId);
    if (key === undefined || !key.active || key.userId !== user.id) return false;
    return grants(key.permissions, key.repoPermissions, permission, repoId);
  }

  /** The caller's effective global permissions, expanded and sorted. */
  effectivePermissions(principal: Principal): string[] {
    const user = this.identities.user(principal.id);
    if (user === undefined) return [];
    const own = expand(this.identities.rolePermissions(user));
    if (principal.authMethod !== 'apikey' || principal.apiKeyId === undefined) return own;
    const key = this.identities.key(principal.apiKeyId);
    if (key === undefined) return [];
    const fromKey = new Set(expand(key.permissions));
    return own.filter((permission) => fromKey.has(permission));
  }

  /** The caller's per-repository grants (for a key: those its owner also holds there). */
  effectiveRepoPermissions(principal: Principal): Record<string, string[]> {
    const user = this.identities.user(principal.id);
    if (user === undefined) return {};
    const source =
      principal.authMethod === 'apikey' && principal.apiKeyId !== undefined
        ? (this.identities.key(principal.apiKeyId)?.repoPermissions ?? {})
        : user.repoPermissions;
    const result: Record<string, string[]> = {};
    for (const [repoId, list] of Object.entries(source)) {
      const kept = list.filter((permission) => this.allows(principal, permission, repoId));
      if (kept.length > 0) result[repoId] = [...kept].sort();
    }
    return result;
  }

  private isActive(principal: Principal): boolean {
    return this.identities.user(principal.id)?.active === true;
  }

  private isPublic(repoId: string): boolean {
    try {
      return this.registry.record(repoId).public;
    } catch {
      return false;
    }
  }
}

function grants(
  global: readonly string[],
  perRepo: RepoPermissions,
  permission: string,
  repoId: string | undefined,
): boolean {
  if (holds(global, permission)) return true;
  return repoId !== undefined && holds(perRepo[repoId], permission);
}
