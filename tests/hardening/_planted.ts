// Recognisable planted credentials for every flow, and the emulator options that accept them. No
// error, event or log line may ever contain one of these (or a token the emulator issued). The
// providers' are derived from the lists (src/providers/list.ts, src/emulator/providers.ts): a provider
// added there gets its planted credentials here with no edit.
import type { EmulatorDemo, EmulatorEntry, EmulatorOptions } from '../../src/emulator/index.js';
import { PROVIDER_DESCRIPTORS, type ProviderDescriptor } from '../../src/providers/index.js';
import { EMULATORS, type EmulatorList } from '../providers/_helpers.js';

export { EMULATORS, type EmulatorList };

/** The generic OAuth 2 flows' secrets (they are not providers, so written here). */
export const SECRET = {
  oauth2: 'S3CR3T-oauth2 cs+/:7q', // space, plus, slash, colon: every encoding path is exercised
  subject: 'S3CR3T-subject-token-81bd',
  actor: 'S3CR3T-actor-token-4e2c',
} as const;

/** The generic OAuth 2 client's id: public by nature (it appears in cache keys), so not scanned for. */
export const ID = { oauth2: 'hardening-client' } as const;

/** The emulator entry serving a descriptor. */
export function emulatorOf(descriptor: ProviderDescriptor, emulators: EmulatorList = EMULATORS): EmulatorEntry {
  const entry = emulators[descriptor.emulatorPrefix];
  if (entry === undefined) throw new Error(`no emulator at "${descriptor.emulatorPrefix}" for ${descriptor.name}`);
  return entry;
}

/** What an emulator accepts out of the box, asked of a fresh one. */
export function demoOf(entry: EmulatorEntry): EmulatorDemo {
  return entry.demo(entry.create(undefined, { now: () => Date.now() }));
}

/** Four hex digits naming `text`, so that each planted value is told apart at a glance. */
function tag(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  return (hash & 0xffff).toString(16).padStart(4, '0');
}

/**
 * A planted secret, `S3CR3T-<prefix>-<option>-…`. Every other one (alternating along the list and
 * within a provider, so a provider with two secrets has one of each) ends in `"` `\` space `+` `/` `:`,
 * which JSON bodies escape and forms and Basic credentials encode; the rest are plain words, as an
 * upstream error code quoting one would look.
 */
function plantedSecret(prefix: string, option: string, special: boolean): string {
  return `S3CR3T-${prefix}-${option}-${tag(`${prefix}.${option}`)}${special ? '"q\\ +/:' : ''}`;
}

/**
 * Each provider's planted credentials, by descriptor name and option name (its flows and the Worker's
 * secrets take them): its identifiers are its emulator demo's (valid in form: TrustPay's digits,
 * TrueLayer's `sandbox-`), every other credential a planted secret.
 */
export function plantedCredentials(descriptors: readonly ProviderDescriptor[] = PROVIDER_DESCRIPTORS, emulators: EmulatorList = EMULATORS): Record<string, Record<string, string>> {
  return Object.fromEntries(
    descriptors.map((descriptor, index) => {
      const demo = demoOf(emulatorOf(descriptor, emulators)).credentials;
      let secrets = 0;
      const values = Object.keys(descriptor.credentials).map((option) => {
        if (!descriptor.identifiers.includes(option)) return [option, plantedSecret(descriptor.emulatorPrefix, option, (index + secrets++) % 2 === 0)];
        const id = demo[option];
        if (id === undefined) throw new Error(`${descriptor.name}: its emulator's demo has no identifier "${option}"`);
        return [option, id];
      });
      return [descriptor.name, Object.fromEntries(values)];
    }),
  );
}

/** The secret ones of a provider's credentials: all but its identifiers. */
export function secretsOf(descriptor: ProviderDescriptor, credentials: Readonly<Record<string, string>>): string[] {
  return Object.entries(credentials).flatMap(([option, value]) => (descriptor.identifiers.includes(option) ? [] : [value]));
}

/** Every built-in provider's planted credentials. */
export const PLANTED_CREDENTIALS: Readonly<Record<string, Readonly<Record<string, string>>>> = plantedCredentials();

/**
 * Emulators that know only the planted credentials. Refresh tokens do not rotate here (see _flows.ts):
 * a code-grant provider's emulator takes `rotateRefreshTokens`, as the generic one does.
 */
export function plantedEmulatorOptions(descriptors: readonly ProviderDescriptor[] = PROVIDER_DESCRIPTORS, emulators: EmulatorList = EMULATORS): EmulatorOptions {
  const planted = descriptors === PROVIDER_DESCRIPTORS && emulators === EMULATORS ? PLANTED_CREDENTIALS : plantedCredentials(descriptors, emulators);
  const options: Record<string, unknown> = { oauth2: { clients: { [ID.oauth2]: SECRET.oauth2 }, rotateRefreshTokens: false } };
  for (const descriptor of descriptors) {
    const accepting = emulatorOf(descriptor, emulators).accepting(planted[descriptor.name]!);
    options[descriptor.emulatorPrefix] = descriptor.codeGrant ? { ...(accepting as object), rotateRefreshTokens: false } : accepting;
  }
  return options as EmulatorOptions;
}

/** Percent escapes in lowercase hex, as some servers write them. */
export const lowerHex = (text: string): string => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

/** HTML-escaped, as a server's error page quotes its input. */
export const htmlEscaped = (text: string): string => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Every spelling a value travels or comes back in: raw, percent-encoded (either hex case), form-encoded
 * (`+` for a space), JSON-escaped (once and nested), HTML-escaped.
 */
export function spellings(value: string): string[] {
  const encoded = [encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
  const json = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, ...encoded, ...encoded.map(lowerHex), json, JSON.stringify(json).slice(1, -1), htmlEscaped(value)])];
}

/** Base64 of `id:secret` as a Basic header carries it (form-encoded halves, RFC 6749 §2.3.1). */
export function basicCredentials(id: string, secret: string): string {
  const encode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);
  return btoa(`${encode(id)}:${encode(secret)}`);
}

/** Both ways a Basic header may carry `id:secret`: halves form-encoded (RFC 6749 §2.3.1) and as they are (RFC 7617). */
export function basicForms(id: string, secret: string): string[] {
  return [...new Set([basicCredentials(id, secret), btoa(`${id}:${secret}`)])];
}
