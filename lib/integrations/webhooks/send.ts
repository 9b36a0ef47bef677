import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { assertEndpointUrlForm, EndpointRefusedError, resolveEndpoint } from './address-guard';

/*
 * One webhook POST. The host is resolved and checked here (address-guard), and the socket
 * connects to that checked address through a fixed `lookup` (TLS still verifies the certificate
 * for the URL's host name), so the name cannot be re-resolved elsewhere between check and
 * connect. No redirect is followed (a 3xx is a failed attempt), the whole exchange has a
 * timeout, and only the first bytes of the answer are read.
 */

/** How long one attempt may take, connect to last byte. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

export type SendOutcome = {
  /** The HTTP status, or null when there was none (refused, unreachable, timed out). */
  statusCode: number | null;
  ok: boolean;
  durationMs: number;
  /** Why it failed (null on success). */
  error: string | null;
};

export type WebhookRequest = {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs?: number;
  allowPrivate?: boolean;
};

/** POSTs a signed webhook and reports what happened; never throws. */
export async function sendWebhook(request: WebhookRequest): Promise<SendOutcome> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): SendOutcome => ({
    statusCode,
    ok: error === null,
    durationMs: Math.round(performance.now() - started),
    error,
  });
  let url: URL;
  let target: { address: string; family: 4 | 6 };
  try {
    url = assertEndpointUrlForm(request.url, request.allowPrivate);
    target = await resolveEndpoint(url, request.allowPrivate);
  } catch (error) {
    return done(null, error instanceof EndpointRefusedError ? error.message : 'Refused');
  }
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  const timeoutMs = request.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return new Promise<SendOutcome>((resolve) => {
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, {
      method: 'POST',
      lookup: pinned,
      agent: false,
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(request.body),
        'user-agent': 'CascadeKPI-Webhooks/1.0',
      },
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`No answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    req.on('response', (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      const finish = () => {
        clearTimeout(timer);
        const code = res.statusCode ?? 0;
        resolve(
          done(
            code,
            code >= 200 && code < 300
              ? null
              : code >= 300 && code < 400
                ? `Redirect (${code}) not followed`
                : `HTTP ${code}`,
          ),
        );
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      resolve(done(null, error.message || 'Connection failed'));
    });
    req.end(request.body);
  });
}
