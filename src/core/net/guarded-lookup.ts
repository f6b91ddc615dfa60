/**
 * A `lookup` for node:http/https/net that applies the address policy to what the name resolves
 * to at connect time (so a name that turns private later is still refused), plus the check of a
 * URL whose host is an IP literal (Node skips `lookup` for literals).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { blockedAddressReason } from './address-policy';

export interface OutboundPolicy {
  /** Connect to blocked ranges too (tests, trusted networks). */
  readonly allowPrivate: boolean;
  /** Host names (lower case) allowed whatever they resolve to. */
  readonly allowedHosts: readonly string[];
}

export class ForbiddenTargetError extends Error {
  readonly code = 'ETARGETFORBIDDEN';
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`target address forbidden: ${host} (${reason})`);
  }
}

function hostAllowed(host: string, policy: OutboundPolicy): boolean {
  return policy.allowPrivate || policy.allowedHosts.includes(host.toLowerCase());
}

/** Throws ForbiddenTargetError when `host` is an IP literal the policy refuses. */
export function checkLiteralHost(host: string, policy: OutboundPolicy): void {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) === 0 || hostAllowed(bare, policy)) return;
  const reason = blockedAddressReason(bare);
  if (reason !== undefined) throw new ForbiddenTargetError(bare, reason);
}

/** A lookup that resolves every address of the name and refuses the name if any is blocked. */
export function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const all: LookupAllOptions = { ...(options as object), all: true };
    dnsLookup(hostname, all, (error, addresses: LookupAddress[]) => {
      if (error !== null) {
        callback(error, '', 0);
        return;
      }
      if (!hostAllowed(hostname, policy)) {
        for (const entry of addresses) {
          const reason = blockedAddressReason(entry.address);
          if (reason !== undefined) {
            callback(new ForbiddenTargetError(hostname, reason), '', 0);
            return;
          }
        }
      }
      const wantsAll = (options as { all?: boolean }).all === true;
      if (wantsAll) {
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      } else {
        const first = addresses[0];
        if (first === undefined) callback(new Error(`no address for ${hostname}`), '', 0);
        else callback(null, first.address, first.family);
      }
    });
  };
}
