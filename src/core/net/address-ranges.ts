/**
 * The special-purpose IP ranges an outbound request made on a user's behalf (webhook delivery,
 * URL import) may not reach (api-contract.md §6.3, RELIABILITY.md P7): the classifier names the
 * range an address falls in, or null for an ordinary (public) address. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are
 * judged by that IPv4 address.
 */
import { isIP } from 'node:net';

export type BlockedRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'unique-local'
  | 'site-local'
  | 'documentation'
  | 'benchmarking'
  | 'discard';

interface Range4 {
  readonly base: number;
  readonly bits: number;
  readonly range: BlockedRange;
}

const ipv4 = (text: string, bits: number, range: BlockedRange): Range4 => ({
  base: ipv4ToNumber(text)!,
  bits,
  range,
});

/** Checked in order: the more specific entries come first. */
const IPV4_RANGES: readonly Range4[] = [
  ipv4('255.255.255.255', 32, 'broadcast'),
  ipv4('0.0.0.0', 8, 'unspecified'),
  ipv4('10.0.0.0', 8, 'private'),
  ipv4('100.64.0.0', 10, 'shared (CGNAT)'),
  ipv4('127.0.0.0', 8, 'loopback'),
  ipv4('169.254.0.0', 16, 'link-local'),
  ipv4('172.16.0.0', 12, 'private'),
  ipv4('192.0.0.0', 24, 'reserved'),
  ipv4('192.0.2.0', 24, 'documentation'),
  ipv4('192.88.99.0', 24, 'reserved'),
  ipv4('192.168.0.0', 16, 'private'),
  ipv4('198.18.0.0', 15, 'benchmarking'),
  ipv4('198.51.100.0', 24, 'documentation'),
  ipv4('203.0.113.0', 24, 'documentation'),
  ipv4('224.0.0.0', 4, 'multicast'),
  ipv4('240.0.0.0', 4, 'reserved'),
];

function ipv4ToNumber(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function classifyIpv4Number(value: number): BlockedRange | null {
  for (const { base, bits, range } of IPV4_RANGES) {
    const size = 2 ** (32 - bits);
    if (value >= base && value < base + size) return range;
  }
  return null;
}

/** 16 bytes of an IPv6 address (zone id ignored), or undefined when malformed. */
export function ipv6ToBytes(text: string): number[] | undefined {
  const address = text.replace(/%.*$/, '');
  if (isIP(address) !== 6) return undefined;
  let head = address;
  let tail4: number[] = [];
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (dotted !== null) {
    const value = ipv4ToNumber(dotted[1]!);
    if (value === undefined) return undefined;
    tail4 = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
    head = address.slice(0, -dotted[1]!.length);
    // `::ffff:1.2.3.4` leaves `::ffff:`; `1::1.2.3.4` leaves `1::`.
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = 8 - tail4.length / 2;
  const [left = '', right] = head.split('::');
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((g) => parseInt(g, 16));
  const leftGroups = parse(left);
  const rightGroups = right === undefined ? [] : parse(right);
  const fill = right === undefined ? 0 : groupsWanted - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...new Array<number>(fill).fill(0), ...rightGroups];
  if (groups.length !== groupsWanted || groups.some((g) => !(g >= 0 && g <= 0xffff)))
    return undefined;
  const bytes: number[] = [];
  for (const group of groups) bytes.push(group >>> 8, group & 255);
  return [...bytes, ...tail4];
}

const startsWith = (bytes: readonly number[], prefix: readonly number[]): boolean =>
  prefix.every((byte, i) => bytes[i] === byte);

const embeddedIpv4 = (bytes: readonly number[], at: number): number =>
  ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;

function classifyIpv6Bytes(bytes: readonly number[]): BlockedRange | null {
  const zeros = (n: number): number[] => new Array<number>(n).fill(0);
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (startsWith(bytes, [...zeros(15), 1])) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d
  if (
    startsWith(bytes, [...zeros(10), 0xff, 0xff]) ||
    startsWith(bytes, [...zeros(8), 0xff, 0xff, 0, 0])
  )
    return classifyIpv4Number(embeddedIpv4(bytes, 12));
  // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks)
  if (startsWith(bytes, zeros(12))) return classifyIpv4Number(embeddedIpv4(bytes, 12));
  // NAT64 well-known prefix 64:ff9b::/96, and the local-use 64:ff9b:1::/48
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, ...zeros(8)]))
    return classifyIpv4Number(embeddedIpv4(bytes, 12));
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 1])) return 'private';
  // 6to4 2002:a.b.c.d::/48
  if (startsWith(bytes, [0x20, 0x02])) return classifyIpv4Number(embeddedIpv4(bytes, 2));
  if (startsWith(bytes, [1, 0, 0, 0, 0, 0, 0, 0])) return 'discard';
  if (startsWith(bytes, [0x20, 0x01, 0x0d, 0xb8])) return 'documentation';
  const [first = 0, second = 0] = bytes;
  if ((first & 0xfe) === 0xfc) return 'unique-local';
  if (first === 0xfe && (second & 0xc0) === 0x80) return 'link-local';
  if (first === 0xfe && (second & 0xc0) === 0xc0) return 'site-local';
  if (first === 0xff) return 'multicast';
  return null;
}

/**
 * The special-purpose range `address` (IPv4 dotted quad or IPv6 text) belongs to, null for an
 * ordinary public address; anything that is not an IP address counts as 'reserved'.
 */
export function classifyAddress(address: string): BlockedRange | null {
  const v4 = ipv4ToNumber(address);
  if (v4 !== undefined) return classifyIpv4Number(v4);
  const v6 = ipv6ToBytes(address);
  if (v6 !== undefined) return classifyIpv6Bytes(v6);
  return 'reserved';
}
