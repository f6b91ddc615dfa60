/**
 * The SSRF guard of webhook targets (api-contract.md §6.3). At registration a literal blocked
 * address, or a name whose every address is blocked, is refused. At delivery the check runs on
 * the addresses the connection will actually use: the request gets a `lookup` that drops blocked
 * addresses and fails when none is left, so a name that turned private (DNS rebinding) is caught
 * at connect time. `hooks.allow_private_targets` lifts the rule; `hooks.allowed_hosts` lifts it
 * for the hosts listed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from '../../../core';
import { WebhookTargetForbiddenError } from './webhook-errors';

/** A delivery refused by the guard: final, never retried. */
export class TargetAddressForbidden extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super('target address forbidden');
  }
}

export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/** `URL.hostname` without the brackets of an IPv6 literal, lower-cased. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

export class TargetPolicy {
  private readonly allowedHosts: ReadonlySet<string>;

  constructor(
    private readonly allowPrivate: boolean,
    allowedHosts: readonly string[],
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.allowedHosts = new Set(
      allowedHosts.map((host) => host.replace(/^\[(.*)\]$/, '$1').toLowerCase()),
    );
  }

  /** Whether `host` may be any address (private targets allowed, or the host is listed). */
  unrestricted(host: string): boolean {
    return this.allowPrivate || this.allowedHosts.has(host);
  }

  /**
   * Registration check: throws WebhookTargetForbiddenError for a blocked literal address or a
   * name that resolves only to blocked addresses. A name that does not resolve now is accepted
   * (its deliveries fail until it does).
   */
  async checkRegistration(url: URL): Promise<void> {
    const host = bareHost(url);
    if (this.unrestricted(host)) return;
    if (isIP(host) !== 0) {
      const range = classifyAddress(host);
      if (range !== null) throw new WebhookTargetForbiddenError(host, host, range);
      return;
    }
    let addresses: readonly LookupAddress[];
    try {
      addresses = await this.resolve(host);
    } catch {
      return;
    }
    if (addresses.length === 0) return;
    const blocked = addresses.map((entry) => ({ entry, range: classifyAddress(entry.address) }));
    if (blocked.every(({ range }) => range !== null)) {
      const [first] = blocked;
      throw new WebhookTargetForbiddenError(host, first!.entry.address, first!.range!);
    }
  }

  /**
   * Connect-time check of a literal address (which Node connects to without a lookup):
   * throws TargetAddressForbidden when it is blocked.
   */
  checkLiteral(host: string): void {
    if (this.unrestricted(host) || isIP(host) === 0) return;
    const range = classifyAddress(host);
    if (range !== null) throw new TargetAddressForbidden(host, host, range);
  }

  /** The `lookup` for a request to `host`: resolves, then keeps only allowed addresses. */
  lookupFor(host: string): LookupFunction | undefined {
    if (this.unrestricted(host)) return undefined;
    return (hostname, options, callback) => {
      this.resolve(hostname).then(
        (addresses) => {
          const family = options.family === 4 || options.family === 6 ? options.family : 0;
          const usable = addresses.filter(
            (entry) =>
              classifyAddress(entry.address) === null && (family === 0 || entry.family === family),
          );
          if (usable.length === 0) {
            const first = addresses[0];
            const address = first?.address ?? '';
            const error = new TargetAddressForbidden(
              hostname,
              address,
              first === undefined ? 'unresolved' : (classifyAddress(address) ?? 'unresolved'),
            );
            (callback as (error: Error, address: string, family: number) => void)(error, '', 0);
            return;
          }
          if (options.all === true) {
            (callback as (error: null, addresses: LookupAddress[]) => void)(null, usable);
          } else {
            const [chosen] = usable;
            (callback as (error: null, address: string, family: number) => void)(
              null,
              chosen!.address,
              chosen!.family,
            );
          }
        },
        (error: NodeJS.ErrnoException) =>
          (callback as (error: Error, address: string, family: number) => void)(error, '', 0),
      );
    };
  }
}
