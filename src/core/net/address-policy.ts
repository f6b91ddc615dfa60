/**
 * Which IP addresses an outbound request made on a user's behalf (webhook delivery, URL import)
 * may connect to (api-contract.md §6.3, RELIABILITY P7): loopback, RFC 1918, link-local
 * (169.254.169.254 included), CGNAT 100.64/10, IPv6 ULA and link-local, unspecified, multicast,
 * broadcast, documentation/benchmark ranges and the IPv4-mapped, IPv4-compatible and NAT64
 * forms of any of them are refused. Plain functions over `node:net` parsing; no I/O.
 */
import { isIP } from 'node:net';

/** IPv4 ranges refused: [network, prefix bits, reason]. */
const BLOCKED_V4: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
  ['255.255.255.255', 32, 'broadcast'],
];

function v4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Reason(address: string): string | undefined {
  const value = v4ToNumber(address);
  for (const [network, bits, reason] of BLOCKED_V4) {
    const size = 2 ** (32 - bits);
    const start = v4ToNumber(network);
    if (value >= start && value < start + size) return reason;
  }
  return undefined;
}

/** The 16 bytes of an IPv6 address (with embedded IPv4 tails), or undefined when malformed. */
function v6Bytes(address: string): number[] | undefined {
  let text = address;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = text.slice(lastColon + 1);
    if (isIP(v4) !== 4) return undefined;
    tail = v4.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((h) => parseInt(h, 16));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  const bytes = groups.flatMap((g) => [(g >> 8) & 0xff, g & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function v6Reason(address: string): string | undefined {
  const b = v6Bytes(address);
  if (b === undefined) return 'malformed address';
  const allZero = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0);
  const embedded = (): string => b.slice(12, 16).join('.');
  if (allZero(0, 16)) return 'unspecified';
  if (allZero(0, 15) && b[15] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d and 64:ff9b:1::/48 (NAT64).
  if (allZero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4Reason(embedded());
  if (allZero(0, 12)) return v4Reason(embedded()) ?? 'IPv4-compatible';
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    return v4Reason(embedded()) ?? (allZero(4, 12) ? undefined : 'NAT64 local-use');
  }
  if ((b[0]! & 0xfe) === 0xfc) return 'unique local';
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return 'link-local';
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) return 'site-local';
  if (b[0] === 0xff) return 'multicast';
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return 'documentation';
  if (b[0] === 0x20 && b[1] === 0x02) return v4Reason(b.slice(2, 6).join('.')) ?? undefined;
  return undefined;
}

/**
 * Why `address` (an IP literal, v4 or v6) may not be connected to, or undefined when it may.
 * Anything that is not an IP literal is refused as malformed.
 */
export function blockedAddressReason(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare.split('%')[0] ?? '');
  if (family === 4) return v4Reason(bare);
  if (family === 6) return v6Reason(bare);
  return 'malformed address';
}

export function isBlockedAddress(address: string): boolean {
  return blockedAddressReason(address) !== undefined;
}
