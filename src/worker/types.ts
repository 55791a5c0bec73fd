// Shapes the Worker shares between its files. Cloudflare's own types are not a dependency: the few
// runtime surfaces used here are described structurally, so any env/ctx that fits works (tests too).
import type { Clock, HttpPolicy } from '../core/index.js';
import type { Emulator, EmulatorOptions } from '../emulator/index.js';
import type { ProxyGuard } from './proxy/guard.js';

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
  /** Builds the dev-only in-isolate emulator (tests swap in one with their own credentials). */
  createEmulator?: (options: EmulatorOptions) => Emulator;
  /**
   * The proxy's last check, after the session token and the allow-list passed and before anything
   * goes upstream: `false` answers 403 `guard_refused` (an amount limit, a merchant id in the body).
   */
  guard?: ProxyGuard;
}

/** A module Worker's default export. */
export interface MintWorker {
  fetch(request: Request, env: MintEnv, ctx?: WaitUntilContext): Promise<Response>;
}
