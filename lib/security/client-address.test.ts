import { describe, expect, it } from 'vitest';
import {
  addressKey,
  forwardedEntries,
  MAX_FORWARDED_LENGTH,
  normalizeAddress,
  parseTrustedProxies,
  resolveClientAddress,
} from './client-address';

const none = parseTrustedProxies(undefined);

describe('resolveClientAddress', () => {
  it('believes only the socket when no proxy is trusted', () => {
    expect(resolveClientAddress({ peer: '127.0.0.2', forwardedFor: '1.2.3.4' }, none)).toBe(
      '127.0.0.2',
    );
    expect(resolveClientAddress({ peer: '::ffff:127.0.0.3', forwardedFor: null }, none)).toBe(
      '127.0.0.3',
    );
    expect(resolveClientAddress({ peer: undefined, forwardedFor: '1.2.3.4' }, none)).toBe(
      'unknown',
    );
  });

  it('with a hop count, reads that many entries from the right', () => {
    const one = parseTrustedProxies('1');
    expect(resolveClientAddress({ peer: '10.0.0.1', forwardedFor: '6.6.6.6, 1.2.3.4' }, one)).toBe(
      '1.2.3.4',
    );
    const two = parseTrustedProxies('2');
    expect(
      resolveClientAddress({ peer: '10.0.0.1', forwardedFor: '6.6.6.6, 1.2.3.4, 10.0.0.2' }, two),
    ).toBe('1.2.3.4');
    // Fewer entries than hops: the leftmost real one; garbage stops the walk.
    expect(resolveClientAddress({ peer: '10.0.0.1', forwardedFor: '1.2.3.4' }, two)).toBe(
      '1.2.3.4',
    );
    expect(resolveClientAddress({ peer: '10.0.0.1', forwardedFor: 'x' }, one)).toBe('10.0.0.1');
  });

  it('with CIDRs, takes the rightmost address that is not a trusted proxy', () => {
    const cidrs = parseTrustedProxies('10.0.0.0/8, 192.168.1.10, fd00::/8');
    expect(
      resolveClientAddress(
        { peer: '10.0.0.1', forwardedFor: '6.6.6.6, 1.2.3.4, 192.168.1.10' },
        cidrs,
      ),
    ).toBe('1.2.3.4');
    // A peer outside the list is the client whatever the header says.
    expect(resolveClientAddress({ peer: '5.5.5.5', forwardedFor: '1.2.3.4' }, cidrs)).toBe(
      '5.5.5.5',
    );
    expect(
      resolveClientAddress({ peer: 'fd00::1', forwardedFor: '[2001:db8::7]:443' }, cidrs),
    ).toBe('2001:db8::7');
  });

  it('reads only a capped tail of a huge header', () => {
    const huge = `${'9.9.9.9, '.repeat(2000)}1.2.3.4`;
    expect(huge.length).toBeGreaterThan(15_000);
    const entries = forwardedEntries(huge);
    expect(entries.join(', ').length).toBeLessThanOrEqual(MAX_FORWARDED_LENGTH);
    expect(entries.at(-1)).toBe('1.2.3.4');
    expect(
      resolveClientAddress({ peer: '10.0.0.1', forwardedFor: huge }, parseTrustedProxies('1')),
    ).toBe('1.2.3.4');
    expect(
      resolveClientAddress(
        { peer: '10.0.0.1', forwardedFor: 'a'.repeat(15_000) },
        parseTrustedProxies('1'),
      ),
    ).toBe('10.0.0.1');
  });
});

describe('parseTrustedProxies', () => {
  it('refuses what is neither a hop count nor addresses', () => {
    expect(() => parseTrustedProxies('11')).toThrow(/between 1 and 10/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => parseTrustedProxies('proxy.internal')).toThrow(/not an address/);
    expect(parseTrustedProxies('0')).toEqual({ kind: 'none' });
  });
});

describe('normalizeAddress and addressKey', () => {
  it('canonicalizes and groups IPv6 by /64', () => {
    expect(normalizeAddress('1.2.3.4:80')).toBe('1.2.3.4');
    expect(normalizeAddress('not an ip')).toBeNull();
    expect(addressKey('127.0.0.2')).toBe('127.0.0.2');
    expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8:0:1:ffff::6')).toBe('2001:db8:0:1::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
