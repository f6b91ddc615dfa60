/**
 * The refusals of the server-hook routes and of the operations a hook guards (api-contract.md
 * §6.6, §14). Each is a domain error whose kind decides the status in the one global filter;
 * HOOK_EXECUTION_FAILED is a server fault (500) and so an HttpError.
 */
import { GitError } from '../../../core';
import { HttpError } from '../../../http/http-error';
import { SERVER_HOOK_TYPES } from './server-hook-types';

export class InvalidHookTypeError extends GitError {
  readonly code = 'INVALID_HOOK_TYPE';
  readonly kind = 'invalid-argument';
  constructor(type: string) {
    super(`invalid hook type '${type}'`, { hook_type: type, allowed: [...SERVER_HOOK_TYPES] });
  }
}

export class InvalidEnvironmentError extends GitError {
  readonly code = 'INVALID_ENVIRONMENT';
  readonly kind = 'invalid-argument';
  constructor(reason: string, key?: string) {
    super(`invalid environment: ${reason}`, key === undefined ? { reason } : { key, reason });
  }
}

export class ServerHooksDisabledError extends GitError {
  readonly code = 'SERVER_HOOKS_DISABLED';
  readonly kind = 'permission-denied';
  constructor() {
    super('server hooks are disabled (hooks.server_hooks.enabled: false)');
  }
}

export class HookNotConfiguredError extends GitError {
  readonly code = 'HOOK_NOT_CONFIGURED';
  readonly kind = 'not-found';
  constructor(type: string) {
    super(`no server hook ${type} is configured`, { hook_type: type });
  }
}

/** A `pre-*` hook exited non-zero (or timed out): the operation was refused, nothing changed. */
export class HookRejectedError extends GitError {
  readonly code = 'HOOK_REJECTED';
  readonly kind = 'conflict';
  constructor(type: string, exitCode: number, output: string, timedOut: boolean) {
    super(
      timedOut
        ? `${type} hook timed out; the change was rejected`
        : `${type} hook exited with code ${exitCode}; the change was rejected`,
      { hook_type: type, exit_code: exitCode, timed_out: timedOut, output },
    );
  }
}

export class HookBusyError extends GitError {
  readonly code = 'HOOK_BUSY';
  readonly kind = 'unavailable';
  constructor(maxConcurrent: number) {
    super(`too many server hooks running (max ${maxConcurrent}); retry`, {
      max_concurrent: maxConcurrent,
    });
  }
}

export class HookExecutionFailedError extends HttpError {
  constructor(type: string, reason: string) {
    super(500, 'HOOK_EXECUTION_FAILED', `${type} hook could not be started: ${reason}`, {
      hook_type: type,
      reason,
    });
  }
}

/** A field of a hook request outside its bounds (timeout, script size): 400 INVALID_REQUEST. */
export class InvalidHookRequestError extends GitError {
  readonly code = 'INVALID_REQUEST';
  readonly kind = 'invalid-argument';
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { fields: [{ field, message }] });
  }
}
