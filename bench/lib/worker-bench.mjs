// Bench 6 — the mint Worker under `wrangler dev` on 127.0.0.1: requests per second and latency of
// POST /v1/tokens, one profile per mode, against a hello-world Worker (bench/worker-hello/) started the
// same way, all in the same run. Load: autocannon, loopback only, bounded in time.
//
// Discovery: the demo profiles come from TOKENMINT_CONFIG in wrangler.toml (the config `npm start` serves,
// documented in docs/worker.md): the first profile in `session` mode and the first in `upstream` mode, with
// the first of their allowedOrigins as the Origin header.
// Asymmetry, stated in the report: the demo profiles' rate limits (10–20 burst, 30–60/min per client IP)
// would answer 429 after a few requests, so the bench hands wrangler the same config with each profile's
// rateLimit raised to the schema's maxima (burst 1000, 10000/min) and the Cloudflare binding dropped, and
// spreads requests over 64 client IPs (CF-Connecting-IP, which wrangler dev passes through). Every request
// still goes through the whole policy, the in-isolate token bucket included.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { devVars } from '../../scripts/lib/dev-vars.mjs';
import { ROOT } from '../../scripts/lib/hermetic-env.mjs';
import { workerEntry } from './sizes.mjs';
import { startWrangler } from './wrangler.mjs';

const CLIENT_IPS = 64;

/** TOKENMINT_CONFIG of wrangler.toml (a ''' JSON string), or an explanation of why not. */
export function discoverProfiles(toml) {
  const main = workerEntry(toml);
  if (main === undefined) return { missing: 'wrangler.toml names no Worker script (main) that exists' };
  const raw = /^TOKENMINT_CONFIG\s*=\s*'''([\s\S]*?)'''/m.exec(toml)?.[1];
  if (raw === undefined) return { missing: 'wrangler.toml has no TOKENMINT_CONFIG = \'\'\'…\'\'\' demo config' };
  let config;
  try {
    config = JSON.parse(raw);
  } catch {
    return { missing: 'TOKENMINT_CONFIG in wrangler.toml is not JSON' };
  }
  const profiles = Object.entries(config.profiles ?? {});
  const pick = (mode) => {
    const found = profiles.find(([, p]) => p.mode === mode);
    return found && { mode, name: found[0], origin: found[1].allowedOrigins?.[0] };
  };
  const modes = [pick('session'), pick('upstream')].filter((p) => p?.origin);
  if (modes.length === 0) return { missing: 'no demo profile in session or upstream mode with an allowed origin in wrangler.toml' };
  const benchConfig = {
    ...config,
    profiles: Object.fromEntries(profiles.map(([name, p]) => [name, { ...p, rateLimit: { burst: 1000, perMinute: 10_000 } }])),
  };
  return { main, modes, benchConfig };
}

/** One autocannon run; returns rps and latency (ms) figures. */
async function load(url, { body, headers, seconds, connections }) {
  const requests = Array.from({ length: CLIENT_IPS }, (_, i) => ({ headers: { ...headers, 'cf-connecting-ip': `198.51.100.${i + 1}` } }));
  const result = await autocannon({ url, method: body ? 'POST' : 'GET', body, headers, requests, connections, duration: seconds, timeout: 10 });
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
  };
}

/**
 * Runs the three rows. Returns `{ rows, notAvailable? }`; a row that could not run has `notAvailable`.
 * @param {{ quick: boolean, log?: (line: string) => void }} options
 */
export async function benchWorkers({ quick, log = () => {} }) {
  const seconds = quick ? 1 : 5;
  const warmup = quick ? 0.5 : 1;
  const connections = 10;
  const params = { seconds, warmupSeconds: warmup, connections, clientIps: CLIENT_IPS };
  let toml;
  try {
    toml = readFileSync(`${ROOT}wrangler.toml`, 'utf8');
  } catch {
    toml = '';
  }
  const found = discoverProfiles(toml);
  const rows = [];
  const run = async (id, label, target, request) => {
    await load(target.url + request.path, { ...request, seconds: warmup, connections });
    rows.push({ id, label, ...(await load(target.url + request.path, { ...request, seconds, connections })) });
  };

  // The baseline: hello world, same wrangler, same flags.
  let hello;
  try {
    log('worker: starting the hello-world Worker');
    hello = await startWrangler({ config: 'bench/worker-hello/wrangler.toml' });
    await run('hello', 'hello-world Worker (baseline)', hello, { path: '/v1/tokens', body: '{}', headers: { 'content-type': 'application/json' } });
  } catch (error) {
    rows.push({ id: 'hello', label: 'hello-world Worker (baseline)', notAvailable: `wrangler dev failed: ${firstLine(error)}` });
  } finally {
    await hello?.stop();
  }

  if ('missing' in found) {
    for (const mode of ['session', 'upstream']) rows.push({ id: mode, label: `POST /v1/tokens, ${mode} mode`, notAvailable: found.missing });
    return { params, rows };
  }
  mkdirSync(`${ROOT}.cache/bench`, { recursive: true });
  const envFile = `${ROOT}.cache/bench/mint-worker.env`;
  const vars = { ...(await devVars()), TOKENMINT_CONFIG: JSON.stringify(found.benchConfig) };
  writeFileSync(envFile, Object.entries(vars).map(([name, value]) => `${name}='${value}'`).join('\n') + '\n', { mode: 0o600 });
  let mint;
  try {
    log(`worker: starting the mint Worker (${found.main})`);
    mint = await startWrangler({ config: 'wrangler.toml', envFile, readyPath: '/healthz' });
  } catch (error) {
    for (const { mode, name } of found.modes) rows.push({ id: mode, label: `POST /v1/tokens, ${mode} mode ("${name}")`, notAvailable: `wrangler dev failed: ${firstLine(error)}` });
    return { params, rows };
  }
  try {
    for (const { mode, name, origin } of found.modes) {
      const label = `POST /v1/tokens, ${mode} mode ("${name}")`;
      const request = { path: '/v1/tokens', body: JSON.stringify({ profile: name }), headers: { 'content-type': 'application/json', origin } };
      const probe = await fetch(mint.url + request.path, { method: 'POST', body: request.body, headers: { ...request.headers, 'cf-connecting-ip': '198.51.100.250' } });
      const text = await probe.text();
      if (probe.status !== 200 || !text.includes('accessToken')) {
        rows.push({ id: mode, label, notAvailable: `the Worker answered ${probe.status} ${safeCode(text)} to the first request` });
        continue;
      }
      log(`worker: ${mode} mode`);
      await run(mode, label, mint, request);
    }
  } finally {
    await mint.stop();
  }
  return { params, rows };
}

const firstLine = (error) => (error instanceof Error ? error.message : String(error)).split('\n')[0];
/** The problem code of an error answer, never its token or body. */
function safeCode(text) {
  try {
    return JSON.parse(text).code ?? '';
  } catch {
    return '';
  }
}
