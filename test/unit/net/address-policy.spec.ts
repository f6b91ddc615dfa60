import {
  blockedAddressReason,
  checkLiteralHost,
  ForbiddenTargetError,
  guardedLookup,
} from '../../../src/core';

describe('outbound address policy', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '0.0.0.0',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
    'fd00::1',
    'fe80::1',
    'ff02::1',
    '[::1]',
  ])('refuses %s', (address) => {
    expect(blockedAddressReason(address)).toEqual(expect.any(String));
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '140.82.112.3',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('allows %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });

  it('refuses what is not an address, and literal hosts unless allowed', () => {
    expect(blockedAddressReason('localhost')).toBe('malformed address');
    expect(() => checkLiteralHost('127.0.0.1', { allowPrivate: false, allowedHosts: [] })).toThrow(
      ForbiddenTargetError,
    );
    expect(() => checkLiteralHost('[fd00::1]', { allowPrivate: false, allowedHosts: [] })).toThrow(
      ForbiddenTargetError,
    );
    expect(() =>
      checkLiteralHost('127.0.0.1', { allowPrivate: true, allowedHosts: [] }),
    ).not.toThrow();
    expect(() =>
      checkLiteralHost('127.0.0.1', { allowPrivate: false, allowedHosts: ['127.0.0.1'] }),
    ).not.toThrow();
    expect(() =>
      checkLiteralHost('example.com', { allowPrivate: false, allowedHosts: [] }),
    ).not.toThrow();
  });

  it('refuses a name that resolves to a private address at lookup time', async () => {
    const lookup = guardedLookup({ allowPrivate: false, allowedHosts: [] });
    const outcome = await new Promise<{ error: Error | null; address: string }>((resolve) =>
      lookup('localhost', {}, (error, address) =>
        resolve({ error, address: typeof address === 'string' ? address : '' }),
      ),
    );
    expect(outcome.error).toBeInstanceOf(ForbiddenTargetError);
    const allowed = guardedLookup({ allowPrivate: false, allowedHosts: ['localhost'] });
    const ok = await new Promise<{ error: Error | null; address: string }>((resolve) =>
      allowed('localhost', {}, (error, address) =>
        resolve({ error, address: typeof address === 'string' ? address : '' }),
      ),
    );
    expect(ok.error).toBeNull();
    expect(blockedAddressReason(ok.address)).toBe('loopback');
  });
});
