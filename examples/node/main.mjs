// Node: a client-credentials token for your API, cached by the store and refreshed before it expires.
//   TOKEN_URL=… CLIENT_ID=… CLIENT_SECRET=… node main.mjs   your authorization server
//   TOKENMINT_EMULATOR=1 node main.mjs                       the offline emulator, no secrets
import { clientCredentials, createTokenStore } from 'tokenmint';
import { createEmulator, OAUTH2_DEMO } from 'tokenmint/emulator';

const emulator = process.env.TOKENMINT_EMULATOR === '1' ? createEmulator() : undefined;
const store = createTokenStore({ fetch: emulator?.fetch }); // the emulator answers instead of the network
const payments = store.source(
  clientCredentials({
    tokenUrl: emulator ? `${emulator.baseUrl('oauth2')}/token` : process.env.TOKEN_URL,
    clientId: emulator ? OAUTH2_DEMO.clientId : process.env.CLIENT_ID,
    clientSecret: emulator ? OAUTH2_DEMO.clientSecret : process.env.CLIENT_SECRET,
    scope: 'payments',
  }),
);

try {
  const [a, b] = await Promise.all([payments.get(), payments.get()]); // one request for both callers
  console.log(`same token for concurrent callers: ${a === b}`);
  console.log(`token type: ${a.tokenType}, valid for ${Math.round((a.expiresAt - Date.now()) / 1000)} s`);
  const authorization = await payments.authorization(); // "Bearer …", from memory
  console.log(`authorization header: ${authorization.split(' ')[0]} <token>`);
  if (emulator) console.log(`token requests: ${emulator.requests.length}`);
} finally {
  store.dispose(); // stops the refresh timer (it never keeps the process alive anyway)
}
