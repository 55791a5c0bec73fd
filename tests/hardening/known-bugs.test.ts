// Bugs the hardening suites found in src/, each pinned by a deterministic test. Both are fixed (the
// status decides before any body is judged); the tests stay as regression guards.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenError, clientCredentials, type FlowContext } from '../../src/core/index.js';
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
