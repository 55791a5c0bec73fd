// The Prism facade: Hyperswitch Prism's MerchantAuthenticationClient on fetch, with tokens cached and
// refreshed in a TokenStore. Pointing it at the emulator takes two settings: `options.fetch` (the
// emulator's handler instead of the network) and `connectorConfig.<connector>.baseUrl` (its host).
//   PAYPAL_CLIENT_ID=… PAYPAL_CLIENT_SECRET=… node main.mjs       PayPal's sandbox
//   TOKENMINT_EMULATOR=1 node main.mjs                             the offline emulator, no secrets
import { createEmulator, PAYPAL_DEMO } from 'tokenmint/emulator';
import { MerchantAuthenticationClient } from 'tokenmint/prism';

const emulator = process.env.TOKENMINT_EMULATOR === '1' ? createEmulator() : undefined;
const client = new MerchantAuthenticationClient({
  connectorConfig: {
    paypal: emulator
      ? { ...PAYPAL_DEMO, baseUrl: emulator.baseUrl('paypal') }
      : { clientId: process.env.PAYPAL_CLIENT_ID, clientSecret: { value: process.env.PAYPAL_CLIENT_SECRET } },
  },
  options: { environment: 'SANDBOX', ...(emulator ? { fetch: emulator.fetch } : {}) },
});

try {
  // Failures come back in-band (status, statusCode, error), never thrown.
  const server = await client.createServerAuthenticationToken({ merchantAccessTokenId: 'mat_1' });
  if (server.status !== 'SUCCESS') throw new Error(`${server.status} ${server.error.code}: ${server.error.message}`);
  console.log(`server token: ${server.tokenType}, expires in ${server.expiresInSeconds} s (${server.merchantAccessTokenId})`);

  const again = await client.createServerAuthenticationToken();
  console.log(`cached: ${again.status === 'SUCCESS' && again.accessToken === server.accessToken}`);

  // PayPal's browser-safe client token, for the JS SDK's data-client-token.
  const browser = await client.createClientAuthenticationToken();
  console.log(`client token: ${browser.status} ${browser.status === 'SUCCESS' ? browser.tokenType : browser.error.code}`);
} finally {
  client[Symbol.dispose]();
}
