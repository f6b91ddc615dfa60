/**
 * Records every state-changing REST request (POST, PUT, PATCH, DELETE) in the audit log with
 * its outcome (api-contract.md §11.4), when its response ends. The auth guard calls `watch` for
 * each request it lets through (requests it refused it recorded itself); handlers marked
 * `@AuditAction(null)` record their own entries (login, with its failures).
 *
 * A response hook rather than a Nest interceptor: any global interceptor makes Nest run every
 * handler of every route through an rxjs pipeline and an AsyncResource, about a fifth of the
 * cost of a small request.
 */
import type { Response } from 'express';
import type { AuditLog } from './audit-log';
import { type AuditRequest, auditEntry } from './audit-context';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Arranges for `request` to be recorded as `action` once its response is over. */
export function watchMutation(
  audit: AuditLog,
  request: AuditRequest,
  response: Response,
  action: string,
): void {
  let createdId: string | undefined;
  // What a create answered carries the new id (a user, a key) when the URL has none.
  const json = response.json;
  response.json = function (this: Response, body?: unknown) {
    const id = (body as { id?: unknown } | null | undefined)?.id;
    if (typeof id === 'string') createdId = id;
    return json.call(this, body);
  };
  const done = (): void => {
    response.removeListener('finish', done);
    response.removeListener('close', done);
    const status = response.statusCode;
    const result =
      status === 401 || status === 403 ? 'denied' : status >= 400 ? 'failure' : 'success';
    audit.record(auditEntry(request, action, result, status, { createdId }));
  };
  response.once('finish', done);
  response.once('close', done);
}

/** Whether a request of this method is a state change the audit log records. */
export function isMutation(method: string): boolean {
  return MUTATING.has(method);
}
