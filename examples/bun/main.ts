// Bun: the store plus tokenmint/fetch, an ofetch instance that adds the Authorization header and, on a
// 401, refreshes the token once and retries.
//   bun run main.ts                            TOKEN_URL, CLIENT_ID, CLIENT_SECRET, API_URL
//   TOKENMINT_EMULATOR=1 bun run main.ts       the offline emulator, no secrets
import { clientCredentials, createTokenStore } from 'tokenmint';
import { createEmulator, OAUTH2_DEMO } from 'tokenmint/emulator';
import { createAuthorizedFetch } from 'tokenmint/fetch';

const emulator = Bun.env.TOKENMINT_EMULATOR === '1' ? createEmulator() : undefined;
// With the emulator, a stand-in API on a free loopback port answers with the Authorization it received.
const api = emulator ? Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (request) => Response.json({ authorization: request.headers.get('authorization') }) }) : undefined;

const store = createTokenStore({ fetch: emulator?.fetch });
const source = store.source(
  clientCredentials({
    tokenUrl: emulator ? `${emulator.baseUrl('oauth2')}/token` : Bun.env.TOKEN_URL!,
    clientId: emulator ? OAUTH2_DEMO.clientId : Bun.env.CLIENT_ID!,
    clientSecret: emulator ? OAUTH2_DEMO.clientSecret : Bun.env.CLIENT_SECRET!,
  }),
);
const orders = createAuthorizedFetch(source, { baseURL: api ? api.url.href : Bun.env.API_URL! });

try {
  const answer = await orders<{ authorization: string }>('/v1/orders');
  const token = await source.get();
  console.log(`bun: the API got "${answer.authorization === `Bearer ${token.accessToken}` ? 'Bearer <the token>' : 'something else'}"`);
} finally {
  store.dispose();
  api?.stop(true);
}
