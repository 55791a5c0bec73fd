// Shapes the Worker shares between its files. Cloudflare's own types are not a dependency: the few
// runtime surfaces used here are described structurally, so any env/ctx that fits works (tests too).
import type { Clock, HttpPolicy } from '../core/index.js';
import type { MintState } from './state.js';
import type { EmulatorLifetimes } from './config/schema.js';
import type { PrismServiceFeature, ProxyFeature, VaultFeature } from './features.js';

/** The Worker's bindings: vars (`TOKENMINT_CONFIG`), secrets and rate-limit bindings, by name. */
export interface MintEnv {
  /** The profiles, as JSON (see docs/worker.md). */
  TOKENMINT_CONFIG?: unknown;
  [binding: string]: unknown;
}

/** What the Worker needs of `ExecutionContext`. */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** Cloudflare's rate-limiting binding (`[[ratelimits]]` in wrangler.toml). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

export type LogLevel = 'error' | 'warn' | 'info';
/** Where operator-facing messages go. They name settings and secret NAMES, never values. */
export type Logger = (level: LogLevel, message: string) => void;

export interface MintWorkerOptions {
  /** Time for tokens, rate limits and session claims. Default: the platform's. */
  clock?: Clock;
  /** Randomness for refresh jitter and retry backoff. Default `Math.random`. */
  random?: () => number;
  /** The fetch provider flows use (profiles with `"upstream": "provider"`). Default: the global one. */
  fetch?: typeof fetch;
  /** Transport policy for upstream calls (timeout, retries). Default: the core's. */
  http?: HttpPolicy;
  /** Default: `console.error` / `console.warn` / `console.info`. */
  log?: Logger;
  /**
   * DEV ONLY: builds the in-isolate emulator a config with `devEmulator` uses. Without it (the production
   * entry) such a config is refused, and the Worker's bundle holds no emulator code.
   */
  devEmulator?: DevEmulatorFactory;
  /** The token-mediating proxy, `/v1/proxy/…`: `proxy()` from `tokenmint/worker/proxy`. Without it, a profile with `proxy` is refused. */
  proxy?: ProxyFeature;
  /** The refresh-token vault: `vault()` from `tokenmint/worker/vault`. Without it, a vault profile is refused. */
  vault?: VaultFeature;
  /** Prism's token RPC: `prismService()` from `tokenmint/worker/prism`. Without it, `prismService` is refused. */
  prismService?: PrismServiceFeature;
}

/** DEV ONLY: what the Worker uses of the in-isolate emulator (dev/emulator.ts builds it). */
export interface DevEmulatorSurface {
  /** The emulator's fetch handler, for `"upstream": "emulator"` profiles. */
  readonly fetch: typeof fetch;
  /** The emulator's base URL for one provider's path prefix. */
  baseUrl(prefix: string): string;
  /** Answers `/__emulator/…`; `forgetServerTokens` drops the Worker's cached server tokens. */
  control(request: Request, path: string, forgetServerTokens: () => void): Promise<Response>;
}

/** DEV ONLY: makes the emulator with the config's token lifetimes, on the Worker's clock. */
export type DevEmulatorFactory = (clock: Clock, lifetimes: EmulatorLifetimes) => DevEmulatorSurface;

/** A Worker made by `createMintWorker`: the module's default export. */
export interface MintWorker {
  fetch(request: Request, env: MintEnv, ctx?: WaitUntilContext): Promise<Response>;
  /**
   * What the Worker hands to its Durable Object classes (`createTokenCoordinator(worker)`,
   * `createTokenVault(worker)`): its clock, logger, fetch, opt-in parts and, in development, its
   * emulator. Opaque; workerd ignores it (it is not a handler).
   */
  readonly shared: MintShared;
}

/** The state one Worker shares with its Durable Object classes. */
export type MintShared = MintState;
