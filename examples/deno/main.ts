// Deno: the same store in a Deno program (tokenmint from npm: `deno add npm:tokenmint`).
//   deno run --allow-net --allow-env main.ts                            TOKEN_URL, CLIENT_ID, CLIENT_SECRET
//   TOKENMINT_EMULATOR=1 deno run --allow-net --allow-env main.ts       the offline emulator, no secrets
import { clientCredentials, createTokenStore } from 'tokenmint';
import { createEmulator, OAUTH2_DEMO } from 'tokenmint/emulator';

const env = (name: string): string => Deno.env.get(name) ?? '';
const emulator = env('TOKENMINT_EMULATOR') === '1' ? createEmulator() : undefined;
const store = createTokenStore({ fetch: emulator?.fetch });
const source = store.source(
  clientCredentials({
    tokenUrl: emulator ? `${emulator.baseUrl('oauth2')}/token` : env('TOKEN_URL'),
    clientId: emulator ? OAUTH2_DEMO.clientId : env('CLIENT_ID'),
    clientSecret: emulator ? OAUTH2_DEMO.clientSecret : env('CLIENT_SECRET'),
  }),
);

try {
  const token = await source.get();
  console.log(`deno: ${token.tokenType} token, valid for ${Math.round((token.expiresAt - Date.now()) / 1000)} s`);
  console.log(`cached: ${(await source.get()) === token}`);
} finally {
  store.dispose();
}
