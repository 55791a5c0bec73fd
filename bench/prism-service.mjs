// `npm run bench:prism`: Prism's token RPC on the mint Worker under `wrangler dev`, against the
// hello-world Worker (bench/worker-hello/) started the same way, in interleaved rounds. Budgets,
// enforced (exit code 1 when missed): requests per second on this surface ≥ 0.5× hello world, and
// 1,000 concurrent cold calls → exactly one token request at the (emulated) provider.
// The Worker is tests/prism/fixtures/wrangler.prism.toml: one PayPal profile on the dev emulator,
// coordinated by the token Durable Object. Load: autocannon, loopback, Connect JSON calls.
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { ROOT } from '../scripts/lib/hermetic-env.mjs';
import { startWrangler } from './lib/wrangler.mjs';

const quick = process.argv.includes('--quick');
const API_KEY = 'bench-prism-caller-key-9c4e2a71';
const PATH = '/types.MerchantAuthenticationService/CreateServerAuthenticationToken';
const BODY = JSON.stringify({ merchantAccessTokenId: 'bench', connector: 'PAYPAL' });
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
const RATIO_BUDGET = 0.5;
const COLD_CALLS = 1000;

const log = (line) => process.stderr.write(`[bench:prism] ${line}\n`);

async function load(url, options) {
  const result = await autocannon({ url, connections: 10, duration: quick ? 1 : 3, timeout: 10, ...options });
  return { rps: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

async function main() {
  mkdirSync(`${ROOT}.cache/bench`, { recursive: true });
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  const envFile = `${ROOT}.cache/bench/prism.env`;
  writeFileSync(envFile, `TOKENMINT_DEV_EMULATOR=on\nTOKENMINT_PRISM_API_KEY=${API_KEY}\nPAYPAL_CLIENT_ID=paypal-demo-client\nPAYPAL_CLIENT_SECRET=paypal-demo-secret\n`, { mode: 0o600 });
  const servers = [];
  try {
    log('starting the hello-world Worker and the Prism Worker');
    const hello = await startWrangler({ config: 'bench/worker-hello/wrangler.toml' });
    servers.push(hello);
    const prism = await startWrangler({ config: 'tests/prism/fixtures/wrangler.prism.toml', envFile, readyPath: '/healthz' });
    servers.push(prism);

    // Cold: nothing cached yet, 1,000 calls at once.
    log(`${COLD_CALLS} concurrent cold calls`);
    const answers = await Promise.all(Array.from({ length: COLD_CALLS }, () => fetch(prism.url + PATH, { method: 'POST', body: BODY, headers: HEADERS }).then(async (r) => ({ status: r.status, body: await r.json() }))));
    const succeeded = answers.filter((a) => a.status === 200 && a.body.status === 'OPERATION_STATUS_SUCCESS').length;
    const { requests } = await (await fetch(`${prism.url}/__emulator/requests`)).json();
    const tokenRequests = requests.filter((r) => r.path === '/paypal/v1/oauth2/token').length;

    const rounds = quick ? 2 : 3;
    const runs = { hello: [], prism: [] };
    await load(hello.url, {});
    await load(prism.url + PATH, { method: 'POST', body: BODY, headers: HEADERS });
    for (let round = 0; round < rounds; round++) {
      log(`round ${round + 1}/${rounds}`);
      runs.hello.push(await load(hello.url, {}));
      runs.prism.push(await load(prism.url + PATH, { method: 'POST', body: BODY, headers: HEADERS }));
    }
    const mean = (list, key) => list.reduce((sum, run) => sum + run[key], 0) / list.length;
    const result = {
      quick,
      cold: { calls: COLD_CALLS, succeeded, tokenRequests },
      helloRps: mean(runs.hello, 'rps'),
      prismRps: mean(runs.prism, 'rps'),
      prismP50: mean(runs.prism, 'p50'),
      prismP99: Math.max(...runs.prism.map((run) => run.p99)),
      prismNon2xx: runs.prism.reduce((sum, run) => sum + run.non2xx + run.errors, 0),
    };
    result.ratio = result.prismRps / result.helloRps;
    writeFileSync(`${ROOT}bench/results/prism-service.json`, JSON.stringify(result, null, 2));
    console.log(`| measure | figure | budget |\n|---|---|---|`);
    console.log(`| ${COLD_CALLS} concurrent cold calls: answered SUCCESS | ${succeeded} | ${COLD_CALLS} |`);
    console.log(`| … token requests at the provider | ${tokenRequests} | exactly 1 |`);
    console.log(`| hello-world Worker, req/s | ${result.helloRps.toFixed(0)} | |`);
    console.log(`| Prism token RPC (Connect JSON), req/s | ${result.prismRps.toFixed(0)} (p50 ${result.prismP50.toFixed(1)} ms, p99 ${result.prismP99} ms, ${result.prismNon2xx} non-2xx) | |`);
    console.log(`| ratio | ${result.ratio.toFixed(2)} | ≥ ${RATIO_BUDGET} |`);
    const failures = [];
    if (succeeded !== COLD_CALLS) failures.push(`${COLD_CALLS - succeeded} cold calls did not succeed`);
    if (tokenRequests !== 1) failures.push(`${tokenRequests} token requests for ${COLD_CALLS} cold calls (budget: exactly 1)`);
    if (result.prismNon2xx > 0) failures.push(`${result.prismNon2xx} failed requests under load`);
    if (result.ratio < RATIO_BUDGET) failures.push(`ratio ${result.ratio.toFixed(2)} < ${RATIO_BUDGET}`);
    if (failures.length > 0) {
      console.error(`bench:prism: budget missed: ${failures.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    for (const server of servers) await server.stop();
  }
}

await main();
