// A checkout page: its widget's token comes from the mint Worker, and the order is created through the
// Worker's proxy, which attaches the server token (the page never sees it). Bundle it for the page:
// `npx esbuild app.mjs --bundle --format=esm --outfile=app.js` (after `npm install tokenmint esbuild`).
// Open index.html?emulator to use the Worker of `npm start` (http://127.0.0.1:8787, emulated PayPal,
// profile demo-session), or index.html?emulator=http://127.0.0.1:9000 for one on another port.
import { createWidgetTokenClient } from 'tokenmint/widget';

const emulator = new URLSearchParams(location.search).get('emulator');
const mint = emulator === null
  ? { endpoint: 'https://mint.shop.example/v1/tokens', profile: 'checkout' } // your mint Worker
  : { endpoint: `${emulator || 'http://127.0.0.1:8787'}/v1/tokens`, profile: 'demo-session' };
const show = (id, text) => (document.getElementById(id).textContent = text);

const tokens = createWidgetTokenClient(mint);
// Each new token (the first and every refresh): hand it to the payment widget; show only when it expires.
tokens.onToken((token) => show('token', `${token.tokenType} token, expires at ${new Date(token.expiresAt).toLocaleTimeString()}`));
tokens.onError((error) => console.warn('tokenmint:', error.code)); // a still-valid token stays in service

const pay = document.getElementById('pay');
pay.addEventListener('click', async () => {
  const order = { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'EUR', value: '42.00' } }] };
  try {
    // PayPal's Orders API through /v1/proxy/{profile}/…, with the page's session token only.
    const response = await tokens.fetch('v2/checkout/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order) });
    const body = await response.json();
    show('order', response.ok ? `order ${body.id} ${body.status}` : `PayPal answered ${response.status} ${body.name}`);
  } catch (error) {
    show('order', `payment unavailable: ${error.upstreamCode ?? error.code}`); // a TokenError
  }
});

try {
  await tokens.get();
  pay.disabled = false;
} catch (error) {
  show('token', `no token: ${error.code}`);
}
addEventListener('pagehide', () => tokens.dispose());
