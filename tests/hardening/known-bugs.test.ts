// Bugs the hardening suites found in src/, each pinned by a deterministic test. The first two are fixed
// (6d71b85: the status decides before any body is judged) and stay as regression guards; an open one
// fails today (`it.fails`): when it is fixed, `it.fails` reports it — then drop `.fails`.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenError, clientCredentials, createTokenStore, type FlowContext } from '../../src/core/index.js';
import { workerFlow } from '../../src/widget/worker-flow.js';
import { settle, useFakeClock } from './_drive.js';

beforeEach(() => useFakeClock());
afterEach(() => vi.useRealTimers());

const ctx = (fetchFn: typeof fetch): FlowContext => ({ fetch: fetchFn, signal: new AbortController().signal, http: { retries: 0 } });

async function failure(promise: Promise<unknown>): Promise<TokenError> {
  const settled = await settle(promise, 60_000);
  if (settled.status !== 'rejected' || !(settled.reason instanceof TokenError)) throw new Error(`expected a TokenError, got ${settled.status}`);
  return settled.reason;
}

// FIXED src/core/http.ts attemptOnce (line 108) → readCapped (line 141): the 64 KiB cap is applied to
// every answer before its status is looked at, so an error status with a large (or largely declared)
// body — a CDN's 503 page, a WAF's 429 page — becomes a non-retryable `invalid_response`, and its
// Retry-After is lost. Expected: the status decides (429 → rate_limited with retryAfter, 5xx →
// retryable upstream_error) and the body is simply not read past the cap.
describe('error statuses with a body over the size cap', () => {
  const flow = clientCredentials({ tokenUrl: 'https://auth.example/token', clientId: 'id', clientSecret: 'secret-123456' });
  const big = `<html>${'x'.repeat(70_000)}</html>`;

  it('503 with a 70 KB HTML page → retryable upstream_error', async () => {
    const error = await failure(flow.fetchToken(ctx(async () => new Response(big, { status: 503, headers: { 'content-type': 'text/html' } }))));
    expect([error.code, error.retryable, error.status]).toEqual(['upstream_error', true, 503]);
  });

  it('429 with Retry-After: 120 and a declared Content-Length over the cap → rate_limited, retryAfter 120', async () => {
    const error = await failure(flow.fetchToken(ctx(async () => new Response('{}', { status: 429, headers: { 'retry-after': '120', 'content-length': '70000' } }))));
    expect([error.code, error.retryAfter]).toEqual(['rate_limited', 120]);
  });
});

// FIXED src/widget/worker-flow.ts fetchToken (line 40): the body is parsed as JSON before the status is
// looked at, so a non-JSON error answer — Cloudflare's own HTML 502/503 when the Worker fails, its HTML
// 429 from a WAF rate-limiting rule — becomes `invalid_response` instead of `upstream_error` /
// `rate_limited`, and onError listeners lose the Retry-After. Expected: status first, JSON only for the
// problem details.
describe('widget worker flow: non-JSON error answers', () => {
  const flow = workerFlow({ endpoint: 'https://mint.example/v1/tokens', profile: 'checkout' });
  const html = (status: number, headers: Record<string, string> = {}) => async () =>
    new Response('<!DOCTYPE html><title>Error</title>', { status, headers: { 'content-type': 'text/html', ...headers } });

  it('502 HTML page → upstream_error', async () => {
    const error = await failure(flow.fetchToken(ctx(html(502))));
    expect([error.code, error.status]).toEqual(['upstream_error', 502]);
  });

  it('429 HTML page with Retry-After: 30 → rate_limited, retryAfter 30', async () => {
    const error = await failure(flow.fetchToken(ctx(html(429, { 'retry-after': '30' }))));
    expect([error.code, error.retryAfter]).toEqual(['rate_limited', 30]);
  });
});

// FIXED src/core/oauth/error-response.ts errorFromResponse (line 45): the upstream's error code goes into
// the message as a label, unredacted, whenever it looks like a word (/^[\w.-]{1,64}$/) — while the
// description next to it is scrubbed. A server that puts what it received into `error` (or Airwallex's
// `code`, GlobalPay's `error_code`, PayPal's `name`) puts a client secret into the TokenError message,
// and from there into logs (the Worker logs upstream messages). Found by the full-size property run
// (parsers.property.test.ts) and the fault matrix column "401 with the secret as its error code".
// Expected: the label redacted like the detail (or dropped when it contains a secret).
describe('an upstream that echoes the secret as its error code', () => {
  it('400 {"error": <client secret>} → the message does not contain the secret', async () => {
    const secret = 'S3CR3T-word-like-secret-42';
    const flow = clientCredentials({ tokenUrl: 'https://auth.example/token', clientId: 'id', clientSecret: secret });
    const error = await failure(flow.fetchToken(ctx(async () => new Response(JSON.stringify({ error: secret }), { status: 400 }))));
    expect(error.message).not.toContain(secret);
  });
});

// FIXED src/core/oauth/response.ts processTokenResponse (line 63: `options.now + body.expires_in * 1000`;
// the same in trustpay.ts, globalpay.ts, iatapay.ts and paypal.ts's client token): `Seconds` accepts any
// finite number, and 1e308 seconds times 1000 is Infinity. The store caps the lifetime it schedules by
// (maxLifetime), but the AccessToken it hands out says `expiresAt: Infinity` — which JSON turns into
// null and `new Date(expiresAt).toISOString()` turns into a RangeError (the Worker's refresh-error log
// line does exactly that). Found by the full-size property run. Expected: a finite epoch (capped at
// maxLifetime, or an invalid_response).
describe('a lifetime that overflows in milliseconds', () => {
  it('expires_in: 1e308 → the token handed out has a finite expiresAt', async () => {
    const body = JSON.stringify({ access_token: 'at-1', token_type: 'Bearer', expires_in: 1e308 });
    const store = createTokenStore({ fetch: async () => new Response(body, { status: 200 }) });
    const flow = clientCredentials({ tokenUrl: 'https://auth.example/token', clientId: 'id', clientSecret: 'secret-123456' });
    const settled = await settle(store.source(flow).get(), 60_000);
    store.dispose();
    expect(settled.status === 'fulfilled' && Number.isFinite(settled.value.expiresAt)).toBe(true);
  });
});
