/** The emulator's time. Only `now` is required; timers (for injected delays) default to the globals. */
export interface EmulatorClock {
  now(): number;
  setTimeout?(callback: () => void, ms: number): unknown;
  clearTimeout?(handle: unknown): void;
}

/** One request the emulator received, as it arrived (credentials included: it is test tooling). */
export interface RecordedRequest {
  /** Prefix of the provider it was routed to; undefined when no provider serves that path. */
  provider: string | undefined;
  method: string;
  url: string;
  /** Full path, e.g. `/kitegateway/v1/auth/token`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** Receipt time on the emulator clock (epoch ms). */
  at: number;
}

/**
 * One emulated endpoint family, served under `/<prefix>/…`. The built-in providers and any endpoint
 * you add (a generic OAuth 2 server, the next connector) implement this and nothing else.
 */
export interface ProviderEmulator {
  /** Path segment without slashes: `kitegateway` serves `/kitegateway/v1/auth/token`. */
  readonly prefix: string;
  /** Answers a request; `path` is the part after the prefix (`/v1/auth/token`). */
  handle(request: RecordedRequest, path: string): Response | Promise<Response>;
  /** The provider's own error body for an injected status that comes without a body. */
  errorResponse?(status: number): Response;
  /** Forgets every issued code and token. */
  reset(): void;
}

/** What the emulator hands each provider emulator it creates. */
export interface EmulatorEnv {
  now(): number;
}

/** What an emulator accepts out of the box: credentials by option name (a fresh code for code grants), and a scope where the provider needs one. */
export interface EmulatorDemo {
  credentials: Readonly<Record<string, string>>;
  scope?: string;
}

/** One provider's entry in the emulators' list: how it is made, and what it accepts out of the box. */
export interface EmulatorEntry<E extends ProviderEmulator = ProviderEmulator, O = unknown> {
  create(options: O | undefined, env: EmulatorEnv): E;
  demo(emulator: E): EmulatorDemo;
}
