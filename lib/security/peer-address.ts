import type { IncomingMessage } from 'node:http';
import http from 'node:http';

/*
 * Next 16 gives route handlers, server actions and next-auth no socket address: it only fills
 * X-Forwarded-For from the socket when the client sent none, so a handler cannot tell a forged
 * header from a real one. At server start (instrumentation.ts) we hook the HTTP server's request
 * event and write the socket's address into a header of our own, replacing anything a client
 * sent under that name.
 */

/** Set on every incoming request from its socket; a client-sent value is overwritten. */
export const PEER_ADDRESS_HEADER = 'x-kpi-peer-address';

const installed = Symbol.for('kpi.peerAddressHeader');

/** Patches http.Server so every 'request' event carries PEER_ADDRESS_HEADER. Idempotent. */
export function installPeerAddressHeader(): void {
  const proto = http.Server.prototype as unknown as Record<PropertyKey, unknown> & {
    emit: (event: string | symbol, ...args: unknown[]) => boolean;
  };
  if (proto[installed]) return;
  const original = proto.emit;
  proto.emit = function emit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as IncomingMessage | undefined;
      if (req?.headers) req.headers[PEER_ADDRESS_HEADER] = req.socket?.remoteAddress ?? '';
    }
    return original.call(this, event, ...args);
  };
  proto[installed] = true;
}
