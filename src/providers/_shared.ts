// What every provider factory shares: the environment switch, the base URL override, the flow's own
// fetch, and the pieces of flows whose endpoints are not plain RFC 6749 (JSON requests, absolute expiry
// times, provider error envelopes). Internal: providers import it; the public option types are options.ts.
import * as v from 'valibot';
import { systemClock, type AccessToken, type FlowContext, type TokenFlow } from '../core/index.js';
import { checkKeys, configError, optionalFunction, requireEndpoint, sendRequest, type HttpRequest, type HttpResponse } from '../core/kit.js';
import type { Environment, ProviderOptions } from './options.js';

export type { Environment, ProviderOptions } from './options.js';

/** Refuses unknown option names (`own`: the provider's own, besides environment, baseUrl and fetch). */
export function checkOptions(provider: string, options: ProviderOptions, own: string): void {
  checkKeys(provider, options, `environment baseUrl fetch ${own}`);
}

/** The environment asked for (default sandbox), or a `config` error. */
export function resolveEnvironment(provider: string, options: ProviderOptions): Environment {
  const environment = options.environment ?? 'sandbox';
  if (environment !== 'sandbox' && environment !== 'production') {
    throw configError(provider, 'environment', 'must be "sandbox" or "production"');
  }
  return environment;
}

/** The base URL a flow talks to, without a trailing slash: `baseUrl` if given, else the environment's host. */
export function resolveBase(provider: string, hosts: Readonly<Record<Environment, string>>, options: ProviderOptions): string {
  const environment = resolveEnvironment(provider, options);
  const base = options.baseUrl === undefined ? hosts[environment] : requireEndpoint(provider, 'baseUrl', options.baseUrl);
  if (base.includes('?') || base.includes('#')) throw configError(provider, 'baseUrl', 'must not carry a query or fragment');
  return base.replace(/\/+$/, '');
}

/** The flow context with the flow's own fetch, when it has one. */
export function withFetch(ctx: FlowContext, fetchFn: typeof fetch | undefined): FlowContext {
  return fetchFn === undefined ? ctx : { ...ctx, fetch: fetchFn };
}

/** `{ fetch }` when the options carry one (checked), else `{}`: spread into a core flow's options. */
export function fetchOption(provider: string, options: ProviderOptions): { fetch?: typeof fetch } {
  const fetchFn = optionalFunction(provider, 'fetch', options.fetch);
  return fetchFn === undefined ? {} : { fetch: fetchFn };
}

/** A JSON POST to a token endpoint; `secrets` are scrubbed from anything derived from the answer. */
export function jsonRequest(provider: string, url: string, body: unknown, headers: Record<string, string>, secrets: readonly string[]): HttpRequest {
  return {
    provider,
    url,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
    secrets,
  };
}

/** A flow whose endpoint is not plain RFC 6749: build the request, send it through the one HTTP helper, read the answer. */
export interface ProviderFlowSpec {
  provider: string;
  /** Cache identity (see `flowKey`): never a secret in clear. */
  key: string;
  browserSafe?: boolean;
  fetch: typeof fetch | undefined;
  /** The request for this fetch (may be async: GlobalPay hashes a fresh nonce each time). */
  request(ctx: FlowContext): HttpRequest | Promise<HttpRequest>;
  /** Reads the answer: a token, or throws the provider's error as a `TokenError`. `now` is the receipt time. */
  process(request: HttpRequest, response: HttpResponse, now: number): AccessToken;
}

export function providerFlow(spec: ProviderFlowSpec): TokenFlow {
  return {
    key: spec.key,
    browserSafe: spec.browserSafe ?? false,
    provider: spec.provider,
    async fetchToken(ctx) {
      const request = await spec.request(ctx);
      const response = await sendRequest(withFetch(ctx, spec.fetch), request);
      return spec.process(request, response, (ctx.clock ?? systemClock).now());
    },
  };
}

/** An error body read with the provider's schema, or undefined when it is not JSON or not that shape. */
export function parseErrorBody<S extends v.GenericSchema>(response: HttpResponse, schema: S): v.InferOutput<S> | undefined {
  try {
    const parsed = v.safeParse(schema, JSON.parse(response.text));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined; // not JSON: judged by status alone
  }
}

// ISO 8601 date-time with seconds and an explicit zone. The forms providers send that `Date.parse` does
// not read everywhere are normalised first: `+0000` (Airwallex) and fractions beyond milliseconds (Pine Labs).
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i;

function parseIsoDateTime(text: string): number {
  const [, base, fraction = '', zone = ''] = ISO_DATE_TIME.exec(text) ?? [];
  const offset = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
  return Date.parse(`${base}.${fraction.padEnd(3, '0').slice(0, 3)}${offset}`);
}

/**
 * An absolute expiry time as providers send it, read as epoch milliseconds: an ISO 8601 string with a
 * zone, or Unix seconds (between 2001 and 5138: a milliseconds value is refused rather than read as a
 * token living for millennia).
 */
export const ExpiresAt: v.GenericSchema<string | number, number> = v.union([
  v.pipe(v.string(), v.regex(ISO_DATE_TIME), v.transform(parseIsoDateTime), v.finite()),
  v.pipe(v.number(), v.integer(), v.minValue(1_000_000_000), v.maxValue(99_999_999_999), v.transform((seconds) => seconds * 1000)),
]);

/**
 * Local epoch ms at which a token stamped with an absolute expiry (`expiresAt`, server epoch ms) stops
 * being valid. With a `Date` header the lifetime is `expiresAt − Date`, counted from the local receipt
 * time `now`, so a skewed local clock neither keeps an expired token nor drops a valid one (the store's
 * leeway absorbs `Date`'s one-second resolution); without one, `expiresAt` is used as it is.
 */
export function absoluteExpiry(expiresAt: number, date: string | null, now: number): number {
  const serverNow = date === null ? Number.NaN : Date.parse(date);
  return Number.isNaN(serverNow) ? expiresAt : now + (expiresAt - serverNow);
}
