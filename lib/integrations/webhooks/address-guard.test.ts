import { describe, expect, it } from 'vitest';
import {
  assertEndpointAllowed,
  assertEndpointUrlForm,
  EndpointRefusedError,
  isForbiddenAddress,
  resolveEndpoint,
} from './address-guard';

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456:789a::1',
    'ff02::1',
    '::ffff:127.0.0.1', // IPv4-mapped loopback
    '::ffff:7f00:1', // the same, in hex
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '0:0:0:0:0:ffff:c0a8:0101', // mapped 192.168.1.1, written out
    '::127.0.0.1', // IPv4-compatible (deprecated)
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '192.169.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
  ])('allows the public address %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe('endpoint URLs', () => {
  it('wants https unless private addresses are allowed', () => {
    expect(() => assertEndpointUrlForm('http://example.com/hook', false)).toThrow(
      EndpointRefusedError,
    );
    expect(assertEndpointUrlForm('http://127.0.0.1:9/hook', true).hostname).toBe('127.0.0.1');
    expect(() => assertEndpointUrlForm('ftp://example.com/', true)).toThrow(/https/);
    expect(() => assertEndpointUrlForm('https://user:pw@example.com/', false)).toThrow(
      /credentials/,
    );
    expect(() => assertEndpointUrlForm('not a url', false)).toThrow(/absolute URL/);
  });

  it('refuses literal private addresses, IPv6 in brackets included, unless allowed', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00::1]/',
    ]) {
      await expect(assertEndpointAllowed(url, false)).rejects.toThrow(/private, loopback/);
    }
    await expect(assertEndpointAllowed('http://127.0.0.1:8080/hook', true)).resolves.toBeInstanceOf(
      URL,
    );
  });

  it('resolves names and refuses one that points inside (localhost)', async () => {
    await expect(resolveEndpoint(new URL('https://localhost/hook'), false)).rejects.toThrow(
      EndpointRefusedError,
    );
    const allowed = await resolveEndpoint(new URL('https://localhost/hook'), true);
    expect(isForbiddenAddress(allowed.address)).toBe(true);
    await expect(
      resolveEndpoint(new URL('https://no-such-host.invalid/hook'), false),
    ).rejects.toThrow(/does not resolve/);
  });

  it('connects to a literal public address as given', async () => {
    await expect(resolveEndpoint(new URL('https://8.8.8.8/'), false)).resolves.toEqual({
      address: '8.8.8.8',
      family: 4,
    });
  });
});
