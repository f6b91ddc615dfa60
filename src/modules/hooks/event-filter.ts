/**
 * Event names as clients give them (api-contract.md §6.1): the contract's names, `*` for all,
 * and govc's hook-type names, which are stored as the event they stand for.
 */
import { EVENT_NAMES, type EventName } from './domain-event';

export const ALL_EVENTS = '*';

const GOVC_ALIASES: Readonly<Record<string, EventName>> = {
  'post-commit': 'commit',
  'post-receive': 'push',
  'post-push': 'push',
  'post-merge': 'merge',
  'post-checkout': 'branch',
};

/** The stored name of `name` (an event, `*` or a govc alias), or undefined when unknown. */
export function canonicalEventName(name: string): EventName | typeof ALL_EVENTS | undefined {
  const trimmed = name.trim();
  if (trimmed === ALL_EVENTS) return ALL_EVENTS;
  if ((EVENT_NAMES as readonly string[]).includes(trimmed)) return trimmed as EventName;
  return GOVC_ALIASES[trimmed];
}

/** Whether a subscription to `events` (canonical names) receives `event`. */
export function subscribedTo(events: readonly string[], event: string): boolean {
  return events.includes(ALL_EVENTS) || events.includes(event);
}
