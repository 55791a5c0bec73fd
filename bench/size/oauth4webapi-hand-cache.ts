// oauth4webapi under the minimal hand cache of the benches (bench/lib/contenders.mjs): one token, an
// expiry check and single-flight — the same service as the core program, without proactive refresh.
import * as oauth from 'oauth4webapi';

const as = { issuer: 'https://auth.example.com', token_endpoint: 'https://auth.example.com/oauth2/token' };
const client = { client_id: 'id' };
let cached: { accessToken: string; expiresAt: number } | undefined;
let pending: Promise<{ accessToken: string; expiresAt: number }> | undefined;

async function fetchToken(): Promise<{ accessToken: string; expiresAt: number }> {
  const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('secret'), new URLSearchParams());
  const result = await oauth.processClientCredentialsResponse(as, client, response);
  cached = { accessToken: result.access_token, expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000 };
  return cached;
}

export async function getToken(): Promise<{ accessToken: string; expiresAt: number }> {
  if (cached !== undefined && Date.now() < cached.expiresAt - 5_000) return cached;
  pending ??= fetchToken().finally(() => {
    pending = undefined;
  });
  return pending;
}
export const token = getToken();
