import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

/*
 * A real OpenID Connect provider (oidc-provider 9) in the test process, on loopback: one client
 * registered for the app's callback URL, and any login the test types becomes the account,
 * with that login as its e-mail address (verified unless it starts with "unverified-").
 * Its built-in development login and consent pages stand in for a company's sign-in screen.
 */
export type TestIdp = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close: () => Promise<void>;
};

export async function startTestIdp(redirectUri: string): Promise<TestIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'kpi-cascade-e2e';
  const clientSecret = randomBytes(24).toString('base64url');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: id.replace(/^unverified-/, ''),
        email_verified: !id.startsWith('unverified-'),
        name: `SSO ${id.split('@')[0]}`,
      }),
    }),
    cookies: { keys: [randomBytes(16).toString('hex')] },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
