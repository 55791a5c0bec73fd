// `npm run bench:proxy`: the median latency the mint Worker's proxy adds over calling the emulated
// provider directly, both in the same workerd (Miniflare), interleaved call by call. The provider is
// the PayPal emulator in its own worker; the proxy's call is `POST /v1/proxy/bench/echo` on the mint
// Worker (session token checked, allow-list, server token attached, response streamed back), the
// direct call is `POST /paypal/echo` on the emulator with a server token the test fetched itself.
// The proxied call crosses one more Worker than the direct one; a third worker that only forwards
// (`fetch(upstream, request)`, no checks) measures that hop, so the proxy's own cost is proxied − hop.
// Budget: the proxy's own median cost is at most 1 ms (exit code 1 above it). Prints one JSON line.
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { devVars } from '../../scripts/lib/dev-vars.mjs';
import { COMPATIBILITY_DATE, FLEET_PROFILE, fleetScripts, mintWorker, upstreamWorker } from '../../tests/slow/fixtures/fleet/miniflare.mjs';

const BUDGET_MS = 1;
const ROUNDS = Number(process.env.BENCH_PROXY_ROUNDS ?? 2000);
const WARMUP = 200;
const ORIGIN = 'https://shop.example';

const [mintScript, upstreamScript] = await fleetScripts();

const CONFIG = JSON.stringify({
  issuer: 'https://mint.bench.test',
  profiles: {
    bench: { ...FLEET_PROFILE, maxExpiresIn: 3600, coordination: 'isolate', proxy: { allow: { checkout: ['POST /echo'] }, apiBase: 'https://upstream.test/paypal' } },
  },
});

const { TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET } = await devVars();
const mf = new Miniflare(
  convertV4MiniflareOptions({
    workers: [
      mintWorker({ i: 0, script: mintScript, host: 'mint.bench.test', bindings: { TOKENMINT_CONFIG: CONFIG, TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET }, coordinated: false }),
      {
        name: 'forward',
        modules: true,
        script: "export default { fetch: (request) => fetch(new Request('https://upstream.test/paypal/echo', request)) };",
        compatibilityDate: COMPATIBILITY_DATE,
        routes: ['forward.bench.test/*'],
        outboundService: 'upstream',
      },
      upstreamWorker(upstreamScript, 32_400),
    ],
  }),
);
await mf.ready;

try {
  const minted = await mf.dispatchFetch('https://mint.bench.test/v1/tokens', { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'bench' }) });
  const session = (await minted.json()).accessToken;
  const tokenResponse = await mf.dispatchFetch('https://upstream.test/paypal/v1/oauth2/token', {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`${PAYPAL_CLIENT_ID}:${PAYPAL_CLIENT_SECRET}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const server = (await tokenResponse.json()).access_token;
  const body = JSON.stringify({ intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'EUR', value: '42.00' } }] });

  const timed = async (url, authorization) => {
    const start = performance.now();
    const response = await mf.dispatchFetch(url, { method: 'POST', headers: { origin: ORIGIN, authorization, 'content-type': 'application/json' }, body });
    await response.arrayBuffer();
    const ms = performance.now() - start;
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    return ms;
  };
  const direct = () => timed('https://upstream.test/paypal/echo', `Bearer ${server}`);
  const proxied = () => timed('https://mint.bench.test/v1/proxy/bench/echo', `Bearer ${session}`);
  const hop = () => timed('https://forward.bench.test/', `Bearer ${server}`);

  for (let i = 0; i < WARMUP; i++) await [direct, proxied, hop][i % 3]();
  const d = [];
  const p = [];
  const f = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Rotating which goes first, so drift and GC fall on all alike.
    const order = [[direct, d], [proxied, p], [hop, f]];
    for (let k = 0; k < 3; k++) {
      const [run, into] = order[(i + k) % 3];
      into.push(await run());
    }
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const round = (value) => Number(value.toFixed(3));
  const result = {
    rounds: ROUNDS,
    directMedianMs: round(median(d)),
    hopMedianMs: round(median(f)),
    proxiedMedianMs: round(median(p)),
    /** Proxied − direct, call by call: the proxy and the extra Worker hop. */
    addedOverDirectMs: round(median(p.map((value, i) => value - d[i]))),
    /** Proxied − bare forwarding Worker, call by call: what the proxy's checks and forwarding cost. */
    addedMedianMs: round(median(p.map((value, i) => value - f[i]))),
    budgetMs: BUDGET_MS,
  };
  console.log(JSON.stringify(result));
  if (result.addedMedianMs > BUDGET_MS) {
    console.error(`proxy overhead ${result.addedMedianMs} ms > budget ${BUDGET_MS} ms`);
    process.exitCode = 1;
  }
} finally {
  await mf.dispose();
}
