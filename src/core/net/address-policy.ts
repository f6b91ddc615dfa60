/**
 * Which IP addresses an outbound request made on a user's behalf (webhook delivery, URL import)
 * may connect to (api-contract.md §6.3, RELIABILITY P7): loopback, RFC 1918, link-local
 * (169.254.169.254 included), CGNAT 100.64/10, IPv6 ULA and link-local, unspecified, multicast,
 * broadcast, documentation/benchmark ranges and the IPv4-mapped, IPv4-compatible and NAT64
 * forms of any of them are refused (the ranges: address-ranges.ts, shared with webhooks). Plain
 * functions over `node:net` parsing; no I/O.
 */
import { isIP } from 'node:net';
import { classifyAddress } from './address-ranges';

/**
 * Why `address` (an IP literal, v4 or v6) may not be connected to, or undefined when it may.
 * Anything that is not an IP literal is refused as malformed.
 */
export function blockedAddressReason(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // A zone (`fe80::1%eth0`) names an interface, not a different address.
  const plain = bare.split('%')[0] ?? '';
  if (isIP(plain) === 0) return 'malformed address';
  return classifyAddress(plain) ?? undefined;
}

export function isBlockedAddress(address: string): boolean {
  return blockedAddressReason(address) !== undefined;
}
