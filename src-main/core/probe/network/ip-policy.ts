import { BlockList, isIP } from 'node:net';

export type AddressKind = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'public';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const privateRanges = new BlockList();
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT: private in practice
privateRanges.addSubnet('fc00::', 7, 'ipv6');

const linkLocal = new BlockList();
linkLocal.addSubnet('169.254.0.0', 16, 'ipv4');
linkLocal.addSubnet('fe80::', 10, 'ipv6');

const unspecified = new BlockList();
unspecified.addSubnet('0.0.0.0', 8, 'ipv4');
unspecified.addAddress('::', 'ipv6');

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' };
  const version = isIP(bare);
  if (version === 4) return { address: bare, family: 'ipv4' };
  if (version === 6) return { address: bare, family: 'ipv6' };
  return null;
}

/** Classifies an IP literal; null when it is not an IP address. */
export function addressKind(address: string): AddressKind | null {
  const ip = normalise(address);
  if (!ip) return null;
  if (loopback.check(ip.address, ip.family)) return 'loopback';
  if (unspecified.check(ip.address, ip.family)) return 'unspecified';
  if (linkLocal.check(ip.address, ip.family)) return 'link-local';
  if (privateRanges.check(ip.address, ip.family)) return 'private';
  return 'public';
}

/**
 * Why connecting to this address is not allowed, or null when it is.
 * Loopback is always allowed; RFC 1918 / ULA only with allow_private_network; link-local (cloud metadata) and unspecified never.
 */
export function blockedReason(address: string, allowPrivateNetwork: boolean): string | null {
  const kind = addressKind(address);
  if (kind === null || kind === 'loopback' || kind === 'public') return null;
  if (kind === 'link-local') return `${address} is a link-local address (such as a cloud metadata service) and is never allowed`;
  if (kind === 'unspecified') return `${address} is an unspecified address and is never allowed`;
  return allowPrivateNetwork ? null : `${address} is a private network address and allow_private_network is off`;
}
