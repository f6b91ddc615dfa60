/**
 * Webhooks of a repository (api-contract.md §6.1–6.3): registrations kept in the storage
 * driver's metadata store (collection `webhooks`) and cached in memory by repository, delivery
 * of every matching domain event through the DeliveryQueue, the deliveries log, redelivery,
 * ping and the v2 execute route. Deliveries not yet final are stored too, so their retries
 * resume after a restart with a durable driver.
 */
import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import type { JsonDocument, MetadataStore } from '../../../core';
import { HooksConfig } from '../../../config/config.schema';
import { addGaugeSource } from '../../../metrics/gauge-sources';
import { RepositoryRegistry } from '../../git-core/repository-registry';
import type { EventEnvelope, EventName } from '../domain-event';
import { currentSender } from '../event-sender-context';
import { ALL_EVENTS, canonicalEventName, subscribedTo } from '../event-filter';
import { WEBHOOK_DELIVERIES_TOTAL, WEBHOOK_QUEUE_DEPTH } from '../hooks-metrics';
import { RepositoryEventBus } from '../repository-event-bus';
import { DeliveryQueue, type DeliveryResult } from './delivery-queue';
import { TargetPolicy } from './target-policy';
import {
  DeliveryNotFoundError,
  InvalidEventError,
  InvalidWebhookUrlError,
  WebhookLimitReachedError,
  WebhookNotFoundError,
} from './webhook-errors';
import {
  CONTENT_TYPES,
  PENDING_DELIVERY_COLLECTION,
  WEBHOOK_COLLECTION,
  fromWebhookDocument,
  toWebhookDocument,
  type Webhook,
  type WebhookContentType,
  type WebhookDelivery,
} from './webhook-model';

const MAX_URL_LENGTH = 2048;

/** The fields a create or update may carry (already validated for type). */
export interface WebhookInput {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly type?: string;
  /** `""` removes the secret (update). */
  readonly secret?: string;
  readonly content_type?: WebhookContentType;
  readonly active?: boolean;
  readonly insecure_ssl?: boolean;
}

export type DeliveryStatusFilter = 'success' | 'failure' | 'pending';

@Injectable()
export class WebhooksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly policy: TargetPolicy;
  private readonly queue: DeliveryQueue;
  /** Repository id → hook id → hook, in created_at order. */
  private readonly hooks = new Map<string, Map<string, Webhook>>();
  private readonly cleanups: Array<() => void> = [];
  /** Events published but not yet matched to hooks: matching runs after the producer's turn. */
  private incoming: EventEnvelope[] = [];
  private flushScheduled = false;

  constructor(
    private readonly registry: RepositoryRegistry,
    private readonly bus: RepositoryEventBus,
    private readonly config: HooksConfig,
    @InjectMetric(WEBHOOK_DELIVERIES_TOTAL) private readonly deliveries: Counter<string>,
  ) {
    this.policy = new TargetPolicy(config.allow_private_targets, config.allowed_hosts);
    this.queue = new DeliveryQueue(config, this.policy, {
      counted: (result: DeliveryResult) => this.deliveries.inc({ result }),
      pending: (delivery, body) => this.storePending(delivery, body),
      settled: (delivery) => this.dropPending(delivery),
    });
  }

  onApplicationBootstrap(): void {
    this.cleanups.push(addGaugeSource(WEBHOOK_QUEUE_DEPTH, () => this.queue.depth));
    this.cleanups.push(this.bus.subscribe((envelope) => this.accept(envelope)));
    if (!this.registry.isStorageOpen()) return;
    try {
      this.load(this.registry.metadataStore());
    } catch (error) {
      this.logger.error(`webhooks could not be loaded: ${describe(error)}`);
    }
  }

  onApplicationShutdown(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.queue.close();
  }

  // ---- registrations ------------------------------------------------------------------------

  async create(repoId: string, input: WebhookInput): Promise<Webhook> {
    this.registry.record(repoId);
    const url = await this.checkUrl(input.url);
    const events = normalizeEvents(input.events, input.type) ?? ['push'];
    const existing = this.hooksOf(repoId);
    if (existing.size >= this.config.max_per_repo) {
      throw new WebhookLimitReachedError(this.config.max_per_repo);
    }
    const now = new Date().toISOString();
    const hook: Webhook = {
      id: randomUUID(),
      repoId,
      url,
      events,
      contentType: input.content_type ?? CONTENT_TYPES[0],
      active: input.active ?? true,
      insecureSsl: input.insecure_ssl ?? false,
      secret: input.secret === undefined || input.secret === '' ? null : input.secret,
      createdAt: now,
      updatedAt: now,
    };
    await this.save(hook);
    return hook;
  }

  list(repoId: string): Webhook[] {
    this.registry.record(repoId);
    return [...this.hooksOf(repoId).values()];
  }

  get(repoId: string, hookId: string): Webhook {
    this.registry.record(repoId);
    const hook = this.hooks.get(repoId)?.get(hookId);
    if (hook === undefined) throw new WebhookNotFoundError(hookId);
    return hook;
  }

  async update(repoId: string, hookId: string, input: WebhookInput): Promise<Webhook> {
    const current = this.get(repoId, hookId);
    const url = input.url === undefined ? current.url : await this.checkUrl(input.url);
    const events =
      input.events === undefined && input.type === undefined
        ? current.events
        : (normalizeEvents(input.events, input.type) ?? ['push']);
    const updated: Webhook = {
      ...current,
      url,
      events,
      contentType: input.content_type ?? current.contentType,
      active: input.active ?? current.active,
      insecureSsl: input.insecure_ssl ?? current.insecureSsl,
      secret:
        input.secret === undefined ? current.secret : input.secret === '' ? null : input.secret,
      updatedAt: new Date().toISOString(),
    };
    // A hook deleted while the URL was being checked stays deleted.
    this.get(repoId, hookId);
    await this.save(updated);
    return updated;
  }

  async delete(repoId: string, hookId: string): Promise<void> {
    this.get(repoId, hookId);
    this.hooks.get(repoId)?.delete(hookId);
    this.queue.forget(hookId);
    const metadata = this.registry.metadataStore();
    metadata.delete(WEBHOOK_COLLECTION, hookId);
    await metadata.flush();
  }

  /** The hook's last response, for HookResponse.last_response. */
  lastDelivery(hookId: string): WebhookDelivery | undefined {
    return this.queue.log(hookId)[0];
  }

  // ---- deliveries ---------------------------------------------------------------------------

  deliveriesOf(
    repoId: string,
    hookId: string,
    status: DeliveryStatusFilter | undefined,
  ): readonly WebhookDelivery[] {
    this.get(repoId, hookId);
    const log = this.queue.log(hookId);
    return status === undefined ? log : log.filter((delivery) => delivery.state === status);
  }

  delivery(repoId: string, hookId: string, deliveryId: string): WebhookDelivery {
    const found = this.deliveriesOf(repoId, hookId, undefined).find((d) => d.id === deliveryId);
    if (found === undefined) throw new DeliveryNotFoundError(deliveryId);
    return found;
  }

  /** Sends a logged delivery's payload again under a new id and signature. */
  redeliver(repoId: string, hookId: string, deliveryId: string): WebhookDelivery {
    const original = this.delivery(repoId, hookId, deliveryId);
    const hook = this.get(repoId, hookId);
    const envelope = parseEnvelope(original.request.body, hook.contentType);
    if (envelope === undefined) throw new DeliveryNotFoundError(deliveryId);
    return this.queue.enqueue(hook, envelope, original.id);
  }

  /** A `ping` to one hook (active or not), data `{hook_id}`. */
  ping(repoId: string, hookId: string): WebhookDelivery {
    const hook = this.get(repoId, hookId);
    const envelope = this.bus.stamp({
      repository: repoId,
      event: 'ping',
      data: { hook_id: hook.id },
      sender: currentSender(),
    });
    return this.queue.enqueue(hook, envelope);
  }

  /**
   * v2 `hooks/execute/:hook_type`: fires the active hooks subscribed to that event with `data`
   * (nothing is published to streams; no state changed). Returns the event's canonical name.
   */
  execute(repoId: string, hookType: string, data: Readonly<Record<string, unknown>>): EventName {
    this.registry.record(repoId);
    const name = canonicalEventName(hookType);
    if (name === undefined || name === ALL_EVENTS) throw new InvalidEventError(hookType);
    const envelope = this.bus.stamp({
      repository: repoId,
      event: name,
      data,
      sender: currentSender(),
    });
    this.deliver(envelope);
    return name;
  }

  // ---- internals ----------------------------------------------------------------------------

  /**
   * The bus listener: only queues the event, so the request that caused it answers without
   * waiting for payload encoding, signing or connecting; the batch is matched on the next turn.
   */
  private accept(envelope: EventEnvelope): void {
    if (!this.hooks.has(envelope.repository)) return;
    this.incoming.push(envelope);
    if (this.incoming.length === 1) setImmediate(() => this.drainIncoming());
  }

  private drainIncoming(): void {
    const batch = this.incoming;
    this.incoming = [];
    for (const envelope of batch) {
      this.deliver(envelope);
      if (envelope.event === 'repository' && envelope.data.action === 'deleted') {
        this.removeRepository(envelope.repository);
      }
    }
  }

  private deliver(envelope: EventEnvelope): void {
    const hooks = this.hooks.get(envelope.repository);
    if (hooks === undefined) return;
    for (const hook of hooks.values()) {
      if (hook.active && subscribedTo(hook.events, envelope.event)) {
        this.queue.enqueue(hook, envelope);
      }
    }
  }

  /** A deleted repository's hooks go with it (their last deliveries still go out). */
  private removeRepository(repoId: string): void {
    const hooks = this.hooks.get(repoId);
    if (hooks === undefined) return;
    this.hooks.delete(repoId);
    try {
      const metadata = this.registry.metadataStore();
      for (const id of hooks.keys()) metadata.delete(WEBHOOK_COLLECTION, id);
      metadata.flush().catch((error: unknown) => {
        this.logger.error(`webhooks of ${repoId} could not be removed: ${describe(error)}`);
      });
    } catch (error) {
      this.logger.error(`webhooks of ${repoId} could not be removed: ${describe(error)}`);
    }
  }

  private hooksOf(repoId: string): ReadonlyMap<string, Webhook> {
    return this.hooks.get(repoId) ?? new Map<string, Webhook>();
  }

  /** The repository's hook map, created when it has none yet. */
  private holderOf(repoId: string): Map<string, Webhook> {
    let hooks = this.hooks.get(repoId);
    if (hooks === undefined) {
      hooks = new Map();
      this.hooks.set(repoId, hooks);
    }
    return hooks;
  }

  private async save(hook: Webhook): Promise<void> {
    const metadata = this.registry.metadataStore();
    metadata.put(WEBHOOK_COLLECTION, hook.id, toWebhookDocument(hook));
    this.holderOf(hook.repoId).set(hook.id, hook);
    await metadata.flush();
  }

  private async checkUrl(raw: string | undefined): Promise<string> {
    if (raw === undefined || raw.trim() === '') throw new InvalidWebhookUrlError('url is required');
    if (raw.length > MAX_URL_LENGTH) {
      throw new InvalidWebhookUrlError(`longer than ${MAX_URL_LENGTH} characters`);
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new InvalidWebhookUrlError('not an absolute URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidWebhookUrlError('only http and https URLs are accepted');
    }
    if (url.hostname === '') throw new InvalidWebhookUrlError('no host');
    await this.policy.checkRegistration(url);
    return url.toString();
  }

  /** Loads every stored hook whose repository still exists, and resumes pending deliveries. */
  private load(metadata: MetadataStore): void {
    const stale: string[] = [];
    for (const { id, document } of metadata.list(WEBHOOK_COLLECTION)) {
      const hook = fromWebhookDocument(document);
      if (hook === undefined || !this.repositoryExists(hook.repoId)) {
        stale.push(id);
        continue;
      }
      this.holderOf(hook.repoId).set(hook.id, hook);
    }
    for (const hooks of this.hooks.values()) {
      const sorted = [...hooks.values()].sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
      );
      hooks.clear();
      for (const hook of sorted) hooks.set(hook.id, hook);
    }
    for (const id of stale) metadata.delete(WEBHOOK_COLLECTION, id);
    this.resumePending(metadata);
    if (stale.length > 0) {
      metadata.flush().catch((error: unknown) => {
        this.logger.warn(`stale webhooks could not be removed: ${describe(error)}`);
      });
    }
  }

  private resumePending(metadata: MetadataStore): void {
    for (const { id, document } of metadata.list(PENDING_DELIVERY_COLLECTION)) {
      const hookId = typeof document.hook_id === 'string' ? document.hook_id : '';
      const repoId = typeof document.repo_id === 'string' ? document.repo_id : '';
      const hook = this.hooks.get(repoId)?.get(hookId);
      const body = typeof document.body === 'string' ? document.body : undefined;
      const headers = document.headers;
      if (hook === undefined || body === undefined || !isStringRecord(headers)) {
        metadata.delete(PENDING_DELIVERY_COLLECTION, id);
        continue;
      }
      const delivery: WebhookDelivery = {
        id,
        hookId,
        repoId,
        url: hook.url,
        event: typeof document.event === 'string' ? document.event : '',
        redeliveryOf: typeof document.redelivery_of === 'string' ? document.redelivery_of : null,
        createdAt: typeof document.created_at === 'string' ? document.created_at : '',
        request: { headers: { ...headers }, body },
        state: 'pending',
        statusCode: 0,
        durationMs: 0,
        response: { headers: {}, body: '' },
        attempt: typeof document.attempt === 'number' ? document.attempt : 0,
        nextRetryAt: null,
        error: null,
      };
      this.queue.restore(delivery, Buffer.from(body, 'utf8'), hook.insecureSsl);
    }
  }

  private repositoryExists(repoId: string): boolean {
    try {
      this.registry.record(repoId);
      return true;
    } catch {
      return false;
    }
  }

  private storePending(delivery: WebhookDelivery, body: Buffer): void {
    this.withMetadata((metadata) =>
      metadata.put(PENDING_DELIVERY_COLLECTION, delivery.id, {
        hook_id: delivery.hookId,
        repo_id: delivery.repoId,
        event: delivery.event,
        redelivery_of: delivery.redeliveryOf,
        created_at: delivery.createdAt,
        attempt: delivery.attempt,
        headers: delivery.request.headers,
        body: body.toString('utf8'),
      }),
    );
  }

  private dropPending(delivery: WebhookDelivery): void {
    this.withMetadata((metadata) => metadata.delete(PENDING_DELIVERY_COLLECTION, delivery.id));
  }

  /** Bookkeeping of pending deliveries: best effort, never in the way of a delivery. */
  private withMetadata(change: (metadata: MetadataStore) => unknown): void {
    if (!this.registry.isStorageOpen()) return;
    try {
      const metadata = this.registry.metadataStore();
      change(metadata);
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      // One flush for all the bookkeeping of a turn.
      setImmediate(() => {
        this.flushScheduled = false;
        metadata.flush().catch((error: unknown) => {
          this.logger.warn(`pending webhook deliveries not stored: ${describe(error)}`);
        });
      });
    } catch (error) {
      this.logger.warn(`pending webhook deliveries not stored: ${describe(error)}`);
    }
  }
}

/** Canonical event names of `events` (or `[type]`), undefined when neither gives any. */
function normalizeEvents(
  events: readonly string[] | undefined,
  type: string | undefined,
): string[] | undefined {
  const given =
    events !== undefined && events.length > 0 ? events : type === undefined ? [] : [type];
  if (given.length === 0) return undefined;
  const names: string[] = [];
  for (const raw of given) {
    const name = canonicalEventName(raw);
    if (name === undefined) throw new InvalidEventError(raw);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function parseEnvelope(body: string, contentType: WebhookContentType): EventEnvelope | undefined {
  try {
    const json =
      contentType === 'application/json' || !body.startsWith('payload=')
        ? body
        : decodeURIComponent(body.slice('payload='.length));
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null ? (parsed as EventEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

function isStringRecord(value: unknown): value is Readonly<Record<string, string>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value as JsonDocument).every((v) => typeof v === 'string')
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
