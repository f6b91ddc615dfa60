/** The SSRF address classifier (api-contract.md §6.3). */
import { classifyAddress, ipv6ToBytes } from '../../../src/core/net/address-ranges';

describe('classifyAddress', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
  ])('blocks IPv4 %s (%s)', (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.169.0.1',
    '169.253.255.255',
    '223.255.255.255',
  ])('allows public IPv4 %s', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:0:192.168.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'discard'],
  ])('blocks IPv6 %s (%s)', (address, range) => {
    expect(classifyAddress(address)).toBe(range);
  });

  it.each([
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows public IPv6 %s', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it('treats anything that is not an IP address as blocked', () => {
    for (const text of [
      '',
      'localhost',
      '1.2.3',
      '1.2.3.256',
      '::g',
      '1:2:3:4:5:6:7:8:9',
      '01.2.3.4x',
    ]) {
      expect(classifyAddress(text)).toBe('reserved');
    }
  });

  it('parses IPv6 text into 16 bytes, with embedded IPv4 and :: anywhere', () => {
    expect(ipv6ToBytes('::1')).toEqual([...new Array(15).fill(0), 1]);
    expect(ipv6ToBytes('1::')).toEqual([0, 1, ...new Array(14).fill(0)]);
    expect(ipv6ToBytes('::ffff:1.2.3.4')).toEqual([...new Array(10).fill(0), 255, 255, 1, 2, 3, 4]);
    expect(ipv6ToBytes('1:2:3:4:5:6:7:8')).toEqual([
      0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8,
    ]);
    expect(ipv6ToBytes('1.2.3.4')).toBeUndefined();
  });
});
