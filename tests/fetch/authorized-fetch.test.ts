import { describe, expect, it } from 'vitest';
import { clientCredentials, createTokenStore } from '../../src/core/index.js';
import { createAuthorizedFetch } from '../../src/fetch/index.js';
import { createOAuthServer, json } from '../helpers/oauth-server.js';

/** A token endpoint plus a resource API that accepts only tokens it has not revoked. */
function _setup() {
  const auth = createOAuthServer();
  const revoked = new Set<string>();
  const apiCalls: string[] = [];
  const api = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.url.startsWith('https://auth.test/')) return auth.fetch(input, init);
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    apiCalls.push(token);
    if (!auth.issued.includes(token) || revoked.has(token)) {
      return json(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    return json(200, { ok: true, body: request.method === 'POST' ? await request.json() : null });
  };
  const store = createTokenStore({ fetch: api as typeof fetch });
  const source = store.source(clientCredentials({ tokenUrl: 'https://auth.test/token', clientId: 'client-1', clientSecret: 'secret-1' }));
  const $fetch = createAuthorizedFetch(source, { baseURL: 'https://api.test', fetch: api as typeof fetch });
  return { auth, revoked, apiCalls, source, $fetch, store };
}

describe('createAuthorizedFetch', () => {
  it('sends the source token as a Bearer Authorization header', async () => {
    const { $fetch, apiCalls, auth } = _setup();
    await expect($fetch('/orders')).resolves.toEqual({ ok: true, body: null });
    expect(apiCalls).toEqual([auth.issued[0]]);
  });

  it('on 401 refreshes once and retries with the new token (POST body resent)', async () => {
    const { $fetch, revoked, auth, apiCalls } = _setup();
    await $fetch('/orders');
    revoked.add(auth.issued[0]!);
    await expect($fetch('/orders', { method: 'POST', body: { amount: 5 } })).resolves.toEqual({ ok: true, body: { amount: 5 } });
    expect(apiCalls).toEqual([auth.issued[0], auth.issued[0], auth.issued[1]]);
    expect(auth.requests).toHaveLength(2);
  });

  it('gives up after one retry: a second 401 is the caller’s error', async () => {
    const { $fetch, revoked, auth } = _setup();
    await $fetch('/orders');
    revoked.add(auth.issued[0]!);
    const original = auth.issued.push.bind(auth.issued);
    auth.issued.push = (...tokens: string[]) => { tokens.forEach((t) => revoked.add(t)); return original(...tokens); };
    await expect($fetch('/orders')).rejects.toMatchObject({ status: 401 });
    expect(auth.requests).toHaveLength(2);
  });

  it('20 callers hitting 401 together cause one refresh', async () => {
    const { $fetch, revoked, auth } = _setup();
    await $fetch('/orders');
    revoked.add(auth.issued[0]!);
    const results = await Promise.all(Array.from({ length: 20 }, () => $fetch('/orders')));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(auth.requests).toHaveLength(2);
  });

  it('a 401 that arrives after another caller refreshed reuses the new token instead of refreshing again', async () => {
    const { source, auth, revoked } = _setup();
    const old = await source.get();
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    const api = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const token = request.headers.get('authorization')!.slice(7);
      if (request.url.endsWith('/slow')) await slowGate;
      return revoked.has(token) ? json(401, {}) : json(200, { ok: true });
    }) as typeof fetch;
    const $fetch = createAuthorizedFetch(source, { baseURL: 'https://api.test', fetch: api });
    revoked.add(old.accessToken);
    const slow = $fetch('/slow'); // sent with the old token, answered late
    await expect($fetch('/fast')).resolves.toEqual({ ok: true }); // 401 → refresh → retry
    releaseSlow();
    await expect(slow).resolves.toEqual({ ok: true });
    expect(auth.requests).toHaveLength(2); // one initial token, one refresh
  });

  it('passes other errors through without refreshing', async () => {
    const { source, auth } = _setup();
    const failing = createAuthorizedFetch(source, { baseURL: 'https://api.test', retry: 0, fetch: (async () => json(500, { error: 'x' })) as typeof fetch });
    await expect(failing('/orders')).rejects.toMatchObject({ status: 500 });
    expect(auth.requests).toHaveLength(1);
  });

  // Issue 12 item 5: the token went to any absolute URL, whatever its origin.
  describe('the token goes only to baseURL’s origin and authorizedOrigins', () => {
    /** An API that answers 401 to every call and records the Authorization each origin saw. */
    function _recording() {
      const seen: [origin: string, authorization: string | null][] = [];
      const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        seen.push([new URL(request.url).origin, request.headers.get('authorization')]);
        return json(200, { ok: true });
      }) as typeof fetch;
      return { seen, fetchFn };
    }

    it('an absolute URL on another origin is sent without the token', async () => {
      const { source } = _setup();
      const { seen, fetchFn } = _recording();
      const api = createAuthorizedFetch(source, { baseURL: 'https://api.test/v1', fetch: fetchFn });
      await api('/orders');
      await api('https://api.test/other');
      await api('https://evil.test/collect');
      await api('http://api.test/downgraded');
      expect(seen.map(([origin, authorization]) => [origin, authorization?.startsWith('Bearer ') ?? false])).toEqual([
        ['https://api.test', true],
        ['https://api.test', true],
        ['https://evil.test', false],
        ['http://api.test', false],
      ]);
    });

    it('authorizedOrigins also get it; a 401 elsewhere is not refreshed', async () => {
      const { source, auth } = _setup();
      const seen: [string, string | null][] = [];
      const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        seen.push([new URL(request.url).origin, request.headers.get('authorization')]);
        return json(new URL(request.url).origin === 'https://other.test' ? 401 : 200, {});
      }) as typeof fetch;
      const api = createAuthorizedFetch(source, { baseURL: 'https://api.test', authorizedOrigins: ['https://files.test'], fetch: fetchFn });
      await api('https://files.test/a');
      await expect(api('https://other.test/b')).rejects.toMatchObject({ status: 401 });
      expect(seen.map(([origin, authorization]) => [origin, authorization !== null])).toEqual([
        ['https://files.test', true],
        ['https://other.test', false],
      ]);
      expect(auth.requests).toHaveLength(1); // no refresh for a foreign 401
    });

    it('without baseURL or authorizedOrigins it is a config error', () => {
      const { source } = _setup();
      expect(() => createAuthorizedFetch(source)).toThrowError(expect.objectContaining({ name: 'TokenError', code: 'config' }));
      expect(() => createAuthorizedFetch(source, { authorizedOrigins: ['not a url'] })).toThrowError(/authorizedOrigins/);
    });
  });
});
