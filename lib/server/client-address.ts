import { AsyncLocalStorage } from 'node:async_hooks';
import { headers } from 'next/headers';
import { env } from '@/lib/env';
import { PEER_ADDRESS_HEADER } from '@/lib/security/peer-address';
import {
  parseTrustedProxies,
  resolveClientAddress,
  type TrustedProxies,
} from '@/lib/security/client-address';

let trusted: TrustedProxies | undefined;

function trustedProxies(): TrustedProxies {
  trusted ??= parseTrustedProxies(env().TRUSTED_PROXIES);
  return trusted;
}

/** The client address of a request given its headers (next-auth hands authorize a plain record). */
export function clientAddressFromHeaders(get: (name: string) => string | null | undefined): string {
  return resolveClientAddress(
    { peer: get(PEER_ADDRESS_HEADER), forwardedFor: get('x-forwarded-for') },
    trustedProxies(),
  );
}

const testAddress = new AsyncLocalStorage<string>();

/**
 * Test seam: integration tests call server actions as if from a given client address. Refused
 * outside NODE_ENV=test.
 */
export function runWithClientAddress<T>(address: string, fn: () => Promise<T>): Promise<T> {
  if (process.env.NODE_ENV !== 'test') throw new Error('runWithClientAddress is for tests only');
  return testAddress.run(address, fn);
}

/** The current request's client address (server actions, route handlers, pages). */
export async function requestClientAddress(): Promise<string> {
  if (process.env.NODE_ENV === 'test') {
    const address = testAddress.getStore();
    if (address) return address;
  }
  const h = await headers();
  return clientAddressFromHeaders((name) => h.get(name));
}
