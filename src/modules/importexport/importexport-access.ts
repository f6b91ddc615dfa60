/**
 * The permission questions this module asks inside a handler (api-contract.md §11.2): whether
 * the caller is a system admin (job visibility, server-path imports), and whether it holds a
 * permission on a repository (import into an existing repository needs repo:admin). Answered by
 * the auth module's AccessPolicy; with auth off every answer is yes.
 */
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuthConfig } from '../../config/config.schema';
import { AccessPolicy } from '../auth/access-policy';
import type { Principal } from '../auth/principal';

export const ANONYMOUS = 'anonymous';

@Injectable()
export class ImportExportAccess {
  private policy: AccessPolicy | undefined;

  constructor(
    private readonly auth: AuthConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The `created_by` of a job: the user id, or `anonymous` while auth is off. */
  creator(principal: Principal | null): string {
    return principal?.id ?? ANONYMOUS;
  }

  isAdmin(principal: Principal | null): boolean {
    return this.allows(principal, 'system:admin');
  }

  allows(principal: Principal | null, permission: string, repoId?: string): boolean {
    if (!this.auth.enabled) return true;
    if (principal === null) return false;
    const policy = this.accessPolicy();
    return policy !== undefined && policy.allows(principal, permission, repoId);
  }

  private accessPolicy(): AccessPolicy | undefined {
    if (this.policy === undefined) {
      try {
        this.policy = this.moduleRef.get(AccessPolicy, { strict: false });
      } catch {
        return undefined;
      }
    }
    return this.policy;
  }
}
