/**
 * Records every state-changing REST request (POST, PUT, PATCH, DELETE) in the audit log with
 * its outcome (api-contract.md §11.4). Requests the guard refused were recorded by the guard;
 * handlers marked `@AuditAction(null)` record their own entries (login, with its failures).
 */
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { type Observable, tap } from 'rxjs';
import { describeError } from '../../http/git-error.filter';
import { AuditLog } from './audit-log';
import { AUDIT_ACTION, type AuditRequest, auditEntry, derivedAction } from './audit-context';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditLog,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.audit.enabled) return next.handle();
    const request = context.switchToHttp().getRequest<AuditRequest>();
    if (!MUTATING.has(request.method)) return next.handle();
    const declared = this.reflector.get<string | null | undefined>(
      AUDIT_ACTION,
      context.getHandler(),
    );
    if (declared === null) return next.handle();
    const action = declared ?? derivedAction(context.getClass().name, context.getHandler().name);
    const response = context.switchToHttp().getResponse<Response>();
    let createdId: string | undefined;
    return next.handle().pipe(
      tap({
        next: (value: unknown) => {
          const id = (value as { id?: unknown } | null)?.id;
          if (typeof id === 'string') createdId = id;
        },
        // The status is final only when the response is written (HttpCode applies after this).
        complete: () => {
          let recorded = false;
          const done = (): void => {
            if (recorded) return;
            recorded = true;
            this.audit.record(
              auditEntry(request, action, 'success', response.statusCode, { createdId }),
            );
          };
          // A handler that wrote the response itself (@Res) may have finished it already; a
          // client that went away closes it without a finish.
          if (response.writableFinished) done();
          else {
            response.once('finish', done);
            response.once('close', done);
          }
        },
        error: (error: unknown) => {
          const status = describeError(error, request).status;
          const result = status === 401 || status === 403 ? 'denied' : 'failure';
          this.audit.record(auditEntry(request, action, result, status));
        },
      }),
    );
  }
}
