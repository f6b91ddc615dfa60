/**
 * `govc_auth_failures_total{reason}` (api-contract.md §12), registered on prom-client's default
 * registry once per process (a second app in the same process, as in tests, reuses it).
 */
import { Counter, register } from 'prom-client';

export type AuthFailureReason =
  'missing' | 'invalid_token' | 'expired' | 'revoked' | 'bad_password' | 'locked' | 'forbidden';

const NAME = 'govc_auth_failures_total';

function counter(): Counter<'reason'> {
  const existing = register.getSingleMetric(NAME);
  if (existing !== undefined) return existing as Counter<'reason'>;
  return new Counter({
    name: NAME,
    help: 'Failed authentications and permission denials, by reason',
    labelNames: ['reason'],
  });
}

const failures = counter();

export function countAuthFailure(reason: AuthFailureReason): void {
  failures.inc({ reason });
}
