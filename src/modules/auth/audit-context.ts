/**
 * Building audit entries from a request: who (the principal), from where (client IP as Express
 * computes it under server.trusted_proxies, user agent, request id), and the action name of a
 * handler — `@AuditAction('…')` when given, else derived from the controller and handler names
 * (`ReposController.create` → `repo.create`, `BranchesController.delete` → `branch.delete`).
 */
import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { JsonValue } from '../../core';
import type { LoggedRequest } from '../../logging/request-logger';
import type { AuditInput, AuditResult } from './audit-log';
import { principalOf, type RequestWithPrincipal } from './principal';

export const AUDIT_ACTION = 'govc:audit-action';

/** Names the audit action of a handler; `null` = the handler records its own entries. */
export const AuditAction = (action: string | null): MethodDecorator =>
  SetMetadata(AUDIT_ACTION, action);

export type AuditRequest = Request & RequestWithPrincipal & LoggedRequest;

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(sh|ch|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

const snake = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();

/** `V2ReposController` + `create` → `repo.create`. */
export function derivedAction(controller: string, handler: string): string {
  const base = controller.replace(/Controller$/, '').replace(/^V\d+/, '');
  return `${singular(snake(base))}.${snake(handler)}`;
}

/** The URL parameters that name what a request acts on, most specific first. */
const TARGET_PARAMS: ReadonlyArray<[string, string]> = [
  ['key_id', 'api_key'],
  ['role_name', 'role'],
  ['user_id', 'user'],
  ['tx_id', 'transaction'],
  ['hook_id', 'webhook'],
  ['repo_id', 'repository'],
];

function targetOf(
  action: string,
  params: Record<string, unknown>,
  createdId: string | undefined,
): { type: string; id: string } | null {
  for (const [name, type] of TARGET_PARAMS) {
    const value = params[name];
    if (typeof value === 'string') return { type, id: value };
  }
  if (createdId === undefined) return null;
  const noun = action.slice(0, action.indexOf('.'));
  return { type: noun === 'repo' ? 'repository' : noun, id: createdId };
}

export function auditEntry(
  request: AuditRequest,
  action: string,
  result: AuditResult,
  status: number,
  extra: {
    target?: { type: string; id: string } | null;
    repoId?: string | null;
    details?: Record<string, JsonValue>;
    /** The id of what the request created (from the response), when the URL has none. */
    createdId?: string;
  } = {},
): AuditInput {
  const principal = principalOf(request);
  const params = (request.params ?? {}) as Record<string, unknown>;
  const repoParam = typeof params.repo_id === 'string' ? params.repo_id : null;
  const agent = request.headers['user-agent'];
  const target =
    extra.target !== undefined ? extra.target : targetOf(action, params, extra.createdId);
  const repoId =
    extra.repoId !== undefined
      ? extra.repoId
      : (repoParam ?? (target?.type === 'repository' ? target.id : null));
  return {
    actor:
      principal === null
        ? null
        : { id: principal.id, username: principal.username, auth_method: principal.authMethod },
    ip: request.ip ?? '',
    user_agent: typeof agent === 'string' ? agent.slice(0, 256) : '',
    request_id: typeof request.id === 'string' ? request.id : '',
    action,
    target,
    repo_id: repoId,
    result,
    status,
    details: extra.details ?? {},
  };
}
