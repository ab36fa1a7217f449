import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { buildConnector } from 'undici';
import { BLOCKED_ADDRESS_CODE } from '../classify.js';
import { blockedReason } from './ip-policy.js';

/** Resolves a host name to every address it has (injectable so tests can point names at chosen addresses). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

export function blockedAddressError(host: string, reason: string): Error {
  return Object.assign(new Error(`connection to ${host} blocked: ${reason}`), { code: BLOCKED_ADDRESS_CODE });
}

export function stripBrackets(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

/** Throws the blocked error when any address the name resolves to is not allowed; resolution errors propagate. */
export async function assertHostAllowed(hostname: string, allowPrivateNetwork: boolean, resolve: Resolver): Promise<void> {
  const host = stripBrackets(hostname);
  const literal = blockedReason(host, allowPrivateNetwork);
  if (literal) throw blockedAddressError(host, literal);
  const addresses = await resolve(host);
  for (const { address } of addresses) {
    const reason = blockedReason(address, allowPrivateNetwork);
    if (reason) throw blockedAddressError(host, reason);
  }
}

/**
 * A `lookup` for net/tls.connect that refuses names resolving to a blocked address.
 * It runs at dial time on the very addresses the socket will use, so DNS rebinding cannot slip past a URL check.
 */
export function guardedLookup(allowPrivateNetwork: boolean, resolve: Resolver): LookupFunction {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    resolve(hostname).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        for (const { address } of all) {
          const reason = blockedReason(address, allowPrivateNetwork);
          if (reason) return callback(blockedAddressError(hostname, reason), '', 0);
        }
        const first = wanted[0];
        if (!first) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }), '', 0);
        if (options.all) return callback(null, wanted);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** Wraps a connector so IP literals (which skip `lookup`) are checked too, before any socket is opened. */
export function guardedConnector(inner: buildConnector.connector, allowPrivateNetwork: boolean): buildConnector.connector {
  return (options, callback) => {
    const host = stripBrackets(options.hostname);
    const reason = blockedReason(host, allowPrivateNetwork);
    if (reason) {
      callback(blockedAddressError(host, reason), null);
      return;
    }
    inner(options, callback);
  };
}
