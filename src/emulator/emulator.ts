// The router: one fetch handler serving every provider emulator under its own path prefix, recording
// requests and playing injected faults. Pure Web APIs (Request/Response/URL/crypto): runs anywhere.
import { json } from './respond.js';
import { ECHO_PATH, echo, IssuedTokens } from './api-echo.js';
import { createAirwallexEmulator, type AirwallexEmulator, type AirwallexEmulatorOptions } from './airwallex.js';
import { createCyberSourceEmulator, type CyberSourceEmulator, type CyberSourceEmulatorOptions } from './cybersource.js';
import { FaultList, omitFields, playFault, type Fault, type FaultHandle } from './faults.js';
import { createGetnetEmulator, type GetnetEmulator, type GetnetEmulatorOptions } from './getnet.js';
import { createGlobalPayEmulator, type GlobalPayEmulator, type GlobalPayEmulatorOptions } from './globalpay.js';
import { createIataPayEmulator, type IataPayEmulator, type IataPayEmulatorOptions } from './iatapay.js';
import { createJpMorganEmulator, type JpMorganEmulator, type JpMorganEmulatorOptions } from './jpmorgan.js';
import { createKitegatewayEmulator, type KitegatewayEmulator, type KitegatewayEmulatorOptions } from './kitegateway.js';
import { createOAuth2Emulator, type OAuth2Emulator, type OAuth2EmulatorOptions } from './oauth2.js';
import { createOpenBankingEmulator, type OpenBankingEmulator, type OpenBankingEmulatorOptions } from './open-banking-platform.js';
import { createPayPalEmulator, type PayPalEmulator, type PayPalEmulatorOptions } from './paypal.js';
import { createPineLabsEmulator, type PineLabsEmulator, type PineLabsEmulatorOptions } from './pinelabs.js';
import { createTrueLayerEmulator, type TrueLayerEmulator, type TrueLayerEmulatorOptions } from './truelayer.js';
import { createTrustPayEmulator, type TrustPayEmulator, type TrustPayEmulatorOptions } from './trustpay.js';
import { createVoltEmulator, type VoltEmulator, type VoltEmulatorOptions } from './volt.js';
import type { EmulatorClock, EmulatorEnv, ProviderEmulator, RecordedRequest } from './types.js';

/** The built-in provider emulators, by path prefix. */
export interface EmulatorProviders {
  /** A generic RFC 6749 server at `/oauth2/token`, for the core flows. */
  oauth2: OAuth2Emulator;
  kitegateway: KitegatewayEmulator;
  openbanking: OpenBankingEmulator;
  cybersource: CyberSourceEmulator;
  // Prism's access-token connectors (docs/providers.md#2-prisms-access-token-connectors).
  paypal: PayPalEmulator;
  airwallex: AirwallexEmulator;
  volt: VoltEmulator;
  trustpay: TrustPayEmulator;
  globalpay: GlobalPayEmulator;
  iatapay: IataPayEmulator;
  jpmorgan: JpMorganEmulator;
  truelayer: TrueLayerEmulator;
  getnet: GetnetEmulator;
  pinelabs: PineLabsEmulator;
}

export interface EmulatorOptions {
  /** Time for tokens, codes and the `Date` header; timers for injected delays. Default: the platform's. */
  clock?: EmulatorClock;
  /** The origin `baseUrl()` builds on. Default `https://emulator.invalid` (a name that never resolves). */
  origin?: string;
  oauth2?: OAuth2EmulatorOptions;
  kitegateway?: KitegatewayEmulatorOptions;
  openbanking?: OpenBankingEmulatorOptions;
  cybersource?: CyberSourceEmulatorOptions;
  paypal?: PayPalEmulatorOptions;
  airwallex?: AirwallexEmulatorOptions;
  volt?: VoltEmulatorOptions;
  trustpay?: TrustPayEmulatorOptions;
  globalpay?: GlobalPayEmulatorOptions;
  iatapay?: IataPayEmulatorOptions;
  jpmorgan?: JpMorganEmulatorOptions;
  truelayer?: TrueLayerEmulatorOptions;
  getnet?: GetnetEmulatorOptions;
  pinelabs?: PineLabsEmulatorOptions;
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

type Factories = { [K in keyof EmulatorProviders]: (options: EmulatorOptions[K], env: EmulatorEnv) => EmulatorProviders[K] };

/** Adding a provider emulator: its file, its entry in `EmulatorProviders`/`EmulatorOptions`, one line here. */
const BUILT_IN: Factories = {
  oauth2: createOAuth2Emulator,
  kitegateway: createKitegatewayEmulator,
  openbanking: createOpenBankingEmulator,
  cybersource: createCyberSourceEmulator,
  paypal: createPayPalEmulator,
  airwallex: createAirwallexEmulator,
  volt: createVoltEmulator,
  trustpay: createTrustPayEmulator,
  globalpay: createGlobalPayEmulator,
  iatapay: createIataPayEmulator,
  jpmorgan: createJpMorganEmulator,
  truelayer: createTrueLayerEmulator,
  getnet: createGetnetEmulator,
  pinelabs: createPineLabsEmulator,
};

const PREFIX = /^[a-z0-9][a-z0-9_-]*$/i;

/**
 * Creates an offline emulator of every provider's token endpoint, as a fetch handler.
 * @example
 * const emulator = createEmulator();
 * const flow = kitegateway({ ...KITEGATEWAY_DEMO, baseUrl: emulator.baseUrl('kitegateway'), fetch: emulator.fetch });
 * emulator.inject({ provider: 'kitegateway', status: 503, times: 1 });
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock: EmulatorClock = options.clock ?? { now: () => Date.now() };
  const env: EmulatorEnv = { now: () => clock.now() };
  const origin = new URL(options.origin ?? 'https://emulator.invalid').origin;
  const providers = Object.fromEntries(
    Object.entries(BUILT_IN).map(([name, create]) => [name, (create as (o: unknown, e: EmulatorEnv) => ProviderEmulator)(options[name as keyof Factories], env)]),
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
