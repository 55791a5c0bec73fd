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
import { DEV_ENTRY, devVars } from '../../scripts/lib/dev-vars.mjs';
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
    profiles: Object.fromEntries(profiles.map(([name, p]) => [name, { ...p, rateLimit: { burst: 1000, perMinute: 10_000, ceiling: { burst: 100_000, perMinute: 1_000_000 } } }])),
  };
  return { main, modes, benchConfig };
}

/** One autocannon run; returns rps and latency (ms) figures. */
async function load(url, { body, headers, seconds, connections }) {
  const requests = Array.from({ length: CLIENT_IPS }, (_, i) => ({ headers: { ...headers, 'cf-connecting-ip': `198.51.100.${i + 1}` } }));
  const result = await autocannon({ url, method: body ? 'POST' : 'GET', body, headers, requests, connections, duration: seconds, timeout: 10 });
  return {
    rps: result.requests.total / result.duration,
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
  const rounds = quick ? 2 : 3;
  const seconds = quick ? 0.5 : 2; // per round: 1 s (quick) or 6 s (full) measured per row
  const warmup = quick ? 0.5 : 1;
  const connections = 10;
  const params = { rounds, seconds: seconds * rounds, warmupSeconds: warmup, connections, clientIps: CLIENT_IPS };
  let toml;
  try {
    toml = readFileSync(`${ROOT}wrangler.toml`, 'utf8');
  } catch {
    toml = '';
  }
  const found = discoverProfiles(toml);
  /** Rows to measure: `{ id, label, target, request }`, or `{ id, label, notAvailable }`. */
  const targets = [];
  const servers = [];
  try {
    // The baseline: hello world, same wrangler, same flags.
    const helloLabel = 'hello-world Worker (baseline)';
    try {
      log('worker: starting the hello-world Worker');
      const hello = await startWrangler({ config: 'bench/worker-hello/wrangler.toml' });
      servers.push(hello);
      targets.push({ id: 'hello', label: helloLabel, target: hello, request: { path: '/v1/tokens', body: '{}', headers: { 'content-type': 'application/json' } } });
    } catch (error) {
      targets.push({ id: 'hello', label: helloLabel, notAvailable: `wrangler dev failed: ${firstLine(error)}` });
    }
    if ('missing' in found) {
      for (const mode of ['session', 'upstream']) targets.push({ id: mode, label: `POST /v1/tokens, ${mode} mode`, notAvailable: found.missing });
    } else {
      targets.push(...(await startMint(found, servers, log)));
    }
    // Interleaved rounds (hello, session, upstream, hello, …) so drift of the machine hits every row alike;
    // the Worker not under load idles meanwhile.
    const live = targets.filter((t) => t.target);
    for (const t of live) {
      await load(t.target.url + t.request.path, { ...t.request, seconds: warmup, connections });
      t.runs = [];
    }
    for (let round = 0; round < rounds; round++) {
      for (const t of live) {
        log(`worker: ${t.id}, round ${round + 1}/${rounds}`);
        t.runs.push(await load(t.target.url + t.request.path, { ...t.request, seconds, connections }));
      }
    }
  } finally {
    for (const server of servers) await server.stop();
  }
  const rows = targets.map(({ id, label, notAvailable, runs }) => (notAvailable ? { id, label, notAvailable } : { id, label, ...combine(runs) }));
  return { params, rows };
}

/** Starts the mint Worker with the bench config; returns one target per discovered mode. */
async function startMint(found, servers, log) {
  const label = ({ mode, name }) => `POST /v1/tokens, ${mode} mode ("${name}")`;
  mkdirSync(`${ROOT}.cache/bench`, { recursive: true });
  const envFile = `${ROOT}.cache/bench/mint-worker.env`;
  const vars = { ...(await devVars()), TOKENMINT_CONFIG: JSON.stringify(found.benchConfig) };
  writeFileSync(envFile, Object.entries(vars).map(([name, value]) => `${name}='${value}'`).join('\n') + '\n', { mode: 0o600 });
  let mint;
  try {
    // The demo profiles use the in-isolate emulator, which only the dev entry has.
    log(`worker: starting the mint Worker (${DEV_ENTRY}, the dev entry of ${found.main})`);
    mint = await startWrangler({ config: 'wrangler.toml', script: DEV_ENTRY, envFile, readyPath: '/healthz' });
    servers.push(mint);
  } catch (error) {
    return found.modes.map((m) => ({ id: m.mode, label: label(m), notAvailable: `wrangler dev failed: ${firstLine(error)}` }));
  }
  const targets = [];
  for (const m of found.modes) {
    const request = { path: '/v1/tokens', body: JSON.stringify({ profile: m.name }), headers: { 'content-type': 'application/json', origin: m.origin } };
    const probe = await fetch(mint.url + request.path, { method: 'POST', body: request.body, headers: { ...request.headers, 'cf-connecting-ip': '198.51.100.250' } });
    const text = await probe.text();
    if (probe.status !== 200 || !text.includes('accessToken')) targets.push({ id: m.mode, label: label(m), notAvailable: `the Worker answered ${probe.status} ${safeCode(text)} to the first request` });
    else targets.push({ id: m.mode, label: label(m), target: mint, request });
  }
  return targets;
}

/** Rounds → one row: rps over all rounds, mean p50, worst p99 and max, summed counts. */
function combine(runs) {
  const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
  return {
    rps: sum('requests') / sum('seconds'),
    requests: sum('requests'),
    seconds: sum('seconds'),
    p50: sum('p50') / runs.length,
    p99: Math.max(...runs.map((run) => run.p99)),
    max: Math.max(...runs.map((run) => run.max)),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    rounds: runs.map((run) => Math.round(run.rps)),
  };
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
