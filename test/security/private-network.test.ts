import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeEngine } from '../../src-main/core/probe/engine.js';
import { addressKind, blockedReason, type AddressKind } from '../../src-main/core/probe/network/ip-policy.js';
import type { Resolver } from '../../src-main/core/probe/network/guarded-connect.js';
import type { ClosableProbeEngine } from '../../src-main/core/probe/types.js';
import { createHttpServer } from '../fakes/http-server.js';
import { key, target, testNetwork } from '../core/probe/helpers.js';

/** Every form the guard must judge, with what it must be judged as. */
const CASES: Array<[address: string, kind: AddressKind, what: string]> = [
  ['64:ff9b::a9fe:a9fe', 'link-local', 'NAT64 of the cloud metadata address'],
  ['64:ff9b::169.254.169.254', 'link-local', 'NAT64, dotted'],
  ['64:ff9b::a01:203', 'private', 'NAT64 of 10.1.2.3'],
  ['64:ff9b::7f00:1', 'private', 'NAT64 of 127.0.0.1: the gateway’s loopback, not ours'],
  ['64:ff9b::808:808', 'public', 'NAT64 of 8.8.8.8'],
  ['64:ff9b:1::a9fe:a9fe', 'link-local', 'local-use NAT64 (/96) of the metadata address'],
  ['64:ff9b:1:a9fe:a9:fe00::', 'link-local', 'local-use NAT64 (/48) of the metadata address'],
  ['64:ff9b:1::808:808', 'private', 'local-use NAT64 is local by definition'],
  ['::a9fe:a9fe', 'link-local', 'IPv4-compatible metadata address'],
  ['::10.0.0.1', 'private', 'IPv4-compatible, dotted'],
  ['::2', 'unspecified', 'IPv4-compatible 0.0.0.2'],
  ['::808:808', 'public', 'IPv4-compatible 8.8.8.8'],
  ['::ffff:169.254.169.254', 'link-local', 'IPv4-mapped, dotted'],
  ['::ffff:a9fe:a9fe', 'link-local', 'IPv4-mapped, hex (as URL parsing writes it)'],
  ['::ffff:c0a8:101', 'private', 'IPv4-mapped 192.168.1.1'],
  ['::ffff:0:a9fe:a9fe', 'link-local', 'IPv4-translated (SIIT) metadata address'],
  ['2002:a9fe:a9fe::1', 'link-local', '6to4 of the metadata address'],
  ['2002:c0a8:101::1', 'private', '6to4 of 192.168.1.1'],
  ['2002:808:808::1', 'public', '6to4 of 8.8.8.8'],
  ['2001:0:4136:e378:8000:63bf:5601:5601', 'link-local', 'Teredo with client 169.254.169.254'],
  ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'private', 'Teredo with client 10.0.0.1'],
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'public', 'Teredo with client 8.8.8.8'],
  ['224.0.0.251', 'multicast', 'IPv4 multicast (mDNS)'],
  ['239.255.255.250', 'multicast', 'IPv4 multicast (SSDP)'],
  ['ff02::1', 'multicast', 'IPv6 multicast'],
  ['ff05::fb', 'multicast', 'IPv6 site multicast'],
  ['255.255.255.255', 'reserved', 'limited broadcast'],
  ['240.0.0.1', 'reserved', 'reserved 240.0.0.0/4'],
  ['198.18.0.1', 'private', 'benchmarking 198.18.0.0/15'],
  ['198.19.255.254', 'private', 'benchmarking, upper half'],
  ['198.20.0.1', 'public', 'just past the benchmarking range'],
  ['fec0::1', 'private', 'site-local'],
  ['100.64.0.1', 'private', 'CGNAT'],
  ['100.127.255.254', 'private', 'CGNAT, upper end'],
  ['100.128.0.1', 'public', 'just past CGNAT'],
  ['fc00::1', 'private', 'ULA'],
  ['fd12:3456::1', 'private', 'ULA'],
  ['169.254.169.254', 'link-local', 'cloud metadata'],
  ['fe80::1', 'link-local', 'IPv6 link-local'],
  ['fe80::1%eth0', 'link-local', 'IPv6 link-local with a zone'],
  ['0.0.0.0', 'unspecified', 'unspecified'],
  ['0.255.255.255', 'unspecified', 'this network 0.0.0.0/8'],
  ['::', 'unspecified', 'IPv6 unspecified'],
  ['127.0.0.1', 'loopback', 'loopback'],
  ['::1', 'loopback', 'IPv6 loopback'],
];

const NEVER = new Set<AddressKind>(['link-local', 'unspecified', 'multicast', 'reserved']);
const blocked = CASES.filter(([, kind]) => kind !== 'public' && kind !== 'loopback');

/** Each blocked address gets a name that resolves to it (as a DNS answer seen at dial time). */
const nameOf = (address: string) => `n${blocked.findIndex(([a]) => a === address)}.guard.test`;
const names = new Map<string, string[]>(blocked.map(([address]) => [nameOf(address), [address]]));
names.set('mixed.guard.test', ['127.0.0.1', '64:ff9b::a9fe:a9fe']);
const resolve: Resolver = async (host) => {
  const addresses = names.get(host);
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

let engine: ClosableProbeEngine;
beforeAll(() => {
  engine = createProbeEngine({ resolve });
});
afterAll(async () => {
  await engine.close();
});

describe('the private-network guard', () => {
  it.each(CASES)('%s is %s (%s)', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
    const reason = blockedReason(address, false);
    if (kind === 'public' || kind === 'loopback') expect(reason).toBeNull();
    else expect(reason).toContain(NEVER.has(kind) ? 'never allowed' : 'allow_private_network is off');
    expect(blockedReason(address, true) === null).toBe(!NEVER.has(kind));
  });

  it.each(blocked)('refuses %s (%s) as a URL host and as a DNS answer, before connecting', async (address, kind) => {
    // A zone id cannot be written in a URL; such an address only ever arrives as a DNS answer.
    const hosts = address.includes('%') ? [nameOf(address)] : [address.includes(':') ? `[${address}]` : address, nameOf(address)];
    const settings = NEVER.has(kind) ? [false, true] : [false];
    for (const host of hosts) {
      for (const allow of settings) {
        const started = Date.now();
        const { result } = await engine.checkKey(
          target('openai', `http://${host}:8080/v1`, { network: testNetwork({ allow_private_network: allow }) }),
          key('k'),
        );
        expect(result, `${host} allow=${allow}`).toMatchObject({ ok: false, error_class: 'blocked_private_network' });
        expect(result.message).toContain(NEVER.has(kind) ? 'never allowed' : 'allow_private_network');
        expect(Date.now() - started).toBeLessThan(1000);
      }
    }
  });

  it('a name answering loopback and a NAT64 metadata address is blocked at dial time: nothing connects', async () => {
    const server = await createHttpServer((_req, res) => res.end('{"data":[]}'));
    try {
      const { result } = await engine.checkKey(
        target('openai', `http://mixed.guard.test:${server.port}/v1`, { network: testNetwork({ allow_private_network: true }) }),
        key('k'),
      );
      expect(result).toMatchObject({ ok: false, error_class: 'blocked_private_network' });
      expect(result.message).toContain('carries 169.254.169.254');
      expect(server.connections()).toBe(0);
    } finally {
      await server.close();
    }
  });
});
