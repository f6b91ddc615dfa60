/**
 * The one global guard (api-contract.md §0.3). With auth disabled every route is open and the
 * auth/user/key/role/grant routes do not exist (404 ENDPOINT_NOT_FOUND). Otherwise: public
 * routes pass without looking at credentials; every other route needs a valid credential
 * (401 UNAUTHORIZED with `WWW-Authenticate: Bearer`), then the permission its @Endpoint
 * declares — checked on the route's `:repo_id` when it has one, where a caller that cannot read
 * the repository gets 404 REPO_NOT_FOUND — and a route that declares none is for
 * `system:admin` only (secure by default). Refusals are counted and audited; admitted state
 * changes are audited when their response ends (audit-recorder.ts).
 */
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  NotFoundException,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { RepoNotFoundError } from '../../core';
import {
  ENDPOINT_ALSO_PERMITS,
  ENDPOINT_PERMISSION,
  ENDPOINT_PUBLIC,
} from '../../http/endpoint.decorator';
import { SYSTEM_ADMIN } from '../rbac/permissions';
import { AccessPolicy } from './access-policy';
import { AuditLog } from './audit-log';
import { AUDIT_ACTION, type AuditRequest, auditEntry, derivedAction } from './audit-context';
import { isMutation, watchMutation } from './audit-recorder';
import { ForbiddenError, UnauthorizedError } from './auth-errors';
import { countAuthFailure } from './auth-failures';
import { AuthenticationService } from './authentication.service';

/** Metadata: the route belongs to the auth feature and does not exist with auth disabled. */
export const AUTH_FEATURE_ROUTE = 'govc:auth-feature-route';
export const AuthFeatureRoute = (value = true): MethodDecorator & ClassDecorator =>
  SetMetadata(AUTH_FEATURE_ROUTE, value);

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditLog,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuditRequest>();
    const targets = [context.getHandler(), context.getClass()];
    if (!this.authentication.isEnabled()) {
      if (this.reflector.getAllAndOverride<boolean>(AUTH_FEATURE_ROUTE, targets) === true) {
        throw new NotFoundException();
      }
      request.principal = null;
      return this.admit(context, request);
    }
    if (this.reflector.getAllAndOverride<boolean>(ENDPOINT_PUBLIC, targets) === true) {
      request.principal = null;
      return this.admit(context, request);
    }

    const authentication = this.authentication.authenticateRequest(request.headers);
    if (authentication.principal === null) {
      countAuthFailure(authentication.reason);
      request.principal = null;
      this.audit.record(
        auditEntry(request, 'auth.failure', 'denied', 401, {
          details: { reason: authentication.reason },
        }),
      );
      throw new UnauthorizedError(
        authentication.reason === 'missing'
          ? 'Authentication required'
          : 'Invalid or expired credentials',
      );
    }
    const principal = authentication.principal;
    request.principal = principal;
    request.principalAllows = (required, repo) => this.policy.allows(principal, required, repo);

    const permission =
      this.reflector.getAllAndOverride<string>(ENDPOINT_PERMISSION, targets) ?? SYSTEM_ADMIN;
    const params = (request.params ?? {}) as Record<string, unknown>;
    const repoId = typeof params.repo_id === 'string' ? params.repo_id : undefined;
    const decision = this.policy.check(principal, permission, repoId);
    if (decision === 'allowed') return this.admit(context, request);
    if (decision === 'forbidden') {
      const alternatives =
        this.reflector.getAllAndOverride<readonly string[]>(ENDPOINT_ALSO_PERMITS, targets) ?? [];
      if (alternatives.some((other) => this.policy.check(principal, other, repoId) === 'allowed'))
        return this.admit(context, request);
    }
    countAuthFailure('forbidden');
    this.audit.record(
      auditEntry(request, 'auth.denied', 'denied', decision === 'not-found' ? 404 : 403, {
        details: { required: permission },
      }),
    );
    if (decision === 'not-found' && repoId !== undefined) throw new RepoNotFoundError(repoId);
    if (decision === 'unauthenticated') throw new UnauthorizedError();
    throw new ForbiddenError('Insufficient permissions', { required: permission });
  }

  /** Lets the request through; a state change is recorded in the audit log when it ends. */
  private admit(context: ExecutionContext, request: AuditRequest): true {
    if (!this.audit.enabled || !isMutation(request.method)) return true;
    const declared = this.reflector.get<string | null | undefined>(
      AUDIT_ACTION,
      context.getHandler(),
    );
    if (declared === null) return true;
    const action = declared ?? derivedAction(context.getClass().name, context.getHandler().name);
    watchMutation(this.audit, request, context.switchToHttp().getResponse<Response>(), action);
    return true;
  }
}
