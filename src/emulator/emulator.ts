// The router: one fetch handler serving every provider emulator under its own path prefix, recording
// requests and playing injected faults. Pure Web APIs (Request/Response/URL/crypto): runs anywhere.
import { json } from './respond.js';
import { ECHO_PATH, echo, IssuedTokens } from './api-echo.js';
import { FaultList, omitFields, playFault, type Fault, type FaultHandle } from './faults.js';
import { createOAuth2Emulator, type OAuth2Emulator, type OAuth2EmulatorOptions } from './oauth2.js';
import { PROVIDER_EMULATORS } from './providers.js';
import type { EmulatorClock, EmulatorEntry, EmulatorEnv, ProviderEmulator, RecordedRequest } from './types.js';

/** The emulators' list (providers.ts), as a type: each provider's entry by prefix. */
export type ProviderEmulators = typeof PROVIDER_EMULATORS;

type EmulatorOf<T> = T extends EmulatorEntry<infer E, unknown> ? E : never;
type OptionsOf<T> = T extends EmulatorEntry<ProviderEmulator, infer O> ? O : never;
/** Each provider's emulator, by path prefix (from the list in providers.ts). */
type ProviderEmulatorsBuilt = { readonly [K in keyof ProviderEmulators]: EmulatorOf<ProviderEmulators[K]> };
/** Each provider emulator's options, by path prefix. */
type ProviderEmulatorOptions = { -readonly [K in keyof ProviderEmulators]?: OptionsOf<ProviderEmulators[K]> };

/** The built-in emulators, by path prefix: every provider's (src/emulator/providers.ts) and a generic OAuth 2 server. */
export interface EmulatorProviders extends ProviderEmulatorsBuilt {
  /** A generic RFC 6749 server at `/oauth2/token`, for the core flows. */
  oauth2: OAuth2Emulator;
}

/** Options of `createEmulator`; each provider's own under its path prefix (`paypal: { expiresIn }`). */
export interface EmulatorOptions extends ProviderEmulatorOptions {
  /** Time for tokens, codes and the `Date` header; timers for injected delays. Default: the platform's. */
  clock?: EmulatorClock;
  /** The origin `baseUrl()` builds on. Default `https://emulator.invalid` (a name that never resolves). */
  origin?: string;
  oauth2?: OAuth2EmulatorOptions;
  /** More endpoints served the same way (a generic OAuth 2 server, your own), each under its prefix. */
  endpoints?: readonly ProviderEmulator[];
}

export interface Emulator extends EmulatorProviders {
  /** The handler: pass it as a flow's or store's `fetch`, or serve it (`export default { fetch }`). */
  readonly fetch: typeof fetch;
  /** Every request received, in order (method, path, headers, body). Cleared by `reset()`. */
  readonly requests: RecordedRequest[];
  readonly origin: string;
  /** `<origin>/<prefix>`: the `baseUrl` to give a provider factory. */
  baseUrl(prefix: string): string;
  /** Injects a fault; it applies until `times` requests had it or until cleared. */
  inject(fault: Fault): FaultHandle;
  clearFaults(): void;
  /** Forgets requests, faults, and every issued code and token. */
  reset(): void;
}

type Factory = (options: unknown, env: EmulatorEnv) => ProviderEmulator;
/** The generic RFC 6749 server, served beside the providers' emulators. */
const OAUTH2: Readonly<Record<string, Factory>> = { oauth2: createOAuth2Emulator as Factory };

const PREFIX = /^[a-z0-9][a-z0-9_-]*$/i;

/**
 * Creates an offline emulator of every provider's token endpoint, as a fetch handler.
 * @example
 * const emulator = createEmulator();
 * const flow = kitegateway({ ...KITEGATEWAY_DEMO, baseUrl: emulator.baseUrl('kitegateway'), fetch: emulator.fetch });
 * emulator.inject({ provider: 'kitegateway', status: 503, times: 1 });
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulatorWith(PROVIDER_EMULATORS, options);
}

/**
 * The router over a list of provider emulators keyed by prefix (`createEmulator` passes the built-in
 * list; a test adds a provider to it). Each one's options come from `options[prefix]`.
 */
export function createEmulatorWith(emulators: Readonly<Record<string, EmulatorEntry>>, options: EmulatorOptions = {}): Emulator {
  const clock: EmulatorClock = options.clock ?? { now: () => Date.now() };
  const env: EmulatorEnv = { now: () => clock.now() };
  const origin = new URL(options.origin ?? 'https://emulator.invalid').origin;
  const factories: Readonly<Record<string, Factory>> = { ...OAUTH2, ...Object.fromEntries(Object.entries(emulators).map(([prefix, entry]) => [prefix, entry.create])) };
  const providers = Object.fromEntries(
    Object.entries(factories).map(([prefix, create]) => [prefix, create((options as Readonly<Record<string, unknown>>)[prefix], env)]),
  ) as unknown as EmulatorProviders;
  const routes = new Map<string, ProviderEmulator>();
  for (const provider of [...Object.values(providers), ...(options.endpoints ?? [])]) {
    if (!PREFIX.test(provider.prefix) || routes.has(provider.prefix)) throw new Error(`emulator: prefix "${provider.prefix}" is invalid or taken`);
    routes.set(provider.prefix, provider);
  }
  const requests: RecordedRequest[] = [];
  const faults = new FaultList();
  const issued = new IssuedTokens();

  const handle = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    const url = new URL(request.url);
    const [, prefix = '', ...rest] = url.pathname.split('/');
    const provider = routes.get(prefix);
    const record: RecordedRequest = {
      provider: provider?.prefix,
      method: request.method,
      url: request.url,
      path: url.pathname,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
      at: clock.now(),
    };
    requests.push(record);
    const fault = faults.take(provider?.prefix);
    let response = fault === undefined ? undefined : await playFault(fault, provider, clock, signal);
    if (signal?.aborted) throw signal.reason;
    const path = `/${rest.join('/')}`;
    if (response === undefined && provider !== undefined && path === ECHO_PATH) response = echo(record, provider.prefix, issued, clock.now());
    if (response === undefined && provider !== undefined) await issued.note(provider.prefix, (response = await answer(provider, record, path)), clock.now());
    response ??= notFound(prefix, routes);
    if (fault?.omit) response = await omitFields(response, fault.omit);
    return withDate(response, clock.now());
  };

  return {
    ...providers,
    fetch: handle,
    requests,
    origin,
    baseUrl(prefix) {
      if (!routes.has(prefix)) throw new Error(`emulator: no provider at "${prefix}" (known: ${[...routes.keys()].join(', ')})`);
      return `${origin}/${prefix}`;
    },
    inject: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    reset() {
      requests.length = 0;
      faults.clear();
      issued.clear();
      for (const provider of routes.values()) provider.reset();
    },
  };
}

/** A handler that throws is a server failing: 500, as the real one would answer. */
async function answer(provider: ProviderEmulator, record: RecordedRequest, path: string): Promise<Response> {
  try {
    return await provider.handle(record, path);
  } catch {
    return json(500, { error: 'server_error', error_description: 'emulator handler failed' });
  }
}

function notFound(prefix: string, routes: ReadonlyMap<string, ProviderEmulator>): Response {
  return json(404, { error: 'not_found', error_description: `no emulated provider at /${prefix}; known: ${[...routes.keys()].join(', ')}` });
}

/** Every answer carries the emulator clock's `Date`, as real servers do (clients may read skew from it). */
function withDate(response: Response, now: number): Response {
  const headers = new Headers(response.headers);
  if (!headers.has('date')) headers.set('date', new Date(now).toUTCString());
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
