/**
 * Webhook deliveries off the request path (api-contract.md §6.2). One lane per hook sends its
 * deliveries one at a time in event order; a delivery that failed retryably stays at the head of
 * its lane until its next attempt (exponential backoff with ±20 % jitter, `Retry-After`
 * honoured, both capped by hooks.backoff_max). At most hooks.queue_size deliveries wait over all
 * lanes; past that a delivery is recorded as failed with `queue full` and counted as dropped.
 * Each hook keeps its last hooks.delivery_retention deliveries for the log.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { HooksConfig } from '../../../config/config.schema';
import type { EventEnvelope } from '../domain-event';
import type { TargetPolicy } from './target-policy';
import type { Webhook, WebhookDelivery } from './webhook-model';
import { sendWebhook, type WebhookResponse } from './webhook-sender';

export type DeliveryResult = 'success' | 'failure' | 'retry' | 'dropped' | 'blocked';

export interface DeliveryObserver {
  /** A counted outcome (govc_webhook_deliveries_total{result}). */
  readonly counted: (result: DeliveryResult) => void;
  /** A delivery became pending (persist it) or final (forget it). */
  readonly pending: (delivery: WebhookDelivery, body: Buffer) => void;
  readonly settled: (delivery: WebhookDelivery) => void;
}

interface Job {
  readonly delivery: WebhookDelivery;
  readonly body: Buffer;
  readonly insecureSsl: boolean;
}

interface Lane {
  readonly jobs: Job[];
  sending: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** `sha256=<hex HMAC-SHA256(secret, body)>`, the value of both signature headers. */
export function signatureOf(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The bytes sent for an envelope in the hook's content type. */
export function encodeBody(hook: Pick<Webhook, 'contentType'>, envelope: EventEnvelope): Buffer {
  const json = JSON.stringify(envelope);
  return Buffer.from(
    hook.contentType === 'application/json' ? json : `payload=${encodeURIComponent(json)}`,
    'utf8',
  );
}

/** Milliseconds a `Retry-After` value asks for (seconds or an HTTP date), if it parses. */
export function retryAfterMs(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Whether a failed attempt may be tried again (connect error, timeout, 408, 429, 5xx). */
export function isRetryable(response: WebhookResponse): boolean {
  if (response.forbidden === true) return false;
  const status = response.statusCode;
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/**
 * The wait before attempt `attempt + 1` after attempt `attempt` failed retryably: `Retry-After`
 * when the receiver sent one, else backoff_base × 2^(attempt−1) ± 20 % jitter; both capped by
 * backoff_max. `random` is in [0, 1).
 */
export function retryDelayMs(
  config: Pick<HooksConfig, 'backoff_base' | 'backoff_max'>,
  attempt: number,
  retryAfter: string | undefined,
  random: number,
): number {
  const asked = retryAfterMs(retryAfter);
  if (asked !== undefined) return Math.min(asked, config.backoff_max);
  const backoff = config.backoff_base * 2 ** (attempt - 1);
  const jitter = 1 + (random * 2 - 1) * 0.2;
  return Math.min(Math.round(backoff * jitter), config.backoff_max);
}

export class DeliveryQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly logs = new Map<string, WebhookDelivery[]>();
  private waiting = 0;
  private closed = false;

  constructor(
    private readonly config: HooksConfig,
    private readonly policy: TargetPolicy,
    private readonly observer: DeliveryObserver,
    private readonly random: () => number = Math.random,
  ) {}

  /** Deliveries waiting or being sent, over all hooks. */
  get depth(): number {
    return this.waiting;
  }

  /** Queues `envelope` for `hook`; the record is returned at once (pending, or queue full). */
  enqueue(
    hook: Webhook,
    envelope: EventEnvelope,
    redeliveryOf: string | null = null,
  ): WebhookDelivery {
    const body = encodeBody(hook, envelope);
    const id = randomUUID();
    const headers: Record<string, string> = {
      'Content-Type': hook.contentType,
      'User-Agent': this.config.user_agent,
      'X-Govc-Event': envelope.event,
      'X-Govc-Delivery': id,
      'X-Govc-Hook-ID': hook.id,
    };
    if (hook.secret !== null) {
      const signature = signatureOf(hook.secret, body);
      headers['X-Hub-Signature-256'] = signature;
      headers['X-Govc-Signature'] = signature;
    }
    const delivery: WebhookDelivery = {
      id,
      hookId: hook.id,
      repoId: hook.repoId,
      url: hook.url,
      event: envelope.event,
      redeliveryOf,
      createdAt: new Date().toISOString(),
      request: { headers, body: body.toString('utf8') },
      state: 'pending',
      statusCode: 0,
      durationMs: 0,
      response: { headers: {}, body: '' },
      attempt: 0,
      nextRetryAt: null,
      error: null,
    };
    this.remember(delivery);
    if (this.closed || this.waiting >= this.config.queue_size) {
      delivery.state = 'failure';
      delivery.error = 'queue full';
      this.observer.counted('dropped');
      return delivery;
    }
    this.restore(delivery, body, hook.insecureSsl);
    return delivery;
  }

  /** Puts a pending delivery (new, or restored after a restart) at the end of its lane. */
  restore(delivery: WebhookDelivery, body: Buffer, insecureSsl: boolean): void {
    if (!this.logs.get(delivery.hookId)?.includes(delivery)) this.remember(delivery);
    this.waiting++;
    this.observer.pending(delivery, body);
    const lane = this.laneOf(delivery.hookId);
    lane.jobs.push({ delivery, body, insecureSsl });
    this.pump(delivery.hookId, lane);
  }

  /** The hook's deliveries, newest first. */
  log(hookId: string): readonly WebhookDelivery[] {
    return this.logs.get(hookId) ?? [];
  }

  /** Drops a deleted hook's log and its deliveries not yet sent. */
  forget(hookId: string): void {
    this.logs.delete(hookId);
    const lane = this.lanes.get(hookId);
    if (lane === undefined) return;
    clearTimeout(lane.timer);
    // The one being sent finishes on its own; the rest are never sent.
    const unsent = lane.sending ? lane.jobs.splice(1) : lane.jobs.splice(0);
    for (const { delivery } of unsent) this.settle(delivery, 'failure');
    this.lanes.delete(hookId);
  }

  /** Stops sending: timers cleared; pending deliveries stay persisted for the next start. */
  close(): void {
    this.closed = true;
    for (const lane of this.lanes.values()) clearTimeout(lane.timer);
    this.lanes.clear();
  }

  private remember(delivery: WebhookDelivery): void {
    const keep = this.config.delivery_retention;
    let log = this.logs.get(delivery.hookId);
    if (log === undefined) {
      log = [];
      this.logs.set(delivery.hookId, log);
    }
    log.unshift(delivery);
    if (log.length > keep) log.length = keep;
  }

  private laneOf(hookId: string): Lane {
    let lane = this.lanes.get(hookId);
    if (lane === undefined) {
      lane = { jobs: [], sending: false, timer: undefined };
      this.lanes.set(hookId, lane);
    }
    return lane;
  }

  private pump(hookId: string, lane: Lane): void {
    if (this.closed || lane.sending || lane.timer !== undefined) return;
    const job = lane.jobs[0];
    if (job === undefined) {
      this.lanes.delete(hookId);
      return;
    }
    lane.sending = true;
    const { delivery } = job;
    delivery.attempt += 1;
    delivery.nextRetryAt = null;
    void sendWebhook(
      {
        url: delivery.url,
        headers: delivery.request.headers,
        body: job.body,
        timeoutMs: this.config.timeout,
        insecureSsl: job.insecureSsl,
      },
      this.policy,
    ).then((response) => {
      lane.sending = false;
      this.record(delivery, response);
      const delay = this.retryDelay(delivery, response);
      if (delay === undefined) {
        lane.jobs.shift();
        const ok = response.statusCode >= 200 && response.statusCode < 300;
        this.settle(delivery, ok ? 'success' : 'failure');
        this.observer.counted(ok ? 'success' : response.forbidden === true ? 'blocked' : 'failure');
      } else if (this.lanes.get(hookId) !== lane) {
        // The hook was deleted while this attempt ran: no more attempts.
        this.settle(delivery, 'failure');
        this.observer.counted('failure');
        return;
      } else {
        this.observer.counted('retry');
        delivery.nextRetryAt = new Date(Date.now() + delay).toISOString();
        this.observer.pending(delivery, job.body);
        if (this.closed) return;
        lane.timer = setTimeout(() => {
          lane.timer = undefined;
          this.pump(hookId, lane);
        }, delay);
        lane.timer.unref();
        return;
      }
      if (this.lanes.get(hookId) === lane) this.pump(hookId, lane);
    });
  }

  private record(delivery: WebhookDelivery, response: WebhookResponse): void {
    delivery.statusCode = response.statusCode;
    delivery.durationMs = response.durationMs;
    delivery.response = { headers: response.headers, body: response.body };
    delivery.error =
      response.error ??
      (response.statusCode >= 200 && response.statusCode < 300
        ? null
        : `receiver answered ${response.statusCode}`);
  }

  /** The wait before the next attempt, or undefined when this attempt was the last. */
  private retryDelay(delivery: WebhookDelivery, response: WebhookResponse): number | undefined {
    if (response.statusCode >= 200 && response.statusCode < 300) return undefined;
    if (!isRetryable(response) || delivery.attempt >= this.config.max_attempts) return undefined;
    return retryDelayMs(
      this.config,
      delivery.attempt,
      response.headers['retry-after'],
      this.random(),
    );
  }

  private settle(delivery: WebhookDelivery, state: 'success' | 'failure'): void {
    delivery.state = state;
    delivery.nextRetryAt = null;
    this.waiting--;
    this.observer.settled(delivery);
  }
}
