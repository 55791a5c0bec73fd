// Issue #9 part 3 (Worker side): secrets planted for every registered provider, each profile run through
// upstream faults (5xx, 429, hang, dropped connection, malformed/HTML/empty bodies, redirects, servers
// echoing the request), then recovered. Every response body and header, every log line and console
// call is scanned: no secret, no identifier in a response, no session key part, no server token.
// Each fault must also end in the right problem code, and the next request (fault cleared) in a 200.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENV_IDS, ENV_SECRETS, PROVIDER_PROFILES, forms, hardeningHarness, report, type UpstreamFault } from './_hardening-worker.js';
import { tokenRequest } from './_mint-helpers.js';

/** Everything the request carried, as a careless upstream would quote it. */
async function echo(request: Request): Promise<string> {
  const body = await request.clone().text();
  return `${[...request.headers].map(([n, v]) => `${n}: ${v}`).join(' ')} ${body} ${decodeURIComponent(body.replace(/\+/g, ' '))}`;
}

/** The first planted secret the request carries (decoded), as a server that quotes its input would find it. */
async function carried(request: Request): Promise<string | undefined> {
  const text = await echo(request);
  const basic = /Basic ([A-Za-z0-9+/=]+)/.exec(text)?.[1];
  const all = `${text} ${basic ? decodeURIComponent(atob(basic).replace(/\+/g, ' ')) : ''}`;
  return Object.values(ENV_SECRETS).find((secret) => all.includes(secret));
}

const FAULTS: [name: string, fault: UpstreamFault, code: string][] = [
  ['503', async () => new Response('{"error":"temporarily_unavailable"}', { status: 503 }), 'upstream_unavailable'],
  ['429 Retry-After: 120', async () => new Response('{}', { status: 429, headers: { 'retry-after': '120' } }), 'upstream_unavailable'],
  ['hang', (request) => new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason))), 'upstream_unavailable'],
  ['connection drop quoting the request', async (request) => Promise.reject(new TypeError(`ECONNRESET ${await echo(request)}`)), 'upstream_unavailable'],
  ['502 HTML page quoting the request', async (request) => new Response(`<html>${await echo(request)}</html>`, { status: 502 }), 'upstream_unavailable'],
  ['200 malformed JSON', async () => new Response('{"access_token": "tr', { status: 200 }), 'upstream_invalid_response'],
  ['200 empty', async () => new Response(null, { status: 200 }), 'upstream_invalid_response'],
  ['302 to another host quoting the request', async (request) => new Response(null, { status: 302, headers: { location: `https://evil.example/?${encodeURIComponent(await echo(request))}` } }), 'upstream_invalid_response'],
  [
    '401 quoting the request in every error field',
    async (request) => {
      const text = await echo(request);
      const body = { error: 'invalid_client', error_description: text, code: 'credentials_invalid', message: text, name: 'AUTHENTICATION_FAILURE', error_code: 'ACTION_NOT_AUTHORIZED', detailed_error_description: text, ResultInfo: { ResultCode: 1, AdditionalInfo: text } };
      return new Response(JSON.stringify(body), { status: 401, headers: { 'content-type': 'application/json' } });
    },
    'upstream_rejected',
  ],
  [
    '401 with the received secret as its error code',
    async (request) => {
      const secret = (await carried(request)) ?? 'nothing-carried';
      const body = { error: secret, code: secret, error_code: secret, name: secret };
      return new Response(JSON.stringify(body), { status: 401, headers: { 'content-type': 'application/json' } });
    },
    'upstream_rejected',
  ],
];

/**
 * Known bug (tests/hardening/known-bugs.test.ts): the core puts an upstream error code into the
 * TokenError message unredacted when it looks like a word, and the Worker logs that message. Profiles
 * it reaches; not: oauth2 (its planted secret has spaces), kitegateway (envelope codes only), trustpay
 * (reads no code), globalpay (its key never travels, so no server can quote it).
 */
// Profiles whose upstream error code leaked into the Worker's log before 'redact the error-code label' (fixed).
const KNOWN_LEAKS = new Set<string>([]);

const totals = { cells: 0, passed: 0, knownBugCells: 0, responses: 0, logLines: 0, consoleLines: 0, responseHits: 0, logHits: 0, logHitsInKnownBugCells: 0 };
afterAll(() => report('worker-secrets', { profiles: PROVIDER_PROFILES.length, faults: FAULTS.length, ...totals }));

let consoleLines: string[] = [];
beforeEach(() => {
  consoleLines = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
  }
});
afterEach(() => vi.restoreAllMocks());

describe.each(PROVIDER_PROFILES)('$profile ($provider, $mode)', ({ profile, mode }) => {
  for (const [name, fault, code] of FAULTS) {
    const known = name.includes('secret as its error code') && KNOWN_LEAKS.has(profile);
    (known ? it.fails : it)(`${name}: the right problem, then recovery; nothing secret in any response, log or console line`, async () => {
      totals.cells++;
      if (known) totals.knownBugCells++;
      const h = await hardeningHarness();
      const d = (JSON.parse(h.env.TOKENMINT_SESSION_KEY as string) as { d: string }).d;
      h.setFault(fault);
      const failed = await h.drive(tokenRequest({ profile }, { ip: '198.51.100.1' }));
      expect(failed.status).toBe(502);
      expect((await failed.clone().json()) as { code: string }).toMatchObject({ code });
      h.setFault(undefined);
      const recovered = await h.drive(tokenRequest({ profile }, { ip: '198.51.100.2' }));
      expect(recovered.status).toBe(200);
      // Upstream mode hands out the provider's client token on purpose; server tokens never leave.
      const handedOut = mode === 'upstream' ? ((await recovered.clone().json()) as { accessToken: string }).accessToken : undefined;
      const serverTokens = [...h.issuedTokens].filter((token) => token !== handedOut);
      const secrets = [...Object.values(ENV_SECRETS), d, ...serverTokens].flatMap(forms);
      const inResponses = [...secrets, ...Object.values(ENV_IDS).flatMap(forms)];
      let responseHits = 0;
      for (const response of h.responses) {
        const text = `${[...response.headers].map(([n, v]) => `${n}: ${v}`).join('\n')}\n${await response.text()}`;
        responseHits += inResponses.filter((secret) => text.includes(secret)).length;
      }
      const logs = [...h.logs.map((l) => l.message), ...consoleLines];
      const logHits = logs.reduce((n, line) => n + secrets.filter((secret) => line.includes(secret)).length, 0);
      totals.responses += h.responses.length;
      totals.logLines += h.logs.length;
      totals.consoleLines += consoleLines.length;
      totals.responseHits += responseHits;
      totals.logHits += logHits;
      if (known) totals.logHitsInKnownBugCells += logHits;
      expect({ responseHits, logHits }).toEqual({ responseHits: 0, logHits: 0 });
      expect(h.logs.length).toBeGreaterThan(0); // the failure was logged (so the scan saw something)
      totals.passed++;
    });
  }
});
