// The one smoke scenario every runtime runs (Node, workerd, Chromium, Deno, Bun). Plain ESM on web APIs
// only (fetch, btoa, crypto.getRandomValues), so a failure here is the library's or the runtime's, never
// the harness's. `tokenmint` is the built module (dist/core/index.js) as the runtime loaded it;
// `baseUrl` is the loopback token server (tests/helpers/token-server.mjs).

export const CLIENT_ID = 'smoke-client';
export const CLIENT_SECRET = 'smoke-secret';
// Distinctive, so finding it in an error message cannot be a coincidence.
const WRONG_SECRET = 'wrong-secret-7f3a9c';

class ScenarioError extends Error {
  name = 'ScenarioError';
}

/** Tiny assert: throws with the check's name and what was seen. */
function check(cond, what, ...seen) {
  if (!cond) {
    const detail = seen.length ? `; saw ${describe(seen[0])}` : '';
    throw new ScenarioError(`smoke check failed: ${what}${detail}`);
  }
}

function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function randomId() {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function serverJson(url, method = 'GET') {
  const res = await fetch(url, { method });
  check(res.ok, `${method} ${url} answers 2xx`, res.status);
  return res.json();
}

/**
 * Runs the scenario; resolves with the names of the checks that passed, rejects on the first that fails.
 * @param {{ tokenmint: any, baseUrl: string }} args
 */
export async function runScenario({ tokenmint, baseUrl }) {
  const passed = [];
  const ok = (cond, what, ...seen) => {
    check(cond, what, ...seen);
    passed.push(what);
  };
  const { createTokenStore, clientCredentials, TokenError } = tokenmint ?? {};
  ok(typeof createTokenStore === 'function', 'exports createTokenStore');
  ok(typeof clientCredentials === 'function', 'exports clientCredentials');
  ok(typeof TokenError === 'function', 'exports TokenError');

  // A fresh counter per run: a private path prefix on the shared server, zeroed once more for good measure.
  const run = `${String(baseUrl).replace(/\/+$/, '')}/runs/${randomId()}`;
  await serverJson(`${run}/reset`, 'POST');
  const stats = () => serverJson(`${run}/stats`);
  ok((await stats()).tokenRequests === 0, 'server counter starts at zero');

  const store = createTokenStore();
  try {
    const source = store.source(
      clientCredentials({ tokenUrl: `${run}/token`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scope: 'read' }),
    );
    ok(source.peek() === undefined, 'peek() is undefined before the first get()', source.peek());

    const before = Date.now();
    const t1 = await source.get();
    ok(typeof t1 === 'object' && t1 !== null, 'get() resolves to an object', t1);
    ok(typeof t1.accessToken === 'string' && t1.accessToken.startsWith('smoke-at-'), 'accessToken is the one the server issued', t1.accessToken);
    ok(t1.tokenType === 'Bearer', "tokenType is 'Bearer'", t1.tokenType);
    ok(typeof t1.expiresAt === 'number' && Number.isFinite(t1.expiresAt), 'expiresAt is a finite number', t1.expiresAt);
    // expires_in is 3600 s; allow generous slack for slow CI and for clocks frozen during I/O (workerd).
    const lifetime = t1.expiresAt - before;
    ok(lifetime > 3_000_000 && lifetime <= 3_700_000, 'expiresAt is about now + 3600 s (epoch ms)', lifetime);
    ok(t1.scope === 'read', "scope is 'read'", t1.scope);
    ok(!('refreshToken' in t1) || t1.refreshToken === undefined, 'no refreshToken for client_credentials', t1.refreshToken);

    let s = await stats();
    ok(s.tokenRequests === 1 && s.issued === 1, 'first get() made exactly one token request', s);
    const last = s.last;
    ok(last.method === 'POST', 'token request is a POST', last.method);
    ok(/^application\/x-www-form-urlencoded\b/i.test(last.contentType ?? ''), 'token request is form-encoded', last.contentType);
    ok(last.authorization === `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`, 'Basic auth carries smoke-client:smoke-secret (RFC 6749 §2.3.1)', last.authorization);
    ok(last.params.grant_type === 'client_credentials', 'grant_type=client_credentials', last.params);
    ok(last.params.scope === 'read', 'scope=read sent', last.params);
    ok(!('client_secret' in last.params), 'secret not repeated in the body with Basic auth', Object.keys(last.params));

    const t2 = await source.get();
    ok(t2.accessToken === t1.accessToken, 'second get() returns the cached token', t2.accessToken);
    ok((await stats()).tokenRequests === 1, 'cache hit made no upstream request');
    ok(source.peek()?.accessToken === t1.accessToken, 'peek() returns the cached token', source.peek());

    const auth = await source.authorization();
    ok(auth === `Bearer ${t1.accessToken}`, "authorization() is 'Bearer <accessToken>'", auth);
    ok((await stats()).tokenRequests === 1, 'authorization() made no upstream request');

    const t3 = await source.refresh();
    s = await stats();
    ok(s.tokenRequests === 2 && s.issued === 2, 'refresh() made exactly one more request', s);
    ok(typeof t3?.accessToken === 'string' && t3.accessToken !== t1.accessToken, 'refresh() returned a different token', t3?.accessToken);
    ok(source.peek()?.accessToken === t3.accessToken, 'peek() returns the refreshed token', source.peek());
    ok((await source.get()).accessToken === t3.accessToken, 'get() after refresh() returns the refreshed token');
    ok((await stats()).tokenRequests === 2, 'get() after refresh() made no upstream request');

    const bad = store.source(
      clientCredentials({ tokenUrl: `${run}/token`, clientId: CLIENT_ID, clientSecret: WRONG_SECRET, scope: 'read' }),
    );
    let caught;
    try {
      await bad.get();
    } catch (err) {
      caught = err;
    }
    ok(caught !== undefined, 'wrong credentials reject');
    ok(caught instanceof TokenError, 'rejection is a TokenError', caught?.name ?? caught);
    ok(caught.code === 'invalid_client', "error code is 'invalid_client'", caught.code);
    ok(!String(caught.message).includes(WRONG_SECRET), 'error message does not contain the secret', caught.message);
    ok(!String(caught.message).includes(CLIENT_SECRET), 'error message does not contain any secret', caught.message);
    s = await stats();
    ok(s.rejected === 1, 'server rejected exactly one request', s);
    ok(bad.peek() === undefined, 'a rejected request is not cached', bad.peek());
  } finally {
    store.dispose();
  }
  return passed;
}
