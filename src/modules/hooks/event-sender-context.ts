/**
 * Who caused an event (api-contract.md §6.4 `sender`), without threading the principal through
 * every service: producers read the caller of the request being served (auth's request-caller
 * context) when they publish. Outside a request, or with auth off, the sender is null.
 */
import { currentCaller } from '../auth/request-caller';
import type { EventSender } from './domain-event';

/** The sender of events published from the current request: its principal, or null. */
export function currentSender(): EventSender | null {
  const principal = currentCaller();
  return principal === null ? null : { id: principal.id, username: principal.username };
}
