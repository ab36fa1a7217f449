import { BlockList, isIP } from 'node:net';

export type AddressKind = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved' | 'public';

function ranges(...subnets: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of subnets) list.addSubnet(network, prefix, network.includes(':') ? 'ipv6' : 'ipv4');
  return list;
}

// Node's BlockList also matches IPv4-mapped IPv6 (::ffff:a.b.c.d) against the IPv4 subnets.
const loopback = ranges(['127.0.0.0', 8], ['::1', 128]);
const unspecified = ranges(['0.0.0.0', 8], ['::', 128]);
const linkLocal = ranges(['169.254.0.0', 16], ['fe80::', 10]);
const multicast = ranges(['224.0.0.0', 4], ['ff00::', 8]);
/** 240.0.0.0/4 "future use", which also holds the limited broadcast 255.255.255.255. */
const reserved = ranges(['240.0.0.0', 4]);
const privateRanges = ranges(
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT: private in practice
  ['198.18.0.0', 15], // benchmarking networks, never routed on the Internet
  ['192.0.0.0', 24], // IETF protocol assignments (DS-Lite, NAT64 discovery)
  ['fc00::', 7], // unique local
  ['fec0::', 10], // site-local (deprecated, still routed inside some sites)
);

/**
 * IPv6 ranges that carry the IPv4 address a packet ends up at, and where it sits (byte offsets, RFC 6052 §2.2):
 * such an address is judged as the IPv4 address it carries. Ranges that are local by definition are never less than private.
 */
interface Embedding {
  range: BlockList;
  offsets: number[][];
  /** Teredo stores the client address with every bit flipped. */
  inverted?: boolean;
  atLeastPrivate?: boolean;
}
const EMBEDDINGS: Embedding[] = [
  // IPv4-compatible ::a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d (mapped ::ffff:a.b.c.d is covered by BlockList).
  { range: ranges(['::', 96], ['::ffff:0:0:0', 96]), offsets: [[12, 13, 14, 15]] },
  // NAT64 well-known prefix.
  { range: ranges(['64:ff9b::', 96]), offsets: [[12, 13, 14, 15]] },
  // NAT64 local-use prefix: the operator picks the prefix length (/48 … /96), so every position is considered.
  {
    range: ranges(['64:ff9b:1::', 48]),
    offsets: [
      [6, 7, 9, 10],
      [7, 9, 10, 11],
      [9, 10, 11, 12],
      [12, 13, 14, 15],
    ],
    atLeastPrivate: true,
  },
  // 6to4: the IPv4 address follows the 2002::/16 prefix.
  { range: ranges(['2002::', 16]), offsets: [[2, 3, 4, 5]] },
  // Teredo: the client's IPv4 address is the last 32 bits, inverted (RFC 4380 §4).
  { range: ranges(['2001::', 32]), offsets: [[12, 13, 14, 15]], inverted: true },
];

interface Classified {
  kind: AddressKind;
  /** The IPv4 address an IPv6 address was judged by, when it carries one. */
  carries: string | null;
}

/** Most restrictive first. */
const SEVERITY: AddressKind[] = ['unspecified', 'link-local', 'multicast', 'reserved', 'private', 'loopback', 'public'];

function stricter(a: AddressKind, b: AddressKind): AddressKind {
  return SEVERITY.indexOf(a) <= SEVERITY.indexOf(b) ? a : b;
}

/** The 16 bytes of an IPv6 address (the URL parser canonicalises it first, turning a dotted tail into hex groups). */
function ipv6Bytes(address: string): number[] | null {
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const groups = (text: string | undefined) => (text ? text.split(':').map((g) => parseInt(g, 16)) : []);
  const [head, tail] = canonical.split('::');
  const front = groups(head);
  const back = groups(tail);
  const gap = tail === undefined ? 0 : 8 - front.length - back.length;
  if (gap < 0 || front.length + gap + back.length !== 8) return null;
  return [...front, ...new Array<number>(gap).fill(0), ...back].flatMap((g) => [g >> 8, g & 0xff]);
}

function ipKind(address: string, family: 'ipv4' | 'ipv6'): AddressKind {
  if (loopback.check(address, family)) return 'loopback';
  if (unspecified.check(address, family)) return 'unspecified';
  if (linkLocal.check(address, family)) return 'link-local';
  if (multicast.check(address, family)) return 'multicast';
  if (reserved.check(address, family)) return 'reserved';
  if (privateRanges.check(address, family)) return 'private';
  return 'public';
}

/** An IPv4 address reached through a translator or tunnel: its loopback is the gateway's, not ours, so it is private. */
function tunnelledKind(ipv4: string): AddressKind {
  const kind = ipKind(ipv4, 'ipv4');
  return kind === 'loopback' ? 'private' : kind;
}

/** How an IPv6 address that carries an IPv4 one (NAT64, 6to4, Teredo, IPv4-compatible) is judged; null when it carries none. */
function embeddedKind(address: string): Classified | null {
  const embedding = EMBEDDINGS.find((e) => e.range.check(address, 'ipv6'));
  const bytes = embedding ? ipv6Bytes(address) : null;
  if (!embedding || !bytes) return null;
  const flip = embedding.inverted ? 0xff : 0;
  const judged = embedding.offsets.map((offsets) => {
    const carries = offsets.map((i) => ((bytes[i] ?? 0) ^ flip) & 0xff).join('.');
    return { kind: tunnelledKind(carries), carries };
  });
  // Where several positions are possible, the unused ones are zero padding (0.x.x.x): only real addresses decide.
  const meaningful = judged.length > 1 ? judged.filter((j) => j.kind !== 'unspecified') : judged;
  let found: Classified = { kind: 'public', carries: judged.at(-1)?.carries ?? null };
  for (const candidate of meaningful) if (stricter(found.kind, candidate.kind) !== found.kind) found = candidate;
  return embedding.atLeastPrivate ? { ...found, kind: stricter(found.kind, 'private') } : found;
}

function classify(address: string): Classified | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return { kind: ipKind(bare, 'ipv4'), carries: null };
  if (version !== 6) return null;
  const direct = ipKind(bare, 'ipv6');
  // ::, ::1, multicast and the IPv6-only ranges decide on their own; otherwise an embedded IPv4 address decides.
  if (direct !== 'public') return { kind: direct, carries: null };
  return embeddedKind(bare) ?? { kind: 'public', carries: null };
}

/** Classifies an IP literal; null when it is not an IP address. */
export function addressKind(address: string): AddressKind | null {
  return classify(address)?.kind ?? null;
}

const NEVER_ALLOWED: Partial<Record<AddressKind, string>> = {
  'link-local': 'a link-local address (such as a cloud metadata service)',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved or broadcast address',
};

/**
 * Why connecting to this address is not allowed, or null when it is.
 * Loopback is always allowed; private ranges (RFC 1918, CGNAT, ULA …) only with allow_private_network;
 * link-local (cloud metadata), unspecified, multicast and reserved never. IPv6 forms that carry an IPv4
 * address (NAT64, 6to4, Teredo, IPv4-mapped or -compatible) are judged by that address.
 */
export function blockedReason(address: string, allowPrivateNetwork: boolean): string | null {
  const found = classify(address);
  if (!found || found.kind === 'loopback' || found.kind === 'public') return null;
  const subject = found.carries ? `${address} (which carries ${found.carries})` : address;
  const never = NEVER_ALLOWED[found.kind];
  if (never) return `${subject} is ${never} and is never allowed`;
  return allowPrivateNetwork ? null : `${subject} is a private network address and allow_private_network is off`;
}
