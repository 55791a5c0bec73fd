import { configError } from '../errors.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

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
  return url.href;
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
