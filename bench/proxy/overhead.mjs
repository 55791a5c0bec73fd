// `node bench/proxy/overhead.mjs` (also a step of `npm run bench`): the median latency the mint Worker's
// proxy adds over calling the emulated provider directly, in one workerd (Miniflare), call by call.
//   direct   POST /paypal/echo on the emulator's worker, with a server token fetched beforehand
//   proxied  POST /v1/proxy/bench/echo on the mint Worker (bench/proxy/mint-entry.ts): Origin, rate limit,
//            session token, allow-list, body cap, server token from the store, response streamed back
//            under its cap; the Worker reaches the emulator through a service binding
//   hop      a bare Worker that forwards the request through the same binding (no checks): proxied − hop
//            is the proxy's own work, hop − direct the cost of one more Worker on the way
//   outbound the bare Worker again, through its global fetch(): under Miniflare that passes through
//            Miniflare's outbound worker, which a deployed Worker does not have (reported, not counted)
// Same client (Miniflare's dispatchFetch), same headers and body, each response read to its end, the
// four interleaved with a rotating order after a warm-up. Budget: the median of proxied − direct, call by
// call, is at most 1 ms (exit code 1 above it unless --no-budget). Prints one JSON line;
// `--out FILE` also writes it there. BENCH_PROXY_ROUNDS sets the rounds (default 2000).
import { writeFileSync } from 'node:fs';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { devVars } from '../../scripts/lib/dev-vars.mjs';
import { COMPATIBILITY_DATE, FLEET_PROFILE, bundle, mintWorker, upstreamWorker } from '../../tests/slow/fixtures/fleet/miniflare.mjs';

const BUDGET_MS = 1;
const argv = process.argv.slice(2);
const ROUNDS = Number(process.env.BENCH_PROXY_ROUNDS ?? 2000);
const WARMUP = Math.min(300, ROUNDS);
const ORIGIN = 'https://shop.example';
const ECHO = 'https://upstream.test/paypal/echo';

const [mintScript, upstreamScript] = await Promise.all([bundle('bench/proxy/mint-entry.ts'), bundle('tests/slow/fixtures/fleet/upstream-entry.ts')]);

const CONFIG = JSON.stringify({
  issuer: 'https://mint.bench.test',
  profiles: {
    bench: { ...FLEET_PROFILE, maxExpiresIn: 3600, coordination: 'isolate', proxy: { allow: { checkout: ['POST /echo'] }, apiBase: 'https://upstream.test/paypal' } },
  },
});

const forwarder = (name, script, binding) => ({ name, modules: true, script, compatibilityDate: COMPATIBILITY_DATE, routes: [`${name}.bench.test/*`], ...binding });
const { TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET } = await devVars();
const mf = new Miniflare(
  convertV4MiniflareOptions({
    workers: [
      {
        ...mintWorker({ i: 0, script: mintScript, host: 'mint.bench.test', bindings: { TOKENMINT_CONFIG: CONFIG, TOKENMINT_SESSION_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET }, coordinated: false }),
        serviceBindings: { UPSTREAM: 'upstream' },
      },
      forwarder('hop', `export default { fetch: (request, env) => env.UPSTREAM.fetch(new Request('${ECHO}', request)) };`, { serviceBindings: { UPSTREAM: 'upstream' } }),
      forwarder('outbound', `export default { fetch: (request) => fetch(new Request('${ECHO}', request)) };`, { outboundService: 'upstream' }),
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

  const timed = async (url, token) => {
    const start = performance.now();
    const response = await mf.dispatchFetch(url, { method: 'POST', headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    await response.arrayBuffer();
    const ms = performance.now() - start;
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    return ms;
  };
  const paths = {
    direct: () => timed(ECHO, server),
    proxied: () => timed('https://mint.bench.test/v1/proxy/bench/echo', session),
    hop: () => timed('https://hop.bench.test/', server),
    outbound: () => timed('https://outbound.bench.test/', server),
  };
  const names = Object.keys(paths);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < WARMUP; i++) for (const name of names) await paths[name]();
  for (let i = 0; i < ROUNDS; i++) {
    // Rotating which goes first, so drift and GC fall on all alike.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      times[name].push(await paths[name]());
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  /** Median of a − b over the rounds (each round's calls ran back to back). */
  const paired = (a, b) => median(times[a].map((value, i) => value - times[b][i]));
  const round = (value) => Number(value.toFixed(3));
  const result = {
    rounds: ROUNDS,
    directMedianMs: round(median(times.direct)),
    proxiedMedianMs: round(median(times.proxied)),
    hopMedianMs: round(median(times.hop)),
    /** The budgeted figure: what the proxy adds over calling the provider directly. */
    addedOverDirectMs: round(paired('proxied', 'direct')),
    /** Of that, the proxy's own work: proxied − a bare forwarding Worker. */
    proxyOwnMs: round(paired('proxied', 'hop')),
    /** Of that, one more Worker on the way: bare forwarding Worker − direct. */
    workerHopMs: round(paired('hop', 'direct')),
    /** Not counted: Miniflare's outbound worker, which a global fetch() passes through under Miniflare only. */
    miniflareOutboundMs: round(paired('outbound', 'hop')),
    budgetMs: BUDGET_MS,
  };
  const line = JSON.stringify(result);
  console.log(line);
  const outArg = argv.indexOf('--out');
  if (outArg >= 0) writeFileSync(argv[outArg + 1], line);
  if (result.addedOverDirectMs > BUDGET_MS && !argv.includes('--no-budget')) {
    console.error(`proxy: adds ${result.addedOverDirectMs} ms over the direct call (median) > budget ${BUDGET_MS} ms`);
    process.exitCode = 1;
  }
} finally {
  await mf.dispose();
}
