// The standalone Prism token server in one runtime (Node via vitest, Deno, Bun): servePrism on a
// loopback port with an in-process emulator, called over real HTTP in every protocol it serves.
// Plain JS so every runtime loads it as it is; `server` and `emulator` are the modules under test.

const API_KEY = 'runtime-caller-key-7f3a90b1c2d4';
const CURRENT = '/types.MerchantAuthenticationService/CreateServerAuthenticationToken';
const SEED = '/ucs.v2.MerchantAuthenticationService/CreateAccessToken';

function check(condition, what, passed) {
  if (!condition) throw new Error(`prism server: ${what}`);
  passed.push(what);
}

/** A request message written from the field numbers: 1 merchant_access_token_id, 2 connector (PAYPAL = 62). */
function protoRequest(id) {
  const bytes = new TextEncoder().encode(id);
  return Uint8Array.from([0x0a, bytes.length, ...bytes, 0x10, 62]);
}

/** @returns {Promise<string[]>} the checks that passed */
export async function runPrismServerScenario({ server: serverModule, emulator: emulatorModule }) {
  const passed = [];
  const emulator = emulatorModule.createEmulator();
  const server = await serverModule.servePrism({
    config: { profiles: { paypal: { environment: 'sandbox', upstream: 'emulator', secrets: { client_id: 'PAYPAL_ID', client_secret: 'PAYPAL_SECRET' } } } },
    env: { TOKENMINT_PRISM_API_KEY: API_KEY, PAYPAL_ID: emulatorModule.PAYPAL_DEMO.clientId, PAYPAL_SECRET: emulatorModule.PAYPAL_DEMO.clientSecret },
    emulator,
    port: 0,
  });
  const tokens = () => emulator.requests.filter((r) => r.path === '/paypal/v1/oauth2/token').length;
  const post = (path, body, headers) => fetch(`${server.url}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${API_KEY}`, ...headers } });
  try {
    const http = await post('/payments/server_authentication_token', JSON.stringify({ merchant_access_token_id: 'rt_1', connector: 'PAYPAL' }), { 'content-type': 'application/json' });
    const body = await http.json();
    check(http.status === 200 && body.status === 'OPERATION_STATUS_SUCCESS' && body.merchant_access_token_id === 'rt_1' && body.expires_in_seconds > 0, 'HTTP JSON route answers with the id echoed', passed);
    check(http.headers.get('access-control-allow-origin') === null, 'no CORS headers', passed);

    const connect = await (await post(SEED, JSON.stringify({ connector: 'PAYPAL' }), { 'content-type': 'application/json', 'connect-protocol-version': '1' })).json();
    check(connect.accessToken?.value === body.access_token, 'Connect JSON (seed name) answers the cached token', passed);

    const framed = protoRequest('rt_2');
    const web = await post(CURRENT, Uint8Array.from([0, 0, 0, 0, framed.length, ...framed]), { 'content-type': 'application/grpc-web+proto' });
    const webBytes = new Uint8Array(await web.arrayBuffer());
    check(web.status === 200 && webBytes[0] === 0 && new TextDecoder().decode(webBytes).endsWith('grpc-status: 0\r\n'), 'gRPC-web answers one message and grpc-status 0', passed);

    const denied = await fetch(`${server.url}${CURRENT}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-key-0000000000' } });
    check(denied.status === 401 && (await denied.json()).code === 'unauthenticated', 'a wrong key is 401 unauthenticated', passed);

    const big = await post('/payments/server_authentication_token', JSON.stringify({ merchant_access_token_id: 'x'.repeat(40_000) }), { 'content-type': 'application/json' });
    await big.arrayBuffer();
    check(big.status === 413, 'an oversized body is 413', passed);

    check(tokens() === 1, 'one provider request so far', passed);
    const answers = await Promise.all(Array.from({ length: 200 }, () => post(CURRENT, JSON.stringify({ connector: 'PAYPAL' }), { 'content-type': 'application/json' }).then((r) => r.json())));
    check(answers.every((a) => a.status === 'OPERATION_STATUS_SUCCESS') && tokens() === 1, '200 concurrent calls: still one provider request', passed);
  } finally {
    await server.close();
  }
  return passed;
}
