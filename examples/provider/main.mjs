// A provider preset: Kitegateway's JWT, cached and refreshed by the store, then sent with an API call.
// Every preset takes `baseUrl` (another host) and `fetch` (another transport): both point it at the
// emulator here.
//   KG_API_KEY=… KG_SECRET_KEY=… node main.mjs       Kitegateway's sandbox
//   TOKENMINT_EMULATOR=1 node main.mjs               the offline emulator, no secrets
import { createTokenStore } from 'tokenmint';
import { createEmulator, KITEGATEWAY_DEMO } from 'tokenmint/emulator';
import { kitegateway } from 'tokenmint/providers';

const emulator = process.env.TOKENMINT_EMULATOR === '1' ? createEmulator() : undefined;
const store = createTokenStore();
const kg = store.source(
  kitegateway({
    ...(emulator
      ? { ...KITEGATEWAY_DEMO, baseUrl: emulator.baseUrl('kitegateway'), fetch: emulator.fetch }
      : { apiKey: process.env.KG_API_KEY, secretKey: process.env.KG_SECRET_KEY }),
    expiresIn: 900,
  }),
);

try {
  const authorization = await kg.authorization(); // "JWT eyJ…", as Kitegateway wants it
  console.log(`authorization: ${authorization.split(' ')[0]} <token>`);
  const token = await kg.get();
  console.log(`valid for ${Math.round((token.expiresAt - Date.now()) / 1000)} s, cached: ${(await kg.get()) === token}`);
  // A real call would be: fetch('https://sandbox.kitegateway.com/v1/…', { headers: { authorization } })
} finally {
  store.dispose();
}
