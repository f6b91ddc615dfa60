/**
 * What the webhook store keeps (api-contract.md §6.1): a registered hook, with its secret, as
 * stored in the metadata collection `webhooks`, and a delivery as the deliveries log shows it.
 */
import type { JsonDocument } from '../../../core';

export const WEBHOOK_COLLECTION = 'webhooks';
/** Deliveries not yet final, kept so that their retries survive a restart (durable drivers). */
export const PENDING_DELIVERY_COLLECTION = 'webhook_pending';

export const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;
export type WebhookContentType = (typeof CONTENT_TYPES)[number];

export interface Webhook {
  readonly id: string;
  readonly repoId: string;
  readonly url: string;
  /** Canonical names, `*` included as given. */
  readonly events: readonly string[];
  readonly contentType: WebhookContentType;
  readonly active: boolean;
  readonly insecureSsl: boolean;
  /** Never leaves the server; null when none. */
  readonly secret: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toWebhookDocument(hook: Webhook): JsonDocument {
  return {
    id: hook.id,
    repo_id: hook.repoId,
    url: hook.url,
    events: [...hook.events],
    content_type: hook.contentType,
    active: hook.active,
    insecure_ssl: hook.insecureSsl,
    secret: hook.secret,
    created_at: hook.createdAt,
    updated_at: hook.updatedAt,
  };
}

/** A stored document as a Webhook, or undefined when it lacks what a hook needs. */
export function fromWebhookDocument(document: JsonDocument): Webhook | undefined {
  const { id, repo_id, url, events, content_type, active, insecure_ssl, secret } = document;
  if (typeof id !== 'string' || typeof repo_id !== 'string' || typeof url !== 'string') {
    return undefined;
  }
  const now = new Date(0).toISOString();
  return {
    id,
    repoId: repo_id,
    url,
    events: Array.isArray(events) ? events.filter((e): e is string => typeof e === 'string') : [],
    contentType: content_type === CONTENT_TYPES[1] ? CONTENT_TYPES[1] : CONTENT_TYPES[0],
    active: active !== false,
    insecureSsl: insecure_ssl === true,
    secret: typeof secret === 'string' && secret !== '' ? secret : null,
    createdAt: typeof document.created_at === 'string' ? document.created_at : now,
    updatedAt: typeof document.updated_at === 'string' ? document.updated_at : now,
  };
}

export type DeliveryState = 'pending' | 'success' | 'failure';

/** One delivery (HookDelivery of §6.1), updated in place by each attempt. */
export interface WebhookDelivery {
  readonly id: string;
  readonly hookId: string;
  readonly repoId: string;
  readonly url: string;
  readonly event: string;
  readonly redeliveryOf: string | null;
  readonly createdAt: string;
  readonly request: { readonly headers: Record<string, string>; readonly body: string };
  state: DeliveryState;
  statusCode: number;
  durationMs: number;
  response: { headers: Record<string, string>; body: string };
  attempt: number;
  nextRetryAt: string | null;
  error: string | null;
}
