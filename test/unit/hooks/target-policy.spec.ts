/** The SSRF guard's registration and connect-time checks (api-contract.md §6.3). */
import type { LookupAddress } from 'node:dns';
import {
  TargetPolicy,
  TargetAddressForbidden,
} from '../../../src/modules/hooks/webhooks/target-policy';

const resolver =
  (table: Record<string, LookupAddress[]>) =>
  (host: string): Promise<readonly LookupAddress[]> =>
    table[host] === undefined
      ? Promise.reject(new Error(`ENOTFOUND ${host}`))
      : Promise.resolve(table[host]);

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

function lookup(policy: TargetPolicy, host: string, all: boolean): Promise<unknown> {
  const fn = policy.lookupFor(host)!;
  return new Promise((resolve, reject) =>
    fn(host, { all }, (error: Error | null, address: unknown, family?: number) =>
      error ? reject(error) : resolve(all ? address : { address, family }),
    ),
  );
}

describe('TargetPolicy', () => {
  const table = {
    'public.test': [v4('93.184.216.34')],
    'private.test': [v4('10.0.0.5'), v6('fd00::5')],
    'mixed.test': [v4('127.0.0.1'), v4('93.184.216.34')],
  };

  it('refuses literal blocked addresses and names resolving only to blocked ones at registration', async () => {
    const policy = new TargetPolicy(false, [], resolver(table));
    await expect(policy.checkRegistration(new URL('http://127.0.0.1/'))).rejects.toMatchObject({
      code: 'WEBHOOK_TARGET_FORBIDDEN',
    });
    await expect(policy.checkRegistration(new URL('http://[::ffff:a00:1]/'))).rejects.toMatchObject(
      {
        code: 'WEBHOOK_TARGET_FORBIDDEN',
      },
    );
    await expect(policy.checkRegistration(new URL('http://private.test/'))).rejects.toMatchObject({
      code: 'WEBHOOK_TARGET_FORBIDDEN',
      details: { host: 'private.test', address: '10.0.0.5', reason: 'private' },
    });
    await expect(policy.checkRegistration(new URL('http://public.test/'))).resolves.toBeUndefined();
    await expect(policy.checkRegistration(new URL('http://mixed.test/'))).resolves.toBeUndefined();
    await expect(
      policy.checkRegistration(new URL('http://unknown.test/')),
    ).resolves.toBeUndefined();
  });

  it('lets everything through with allow_private_targets, and listed hosts with allowed_hosts', async () => {
    const open = new TargetPolicy(true, [], resolver(table));
    await expect(open.checkRegistration(new URL('http://127.0.0.1/'))).resolves.toBeUndefined();
    expect(open.lookupFor('private.test')).toBeUndefined();
    const listed = new TargetPolicy(false, ['private.test', '[::1]'], resolver(table));
    await expect(
      listed.checkRegistration(new URL('http://private.test/')),
    ).resolves.toBeUndefined();
    await expect(listed.checkRegistration(new URL('http://[::1]:8080/'))).resolves.toBeUndefined();
    expect(() => listed.checkLiteral('::1')).not.toThrow();
    expect(() => listed.checkLiteral('127.0.0.1')).toThrow(TargetAddressForbidden);
  });

  it('connects only to allowed addresses of a name (the check is on what is connected to)', async () => {
    const policy = new TargetPolicy(false, [], resolver(table));
    await expect(lookup(policy, 'mixed.test', true)).resolves.toEqual([v4('93.184.216.34')]);
    await expect(lookup(policy, 'mixed.test', false)).resolves.toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    await expect(lookup(policy, 'private.test', false)).rejects.toBeInstanceOf(
      TargetAddressForbidden,
    );
    await expect(lookup(policy, 'unknown.test', false)).rejects.toThrow('ENOTFOUND');
  });

  it('catches a name that turned private after registration (rebinding)', async () => {
    const answers: Record<string, LookupAddress[]> = { 'rebind.test': [v4('93.184.216.34')] };
    const policy = new TargetPolicy(false, [], resolver(answers));
    await expect(policy.checkRegistration(new URL('http://rebind.test/'))).resolves.toBeUndefined();
    answers['rebind.test'] = [v4('169.254.169.254')];
    const error = await lookup(policy, 'rebind.test', true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetAddressForbidden);
    expect(error).toMatchObject({
      message: 'target address forbidden',
      address: '169.254.169.254',
      range: 'link-local',
    });
  });
});
