import { configError } from '../core/kit.js';

/** Prism's wrapper for secret strings. */
export interface SecretString {
  value: string;
}

/**
 * One connector's credentials as Prism takes them: plain values or `{ value }` SecretStrings, camelCase or
 * snake_case names. Typed loosely (any object, interfaces included); checked at construction.
 */
export type PrismCredentials = object;

const isSecretString = (value: unknown): value is SecretString =>
  typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'string' && Object.keys(value).length === 1;

/** Credentials with SecretStrings unwrapped and `client_secret`-style names read as `clientSecret`. */
export function readCredentials(raw: unknown, field: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw configError('prism', field, 'must be an object of credentials');
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    out[name.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase())] = isSecretString(value) ? value.value : value;
  }
  return out;
}

const SECRET_FIELD = /secret|key|password|token|code/i;

/** The credential values to scrub from any message the facade hands back (defence in depth). */
export function secretValues(credentials: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(credentials)
    .filter(([name, value]) => SECRET_FIELD.test(name) && typeof value === 'string')
    .map(([, value]) => value as string);
}

/**
 * Connector names compare without case or separators (`PAYPAL`, `paypal`, `open_banking_platform`), and
 * a provider's other names read as its connector's (`pinelabs` → `pinelabsonline`).
 */
export { connectorName as normaliseConnector } from './connectors.js';
