import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { env } from '@/lib/env';

/*
 * The SSRF guard of webhook endpoints: a URL must be https (http only where private addresses
 * are allowed, for local receivers) and every address its host resolves to must be public: not
 * private, loopback, link-local, unique-local, CGNAT, multicast or reserved, IPv4 or IPv6,
 * IPv4-mapped and NAT64 forms included. `WEBHOOKS_ALLOW_PRIVATE=1` lifts the address rule (tests,
 * local development). Checked when an endpoint is saved and again before every delivery, which
 * then connects to the very address checked (lib/integrations/webhooks/send.ts), so a DNS answer
 * that changes in between cannot point it inside.
 */

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Expands an IPv6 address to its eight 16-bit groups (dotted IPv4 tails included). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g || '0', 16));
}

/** The IPv4 address an IPv6 one carries (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`). */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (!mapped && !nat64) return null;
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
}

/** Whether an IP address is one a webhook may not reach (anything but a public unicast one). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all
  const v4 = embeddedIpv4(address);
  if (v4) return blocked.check(v4, 'ipv4');
  return blocked.check(address.split('%')[0]!, 'ipv6');
}

/** Whether the operator allows private addresses and http (`WEBHOOKS_ALLOW_PRIVATE=1`). */
export function privateAddressesAllowed(): boolean {
  return env().WEBHOOKS_ALLOW_PRIVATE === '1';
}

/** A refused endpoint URL, with the reason people see. */
export class EndpointRefusedError extends Error {}

/** The host of a URL without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Checks an endpoint URL's form: absolute, https (http only when private addresses are
 * allowed), no credentials. Throws EndpointRefusedError.
 */
export function assertEndpointUrlForm(raw: string, allowPrivate = privateAddressesAllowed()): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefusedError('Enter an absolute URL, such as https://example.com/hooks.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivate)) {
    throw new EndpointRefusedError('The URL must start with https://.');
  }
  if (url.username || url.password) {
    throw new EndpointRefusedError('Leave credentials out of the URL.');
  }
  if (!hostOf(url)) throw new EndpointRefusedError('The URL has no host.');
  return url;
}

/** Resolves a host to all its addresses (an IP literal resolves to itself). */
async function resolveAll(host: string): Promise<{ address: string; family: 4 | 6 }[]> {
  const family = isIP(host);
  if (family) return [{ address: host, family: family as 4 | 6 }];
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
}

/**
 * Resolves the URL's host and checks every address it has; returns the first, the one to
 * connect to. Throws EndpointRefusedError for a name that does not resolve or an address
 * that is not public (unless private addresses are allowed).
 */
export async function resolveEndpoint(
  url: URL,
  allowPrivate = privateAddressesAllowed(),
): Promise<{ address: string; family: 4 | 6 }> {
  let addresses: { address: string; family: 4 | 6 }[];
  try {
    addresses = await resolveAll(hostOf(url));
  } catch {
    throw new EndpointRefusedError(`The host ${hostOf(url)} does not resolve.`);
  }
  if (addresses.length === 0) {
    throw new EndpointRefusedError(`The host ${hostOf(url)} does not resolve.`);
  }
  if (!allowPrivate && addresses.some((a) => isForbiddenAddress(a.address))) {
    throw new EndpointRefusedError(
      'The URL points to a private, loopback or link-local address; webhooks go to public addresses only.',
    );
  }
  return addresses[0]!;
}

/** The whole check of an endpoint URL (form, then every resolved address). */
export async function assertEndpointAllowed(
  raw: string,
  allowPrivate = privateAddressesAllowed(),
): Promise<URL> {
  const url = assertEndpointUrlForm(raw, allowPrivate);
  await resolveEndpoint(url, allowPrivate);
  return url;
}
