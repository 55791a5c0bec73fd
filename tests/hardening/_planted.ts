// Recognisable planted credentials for every flow, and the emulator options that accept them. No
// error, event or log line may ever contain one of these (or a token the emulator issued).
import type { EmulatorOptions } from '../../src/emulator/index.js';

/** Secret values: never to be seen outside the request that carries them. */
export const SECRET = {
  oauth2: 'S3CR3T-oauth2 cs+/:7q', // space, plus, slash, colon: every encoding path is exercised
  // JSON bodies carry these: `"` and `\` are JSON-escaped on the wire (issue 12 item 6).
  kiteApiKey: 'S3CR3T-kite-api-key-"4b2e\\',
  kiteSecretKey: 'S3CR3T-kite-secret-key-90ad',
  openbanking: 'S3CR3T-obp-secret-1c7f',
  cybersource: 'S3CR3T-cybs-secret-58e0',
  paypal: 'S3CR3T-paypal-secret-a3d1',
  airwallexApiKey: 'S3CR3T-awx-api-key-77c2',
  voltSecret: 'S3CR3T-volt-secret-"0e9b',
  voltPassword: 'S3CR3T-volt-password-\\d4f6 "x"',
  trustpay: 'S3CR3T-trustpay-key-6a18',
  globalpay: 'S3CR3T-gp-app-key-"b5c3\\',
  iatapay: 'S3CR3T-iatapay-secret-2f40',
  jpmorgan: 'S3CR3T-jpm-secret-c81e',
  truelayer: 'S3CR3T-truelayer-secret-39d7',
  getnetSecret: 'S3CR3T-getnet-secret-e2a5',
  pinelabs: 'S3CR3T-pinelabs-secret-\\"f06b',
  subject: 'S3CR3T-subject-token-81bd',
  actor: 'S3CR3T-actor-token-4e2c',
  verifier: 'S3CR3T-pkce-verifier-0123456789-abcdefghijklmnop',
} as const;

/** Identifiers: public by nature (they appear in cache keys), so not scanned for. */
export const ID = {
  oauth2: 'hardening-client',
  openbanking: 'hardening-obp',
  cybersource: 'hardening-cybs',
  paypal: 'hardening-paypal',
  airwallex: 'hardening-awx',
  volt: 'hardening-volt',
  voltUser: 'hardening-volt-user',
  trustpay: '4107000001',
  globalpay: 'hardening-gp',
  iatapay: 'hardening-iatapay',
  jpmorgan: 'hardening-jpm',
  truelayer: 'sandbox-hardening',
  getnetKey: 'hardening-getnet',
  pinelabs: 'hardening-pinelabs',
} as const;

/** Each provider's planted credentials, by descriptor name and option name (its flows and the Worker's secrets take them). */
export const PLANTED_CREDENTIALS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  kitegateway: { apiKey: SECRET.kiteApiKey, secretKey: SECRET.kiteSecretKey },
  openBankingPlatform: { clientId: ID.openbanking, clientSecret: SECRET.openbanking },
  cybersource: { clientId: ID.cybersource, clientSecret: SECRET.cybersource },
  paypal: { clientId: ID.paypal, clientSecret: SECRET.paypal },
  airwallex: { clientId: ID.airwallex, apiKey: SECRET.airwallexApiKey },
  volt: { clientId: ID.volt, clientSecret: SECRET.voltSecret, username: ID.voltUser, password: SECRET.voltPassword },
  trustpay: { projectId: ID.trustpay, secretKey: SECRET.trustpay },
  globalpay: { appId: ID.globalpay, appKey: SECRET.globalpay },
  iatapay: { clientId: ID.iatapay, clientSecret: SECRET.iatapay },
  jpmorgan: { clientId: ID.jpmorgan, clientSecret: SECRET.jpmorgan },
  truelayer: { clientId: ID.truelayer, clientSecret: SECRET.truelayer },
  getnet: { apiKey: ID.getnetKey, apiSecret: SECRET.getnetSecret },
  pinelabs: { clientId: ID.pinelabs, clientSecret: SECRET.pinelabs },
};

/** Emulators that know only the planted credentials. Refresh tokens do not rotate here (see _flows.ts). */
export function plantedEmulatorOptions(): EmulatorOptions {
  return {
    oauth2: { clients: { [ID.oauth2]: SECRET.oauth2 }, rotateRefreshTokens: false },
    kitegateway: { credentials: [{ apiKey: SECRET.kiteApiKey, secretKey: SECRET.kiteSecretKey }] },
    openbanking: { clients: { [ID.openbanking]: SECRET.openbanking } },
    cybersource: { clients: { [ID.cybersource]: SECRET.cybersource }, rotateRefreshTokens: false },
    paypal: { clients: { [ID.paypal]: SECRET.paypal } },
    airwallex: { credentials: [{ clientId: ID.airwallex, apiKey: SECRET.airwallexApiKey }] },
    volt: { credentials: [{ clientId: ID.volt, clientSecret: SECRET.voltSecret, username: ID.voltUser, password: SECRET.voltPassword }] },
    trustpay: { projects: { [ID.trustpay]: SECRET.trustpay } },
    globalpay: { apps: { [ID.globalpay]: SECRET.globalpay } },
    iatapay: { clients: { [ID.iatapay]: SECRET.iatapay } },
    jpmorgan: { clients: { [ID.jpmorgan]: SECRET.jpmorgan } },
    truelayer: { clients: { [ID.truelayer]: SECRET.truelayer } },
    getnet: { keys: { [ID.getnetKey]: SECRET.getnetSecret } },
    pinelabs: { clients: { [ID.pinelabs]: SECRET.pinelabs } },
  };
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
