// Small helpers shared by the HTTP, response and flow tests (not by the store tests).
import { expect, vi } from 'vitest';
import { TokenError, type FlowContext, type TokenErrorCode } from '../../src/core/index.js';
import { type HttpRequest, type HttpResponse } from '../../src/core/kit.js';

/** A flow context on the given fetch; deterministic jitter (`random` = 1: every backoff is the full step). */
export function _ctx(fetch: typeof globalThis.fetch, extra: Partial<FlowContext> = {}): FlowContext {
  return { fetch, signal: new AbortController().signal, random: () => 1, ...extra };
}

/** An `HttpRequest` as a flow would build it (client-1 / secret-1, the test server's default client). */
export function _request(extra: Partial<HttpRequest> = {}): HttpRequest {
  return {
    provider: 'oauth2',
    url: 'https://auth.example.test/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa('client-1:secret-1')}` },
    body: 'grant_type=client_credentials',
    secrets: ['secret-1'],
    ...extra,
  };
}

/** An `HttpResponse` as `sendRequest` returns it. */
export function _response(status: number, text: string | object, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: new Headers(headers), text: typeof text === 'string' ? text : JSON.stringify(text) };
}

/** Moves the fake clock 1 s at a time (at most `maxMs`) until `promise` settles; returns it. */
export async function _drain<T>(promise: Promise<T>, maxMs = 300_000): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let t = 0; t <= maxMs && !settled; t += 1_000) await vi.advanceTimersByTimeAsync(1_000);
  if (!settled) throw new Error(`still pending after ${maxMs} ms of fake time`);
  return promise;
}

/** Lets pending promise chains (fetch, body reads) run without moving the clock. */
export async function _flush(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

/** The rejection of `promise`, checked to be a `TokenError` with `code`. */
export async function _tokenError(promise: Promise<unknown>, code: TokenErrorCode): Promise<TokenError> {
  const reason = await promise.then(
    (value) => expect.unreachable(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error as TokenError,
  );
  expect(reason).toBeInstanceOf(TokenError);
  expect(reason.code, reason.message).toBe(code);
  return reason;
}

/** Every string form of an error a user could log. */
export function _errorTexts(error: unknown): string[] {
  const e = error as Error & { cause?: unknown };
  return [String(e), e.message, JSON.stringify(e), String(e.cause ?? ''), e.stack ?? ''];
}

/** Fails if any of `values`, as is or URL-encoded, appears in any logged form of `error`. */
export function _expectNoLeak(error: unknown, values: readonly string[]): void {
  for (const text of _errorTexts(error)) {
    for (const value of values) for (const form of new Set([value, encodeURIComponent(value)])) expect(text).not.toContain(form);
  }
}

/** RFC 6749 §2.3.1 as a server reads it: base64-decode, split at the first ':', form-urldecode both halves. */
export function _decodeBasic(header: string | undefined): { id: string; secret: string; raw: string } {
  expect(header).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
  const raw = new TextDecoder().decode(Uint8Array.from(atob(header!.slice(6)), (c) => c.charCodeAt(0)));
  const colon = raw.indexOf(':');
  const formDecode = (part: string): string => decodeURIComponent(part.replace(/\+/g, ' '));
  return { id: formDecode(raw.slice(0, colon)), secret: formDecode(raw.slice(colon + 1)), raw };
}
