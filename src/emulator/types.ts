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

/**
 * How a token answer states the token's lifetime: `seconds` from now, always sent (`expires_in`);
 * `seconds-optional`, which the provider may leave out (RFC 6749 §5.1 only recommends `expires_in`);
 * `epoch`, the expiry in Unix seconds; `iso`, the expiry as an ISO 8601 time.
 */
export type LifetimeKind = 'seconds' | 'seconds-optional' | 'epoch' | 'iso';

/**
 * Where one token endpoint's success answer (a JSON object) keeps what a client reads: the token, its
 * lifetime, its type. Paths are keys from the body's root (`['data', 'token']`).
 */
export interface TokenAnswer {
  /** The endpoint, after the prefix: `/v1/oauth2/token`. */
  readonly path: string;
  /** The provider's flows that ask it: its server token flow, its browser-safe client-token flow. */
  readonly flows: readonly ('server' | 'clientToken')[];
  readonly token: readonly string[];
  readonly lifetime: { readonly path: readonly string[]; readonly kind: LifetimeKind };
  /** Where a token type is stated, if the provider's answers may state one (a flow refuses a type it does not use). */
  readonly tokenType?: readonly string[];
}

/**
 * One provider's entry in the emulators' list: how it is made, what it accepts out of the box, how to
 * make it accept other credentials, and what its token endpoints answer.
 * `C` names the credentials (the provider's option names).
 */
export interface EmulatorEntry<E extends ProviderEmulator = ProviderEmulator, O = unknown, C extends string = string> {
  create(options: O | undefined, env: EmulatorEnv): E;
  demo(emulator: E): EmulatorDemo;
  /** The options under which the emulator accepts these credentials (by option name) and no others. */
  accepting(credentials: Readonly<Record<C, string>>): O;
  /** Its token endpoints' success answers, in the order a flow asks them (a client token after the server token it needs). */
  readonly tokenAnswers: readonly TokenAnswer[];
}
