// The rows of the fault matrix: every generic OAuth 2 flow and every provider factory, built on the
// planted credentials against their emulator. Each row says where its success body keeps the token,
// its lifetime and its type, so that a fault can break exactly that field.
//
// Code-based flows (authorizationCode, cybersource) are primed: their single-use code is exchanged
// first, and the fault hits the refresh-token request that every later token comes from. The
// emulators do not rotate refresh tokens here: a corrupted answer to a rotating refresh (the server
// moved on, the client never learnt the new token) loses the grant whatever a client does.
import { authorizationCode, clientCredentials, createPkce, refreshTokenFlow, tokenExchange, type TokenFlow, type TokenSource } from '../../src/core/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { findProvider, type FlowRequest } from '../../src/providers/index.js';
import { ID, PLANTED_CREDENTIALS, SECRET } from './_planted.js';

/** How a success body states the lifetime. */
export type LifetimeKind = 'seconds' | 'seconds-optional' | 'epoch' | 'iso';

export interface FlowRow {
  name: string;
  /** Column label in the matrix. */
  short: string;
  /** Requests to these paths get the fault. */
  path: RegExp;
  token: string[];
  lifetime: { path: string[]; kind: LifetimeKind };
  /** Where the token type is, if the protocol has one. */
  tokenType?: string[];
  /** Most upstream requests one fetch makes one after the other (paypalClientToken: server, 401, again). */
  sequential: number;
  /** Planted secret values this row's requests carry, and Basic pairs whose base64 is secret too. */
  secrets: string[];
  basic?: [id: string, secret: string];
  build(emulator: Emulator): Promise<{ flow: TokenFlow; prime?: (source: TokenSource) => Promise<void> }>;
}

const base = (emulator: Emulator, prefix: string): string => emulator.baseUrl(prefix);
/** A provider's flow built through its descriptor, as Prism and the Worker build it, against its emulator. */
const provider = (name: string, emulator: Emulator, request: Omit<FlowRequest, 'credentials'> = {}, extra: Record<string, string> = {}): TokenFlow => {
  const descriptor = findProvider(name)!;
  return descriptor.flow({ ...request, credentials: { ...PLANTED_CREDENTIALS[name], ...extra }, baseUrl: base(emulator, descriptor.emulatorPrefix) });
};
/** A provider's browser-safe client-token flow, the same way. */
const clientToken = (name: string, emulator: Emulator): TokenFlow => {
  const descriptor = findProvider(name)!;
  return descriptor.clientToken!.flow({ credentials: PLANTED_CREDENTIALS[name]!, baseUrl: base(emulator, descriptor.emulatorPrefix) });
};
const oauth2Url = (emulator: Emulator): string => `${base(emulator, 'oauth2')}/token`;
// expires_in is only RECOMMENDED (RFC 6749 §5.1): without it the lifetime is the JWT's exp or a default.
const RFC6749 = { token: ['access_token'], lifetime: { path: ['expires_in'], kind: 'seconds-optional' as const }, tokenType: ['token_type'], sequential: 1 };

/** Gets a token, then drops it: the next fetch is a refresh-token request. */
const primed = async (source: TokenSource): Promise<void> => {
  await source.get();
  source.invalidate();
};

/** A refresh token straight from the emulator (a code exchanged by hand), for refreshTokenFlow. */
async function issuedRefreshToken(emulator: Emulator): Promise<string> {
  const code = emulator.oauth2.authorize({ clientId: ID.oauth2 });
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: ID.oauth2, client_secret: SECRET.oauth2 });
  const response = await emulator.fetch(oauth2Url(emulator), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return ((await response.json()) as { refresh_token: string }).refresh_token;
}

export const FLOWS: FlowRow[] = [
  {
    name: 'clientCredentials',
    short: 'cc',
    path: /\/oauth2\/token$/,
    ...RFC6749,
    secrets: [SECRET.oauth2],
    basic: [ID.oauth2, SECRET.oauth2],
    build: async (e) => ({ flow: clientCredentials({ tokenUrl: oauth2Url(e), clientId: ID.oauth2, clientSecret: SECRET.oauth2, scope: 'payments' }) }),
  },
  {
    name: 'authorizationCode (+PKCE, refresh step)',
    short: 'ac',
    path: /\/oauth2\/token$/,
    ...RFC6749,
    secrets: [SECRET.oauth2],
    async build(e) {
      const pkce = await createPkce();
      const code = e.oauth2.authorize({ clientId: ID.oauth2, codeChallenge: pkce.codeChallenge, redirectUri: 'https://app.example/cb' });
      const flow = authorizationCode({ tokenUrl: oauth2Url(e), clientId: ID.oauth2, clientSecret: SECRET.oauth2, auth: 'client_secret_post', code, codeVerifier: pkce.codeVerifier, redirectUri: 'https://app.example/cb' });
      return { flow, prime: primed };
    },
  },
  {
    name: 'refreshTokenFlow',
    short: 'rt',
    path: /\/oauth2\/token$/,
    ...RFC6749,
    secrets: [SECRET.oauth2],
    basic: [ID.oauth2, SECRET.oauth2],
    build: async (e) => ({ flow: refreshTokenFlow({ tokenUrl: oauth2Url(e), clientId: ID.oauth2, clientSecret: SECRET.oauth2, refreshToken: await issuedRefreshToken(e) }) }),
  },
  {
    name: 'tokenExchange',
    short: 'tx',
    path: /\/oauth2\/token$/,
    ...RFC6749,
    secrets: [SECRET.oauth2, SECRET.subject, SECRET.actor],
    basic: [ID.oauth2, SECRET.oauth2],
    build: async (e) => ({
      flow: tokenExchange({
        tokenUrl: oauth2Url(e),
        clientId: ID.oauth2,
        clientSecret: SECRET.oauth2,
        subjectToken: SECRET.subject,
        subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
        actorToken: SECRET.actor,
        actorTokenType: 'urn:ietf:params:oauth:token-type:access_token',
      }),
    }),
  },
  {
    name: 'kitegateway',
    short: 'kg',
    path: /\/kitegateway\//,
    token: ['data', 'token'],
    lifetime: { path: ['data', 'expires'], kind: 'epoch' },
    sequential: 1,
    secrets: [SECRET.kiteApiKey, SECRET.kiteSecretKey],
    build: async (e) => ({ flow: provider('kitegateway', e) }),
  },
  {
    name: 'openBankingPlatform',
    short: 'ob',
    path: /\/openbanking\//,
    ...RFC6749,
    secrets: [SECRET.openbanking],
    build: async (e) => ({ flow: provider('openBankingPlatform', e, { scope: 'accountinformation private' }) }),
  },
  {
    name: 'cybersource (refresh step)',
    short: 'cy',
    path: /\/cybersource\//,
    ...RFC6749,
    secrets: [SECRET.cybersource],
    build: async (e) => ({
      flow: provider('cybersource', e, {}, { code: e.cybersource.authorize({ clientId: ID.cybersource }) }),
      prime: primed,
    }),
  },
  {
    name: 'paypal',
    short: 'pp',
    path: /\/paypal\/v1\/oauth2\/token$/,
    ...RFC6749,
    secrets: [SECRET.paypal],
    basic: [ID.paypal, SECRET.paypal],
    build: async (e) => ({ flow: provider('paypal', e) }),
  },
  {
    name: 'paypalClientToken (server token step)',
    short: 'pcS',
    path: /\/paypal\/v1\/oauth2\/token$/,
    ...RFC6749,
    sequential: 3,
    secrets: [SECRET.paypal],
    basic: [ID.paypal, SECRET.paypal],
    build: async (e) => ({ flow: clientToken('paypal', e) }),
  },
  {
    name: 'paypalClientToken (generate-token step)',
    short: 'pcG',
    path: /\/paypal\/v1\/identity\/generate-token$/,
    token: ['client_token'],
    lifetime: { path: ['expires_in'], kind: 'seconds' },
    sequential: 3,
    secrets: [SECRET.paypal],
    basic: [ID.paypal, SECRET.paypal],
    // Primed: the flow holds a server token, so the fault meets the generate-token request first.
    build: async (e) => ({ flow: clientToken('paypal', e), prime: primed }),
  },
  {
    name: 'airwallex',
    short: 'aw',
    path: /\/airwallex\//,
    token: ['token'],
    lifetime: { path: ['expires_at'], kind: 'iso' },
    sequential: 1,
    secrets: [SECRET.airwallexApiKey],
    build: async (e) => ({ flow: provider('airwallex', e) }),
  },
  {
    name: 'volt',
    short: 'vo',
    path: /\/volt\//,
    ...RFC6749,
    secrets: [SECRET.voltSecret, SECRET.voltPassword],
    build: async (e) => ({ flow: provider('volt', e) }),
  },
  {
    name: 'trustpay',
    short: 'tp',
    path: /\/trustpay\//,
    ...RFC6749,
    lifetime: { path: ['expires_in'], kind: 'seconds-optional' },
    secrets: [SECRET.trustpay],
    basic: [ID.trustpay, SECRET.trustpay],
    build: async (e) => ({ flow: provider('trustpay', e) }),
  },
  {
    name: 'globalpay',
    short: 'gp',
    path: /\/globalpay\//,
    token: ['token'],
    lifetime: { path: ['seconds_to_expire'], kind: 'seconds' },
    tokenType: ['type'],
    sequential: 1,
    secrets: [SECRET.globalpay],
    build: async (e) => ({ flow: provider('globalpay', e) }),
  },
  {
    name: 'iatapay',
    short: 'ia',
    path: /\/iatapay\//,
    ...RFC6749,
    lifetime: { path: ['expires_in'], kind: 'seconds' }, // its own documented body: expires_in required
    secrets: [SECRET.iatapay],
    basic: [ID.iatapay, SECRET.iatapay],
    build: async (e) => ({ flow: provider('iatapay', e) }),
  },
  {
    name: 'jpmorgan',
    short: 'jp',
    path: /\/jpmorgan\//,
    ...RFC6749,
    secrets: [SECRET.jpmorgan],
    basic: [ID.jpmorgan, SECRET.jpmorgan],
    build: async (e) => ({ flow: provider('jpmorgan', e) }),
  },
  {
    name: 'truelayer',
    short: 'tl',
    path: /\/truelayer\//,
    ...RFC6749,
    secrets: [SECRET.truelayer],
    build: async (e) => ({ flow: provider('truelayer', e) }),
  },
  {
    name: 'getnet',
    short: 'gn',
    path: /\/getnet\//,
    ...RFC6749,
    secrets: [SECRET.getnetSecret],
    basic: [ID.getnetKey, SECRET.getnetSecret],
    build: async (e) => ({ flow: provider('getnet', e) }),
  },
  {
    name: 'pinelabs',
    short: 'pl',
    path: /\/pinelabs\//,
    token: ['access_token'],
    lifetime: { path: ['expires_at'], kind: 'iso' },
    tokenType: ['token_type'],
    sequential: 1,
    secrets: [SECRET.pinelabs],
    build: async (e) => ({ flow: provider('pinelabs', e) }),
  },
];
