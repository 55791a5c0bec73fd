// The columns of the fault matrix: what an upstream does on a bad day, each with the outcome a correct
// client must reach. Faults are played by a fetch wrapper in front of the emulator, on the requests of
// the row's path only: through the emulator's own `inject` (so each provider answers with its own error
// body), by replacing the answer, or by breaking the genuine answer (a field, the stream, the size).
import type { TokenErrorCode } from '../../src/core/index.js';
import type { Fault } from '../../src/emulator/index.js';
import type { FlowRow, LifetimeKind } from './_flows.js';
import { htmlEscaped, lowerHex } from './_planted.js';

export interface FaultContext {
  row: FlowRow;
  /** Every credential the request carried, as a careless server would echo it. */
  echo: string;
  /**
   * Only what this request carried: what a runtime's own fetch error can quote (it may quote a header
   * value it refused). Such an error is kept as the TokenError's `cause`, scrubbed of the request's secrets.
   */
  requestEcho: string;
  /** The values the request carried (header values, body fields) and then its body as sent: short, so the secrets come first. */
  bodyEcho: string;
  /** The request as sent. */
  url: string;
  init: RequestInit | undefined;
}

export type Expectation =
  | { token: true; lifetime?: 'baseline' }
  | { code: TokenErrorCode; retryAfter?: number; attempts: number; minElapsed?: number };

export interface FaultSpec {
  name: string;
  /** Only the first matching request gets it (a transient failure). Default: every one, until cleared. */
  once?: boolean;
  /** Played by the emulator on the matching request. */
  inject?: (now: number) => Fault;
  /** Answers instead of the emulator. */
  replace?: (ctx: FaultContext) => Promise<Response>;
  /** Breaks the emulator's genuine answer. */
  transform?: (response: Response, ctx: FaultContext) => Promise<Response>;
  /** The emulator (the "server") runs this far from the local clock for the whole cell. */
  serverSkew?: number;
  expect(row: FlowRow): Expectation;
}

const DAY = 86_400_000;
const retryable = (code: TokenErrorCode, extra: Partial<{ retryAfter: number; minElapsed: number }> = {}) => (): Expectation => ({ code, attempts: 3, ...extra });
const once = (code: TokenErrorCode, attempts = 1) => (): Expectation => ({ code, attempts });
const token = (): Expectation => ({ token: true });

type Json = Record<string, unknown>;

/** A copy of `response` with another body (and headers), same status. */
function rebuild(response: Response, body: BodyInit | null, headers: Headers = new Headers(response.headers)): Response {
  headers.delete('content-length');
  return new Response(body, { status: response.status, headers });
}

/** The genuine success body with one field changed (`undefined` deletes it). Raw `1e400` via a marker. */
function mutate(pick: (row: FlowRow) => string[] | undefined, value: (current: unknown, serverNow: number, kind: LifetimeKind) => unknown) {
  return async (response: Response, ctx: FaultContext): Promise<Response> => {
    const body = (await response.json()) as Json;
    const path = pick(ctx.row);
    if (path === undefined) return rebuild(response, JSON.stringify(body));
    let holder = body;
    for (const key of path.slice(0, -1)) holder = holder[key] as Json;
    const last = path.at(-1)!;
    const serverNow = Date.parse(response.headers.get('date') ?? '');
    const next = value(holder[last], serverNow, ctx.row.lifetime.kind);
    if (next === undefined) delete holder[last];
    else holder[last] = next;
    return rebuild(response, JSON.stringify(body).replace('"__OVERFLOW__"', '1e400'));
  };
}

const lifetime = (value: (current: unknown, serverNow: number, kind: LifetimeKind) => unknown) => mutate((row) => row.lifetime.path, value);
const iso = (ms: number): string => new Date(ms).toISOString();
/** A lifetime field set to "now + seconds" in the row's own form. */
const inSeconds = (seconds: number) => (_: unknown, serverNow: number, kind: LifetimeKind): unknown =>
  kind === 'epoch' ? Math.floor(serverNow / 1000) + seconds : kind === 'iso' ? iso(serverNow + seconds * 1000) : seconds;

/** A body whose every provider's description field quotes the request; 401, so wrong credentials. */
function echoBody(echo: string): Json {
  return {
    error: 'invalid_client',
    error_description: echo,
    code: 'kitegateway_rest_invalid_credentials',
    message: echo,
    name: 'AUTHENTICATION_FAILURE',
    error_code: 'ACTION_NOT_AUTHORIZED',
    detailed_error_code: echo,
    detailed_error_description: echo,
    ResultInfo: { ResultCode: 1002, AdditionalInfo: echo, CorrelationId: echo },
    data: { status: 401, echo },
  };
}

/** A stream that sends part of `bytes`, then fails as a dropped connection does. */
function failingStream(bytes: Uint8Array, message: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      controller.enqueue(bytes.slice(0, Math.max(1, bytes.length >> 1)));
      controller.error(new TypeError(message));
    },
  });
}

const PAD = 70_000; // over the 64 KiB cap

export const FAULTS: FaultSpec[] = [
  { name: 'none (baseline)', expect: token },
  // Rate limiting.
  { name: '429 Retry-After: 2', inject: () => ({ status: 429, retryAfter: 2 }), expect: retryable('rate_limited', { retryAfter: 2 }) },
  { name: '429 Retry-After: 120 (beyond in-line)', inject: () => ({ status: 429, retryAfter: 120 }), expect: () => ({ code: 'rate_limited', retryAfter: 120, attempts: 1 }) },
  { name: '429 Retry-After: HTTP-date +30 s', inject: (now) => ({ status: 429, retryAfter: new Date(now + 30_000).toUTCString() }), expect: () => ({ code: 'rate_limited', retryAfter: 30, attempts: 1 }) },
  { name: '429 without Retry-After', inject: () => ({ status: 429 }), expect: retryable('rate_limited') },
  { name: '429 ×1 then OK', once: true, inject: () => ({ status: 429, retryAfter: 1 }), expect: token },
  // Server errors.
  ...[500, 502, 503, 504].map((status): FaultSpec => ({ name: `${status}`, inject: () => ({ status }), expect: retryable('upstream_error') })),
  { name: '503 ×1 then OK', once: true, inject: () => ({ status: 503 }), expect: token },
  { name: '502 HTML error page', inject: () => ({ status: 502, body: 'html' }), expect: retryable('upstream_error') },
  { name: '500 HTML debug page echoing the request', replace: async (c) => new Response(`<html><pre>${c.echo}</pre></html>`, { status: 500, headers: { 'content-type': 'text/html' } }), expect: retryable('upstream_error') },
  // Known bug (known-bugs.test.ts): the size cap is applied before the status is looked at.
  { name: '503 with a 70 KB error page', replace: async () => new Response(`<html>${'x'.repeat(PAD)}</html>`, { status: 503, headers: { 'content-type': 'text/html' } }), expect: retryable('upstream_error') },
  { name: '401 echoing the request', replace: async (c) => new Response(JSON.stringify(echoBody(c.echo)), { status: 401, headers: { 'content-type': 'application/json' } }), expect: (row) => ({ code: 'invalid_client', attempts: row.attemptsWhenRefused ?? 1 }) },
  // The same echo in the other spellings a server may quote its input in (issue 12 item 6).
  ...(
    [
      ['JSON-escaped', (echo: string) => JSON.stringify(echo)],
      ['percent-encoded, lowercase hex', (echo: string) => lowerHex(encodeURIComponent(echo))],
      ['form-encoded, + for space', (echo: string) => new URLSearchParams({ echo }).toString()],
      ['HTML-escaped', htmlEscaped],
    ] as const
  ).map(([spelling, spell]): FaultSpec => ({
    name: `401 echoing the request ${spelling}`,
    replace: async (c) => new Response(JSON.stringify(echoBody(spell(c.bodyEcho))), { status: 401, headers: { 'content-type': 'application/json' } }),
    expect: (row) => ({ code: 'invalid_client', attempts: row.attemptsWhenRefused ?? 1 }),
  })),
  // No answer, broken connections.
  {
    name: '401 with the secret as its error code',
    replace: async (c) => {
      const secret = c.row.secrets[0]!;
      const body = { error: secret, code: secret, error_code: secret, name: secret, ResultInfo: { ResultCode: 1, AdditionalInfo: 'x' } };
      return new Response(JSON.stringify(body), { status: 401, headers: { 'content-type': 'application/json' } });
    },
    expect: (row) => ({ code: 'invalid_client', attempts: row.attemptsWhenRefused ?? 1 }),
  },
  { name: 'hang past the timeout', inject: () => ({ hang: true }), expect: retryable('timeout', { minElapsed: 30_000 }) },
  { name: 'hang ×1 then OK', once: true, inject: () => ({ hang: true }), expect: token },
  { name: 'slow (9 s, under the timeout)', once: true, inject: () => ({ delay: 9_000 }), expect: token },
  { name: 'connection drop (fetch rejects)', replace: async (c) => Promise.reject(new TypeError(`fetch failed: ECONNRESET ${c.requestEcho}`)), expect: retryable('network') },
  { name: 'connection drop ×1 then OK', once: true, replace: async () => Promise.reject(new TypeError('fetch failed')), expect: token },
  {
    name: 'body stream errors mid-body',
    transform: async (r, c) => rebuild(r, failingStream(new Uint8Array(await r.arrayBuffer()), `terminated ${c.requestEcho}`)),
    expect: retryable('network'),
  },
  // Broken success bodies.
  { name: '200 malformed JSON', inject: () => ({ body: 'malformed-json' }), expect: once('invalid_response') },
  { name: '200 HTML page', inject: () => ({ body: 'html' }), expect: once('invalid_response') },
  { name: '200 empty body', inject: () => ({ body: 'empty' }), expect: once('invalid_response') },
  {
    name: '200 oversized (Content-Length)',
    transform: async (r) => {
      const text = `${(await r.text()).slice(0, -1)}, "padding": "${'x'.repeat(PAD)}"}`;
      const headers = new Headers(r.headers);
      headers.set('content-length', String(new TextEncoder().encode(text).byteLength));
      return new Response(text, { status: r.status, headers });
    },
    expect: once('invalid_response'),
  },
  {
    name: '200 oversized (streamed, no length)',
    transform: async (r) => {
      const bytes = new TextEncoder().encode(`${(await r.text()).slice(0, -1)}, "padding": "${'x'.repeat(PAD)}"}`);
      let offset = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(offset, (offset += 4096)));
        },
      });
      return rebuild(r, stream);
    },
    expect: once('invalid_response'),
  },
  { name: 'missing access token', transform: mutate((row) => row.token, () => undefined), expect: once('invalid_response') },
  { name: 'lifetime missing', transform: lifetime(() => undefined), expect: (row) => (row.lifetime.kind === 'seconds-optional' ? token() : once('invalid_response')()) },
  { name: 'lifetime zero', transform: lifetime(inSeconds(0)), expect: once('invalid_response') },
  { name: 'lifetime negative', transform: lifetime(inSeconds(-60)), expect: once('invalid_response') },
  {
    name: 'lifetime huge (10 years)',
    transform: lifetime((_, now, kind) => (kind === 'iso' ? '9999-12-31T23:59:59Z' : kind === 'epoch' ? 99_999_999_999 : 315_360_000)),
    expect: token,
  },
  // Finite in seconds, infinite in milliseconds: a known bug (known-bugs.test.ts) for seconds fields.
  { name: 'lifetime 1e308 s', transform: lifetime((_, now, kind) => (kind === 'iso' ? '9999-12-31T23:59:59Z' : kind === 'epoch' ? 99_999_999_999 : 1e308)), expect: token },
  { name: 'lifetime 1e400 (Infinity)', transform: lifetime(() => '__OVERFLOW__'), expect: once('invalid_response') },
  {
    name: 'lifetime as numeric string',
    transform: lifetime((current, _, kind) => (kind === 'iso' ? String(Math.floor(Date.parse(String(current)) / 1000)) : String(current))),
    // Documented: numeric strings are read as seconds; an absolute ISO field takes ISO text or a number only.
    expect: (row) => (row.lifetime.kind === 'iso' ? once('invalid_response')() : token()),
  },
  { name: 'lifetime as a word', transform: lifetime(() => 'soon'), expect: once('invalid_response') },
  {
    name: 'wrong token_type ("mac")',
    transform: mutate((row) => row.tokenType ?? ['token_type'], () => 'mac'),
    // Protocols without a token type ignore an unknown field.
    expect: (row) => (row.tokenType ? once('invalid_response')() : token()),
  },
  // Redirects: never followed, credentials never sent on.
  ...[302, 307].map((status): FaultSpec => ({
    name: `${status} redirect to another host`,
    replace: async (c) => new Response(null, { status, headers: { location: `https://evil.example/collect?q=${encodeURIComponent(c.echo)}` } }),
    expect: once('invalid_response'),
  })),
  // Clocks.
  { name: 'server clock +1 day', serverSkew: DAY, expect: () => ({ token: true, lifetime: 'baseline' }) },
  { name: 'server clock −1 day', serverSkew: -DAY, expect: () => ({ token: true, lifetime: 'baseline' }) },
  {
    name: 'server clock −1 day, no Date header',
    serverSkew: -DAY,
    transform: async (r) => {
      const headers = new Headers(r.headers);
      headers.delete('date');
      return rebuild(r, await r.arrayBuffer(), headers);
    },
    // Documented: without Date an absolute expiry is taken as it is, so this one reads as expired.
    expect: (row) => (row.lifetime.kind === 'epoch' || row.lifetime.kind === 'iso' ? once('invalid_response')() : { token: true, lifetime: 'baseline' }),
  },
  {
    name: 'unreadable Date header',
    transform: async (r) => {
      const headers = new Headers(r.headers);
      headers.set('date', 'yesterday at noon');
      return rebuild(r, await r.arrayBuffer(), headers);
    },
    expect: () => ({ token: true, lifetime: 'baseline' }),
  },
];
