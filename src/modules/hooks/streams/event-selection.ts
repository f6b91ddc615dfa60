/**
 * The `?events=` filter of a stream (api-contract.md §6.5): comma-separated names (govc aliases
 * accepted); absent, empty or containing `*` means every event. An unknown name is 400
 * INVALID_EVENT.
 */
import { ALL_EVENTS, canonicalEventName } from '../event-filter';
import { InvalidEventError } from '../webhooks/webhook-errors';
import type { EventSelection } from './stream-client';

export function parseEventSelection(names: readonly string[] | string | undefined): EventSelection {
  const list = (typeof names === 'string' ? names.split(',') : (names ?? []))
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (list.length === 0) return null;
  const selected = new Set<string>();
  for (const name of list) {
    const canonical = canonicalEventName(name);
    if (canonical === undefined) throw new InvalidEventError(name);
    if (canonical === ALL_EVENTS) return null;
    selected.add(canonical);
  }
  return selected;
}
