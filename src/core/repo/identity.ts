/**
 * Who made a commit, tag or reflog entry. Callers pass a name and email; the time defaults to
 * the repository clock and the zone to `+0000` (contract §0.8). Checked here only for what
 * would corrupt a git identity line; email syntax is the REST layer's business.
 */
import { InvalidIdentityError } from '../errors/repo-errors';
import type { Signature } from '../objects/signature';
import type { Clock } from './clock';

export interface Identity {
  readonly name: string;
  readonly email: string;
  /** Unix seconds; default: the repository clock. */
  readonly timestamp?: number;
  /** `+hhmm` / `-hhmm`; default `+0000`. */
  readonly timezone?: string;
}

/** The contract's last-resort identity (§0.8), used for reflogs of identity-less operations. */
export const DEFAULT_IDENTITY: Identity = { name: 'Unknown', email: 'unknown@example.com' };

const FORBIDDEN = /[<>\n\0]/;
const TIMEZONE = /^[+-][0-9]{4}$/;

/** A Signature for `identity` at its own time or `clock.now()`; throws InvalidIdentityError. */
export function toSignature(identity: Identity, clock: Clock, field = 'author'): Signature {
  if (FORBIDDEN.test(identity.name))
    throw new InvalidIdentityError(field, "name must not contain '<', '>', newline or NUL");
  if (FORBIDDEN.test(identity.email))
    throw new InvalidIdentityError(field, "email must not contain '<', '>', newline or NUL");
  const timestamp = identity.timestamp ?? clock.now();
  if (!Number.isSafeInteger(timestamp))
    throw new InvalidIdentityError(field, 'timestamp must be an integer');
  const timezone = identity.timezone ?? '+0000';
  if (!TIMEZONE.test(timezone)) throw new InvalidIdentityError(field, `bad timezone '${timezone}'`);
  return { name: identity.name, email: identity.email, timestamp, timezone };
}
