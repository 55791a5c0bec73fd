// Shared by tests/providers, tests/prism and tests/emulator: an emulator, a store without transport
// retries (so one failure is one request), and a fetch that sends the providers' real hosts to it.
import { vi } from 'vitest';
import { TokenError, createTokenStore, type Clock, type FlowContext, type TokenFlow, type TokenStore } from '../../src/core/index.js';
import { PROVIDER_EMULATORS, createEmulator, type Emulator, type EmulatorDemo, type EmulatorEntry, type EmulatorOptions, type ProviderEmulator } from '../../src/emulator/index.js';
import { PROVIDER_DESCRIPTORS, type ProviderDescriptor } from '../../src/providers/index.js';

export const NOW = Date.parse('2026-06-01T12:00:00Z');

/** Fake timers at NOW; the store and the emulator both read this clock. */
export function useFakeClock(): void {
  vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
}

export function setup(options?: EmulatorOptions): { emulator: Emulator; store: TokenStore } {
  const emulator = createEmulator(options);
  const store = createTokenStore({ fetch: emulator.fetch, http: { retries: 0 }, random: () => 0 });
  return { emulator, store };
}

/** The documented hosts, and the emulator prefix each stands for (from the provider descriptors). */
const HOSTS: Record<string, string> = Object.fromEntries(
  PROVIDER_DESCRIPTORS.flatMap((descriptor) => Object.values(descriptor.hosts).map((host) => [host, descriptor.emulatorPrefix])),
);

/** A fetch that records the real URL asked for, then lets the emulator answer it. */
export function hostRouter(emulator: Emulator): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const routed: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    urls.push(url.href);
    const prefix = HOSTS[url.origin];
    if (prefix === undefined) return Promise.reject(new TypeError(`unexpected host ${url.origin}`));
    return emulator.fetch(`${emulator.baseUrl(prefix)}${url.pathname}`, init);
  };
  return { fetch: routed, urls };
}

/** A flow context for calling `fetchToken` directly, on a hand-driven clock. */
export function flowContext(fetchFn: typeof fetch, clock: ManualClock): FlowContext {
  return { fetch: fetchFn, signal: new AbortController().signal, clock, http: { retries: 0 } };
}

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(start: number = NOW): ManualClock {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms), setTimeout: () => 0, clearTimeout: () => {} };
}

/** The rejection of a promise, asserted to be a TokenError. */
export async function tokenError(promise: Promise<unknown> | (() => unknown)): Promise<TokenError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('expected a TokenError, got success');
}

/** Everything an error exposes, as one string: message, cause chain, and enumerable fields. */
export function exposed(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(String((current as Error).message ?? current), JSON.stringify(current));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

/** The emulators' list as tests read it: an entry per emulator prefix. */
export type EmulatorList = Readonly<Record<string, EmulatorEntry>>;
/** The built-in emulators' list. */
export const EMULATORS: EmulatorList = PROVIDER_EMULATORS as unknown as EmulatorList;

/** A descriptor's base URL on `emulator`, and what its emulator there accepts out of the box (a fresh code for a code grant). */
export function emulated(emulator: Emulator, descriptor: ProviderDescriptor, emulators: EmulatorList = EMULATORS): { baseUrl: string; demo: EmulatorDemo } {
  const prefix = descriptor.emulatorPrefix;
  const entry = emulators[prefix]!;
  return { baseUrl: emulator.baseUrl(prefix), demo: entry.demo((emulator as unknown as Record<string, ProviderEmulator>)[prefix]!) };
}

/** A descriptor's server flow on `emulator` (its base URL and fetch), on the demo credentials and scope: as Prism and the Worker build it. */
export function demoFlow(emulator: Emulator, descriptor: ProviderDescriptor): TokenFlow {
  const { baseUrl, demo } = emulated(emulator, descriptor);
  return descriptor.flow({ credentials: demo.credentials, baseUrl, fetch: emulator.fetch, ...(demo.scope === undefined ? {} : { scope: demo.scope }) });
}
