import { configError } from '../errors.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** Options every generic flow takes (`clientCredentials`, `authorizationCode`, `refreshTokenFlow`, `tokenExchange`). */
export interface FlowOptions {
  /** The token endpoint: https (plain http on loopback only). */
  tokenUrl: string;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** Client authentication. Default `client_secret_basic`. */
  auth?: ClientAuthMethod | undefined;
  /** More request headers (not part of the cache key; never put secrets here unless needed). */
  headers?: Record<string, string> | undefined;
  /** Name used in errors and events. Default `oauth2`. */
  provider?: string | undefined;
  /** The fetch this flow uses instead of the store's. */
  fetch?: typeof fetch | undefined;
  /**
   * Seconds a token lives when the server answers without `expires_in` (RFC 6749 §5.1 only recommends
   * it) and the token is not a JWT whose `exp` can be read. Default 300 (`DEFAULT_EXPIRES_IN`).
   */
  defaultExpiresIn?: number | undefined;
}

/** A required, non-empty string option; throws a `config` error naming the field otherwise. */
export function requireString(provider: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw configError(provider, field, 'is required (a non-empty string)');
  return value;
}

/** An optional string option: absent is fine, present must be a non-empty string. */
export function optionalString(provider: string, field: string, value: unknown): string | undefined {
  return value === undefined ? undefined : requireString(provider, field, value);
}

/** Loopback host names (URL.hostname): the only hosts plain http and the Worker's dev emulator are allowed on. */
export const LOOPBACK: RegExp = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Token endpoints must be https; plain http only on loopback, for local emulators and tests. */
export function requireEndpoint(provider: string, field: string, value: unknown): string {
  const text = requireString(provider, field, value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError(provider, field, 'is not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw configError(provider, field, 'must be an https URL (plain http is allowed on loopback only)');
  }
  if (url.username || url.password) throw configError(provider, field, 'must not carry credentials');
  return url.href === text ? text : url.href; // the caller's string when already normal: not one copy per flow
}

export function requireAuthMethod(provider: string, value: unknown): ClientAuthMethod {
  if (value === undefined) return 'client_secret_basic';
  if (value === 'client_secret_basic' || value === 'client_secret_post') return value;
  throw configError(provider, 'auth', 'must be "client_secret_basic" or "client_secret_post"');
}

/** A function option (hooks, fetch): absent is fine, anything else than a function is not. */
export function optionalFunction<T>(provider: string, field: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw configError(provider, field, 'must be a function');
  return value;
}

/** Edit distance (insertions, deletions, substitutions) between two option names. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * Options are strict: a key not in `known` (space-separated names) is a `config` error naming it, with
 * the nearest known name when one is within two edits (`enviroment` → "did you mean environment?").
 */
export function checkKeys(provider: string, options: unknown, known: string, prefix = ''): void {
  if (typeof options !== 'object' || options === null) throw configError(provider, 'options', 'must be an object');
  const names = known.split(' ');
  for (const key of Object.keys(options)) {
    if (names.includes(key)) continue;
    const near = names.reduce((best, name) => (distance(key, name) < distance(key, best) ? name : best));
    throw configError(provider, prefix + key, `is unknown${distance(key, near) <= 2 ? ` (did you mean ${prefix + near}?)` : ''}`);
  }
}

/** A positive number of seconds, when given. */
export function optionalSeconds(provider: string, field: string, value: unknown): number | undefined {
  if (value !== undefined && !(typeof value === 'number' && value > 0 && value < Infinity)) throw configError(provider, field, 'must be a positive number of seconds');
  return value;
}

/** What every generic flow reads from its options, checked. */
export interface ParsedFlowOptions {
  provider: string;
  tokenUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  auth: ClientAuthMethod;
  fetch: typeof fetch | undefined;
  defaultExpiresIn: number | undefined;
}

/**
 * The option parsing every generic flow starts with: unknown keys refused (`own` names the flow's own
 * options besides the shared ones), then provider, tokenUrl, client id and secret (`required` says which
 * must be there), auth, fetch and defaultExpiresIn checked.
 */
export function parseFlowOptions(options: FlowOptions, own: string, required: { clientId: boolean; clientSecret: boolean }): ParsedFlowOptions {
  const provider = typeof options?.provider === 'string' && options.provider !== '' ? options.provider : 'oauth2';
  checkKeys(provider, options, `tokenUrl clientId clientSecret auth headers provider fetch defaultExpiresIn ${own}`);
  const read = required.clientId ? requireString : optionalString;
  return {
    provider,
    tokenUrl: requireEndpoint(provider, 'tokenUrl', options.tokenUrl),
    clientId: read(provider, 'clientId', options.clientId),
    clientSecret: (required.clientSecret ? requireString : optionalString)(provider, 'clientSecret', options.clientSecret),
    auth: requireAuthMethod(provider, options.auth),
    fetch: optionalFunction(provider, 'fetch', options.fetch),
    defaultExpiresIn: optionalSeconds(provider, 'defaultExpiresIn', options.defaultExpiresIn),
  };
}

/** Every property present and defined: options after their defaults are merged in. */
export type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

/** `defaults` with the given values over them; an `undefined` value keeps the default. */
export function withDefaults<T extends object>(defaults: Filled<T>, given: T | undefined): Filled<T> {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(given ?? {})) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
