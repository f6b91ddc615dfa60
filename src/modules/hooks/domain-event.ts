/**
 * The typed domain events of api-contract.md §6.4: one per state change of a repository, emitted
 * after the change is durable. Webhooks, event streams and the audit trail consume them.
 */
export const EVENT_NAMES = [
  'push',
  'commit',
  'branch',
  'tag',
  'merge',
  'stash',
  'reset',
  'rebase',
  'cherry-pick',
  'revert',
  'transaction',
  'repository',
  'reality',
  'ping',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

/** `sender` of the envelope: the principal that caused the change, or null (anonymous/system). */
export interface EventSender {
  readonly id: string;
  readonly username: string;
}

/** What a producer publishes; the bus adds the envelope's `id` and `timestamp`. */
export interface DomainEvent {
  readonly repository: string;
  readonly event: EventName;
  readonly data: Readonly<Record<string, unknown>>;
  readonly sender: EventSender | null;
}

/** The envelope as webhooks, SSE and WebSocket clients receive it (§6.4). */
export interface EventEnvelope extends DomainEvent {
  /** `<unix-ms>-<seq>`, increasing per repository (§6.5). */
  readonly id: string;
  /** RFC3339, millisecond precision. */
  readonly timestamp: string;
}
