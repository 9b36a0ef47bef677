import { BlockList, isIP } from 'node:net';

/*
 * Who is on the other end: the TCP peer, unless TRUSTED_PROXIES says which peers are our own
 * proxies, whose X-Forwarded-For entries are then believed, from the right, up to the first
 * address that is not one of them. Pure (no I/O).
 */

/** How far X-Forwarded-For is believed: not at all, a fixed number of hops, or proxy CIDRs. */
export type TrustedProxies =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'cidrs'; list: BlockList; text: string };

/** Longest X-Forwarded-For tail read (its rightmost part is the only part that can be trusted). */
export const MAX_FORWARDED_LENGTH = 512;
/** Most forwarded entries read. */
export const MAX_FORWARDED_ENTRIES = 16;

/**
 * Parses TRUSTED_PROXIES: unset or empty = none; a whole number 1-10 = that many proxies in
 * front of the app; otherwise a comma-separated list of addresses or CIDR ranges of the proxies
 * (`10.0.0.0/8, 192.168.1.10, fd00::/8`). Throws a readable Error for anything else.
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = (value ?? '').trim();
  if (text === '' || text === '0') return { kind: 'none' };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10)
      throw new Error('TRUSTED_PROXIES: a hop count must be between 1 and 10');
    return { kind: 'hops', hops };
  }
  const list = new BlockList();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [address = '', prefixText, extra] = part.split('/');
    const family = isIP(address);
    if (!family || extra !== undefined) {
      throw new Error(`TRUSTED_PROXIES: "${part.slice(0, 60)}" is not an address or CIDR range`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) {
      throw new Error(`TRUSTED_PROXIES: "${part.slice(0, 60)}" has a bad prefix length`);
    }
    list.addSubnet(address, prefix, type);
  }
  return { kind: 'cidrs', list, text };
}

/** A canonical form: IPv4-mapped IPv6 becomes IPv4, IPv6 is lower case; anything else is null. */
export function normalizeAddress(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let value = raw.trim();
  if (value.length > 64) return null;
  // "[::1]:1234" and "1.2.3.4:5678" as some proxies write them.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped) value = mapped[1]!;
  const family = isIP(value);
  if (family === 4) return value;
  if (family === 6) return value.toLowerCase();
  return null;
}

function isTrusted(address: string, list: BlockList): boolean {
  return list.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
}

/** The last entries of an X-Forwarded-For value, read from a capped tail. */
export function forwardedEntries(header: string | undefined | null): string[] {
  if (!header) return [];
  let tail = header.length > MAX_FORWARDED_LENGTH ? header.slice(-MAX_FORWARDED_LENGTH) : header;
  if (tail.length < header.length) tail = tail.slice(tail.indexOf(',') + 1); // drop a cut entry
  return tail
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .slice(-MAX_FORWARDED_ENTRIES);
}

/**
 * The client's address: the socket peer when no proxy is trusted (forwarded headers are then
 * ignored whatever they say); with a hop count, the entry that many steps from the right of
 * X-Forwarded-For (the peer itself being the nearest proxy); with CIDRs, the rightmost address
 * that is not a trusted proxy. A malformed entry where an address is needed falls back to the
 * nearest address known to be real. 'unknown' only when not even the peer is known.
 */
export function resolveClientAddress(
  input: { peer: string | undefined | null; forwardedFor: string | undefined | null },
  trusted: TrustedProxies,
): string {
  const peer = normalizeAddress(input.peer);
  if (!peer) return 'unknown';
  if (trusted.kind === 'none') return peer;
  const chain = [...forwardedEntries(input.forwardedFor).map(normalizeAddress), peer];
  if (trusted.kind === 'hops') {
    // chain[-1] is the peer (proxy 1); proxy k appended what it saw: the client sits `hops` left.
    let best = peer;
    for (let i = chain.length - 2, step = 1; i >= 0 && step <= trusted.hops; i -= 1, step += 1) {
      const entry = chain[i];
      if (!entry) break;
      best = entry;
    }
    return best;
  }
  let best = peer;
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const entry = chain[i];
    if (!entry) break;
    best = entry;
    if (!isTrusted(entry, trusted.list)) return entry;
  }
  return best;
}

/**
 * The key rate limits count under: an IPv4 address as is, an IPv6 address by its /64 (one
 * customer usually holds a whole /64, so per-address limits would be trivial to dodge).
 */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
