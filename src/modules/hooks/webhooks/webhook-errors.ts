/**
 * Refusals of the webhook and event-stream routes (api-contract.md §6, §14), as domain errors
 * the one filter maps by kind.
 */
import { GitError } from '../../../core';

export class InvalidWebhookUrlError extends GitError {
  readonly code = 'INVALID_WEBHOOK_URL';
  readonly kind = 'invalid-argument';
  constructor(reason: string) {
    super(`invalid webhook url: ${reason}`, { reason });
  }
}

export class WebhookTargetForbiddenError extends GitError {
  readonly code = 'WEBHOOK_TARGET_FORBIDDEN';
  readonly kind = 'invalid-argument';
  constructor(host: string, address: string, reason: string) {
    super(`webhook target ${host} is not allowed: ${reason} address ${address}`, {
      host,
      address,
      reason,
    });
  }
}

export class InvalidEventError extends GitError {
  readonly code = 'INVALID_EVENT';
  readonly kind = 'invalid-argument';
  constructor(event: string) {
    super(`unknown event '${event}'`, { event });
  }
}

export class WebhookLimitReachedError extends GitError {
  readonly code = 'WEBHOOK_LIMIT_REACHED';
  readonly kind = 'invalid-argument';
  constructor(max: number) {
    super(`a repository can have at most ${max} webhooks`, { max_per_repo: max });
  }
}

export class WebhookNotFoundError extends GitError {
  readonly code = 'WEBHOOK_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(hookId: string) {
    super('webhook not found', { hook_id: hookId });
  }
}

export class DeliveryNotFoundError extends GitError {
  readonly code = 'DELIVERY_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(deliveryId: string) {
    super('delivery not found', { delivery_id: deliveryId });
  }
}

export class TooManyStreamsError extends GitError {
  readonly code = 'TOO_MANY_STREAMS';
  readonly kind = 'unavailable';
  constructor(max: number) {
    super(`too many event streams are open (at most ${max})`, { max_connections: max });
  }
}
